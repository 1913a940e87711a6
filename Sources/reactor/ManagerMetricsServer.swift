import Hummingbird
import Logging
import NIOCore
import ReactorManager

/// `reactor manager --metrics-port`: `GET /metrics` in the Prometheus text format (docs/metrics.md),
/// on loopback unless `--metrics-allow-open`.
enum ManagerMetricsServer {
    /// The HTTP application serving `metrics`; a `Service` of the manager's group.
    static func application(
        _ metrics: ManagerMetrics, host: String, port: Int, logger: Logger
    ) -> some ApplicationProtocol {
        let router = Router()
        router.get("/metrics") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: metrics.text())))
        }
        return Application(
            router: router, configuration: .init(address: .hostname(host, port: port), serverName: "reactor-manager"),
            onServerRunning: { channel in
                logger.info("manager metrics at http://\(host):\(channel.localAddress?.port ?? port)/metrics")
            },
            logger: logger)
    }

    /// Whether `host` names a loopback address (`127.0.0.0/8`, `::1`, `localhost`).
    static func isLoopback(_ host: String) -> Bool {
        host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }
}
