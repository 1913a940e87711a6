import ReactorCore

/// The operations of the OpenAPI document, by path relative to a version prefix.
enum OpenAPIOperations {
    typealias Operations = [String: JSONValue]

    static let global: [String: Operations] = [
        "/auth_key": ["post": operation("Set (or with null, remove) the admin key", body: ref("AuthKey"))],
        "/url": [
            "get": operation("Get the API URL given to instances", ok: ref("URL")),
            "post": operation("Set the API URL", body: ref("URL")),
        ],
        "/info": ["get": operation("Global statistics", ok: ref("Info"))],
        "/summary": [
            "get": operation(
                "Every endpoint (and alias) with its state, instance count, target, owner and conditions, and the "
                    + "running managers: one request for a whole list",
                ok: ref("Summary"))
        ],
        "/login": [
            "post": operation(
                "Sign in with the admin key: sets the HttpOnly, SameSite=Strict reactor_session cookie the API "
                    + "accepts as the admin key (state-changing requests with it need the X-Reactor-Dashboard header)",
                body: ref("Login"), ok: ref("SignedIn"), errors: [400, 401, 409, 413], secured: false)
        ],
        "/logout": [
            "post": operation("Clear the reactor_session cookie", ok: ["type": "object"], errors: [], secured: false)
        ],
        "/register": ["post": operation("Queue the caller's IP for registration (no key needed)", secured: false)],
        "/register/{ip}": ["post": operation("Queue an IP for registration", parameters: [path("ip")])],
        "/unregister": ["post": operation("Queue the caller's IP for unregistration")],
        "/unregister/{ip}": ["post": operation("Queue an IP for unregistration", parameters: [path("ip")])],
        "/managers/configs": ["get": operation("Manager configuration names", ok: ref("StringList"))],
        "/managers/active": ["get": operation("Running manager ids", ok: ref("StringList"))],
        "/managers/configs/{name}": [
            "get": operation("A manager's configuration", parameters: [path("name")], ok: ref("Configuration")),
            "post": operation("Create or set a manager's configuration", parameters: [path("name")], body: configBody),
            "put": operation(
                "Create a manager's configuration (409 if it exists)", parameters: [path("name")], body: configBody),
            "delete": operation("Delete a manager's configuration", parameters: [path("name")]),
        ],
        "/managers/active/{id}": [
            "get": operation("What a running manager registered", parameters: [path("id")], ok: ref("ManagerInfo"))
        ],
        "/managers/log/{name}": [
            "get": operation("A manager's log", parameters: [path("name"), since], ok: ref("LogEntries"))
        ],
        "/endpoints": ["get": operation("Endpoint names, sorted", ok: ref("StringList"))],
        "/endpoints/{name}": [
            "get": operation(
                "An endpoint's configuration; the ETag header holds its version for If-Match",
                parameters: [path("name")], ok: ref("Configuration")),
            "post": operation(
                "Create or set an endpoint; with If-Match: \"<version>\" only an update of that version (412 if "
                    + "it changed)", parameters: [path("name"), ifMatch], body: configBody,
                errors: [400, 401, 404, 405, 409, 412, 413]),
            "put": operation("Create an endpoint (409 if it exists)", parameters: [path("name")], body: configBody),
            "delete": operation("Delete a name; the last name deletes the endpoint", parameters: [path("name")]),
        ],
        "/scaling/evaluate": [
            "post": operation(
                "Compute a scaling decision without acting (docs/design.md#scaling)", body: ref("ScalingEvaluation"),
                ok: ref("ScalingDecision"), errors: [400, 401, 405, 413])
        ],
        "/endpoints/{name}/alias": [
            "post": operation("Add an alias (409 if taken)", parameters: [path("name")], body: ref("Alias"))
        ],
        "/endpoints/{name}/rename": [
            "post": operation(
                "Rename: the new name replaces this one in one atomic step (409 if taken)",
                parameters: [path("name")], body: ref("Alias"))
        ],
    ]

