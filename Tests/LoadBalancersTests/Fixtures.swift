import LoadBalancers
import Testing

/// A service listening on a free loopback port.
func loopbackService(
    _ backends: [TestBackend],
    weights: [Double]? = nil,
    algorithm: BalancingAlgorithm = .roundRobin,
    holdTimeout: Duration = .zero,
    redirect: String? = nil,
    settings: [String: String] = [:]
) -> BalancedService {
    BalancedService(
        url: loopbackURL,
        backends: backends.enumerated().map { index, backend in
            Backend(ip: backend.ip, port: backend.port, weight: weights?[index] ?? 1)
        },
        algorithm: algorithm,
        holdTimeout: holdTimeout,
        redirect: redirect,
        settings: settings
    )
}

let loopbackURL = "tcp://127.0.0.1:0"

/// Configures a new balancer with `service` and returns it with the port it listens on.
func startBalancer(_ service: BalancedService) async throws -> (TCPBalancer, Int) {
    let balancer = TCPBalancer()
    try await balancer.configure([service])
    let port = try #require(await balancer.boundPort(for: service.url), "balancer should listen on \(service.url)")
    return (balancer, port)
}

/// Opens a connection through the balancer and returns the name the backend greeted it with.
func greeting(port: Int) throws -> String {
    let client = try TestClient(port: port)
    defer { client.close() }
    return try client.readLine() ?? "<closed>"
}

/// Polls `condition` every 20 ms until it holds or `timeout` passes.
func eventually(within timeout: Duration = .seconds(2), _ condition: () async throws -> Bool) async rethrows -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try? await Task.sleep(for: .milliseconds(20))
    }
    return try await condition()
}

/// Opens `count` connections through `port`, each greeted by the backend `name` and echoed once.
func openEchoedClients(_ count: Int, port: Int, greetedBy name: String) throws -> [TestClient] {
    let clients = try (0..<count).map { _ in try TestClient(port: port) }
    for client in clients {
        #expect(try client.readLine() == name, "the connection should be greeted by \(name)")
        try client.send("hello\n")
        #expect(try client.readLine() == "hello", "the backend should echo")
    }
    return clients
}
