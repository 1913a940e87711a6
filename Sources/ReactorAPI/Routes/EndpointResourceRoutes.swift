import Foundation
import Hummingbird
import ReactorCore
import ReactorStore

/// An endpoint's resources — ips, log, metrics, state, sessions, instances, metadata
/// (``MetadataRoutes``) — registered twice:
/// explicit under `/endpoints/<name>` and implicit under `/endpoint` (the caller's endpoint).
enum EndpointResourceRoutes {
    /// Refuses samples for one more IP once the endpoint holds its bound of per-IP samples.
    static func requireRoomForIPMetrics(_ store: ReactorStore, target: EndpointTarget, ip: String) async throws {
        guard try await store.acceptsIPMetrics(id: target.id, name: target.name, ip: ip) else {
            let limit = try await store.ipMetricsLimit(id: target.id, name: target.name)
            throw APIError.conflict(
                "\(target.name) already holds metrics of \(limit) instance IPs (4 × max_instances, at least 64); "
                    + "raise max_instances, or have instances clear theirs (DELETE /v1.1/endpoint/metrics)")
        }
    }

    /// The longest log message `POST .../log` accepts, in bytes.
    static let maximumLogMessageBytes = 8192

    static func register(_ routes: APIRoutes) {
        register(routes, prefix: "/endpoints/:name", resolution: .explicit)
        register(routes, prefix: "/endpoint", resolution: .implicit)
        MetadataRoutes.register(routes, prefix: "/endpoints/:name", resolution: .explicit)
        MetadataRoutes.register(routes, prefix: "/endpoint", resolution: .implicit)
    }

