import Logging
import NIOCore
import Synchronization

/// The routing table of a ``TCPBalancer``: services, backend counters, sessions and held connections.
///
/// Event loops call into it for every accepted connection, so its state sits behind a `Mutex` that is
/// held only for table updates, never across I/O. Connecting, gluing and holding live in
/// `TCPRouter+Connect.swift`.
final class TCPRouter: Sendable {
    /// One open client ↔ backend pair.
    struct Session: Sendable {
        var backend: String
        var client: any Channel
        var backendChannel: any Channel
    }

    /// One URL's backends and the connections waiting for one.
    struct Service: Sendable {
        var picker: BackendPicker
        var holdTimeout: Duration
        var redirect: String?
        var held: [ObjectIdentifier: any Channel] = [:]
    }

    struct State: Sendable {
        var services: [String: Service] = [:]
        var counters: [String: BackendCounters] = [:]
        var weights: [String: Double] = [:]
        var sessions: [String: Session] = [:]
    }

    let state = Mutex(State())
    let logger: Logger
    let connectTimeout: TimeAmount

    init(connectTimeout: TimeAmount, logger: Logger) {
        self.connectTimeout = connectTimeout
        self.logger = logger
    }

    /// What ``update(_:)`` leaves for the caller to do outside the lock.
    struct Changes {
        /// Held connections whose service now has backends: route them again.
        var release: [(channel: any Channel, url: String)] = []
        /// Held connections whose service is gone: close them.
        var close: [any Channel] = []
    }

    /// Replaces the services. Services sharing a URL are pooled.
    func update(_ services: [BalancedService]) -> Changes {
        var merged: [String: BalancedService] = [:]
        for service in services {
            if var existing = merged[service.url] {
                existing.backends += service.backends
                merged[service.url] = existing
            } else {
                merged[service.url] = service
            }
        }
        return state.withLock { state in
            var changes = Changes()
            for (url, service) in state.services where merged[url] == nil {
                changes.close += service.held.values
                state.services[url] = nil
            }
            for (url, wanted) in merged {
                var service =
                    state.services[url]
                    ?? Service(picker: BackendPicker(backends: [], algorithm: wanted.algorithm), holdTimeout: .zero)
                service.picker.update(backends: wanted.backends, algorithm: wanted.algorithm)
                service.holdTimeout = wanted.holdTimeout
                service.redirect = wanted.redirect
                if !service.picker.isEmpty {
                    changes.release += service.held.values.map { ($0, url) }
                    service.held = [:]
                }
                state.services[url] = service
                for backend in wanted.backends {
                    state.weights[backend.address] = backend.weight
                    if state.counters[backend.address] == nil {
                        state.counters[backend.address] = BackendCounters()
                    }
                }
            }
            let configured = Set(merged.values.flatMap { $0.backends.map(\.address) })
            state.counters = state.counters.filter {
                configured.contains($0.key) || $0.value.active.load(ordering: .relaxed) > 0
            }
            state.weights = state.weights.filter { state.counters[$0.key] != nil }
            return changes
        }
    }

    /// The counters and weight of every configured backend, and of removed ones still carrying connections.
    func counters() -> [(address: String, weight: Double, counters: BackendCounters)] {
        state.withLock { state in
            state.counters.map { ($0.key, state.weights[$0.key] ?? 1, $0.value) }
        }
    }

    /// Held connections per service URL.
    func pending() -> [String: Int] {
        state.withLock { $0.services.mapValues(\.held.count) }
    }

    /// `client ip:port` → `backend ip:port`.
    func sessions() -> [String: String] {
        state.withLock { $0.sessions.mapValues(\.backend) }
    }

    /// Closes both sides of `client`'s session.
    func dropSession(_ client: String) -> Bool {
        guard let session = state.withLock({ $0.sessions.removeValue(forKey: client) }) else { return false }
        logger.info("dropping session", metadata: ["lb.client": "\(client)", "lb.backend": "\(session.backend)"])
        session.client.close(promise: nil)
        session.backendChannel.close(promise: nil)
        return true
    }

    /// Forgets every service and closes every session and held connection.
    func closeAll() {
        let (sessions, held) = state.withLock { state in
            let held = state.services.values.flatMap(\.held.values)
            let sessions = Array(state.sessions.values)
            state.services = [:]
            state.sessions = [:]
            return (sessions, held)
        }
        for session in sessions {
            session.client.close(promise: nil)
            session.backendChannel.close(promise: nil)
        }
        for channel in held {
            channel.close(promise: nil)
        }
    }

    /// `ip:port` of a socket address, the form used in sessions and metrics.
    static func describe(_ address: SocketAddress?) -> String {
        guard let address, let ip = address.ipAddress, let port = address.port else { return "unknown" }
        return "\(ip):\(port)"
    }
}
