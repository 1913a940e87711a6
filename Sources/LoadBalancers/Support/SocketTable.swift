import ProcessSupport

#if canImport(Glibc)
import Glibc
#endif

/// The kernel's TCP socket table (`/proc/net/tcp` and `/proc/net/tcp6`), read for the
/// connections a group of processes holds: how nginx's `active` is counted (the original Reactor
/// counted the same with netstat), since nginx reports no per-upstream connection count.
enum SocketTable {
    /// Established connections held by `pids` (their sockets, found through `/proc/<pid>/fd`),
    /// counted by remote `ip:port` as ``Backend/address`` spells it.
    static func establishedConnections(of pids: [pid_t]) -> [String: Int] {
        let inodes = Set(pids.flatMap(socketInodes(of:)))
        guard !inodes.isEmpty else { return [:] }
        var counts: [String: Int] = [:]
        for file in ["/proc/net/tcp", "/proc/net/tcp6"] {
            // No table to read (no IPv6 on this host): no connections in it.
            guard let text = FileSystem.readIfPresent(file) else { continue }
            for line in text.split(separator: "\n").dropFirst() {
                let fields = line.split(separator: " ")
                // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode …
                guard fields.count > 9, fields[3] == "01", let inode = UInt64(fields[9]), inodes.contains(inode),
                    let remote = address(fields[2])
                else { continue }
                counts[remote, default: 0] += 1
            }
        }
        return counts
    }

    /// The process and its children (nginx's master and workers).
    static func family(of pid: pid_t) -> [pid_t] {
        var result = [pid]
        // No children file (a kernel without CONFIG_PROC_CHILDREN, the process gone): the master alone.
        let children = FileSystem.readIfPresent("/proc/\(pid)/task/\(pid)/children") ?? ""
        result += children.split(separator: " ").compactMap {
            pid_t($0.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        return result
    }

    /// The inodes of the sockets among `pid`'s open files.
    static func socketInodes(of pid: pid_t) -> [UInt64] {
        let directory = "/proc/\(pid)/fd"
        guard let handle = opendir(directory) else { return [] }
        defer { closedir(handle) }
        var inodes: [UInt64] = []
        var target = [CChar](repeating: 0, count: 64)
        while let entry = readdir(handle) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            guard name.first?.isNumber == true else { continue }
            let count = readlink("\(directory)/\(name)", &target, target.count - 1)
            guard count > 0 else { continue }
            let link = String(decoding: target[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            guard link.hasPrefix("socket:["), link.hasSuffix("]"),
                let inode = UInt64(link.dropFirst("socket:[".count).dropLast())
            else { continue }
            inodes.append(inode)
        }
        return inodes
    }

    /// `0100007F:1F90` (IPv4, the address's 32 bits as the host stores them) or 32 hex digits
    /// (IPv6, four such words) and a hex port, as `ip:port`.
    static func address(_ field: Substring) -> String? {
        let parts = field.split(separator: ":")
        guard parts.count == 2, let port = UInt16(parts[1], radix: 16) else { return nil }
        let hex = Array(parts[0])
        // Each 32-bit word is printed as the host reads the address's bytes (little-endian here):
        // its bytes in memory order are the address's bytes in network order.
        func bytes(ofWord index: Int) -> [UInt8]? {
            guard let value = UInt32(String(hex[(index * 8)..<(index * 8 + 8)]), radix: 16) else { return nil }
            return withUnsafeBytes(of: value.littleEndian) { Array($0) }
        }
        switch hex.count {
        case 8:
            guard let address = bytes(ofWord: 0) else { return nil }
            return "\(address.map(String.init).joined(separator: ".")):\(port)"
        case 32:
            var address: [UInt8] = []
            for index in 0..<4 {
                guard let word = bytes(ofWord: index) else { return nil }
                address += word
            }
            var storage = in6_addr()
            withUnsafeMutableBytes(of: &storage) { $0.copyBytes(from: address) }
            var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
            guard inet_ntop(AF_INET6, &storage, &text, socklen_t(text.count)) != nil else { return nil }
            var ip = String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            if ip.hasPrefix("::ffff:"), ip.contains(".") { ip = String(ip.dropFirst("::ffff:".count)) }
            return "\(ip):\(port)"
        default:
            return nil
        }
    }
}
