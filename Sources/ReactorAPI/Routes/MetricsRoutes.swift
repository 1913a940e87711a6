import Hummingbird

/// `GET /metrics`: the Prometheus text format (docs/metrics.md). An admin route like `/info`, since
/// it names every endpoint: a scraper passes the key as the `auth_key` parameter.
enum MetricsRoutes {
    /// The content type of the Prometheus text format.
    static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    static func register(_ routes: APIRoutes, metrics: APIMetrics) {
        let services = routes.services
        routes.admin.addUnversioned(.get, "/metrics") { request, _ in
            var bytes = metrics.registry.emitToBuffer()
            bytes += try await EndpointSeries.text(store: services.store)
            return Response(
                status: .ok, headers: [.contentType: contentType, .cacheControl: "no-store"],
                body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
        }
    }
}
