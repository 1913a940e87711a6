/// Applies a configuration so that one refused service does not keep the others from being served.
///
/// A driver's `configure` takes the whole configuration at once; nginx, for one, refuses it all when a
/// single listen address is taken (`[emerg] bind() … failed`). When the whole is refused, the services
/// are tried one by one on top of those accepted so far, and each that makes the driver refuse is left
/// out with the driver's reason. Drivers keep their previous configuration when they refuse one, so
/// after the search the driver serves the accepted services.
public enum ConfigurationIsolation {
    /// What was applied: the services the driver serves and, by URL, why the others were left out.
    public struct Outcome: Sendable, Equatable {
        /// The services the driver now serves, sorted by URL.
        public var applied: [BalancedService]
        /// URL → the driver's reason for refusing the service.
        public var refused: [String: String]
    }

    /// Configures `driver` with `services`, or with as many of them as it accepts.
    ///
    /// - Parameters:
    ///   - services: every service the driver should serve.
    ///   - driver: the driver to configure.
    ///   - known: URLs the driver accepted before; tried together first when the whole is refused,
    ///     so that a search costs one attempt per new service rather than one per service.
    public static func apply(
        _ services: [BalancedService], to driver: any LoadBalancerDriver, known: Set<String> = []
    ) async -> Outcome {
        let services = services.sorted { $0.url < $1.url }
        do {
            try await driver.configure(services)
            return Outcome(applied: services, refused: [:])
        } catch {
            // Searched below.
        }
        var accepted: [BalancedService] = []
        var rest = services
        let earlier = services.filter { known.contains($0.url) }
        if !earlier.isEmpty && earlier.count < services.count {
            do {
                try await driver.configure(earlier)
                accepted = earlier
                rest = services.filter { !known.contains($0.url) }
            } catch {
                // One of the earlier services is refused now too: every service is tried one by one below.
            }
        }
        var refused: [String: String] = [:]
        var lastRefused = false
        for service in rest {
            let attempt = (accepted + [service]).sorted { $0.url < $1.url }
            do {
                try await driver.configure(attempt)
                accepted = attempt
                lastRefused = false
            } catch {
                refused[service.url] = "\(error)"
                lastRefused = true
            }
        }
        // A driver that refuses may have taken part of the attempt (the tcp balancer routes for what it
        // could not listen on); the accepted set again puts it in a known state.
        if lastRefused {
            do {
                try await driver.configure(accepted)
            } catch {
                // Accepted a moment ago, so a refusal now is the driver's own trouble, which its
                // configure() reports; the next call starts from the whole set again.
            }
        }
        return Outcome(applied: accepted, refused: refused)
    }
}
