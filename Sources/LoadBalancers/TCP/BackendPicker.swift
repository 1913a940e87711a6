/// Chooses the backend of each new connection for one service.
///
/// Round robin is nginx's smooth weighted round robin: every pick adds each backend's weight to its
/// running score, takes the highest score and subtracts the total weight from it, so weights 1:2 give
/// `B A B B A B …` rather than bursts. Least connections takes the lowest `active / weight`, breaking
/// ties in rotation so that idle backends share the first connections.
struct BackendPicker: Sendable {
    private(set) var backends: [Backend]
    /// `backends[i].address`, made once (a pick runs for every new connection).
    private var addresses: [String]
    private(set) var algorithm: BalancingAlgorithm
    private var scores: [String: Double] = [:]
    private var rotation = 0

    init(backends: [Backend], algorithm: BalancingAlgorithm) {
        self.backends = backends.filter { $0.weight > 0 }
        self.addresses = self.backends.map(\.address)
        self.algorithm = algorithm
    }

    /// Takes a new backend list, keeping the round robin scores of backends that stay.
    mutating func update(backends: [Backend], algorithm: BalancingAlgorithm) {
        self.backends = backends.filter { $0.weight > 0 }
        self.addresses = self.backends.map(\.address)
        self.algorithm = algorithm
        let kept = Set(addresses)
        scores = scores.filter { kept.contains($0.key) }
    }

    /// Whether any backend can take connections.
    var isEmpty: Bool { backends.isEmpty }

    /// The backend for the next connection, skipping `excluded` addresses (backends that already failed
    /// for this connection).
    ///
    /// - Parameter active: the open connections of a backend, by address (least connections only).
    mutating func pick(excluding excluded: Set<String> = [], active: (String) -> Int) -> Backend? {
        let candidates =
            excluded.isEmpty
            ? Array(backends.indices) : backends.indices.filter { !excluded.contains(addresses[$0]) }
        guard !candidates.isEmpty else { return nil }
        switch algorithm {
        case .roundRobin:
            return pickRoundRobin(candidates)
        case .leastConnections:
            return pickLeastConnections(candidates, active: active)
        }
    }

    private mutating func pickRoundRobin(_ candidates: [Int]) -> Backend? {
        if candidates.count == 1 { return backends[candidates[0]] }
        var best: Int?
        var bestScore = -Double.infinity
        var total = 0.0
        for index in candidates {
            let backend = backends[index]
            let score = scores[addresses[index], default: 0] + backend.weight
            scores[addresses[index]] = score
            total += backend.weight
            if score > bestScore {
                best = index
                bestScore = score
            }
        }
        guard let best else { return nil }
        scores[addresses[best], default: 0] -= total
        return backends[best]
    }

    private mutating func pickLeastConnections(_ candidates: [Int], active: (String) -> Int) -> Backend? {
        rotation &+= 1
        var best: Int?
        var bestLoad = Double.infinity
        for offset in candidates.indices {
            let index = candidates[(offset + rotation) % candidates.count]
            let load = Double(active(addresses[index])) / backends[index].weight
            if load < bestLoad {
                best = index
                bestLoad = load
            }
        }
        return best.map { backends[$0] }
    }
}
