import ArgumentParser
import Foundation
import ReactorCore

#if canImport(Glibc)
import Glibc
#endif

/// `reactor endpoints get|set|rename`: one setting at a time, and renaming.
extension EndpointsCommand {
    struct GetSetting: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "get", abstract: "Print one setting of an endpoint (SECTION.KEY, e.g. scaling.max_instances).")
        @OptionGroup var options: ClientOptions
        @Argument(help: "The endpoint's name.") var name: String
        @Argument(help: "SECTION.KEY, e.g. endpoint.url or cloud:process.command.") var setting: SettingName

        func run() async throws {
            try await options.run { api, out in
                let configuration = try await api.get(APIClient.path("endpoints", name))
                guard let value = configuration.objectValue?[setting.section]?.objectValue?[setting.key] else {
                    throw ClientError.local("endpoint '\(name)' has no setting \(setting) (it is not set)")
                }
                if out.json { return out.printJSON(value) }
                print(ClientOutput.text(value))
            }
        }
    }

    struct SetSettings: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set",
            abstract: "Change settings of an endpoint (SECTION.KEY=VALUE…; an empty VALUE removes the key).",
            discussion: """
                Reads the configuration, changes the keys and writes it back only if nobody changed it \
                in between (POST /v1.1/endpoints/NAME with If-Match): a concurrent change is an error and \
                nothing is written. The API validates the result as for any update.
                """)
        @OptionGroup var options: ClientOptions
        @Argument(help: "The endpoint's name.") var name: String
        @Argument(help: "SECTION.KEY=VALUE, e.g. scaling.max_instances=8.") var assignments: [SettingAssignment]

        func validate() throws {
            guard !assignments.isEmpty else { throw ValidationError("give at least one SECTION.KEY=VALUE") }
        }

        func run() async throws {
            try await options.run { api, out in
                let read = try await api.send("GET", APIClient.path("endpoints", name))
                guard let tag = read.eTag, case .object(var sections) = try read.json() ?? .null else {
                    throw ClientError.local(
                        "the API sent no configuration version (ETag); it is older than this client")
                }
                for assignment in assignments {
                    var section = sections[assignment.setting.section]?.objectValue ?? [:]
                    section[assignment.setting.key] = assignment.value.isEmpty ? nil : .string(assignment.value)
                    sections[assignment.setting.section] = section.isEmpty ? nil : .object(section)
                }
                Self.holdBeforeWriteForTests()
                // A change since the read is a 412 whose message says so; nothing is written then.
                try await api.send(
                    "POST", APIClient.path("endpoints", name), body: .object(sections), headers: ["If-Match": tag])
                out.done(
                    "updated endpoint '\(name)': "
                        + assignments.map { "\($0.setting) = \($0.value.isEmpty ? "(removed)" : $0.value)" }
                        .joined(separator: ", "))
            }
        }

        /// Test hook: with `REACTOR_TEST_HOLD_BEFORE_WRITE=PATH` the command writes `PATH.read` once
        /// it has read the configuration and waits (at most 60 s) for `PATH.go` before writing, so
        /// that a test can change the endpoint in between.
        private static func holdBeforeWriteForTests() {
            guard let path = ProcessInfo.processInfo.environment["REACTOR_TEST_HOLD_BEFORE_WRITE"], !path.isEmpty
            else { return }
            // A hook that cannot write its file only delays the command until the deadline.
            _ = FileManager.default.createFile(atPath: path + ".read", contents: Data())
            let deadline = Date().addingTimeInterval(60)
            while !FileManager.default.fileExists(atPath: path + ".go"), Date() < deadline { usleep(20_000) }
        }
    }

    struct Rename: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Rename an endpoint in one atomic step (POST /v1.1/endpoints/OLD/rename).",
            discussion: "The endpoint keeps its configuration, state, instances, metadata and other aliases.")
        @OptionGroup var options: ClientOptions
        @Argument(help: "The current name.") var name: String
        @Argument(help: "The new name.") var newName: String

        func run() async throws {
            try await options.run { api, out in
                try await api.send("POST", APIClient.path("endpoints", name, "rename"), body: .string(newName))
                out.done("endpoint '\(name)' is now '\(newName)'")
            }
        }
    }
}

/// `SECTION.KEY` on the command line: the section up to the first `.`, the key after it.
struct SettingName: ExpressibleByArgument, Sendable, CustomStringConvertible {
    let section: String
    let key: String

    init?(argument: String) {
        guard let dot = argument.firstIndex(of: ".") else { return nil }
        section = String(argument[..<dot])
        key = String(argument[argument.index(after: dot)...])
        guard !section.isEmpty, !key.isEmpty else { return nil }
    }

    var description: String { "[\(section)] \(key)" }
}

/// `SECTION.KEY=VALUE` on the command line (the value may contain `=`).
struct SettingAssignment: ExpressibleByArgument, Sendable {
    let setting: SettingName
    let value: String

    init?(argument: String) {
        guard let equals = argument.firstIndex(of: "="),
            let setting = SettingName(argument: String(argument[..<equals]))
        else { return nil }
        self.setting = setting
        value = String(argument[argument.index(after: equals)...])
    }
}
