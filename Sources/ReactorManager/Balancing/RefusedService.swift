import LoadBalancers

/// A service a driver refused on its own: its definition without backends (what the refusal
/// depends on), the driver's reason and when it was refused.
struct RefusedService {
    var definition: BalancedService
    var reason: String
    var at: ContinuousClock.Instant

    static func definition(_ service: BalancedService) -> BalancedService {
        var definition = service
        definition.backends = []
        return definition
    }
}
