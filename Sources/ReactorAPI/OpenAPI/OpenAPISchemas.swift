import ReactorCore

/// Reusable schemas and security schemes of the OpenAPI document.
enum OpenAPISchemas {
    static let securitySchemes: JSONValue = [
        "headerKey": ["type": "apiKey", "in": "header", "name": "X-Auth-Key"],
        "queryKey": ["type": "apiKey", "in": "query", "name": "auth_key"],
    ]

    static var all: JSONValue {
        var schemas = base.objectValue ?? [:]
        schemas.merge(OpenAPIScalingSchemas.all) { first, _ in first }
        schemas.merge(OpenAPIConfigurationSchemas.all) { first, _ in first }
        schemas.merge(OpenAPISummarySchemas.all) { first, _ in first }
        return .object(schemas)
    }

    static let base: JSONValue = [
        "Message": [
            "type": "object", "required": ["message"],
            "properties": ["message": ["type": "string"]],
        ],
        "ConfigErrors": [
            "type": "object", "description": "{section: {key: message}}",
            "additionalProperties": ["type": "object", "additionalProperties": ["type": "string"]],
        ],
        "Configuration": [
            "type": "object", "description": "Sections of settings: {section: {key: value}}",
            "additionalProperties": [
                "type": "object",
                "additionalProperties": ["oneOf": [["type": "string"], ["type": "number"], ["type": "boolean"]]],
            ],
        ],
        "StringList": ["type": "array", "items": ["type": "string"]],
        "InstancesByState": [
            "type": "object",
            "properties": [
                "active": ["type": "array", "items": ["type": "string"]],
                "decommissioned": ["type": "array", "items": ["type": "string"]],
                "errored": ["type": "array", "items": ["type": "string"]],
            ],
        ],
        "Version": ["type": "object", "properties": ["version": ["type": "string"]]],
        "URL": ["type": "object", "properties": ["url": ["type": "string", "nullable": true]]],
        "AuthKey": ["type": "object", "properties": ["auth_key": ["type": "string", "nullable": true]]],
        "Login": ["type": "object", "required": ["auth_key"], "properties": ["auth_key": ["type": "string"]]],
        "SignedIn": [
            "type": "object",
            "properties": ["expires": ["type": "integer", "description": "Unix time the sign-in ends"]],
        ],
        "Info": [
            "type": "object",
            "properties": [
                "active": ["type": "number"], "instances": ["type": "integer"], "managers": ["type": "integer"],
                "endpoints": ["type": "object", "additionalProperties": ["type": "integer"]],
            ],
        ],
        "Metrics": ["type": "object", "additionalProperties": ["type": "number"]],
        "IPMetrics": [
            "type": "object", "description": "{metric: [weight, value]}; weight > 0, both finite",
            "additionalProperties": [
                "type": "array", "minItems": 2, "maxItems": 2, "items": ["type": "number"],
            ],
        ],
        "LogEntries": [
            "type": "array", "description": "[[timestamp, severity, message], ...] oldest first",
            "items": ["type": "array", "minItems": 3, "maxItems": 3, "items": [:]],
        ],
        "LogMessage": [
            "oneOf": [
                ["type": "string"],
                [
                    "type": "object", "required": ["message"],
                    "properties": [
                        "message": ["type": "string"],
                        "severity": ["type": "string", "enum": ["INFO", "WARNING", "ERROR"]],
                    ],
                ],
            ]
        ],
        "State": [
            "type": "object",
            "properties": [
                "state": ["type": "string", "enum": ["RUNNING", "STOPPED", "PAUSED"]],
                "active": ["type": "array", "items": [:]],
                "manager": ["type": "string", "nullable": true],
            ],
        ],
        "Action": [
            "type": "object", "required": ["action"],
            "properties": ["action": ["type": "string", "enum": ["start", "stop", "pause"]]],
        ],
        "Sessions": ["type": "object", "additionalProperties": ["type": "string"]],
        "Session": ["type": "string", "nullable": true],
        "Alias": ["type": "string", "description": "The new name"],
        "Metadata": ["description": "Any JSON value; the request body at most 65536 bytes"],
        "ManagerInfo": ["type": "object"],
    ]
}