    private static func register(_ routes: APIRoutes, prefix: String, resolution: EndpointTarget.Resolution) {
        let services = routes.services
        let store = services.store
        /// Adds a route whose handler receives the resolved, authorised endpoint.
        func add(_ method: HTTPRequest.Method, _ path: String, _ handler: @escaping APIRoutes.EndpointHandler) {
            routes.addEndpointRoute(method, prefix + path, resolution: resolution, handler)
        }

        /// Adds a `GET` route whose answers may be kept (``APIRoutes/addReusable(_:_:)``).
        func addReusable(
            _ path: String,
            _ handler: @escaping @Sendable (Request, APIRequestContext, EndpointTarget) async throws -> JSONValue
        ) {
            routes.addReusable(prefix + path) { request, context in
                let target = try await EndpointTarget.resolve(
                    resolution, request: request, context: context, services: services)
                return try await handler(request, context, target)
            }
        }

        add(.get, "/ips") { _, _, target in
            JSONResponse.strings(try await store.confirmedIPs(id: target.id))
        }

        add(.get, "/log") { request, _, target in
            let entries = try await store.endpointLog(id: target.id, since: try PathParameters.since(request))
            return JSONResponse.json(.array(entries.map(\.jsonValue)))
        }
        add(.post, "/log") { request, _, target in
            let entry = try await logEntry(request)
            try await store.appendEndpointLog(entry, id: target.id, name: target.name)
            return JSONResponse.empty()
        }

        add(.get, "/metrics") { _, _, target in
            JSONResponse.json(try await store.endpointMetrics(id: target.id))
        }
        // Explicit: endpoint-wide custom metrics. Implicit: the caller's own IP metrics.
        add(.post, "/metrics") { request, _, target in
            let metrics = try await MetricsBody.read(request)
            if let caller = target.caller {
                try await Self.requireRoomForIPMetrics(store, target: target, ip: caller.description)
                try await store.setIPMetrics(metrics, id: target.id, name: target.name, ip: caller.description)
            } else {
                try await store.setCustomMetrics(metrics, id: target.id, name: target.name)
            }
            return JSONResponse.empty()
        }
        // Explicit: clears the custom metrics. Implicit: clears the caller's own IP metrics.
        add(.delete, "/metrics") { _, _, target in
            if let caller = target.caller {
                try await store.clearIPMetrics(id: target.id, ip: caller.description)
            } else {
                try await store.clearCustomMetrics(id: target.id)
            }
            return JSONResponse.empty()
        }
        add(.get, "/metrics/:ip") { _, context, target in
            let ip = try PathParameters.ip("ip", in: context)
            return JSONResponse.json(try await store.ipMetrics(id: target.id, ip: ip) ?? .object([:]))
        }
        add(.post, "/metrics/:ip") { request, context, target in
            let ip = try PathParameters.ip("ip", in: context)
            let metrics = try await MetricsBody.read(request)
            try await Self.requireRoomForIPMetrics(store, target: target, ip: ip)
            try await store.setIPMetrics(metrics, id: target.id, name: target.name, ip: ip)
            return JSONResponse.empty()
        }

        // One after the other: these reads are answered from the API's read cache, and the whole
        // answer is kept until one of the nodes read changes.
        addReusable("/state") { _, _, target in
            let state = try await store.endpointState(id: target.id)
            let active = try await store.endpointActiveBackends(id: target.id)
            let manager = try await store.endpointManager(id: target.id)
            return [
                "state": .string(state.rawValue),
                "active": .array(active),
                "manager": manager.map(JSONValue.string) ?? .null,
            ]
        }
        // Its current problems: its owner's, its front doors' and, when no manager owns it, why.
        add(.get, "/conditions") { _, _, target in
            let offers = try await store.managerOffers()
            let conditions = try await store.endpointConditions(id: target.id, name: target.name, offers: offers)
            return JSONResponse.json(.array(conditions.map(\.json)))
        }
        // The owner's last scaling decision; null before the first.
        addReusable("/decision") { _, _, target in
            try await store.endpointDecision(id: target.id) ?? .null
        }
        add(.post, "/state") { request, _, target in
            let body = try await RequestBodyReader.object(of: request, describing: "the state body")
            guard let action = body["action"]?.stringValue else {
                throw APIError.badRequest("expected {\"action\": \"start\" | \"stop\" | \"pause\"}")
            }
            guard let state = EndpointState(action: action) else {
                throw APIError.badRequest(
                    "unknown action '\(PathParameters.printable(action))'; expected start, stop or pause")
            }
            try await store.setEndpointState(state, id: target.id, name: target.name)
            return JSONResponse.empty()
        }

        add(.get, "/sessions") { _, _, target in
            JSONResponse.json(.object(try await store.sessions(id: target.id).mapValues(JSONValue.string)))
        }
        add(.get, "/sessions/:session") { _, context, target in
            let session = try PathParameters.name("session", kind: "session", in: context)
            return JSONResponse.json(
                try await store.session(id: target.id, client: session).map(JSONValue.string) ?? .null)
        }
        add(.delete, "/sessions/:session") { _, context, target in
            let session = try PathParameters.name("session", kind: "session", in: context)
            try await store.dropSession(id: target.id, name: target.name, client: session)
            return JSONResponse.empty()
        }

        add(.get, "/instances") { request, _, target in
            // `?states=all` (the dashboard's form) also lists the owner's decommissioned and errored
            // records; without it the answer is the contract's list of active instances.
            guard request.uri.queryParameters.get("states") == "all" else {
                return JSONResponse.strings(try await store.instances(id: target.id))
            }
            let ids = { (directory: String) in try await store.instanceIDs(id: target.id, in: directory) }
            return JSONResponse.json([
                "active": .array(try await store.instances(id: target.id).map(JSONValue.string)),
                "decommissioned": .array(try await ids(EndpointNode.decommissioned).map(JSONValue.string)),
                "errored": .array(try await ids(EndpointNode.errored).map(JSONValue.string)),
            ])
        }
        add(.post, "/instances/:instance") { _, context, target in
            let instance = try PathParameters.name("instance", kind: "instance id", in: context)
            try await store.associateInstance(instance, id: target.id, name: target.name)
            return JSONResponse.empty()
        }
        add(.delete, "/instances/:instance") { _, context, target in
            let instance = try PathParameters.name("instance", kind: "instance id", in: context)
            try await store.disassociateInstance(instance, id: target.id)
            return JSONResponse.empty()
        }
    }

    /// A log body: a JSON string, or `{"message": text, "severity": "INFO"|"WARNING"|"ERROR"}`.
    private static func logEntry(_ request: Request) async throws -> LogEntry {
        let text: String
        var severity = LogEntry.Severity.info
        switch try await RequestBodyReader.json(of: request) {
        case .string(let message):
            text = message
        case .object(let members):
            guard let message = members["message"]?.stringValue else {
                throw APIError.badRequest("a log entry needs a \"message\" string")
            }
            text = message
            if let level = members["severity"] {
                guard let name = level.stringValue, let known = LogEntry.Severity(rawValue: name.uppercased()) else {
                    throw APIError.badRequest("severity must be INFO, WARNING or ERROR")
                }
                severity = known
            }
        default:
            throw APIError.badRequest("a log entry must be a JSON string or {\"message\": ...}")
        }
        guard text.utf8.count <= maximumLogMessageBytes else {
            throw APIError.badRequest("a log message may be at most \(maximumLogMessageBytes) bytes")
        }
        return LogEntry(timestamp: Date().timeIntervalSince1970, severity: severity, message: text)
    }
}
