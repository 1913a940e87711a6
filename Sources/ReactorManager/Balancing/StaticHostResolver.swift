import Foundation
import ProcessSupport
import ReactorCore
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// The host names of endpoints' `static_instances`, resolved with the system's resolver
/// (getaddrinfo: /etc/hosts, DNS) on a thread of its own, so a slow name server holds no
/// Swift task thread. Each name is resolved again once its answer is older than `maximumAge`
/// (a pass), so a record that changes is followed; a name that does not resolve is no backend
/// (and the front door says so in the endpoint's log).
final class StaticHostResolver: Sendable {
    /// What a name resolved to, or why not.
    enum Answer: Sendable, Equatable {
        case addresses([String])
        case failure(String)
    }

    private struct Entry {
        var answer: Answer
        var at: ContinuousClock.Instant
    }

    private let entries = Mutex<[String: Entry]>([:])
    private let maximumAge: Duration

    init(maximumAge: Duration = .seconds(1)) {
        self.maximumAge = maximumAge
    }

    /// The answers for `names`, resolving those not answered within `maximumAge` (all at once).
    func resolve(_ names: [String]) async -> [String: Answer] {
        let now = ContinuousClock.now
        let due = entries.withLock { entries in
            names.filter { name in entries[name].map { now - $0.at > maximumAge } ?? true }
        }
        if !due.isEmpty {
            let answers = await Self.lookUp(Set(due).sorted())
            entries.withLock { entries in
                for (name, answer) in answers { entries[name] = Entry(answer: answer, at: .now) }
            }
        }
        return entries.withLock { entries in
            var result: [String: Answer] = [:]
            for name in names { result[name] = entries[name]?.answer }
            return result
        }
    }

    /// The addresses last resolved for `names` (no lookup).
    func known(_ names: [String]) -> [String] {
        entries.withLock { entries in
            names.flatMap { name -> [String] in
                if case .addresses(let addresses)? = entries[name]?.answer { return addresses }
                return []
            }
        }
    }

    private static func lookUp(_ names: [String]) async -> [String: Answer] {
        await withCheckedContinuation { continuation in
            let started = DetachedThread.start(name: "resolver") {
                continuation.resume(returning: Dictionary(uniqueKeysWithValues: names.map { ($0, addresses(of: $0)) }))
            }
            if !started {
                continuation.resume(
                    returning: Dictionary(
                        uniqueKeysWithValues: names.map { ($0, .failure("no thread to resolve it on")) }))
            }
        }
    }

    /// getaddrinfo for TCP: the IPv4 and IPv6 addresses of `name`, canonical and sorted.
    static func addresses(of name: String) -> Answer {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_family = AF_UNSPEC
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(name, nil, &hints, &list)
        guard status == 0, let first = list else {
            return .failure(String(cString: gai_strerror(status)))
        }
        defer { freeaddrinfo(list) }
        var found: Set<String> = []
        var cursor: UnsafeMutablePointer<addrinfo>? = first
        while let entry = cursor {
            defer { cursor = entry.pointee.ai_next }
            guard let address = entry.pointee.ai_addr else { continue }
            var host = [CChar](repeating: 0, count: Int(NI_MAXHOST))
            guard
                getnameinfo(address, entry.pointee.ai_addrlen, &host, socklen_t(host.count), nil, 0, NI_NUMERICHOST)
                    == 0
            else { continue }
            let text = String(decoding: host.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            if let ip = IPAddress(text) { found.insert(ip.description) }
        }
        return found.isEmpty ? .failure("no address") : .addresses(found.sorted())
    }
}
