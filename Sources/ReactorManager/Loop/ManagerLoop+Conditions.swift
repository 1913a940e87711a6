import Foundation
import ReactorCore
import ReactorStore

/// An owned endpoint's conditions: what its pass showed, what its launch backoff holds, stored
/// (fenced) when they change.
extension ManagerLoop {
    /// The conditions that follow from a pass's outcome and the endpoint's launch backoff.
    func observedConditions(_ id: String, _ outcome: EndpointWork.Outcome) -> [EndpointCondition.Kind: String] {
        var observed = outcome.conditions
        let now = ContinuousClock.now
        if let backoff = launchBackoff[id], backoff.until > now || outcome.launchFailure != nil || outcome.failures > 0
        {
            let wait = Self.seconds(max(.zero, backoff.until - now))
            switch backoff.cause {
            case .launchFailing:
                // Holds while launches are wanted; a launch that works (or no launch wanted) clears it.
                if outcome.wantedLaunches || outcome.launchFailure != nil {
                    observed[.launchFailing] =
                        "\(backoff.reason) (\(backoff.failures) attempt(s) in a row; next in \(Int(wait.rounded())) s)"
                }
            default:
                observed[.instancesFailing] =
                    "\(backoff.failures) instance failure(s) in a row; launches held back for \(Int(wait.rounded())) s"
            }
        }
        return observed
    }

    /// Brings endpoint `id`'s stored conditions up to date with the pass's `outcome`.
    mutating func updateConditions(_ id: String, _ outcome: EndpointWork.Outcome) async {
        guard let claim = claims[id] else { return }
        var held: EndpointConditions
        var missing = false
        if let known = conditions[id] {
            held = known
        } else {
            // A new owner goes on from what the last one stored, so `since` survives a handover;
            // unreadable: from nothing. No node yet: one is written (readers watch it, and a
            // node that exists can be watched without a watch left behind should it never come).
            let stored = try? await store.storedOwnerConditions(id: id)
            missing = stored == nil
            held = EndpointConditions((stored ?? nil) ?? [])
        }
        let changed =
            held.observe(observedConditions(id, outcome), now: Date().timeIntervalSince1970, source: identity.name)
            || missing
        guard changed else {
            conditions[id] = held
            return
        }
        let ownership = self.ownership
        do {
            try await store.recordConditions(held, id: id) { operations in
                try await ownership.fenced(claim, operations)
            }
            conditions[id] = held
        } catch {
            // Written again next pass (the in-memory copy is left as it was).
            logger.debug("cannot store the conditions of \(label(id)): \(error)")
        }
    }
}
