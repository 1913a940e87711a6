import Crypto
import Synchronization

/// The outcomes of slow key derivations, so that a request with a key already checked costs a
/// dictionary lookup rather than a PBKDF2 run.
///
/// Entries are keyed by `sha256(stored hash, key)`: the key itself is never kept, and a new
/// stored hash (a changed key, a fresh salt) never meets an old outcome. At most ``capacity``
/// outcomes are kept; when full, the oldest half goes.
final class KeyVerificationCache: Sendable {
    /// Outcomes kept at most.
    static let capacity = 1024
    static let shared = KeyVerificationCache()

    private struct State {
        var outcomes: [SHA256Digest: Bool] = [:]
        var order: [SHA256Digest] = []
    }

    private let state = Mutex(State())

    static func entry(stored: String, key: String) -> SHA256Digest {
        var hasher = SHA256()
        hasher.update(data: Array(stored.utf8))
        hasher.update(data: [0])
        hasher.update(data: Array(key.utf8))
        return hasher.finalize()
    }

    func result(for entry: SHA256Digest) -> Bool? {
        state.withLock { $0.outcomes[entry] }
    }

    func remember(_ outcome: Bool, for entry: SHA256Digest) {
        state.withLock { state in
            if state.outcomes.updateValue(outcome, forKey: entry) == nil { state.order.append(entry) }
            guard state.order.count > Self.capacity else { return }
            let dropped = state.order.prefix(Self.capacity / 2)
            for old in dropped { state.outcomes[old] = nil }
            state.order.removeFirst(dropped.count)
        }
    }

    /// How many outcomes are kept (for tests).
    var count: Int { state.withLock { $0.outcomes.count } }
}
