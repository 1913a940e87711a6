import Foundation
import ProcessSupport
import Testing

@testable import ReactorManager

#if canImport(Glibc)
import Glibc
#endif

/// State folders are private, files are never written or read through a planted link, and a
/// recorded pid is signalled only while it still names the process Reactor started.
@Suite("State on disk")
struct StateOnDiskTests {
    let scratch = NSTemporaryDirectory() + "reactor-state-\(UUID().uuidString.prefix(8))"

    init() throws {
        try FileSystem.makeDirectory(scratch)
    }

    func mode(of path: String) -> mode_t {
        var info = stat()
        lstat(path, &info)
        return info.st_mode & 0o777
    }

    @Test func aStateFolderIsMadePrivateAndAWideOneIsNarrowed() throws {
        let fresh = scratch + "/a/b/state"
        try FileSystem.makePrivateDirectory(fresh)
        #expect(mode(of: fresh) == 0o700)
        let wide = scratch + "/wide"
        mkdir(wide, 0o777)
        chmod(wide, 0o777)
        try FileSystem.makePrivateDirectory(wide)
        #expect(mode(of: wide) == 0o700)
    }

    @Test func aLinkOrAFileInPlaceOfTheFolderIsRefused() throws {
        let target = scratch + "/elsewhere"
        try FileSystem.makeDirectory(target)
        let link = scratch + "/linked"
        symlink(target, link)
        #expect(throws: FileSystem.Failure.self) { try FileSystem.makePrivateDirectory(link) }
        let file = scratch + "/file"
        try FileSystem.write("x", to: file)
        #expect(throws: FileSystem.Failure.self) { try FileSystem.makePrivateDirectory(file) }
    }

    @Test(.enabled(if: geteuid() == 0, "changing a folder's owner needs root"))
    func aFolderOfAnotherUserIsRefused() throws {
        let theirs = scratch + "/theirs"
        mkdir(theirs, 0o700)
        chown(theirs, 65534, 65534)
        let error = #expect(throws: FileSystem.Failure.self) { try FileSystem.makePrivateDirectory(theirs) }
        #expect(error?.description.contains("belongs to user 65534") == true, "\(String(describing: error))")
    }

    @Test func writesAndReadsDoNotFollowAPlantedLink() throws {
        let victim = scratch + "/victim"
        try FileSystem.write("original", to: victim)
        // Planted where the write puts its temporary file, and where a read looks.
        symlink(victim, scratch + "/state.pid.tmp")
        #expect(throws: FileSystem.Failure.self) { try FileSystem.write("overwritten", to: scratch + "/state.pid") }
        #expect(try FileSystem.read(victim) == "original")
        symlink(victim, scratch + "/log")
        #expect(throws: FileSystem.Failure.self) { try FileSystem.read(scratch + "/log") }
        #expect(FileSystem.readIfPresent(scratch + "/log") == nil, "a planted link reads as no file")
    }

    @Test func readIfPresentAnswersNoSuchFileWithNil() throws {
        let path = scratch + "/maybe.pid"
        #expect(FileSystem.readIfPresent(path) == nil, "not written yet")
        try FileSystem.write("1234\n", to: path)
        #expect(FileSystem.readIfPresent(path) == "1234\n")
        #expect(FileSystem.readIfPresent(path, from: 2) == "34\n", "from an offset")
        #expect(FileSystem.readIfPresent("/proc/0/stat") == nil, "a process that does not exist")
    }

    @Test func aChildsOutputIsNotWrittenThroughALink() throws {
        let victim = scratch + "/victim-output"
        try FileSystem.write("original", to: victim)
        symlink(victim, scratch + "/instance.log")
        #expect(throws: ChildProcessError.self) {
            try ChildProcess(["/bin/echo", "hello"], options: .init(outputPath: scratch + "/instance.log"))
        }
        #expect(try FileSystem.read(victim) == "original")
    }

    @Test func aReusedPidIsNotSignalled() async throws {
        let started = try ProcessSpawner.spawn(
            command: "exec sleep 30", environment: ["PATH": "/usr/bin:/bin"], logPath: scratch + "/sleep.log")
        #expect(ProcessSpawner.isRunning(started))
        // The same pid with another start time: a later process that took the number.
        let impostor = ProcessSpawner.Started(pid: started.pid, startTime: started.startTime + 1)
        #expect(!ProcessSpawner.isRunning(impostor))
        await ProcessSpawner.terminate(impostor)
        #expect(ProcessSpawner.isRunning(started), "a pid that names another process must not be signalled")
        await ProcessSpawner.terminate(started)
        #expect(!ProcessSpawner.isRunning(started))
    }

    @Test func aPidFileOfAnotherProcessIsNotTakenForAnInstance() throws {
        let started = try ProcessSpawner.spawn(
            command: "exec sleep 30", environment: ["PATH": "/usr/bin:/bin"], logPath: scratch + "/sleep2.log")
        defer { kill(-started.pid, SIGKILL) }
        let good = scratch + "/good.pid"
        try FileSystem.write("endpoint/instance \(started.pid) \(started.startTime)\n", to: good)
        #expect(ProcessCloud.parsePidFile(good)?.process.pid == started.pid)
        let stale = scratch + "/stale.pid"
        try FileSystem.write("endpoint/instance \(started.pid) \(started.startTime + 7)\n", to: stale)
        #expect(ProcessCloud.parsePidFile(stale) == nil)
        let malformed = scratch + "/malformed.pid"
        try FileSystem.write("\(started.pid)\n", to: malformed)
        #expect(ProcessCloud.parsePidFile(malformed) == nil)
    }
}
