/// Chooses the backend of each new connection for one service.
///
/// Round robin is nginx's smooth weighted round robin: every pick adds each backend's weight to its
/// running score, takes the highest score and subtracts the total weight from it, so weights 1:2 give
/// `B A B B A B …` rather than bursts. Least connections takes the lowest `active / weight`, breaking
/// ties in rotation so that idle backends share the first connections.
struct BackendPicker: Sendable {
    private(set) var backends: [Backend]
    private(set) var algorithm: BalancingAlgorithm
    private var scores: [String: Double] = [:]
    private var rotation = 0

    init(backends: [Backend], algorithm: BalancingAlgorithm) {
        self.backends = backends.filter { $0.weight > 0 }
        self.algorithm = algorithm
    }

    /// Takes a new backend list, keeping the round robin scores of backends that stay.
    mutating func update(backends: [Backend], algorithm: BalancingAlgorithm) {
        self.backends = backends.filter { $0.weight > 0 }
        self.algorithm = algorithm
        let kept = Set(self.backends.map(\.address))
        scores = scores.filter { kept.contains($0.key) }
    }

    /// Whether any backend can take connections.
    var isEmpty: Bool { backends.isEmpty }

    /// The backend for the next connection, skipping `excluded` addresses (backends that already failed
    /// for this connection).
    ///
    /// - Parameter active: the open connections of a backend, by address (least connections only).
    mutating func pick(excluding excluded: Set<String> = [], active: (String) -> Int) -> Backend? {
        let candidates = backends.filter { !excluded.contains($0.address) }
        guard !candidates.isEmpty else { return nil }
        switch algorithm {
        case .roundRobin:
            return pickRoundRobin(candidates)
        case .leastConnections:
            return pickLeastConnections(candidates, active: active)
        }
    }

    private mutating func pickRoundRobin(_ candidates: [Backend]) -> Backend? {
        var best: Backend?
        var bestScore = -Double.infinity
        var total = 0.0
        for backend in candidates {
            let score = scores[backend.address, default: 0] + backend.weight
            scores[backend.address] = score
            total += backend.weight
            if score > bestScore {
                best = backend
                bestScore = score
            }
        }
        if let best { scores[best.address, default: 0] -= total }
        return best
    }

    private mutating func pickLeastConnections(_ candidates: [Backend], active: (String) -> Int) -> Backend? {
        rotation &+= 1
        var best: Backend?
        var bestLoad = Double.infinity
        for offset in candidates.indices {
            let backend = candidates[(offset + rotation) % candidates.count]
            let load = Double(active(backend.address)) / backend.weight
            if load < bestLoad {
                best = backend
                bestLoad = load
            }
        }
        return best
    }
}