    /// The endpoint resources, relative to `/endpoints/{name}` (explicit) or `/endpoint`.
    static func endpointResources(explicit: Bool) -> [String: Operations] {
        let base = explicit ? [path("name")] : []
        return [
            "/ips": ["get": operation("Confirmed instance IPs", parameters: base, ok: ref("StringList"))],
            "/log": [
                "get": operation("Endpoint log", parameters: base + [since], ok: ref("LogEntries")),
                "post": operation("Append to the endpoint log", parameters: base, body: ref("LogMessage")),
            ],
            "/metrics": [
                "get": operation("Computed metrics", parameters: base, ok: ref("Metrics")),
                "post": operation(
                    explicit ? "Set endpoint-wide custom metrics" : "Set the caller's IP metrics", parameters: base,
                    body: ref("IPMetrics")),
                "delete": operation(
                    explicit ? "Clear endpoint-wide custom metrics" : "Clear the caller's IP metrics", parameters: base),
            ],
            "/metrics/{ip}": [
                "get": operation("One instance's metrics", parameters: base + [path("ip")], ok: ref("IPMetrics")),
                "post": operation(
                    "Set one instance's metrics", parameters: base + [path("ip")], body: ref("IPMetrics")),
            ],
            "/state": [
                "get": operation("State, active backends and owning manager", parameters: base, ok: ref("State")),
                "post": operation("Start, stop or pause", parameters: base, body: ref("Action")),
            ],
            "/conditions": [
                "get": operation(
                    "Current problems: the owner's, the front doors' and why no manager owns it; empty when none",
                    parameters: base, ok: ref("Conditions"))
            ],
            "/decision": [
                "get": operation(
                    "The owner's last scaling decision (null before the first)", parameters: base,
                    ok: ref("DecisionRecord"))
            ],
            "/sessions": ["get": operation("Live sessions", parameters: base, ok: ref("Sessions"))],
            "/sessions/{session}": [
                "get": operation(
                    "The backend of one session", parameters: base + [path("session")], ok: ref("Session")),
                "delete": operation("Drop a session", parameters: base + [path("session")]),
            ],
            "/metadata": ["get": operation("Metadata keys, sorted", parameters: base, ok: ref("StringList"))],
            "/metadata/{key}": [
                "get": operation("The value stored under a key", parameters: base + [path("key")], ok: ref("Metadata")),
                "post": operation(
                    "Store a value under a key (409 past 256 keys)", parameters: base + [path("key")],
                    body: ref("Metadata")),
                "delete": operation("Remove a key", parameters: base + [path("key")]),
            ],
            "/instances": [
                "get": operation(
                    "Associated instances; with states=all {active, decommissioned, errored} lists",
                    parameters: base + [states], ok: ["oneOf": [ref("StringList"), ref("InstancesByState")]])
            ],
            "/instances/{instance}": [
                "post": operation("Associate an instance", parameters: base + [path("instance")]),
                "delete": operation("Disassociate an instance", parameters: base + [path("instance")]),
            ],
        ]
    }

    static let configBody: JSONValue = [
        "required": true,
        "content": [
            "application/json": ["schema": ref("Configuration")],
            "text/plain": ["schema": ["type": "string", "description": "INI text"]],
        ],
    ]

    static let ifMatch: JSONValue = [
        "name": "If-Match", "in": "header", "required": false, "schema": ["type": "string"],
        "description": "The ETag of GET /v1.1/endpoints/{name} (\"<version>\"): write only if unchanged since",
    ]

    static let since: JSONValue = [
        "name": "since", "in": "query", "required": false, "schema": ["type": "number"],
        "description": "Only entries newer than this (seconds since 1970)",
    ]

    static let states: JSONValue = [
        "name": "states", "in": "query", "required": false, "schema": ["type": "string", "enum": ["all"]],
        "description": "all: answer {active, decommissioned, errored} instead of the active list",
    ]

    /// An operation whose `200` answer is text of `contentType` rather than JSON.
    static func textOperation(
        _ summary: String, contentType: String, parameters: [JSONValue] = [], errors: [Int], secured: Bool
    ) -> JSONValue {
        var members = operation(summary, parameters: parameters, errors: errors, secured: secured).objectValue ?? [:]
        var responses = members["responses"]?.objectValue ?? [:]
        responses["200"] = ["description": "OK", "content": .object([contentType: ["schema": ["type": "string"]]])]
        members["responses"] = .object(responses)
        return .object(members)
    }

    static func path(_ name: String) -> JSONValue {
        ["name": .string(name), "in": "path", "required": true, "schema": ["type": "string"]]
    }

    static func ref(_ name: String) -> JSONValue { OpenAPIDocument.ref(name) }

    /// One operation with the error responses every route may give.
    static func operation(
        _ summary: String, parameters: [JSONValue] = [], body: JSONValue? = nil, ok: JSONValue? = nil,
        errors: [Int] = [400, 401, 404, 405, 409, 413], secured: Bool = true
    ) -> JSONValue {
        var responses: [String: JSONValue] = [
            "200": ok.map { ["description": "OK", "content": ["application/json": ["schema": $0]]] }
                ?? ["description": "OK (empty body)"]
        ]
        for status in errors {
            responses[String(status)] =
                status == 401
                ? ["description": "unauthorized", "content": ["text/plain": ["schema": ["type": "string"]]]]
                : [
                    "description": "error",
                    "content": [
                        "application/json": [
                            "schema": status == 400
                                ? ["oneOf": [ref("Message"), ref("ConfigErrors")]] : ref("Message")
                        ]
                    ],
                ]
        }
        var operation: [String: JSONValue] = ["summary": .string(summary), "responses": .object(responses)]
        if !parameters.isEmpty { operation["parameters"] = .array(parameters) }
        if let body {
            operation["requestBody"] =
                body.objectValue?["content"] != nil
                ? body : ["required": true, "content": ["application/json": ["schema": body]]]
        }
        operation["security"] = secured ? [["headerKey": []], ["queryKey": []], [:]] : []
        return .object(operation)
    }
}
