import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// What a manager can learn about its host.
public enum HostFacts {
    /// The host's IPv4 addresses other than loopback, in interface order.
    public static func addresses() -> [String] {
        var result: [String] = []
        var list: UnsafeMutablePointer<ifaddrs>?
        guard getifaddrs(&list) == 0, let first = list else { return [] }
        defer { freeifaddrs(list) }
        var cursor: UnsafeMutablePointer<ifaddrs>? = first
        while let entry = cursor {
            defer { cursor = entry.pointee.ifa_next }
            guard let address = entry.pointee.ifa_addr, Int32(address.pointee.sa_family) == AF_INET else { continue }
            var host = [CChar](repeating: 0, count: Int(NI_MAXHOST))
            let status = getnameinfo(
                address, socklen_t(MemoryLayout<sockaddr_in>.size), &host, socklen_t(host.count), nil, 0, NI_NUMERICHOST
            )
            guard status == 0 else { continue }
            let text = String(decoding: host.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            if !text.hasPrefix("127.") { result.append(text) }
        }
        return result
    }

    /// The default manager name: the first non-loopback IPv4 address, or the host name.
    public static func defaultName() -> String {
        addresses().first ?? ProcessInfo.processInfo.hostName
    }

    /// Whether `program` is an executable on PATH.
    public static func isInstalled(_ program: String) -> Bool {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin"
        return path.split(separator: ":").contains { directory in
            FileManager.default.isExecutableFile(atPath: "\(directory)/\(program)")
        } || ["/usr/sbin/\(program)", "/sbin/\(program)"].contains { FileManager.default.isExecutableFile(atPath: $0) }
    }
}
