import ReactorCore

/// The schemas of `GET /summary` and `GET …/conditions`.
enum OpenAPISummarySchemas {
    static let nullableString: JSONValue = ["type": ["string", "null"]]

    static let all: [String: JSONValue] = [
        "Condition": [
            "type": "object", "required": ["type", "reason", "since", "last_seen", "source"],
            "description": "A current problem; removed as soon as it no longer holds",
            "properties": [
                "type": [
                    "type": "string", "enum": .array(EndpointCondition.Kind.allCases.map { .string($0.rawValue) }),
                ],
                "reason": ["type": "string", "description": "what is wrong, in words"],
                "since": ["type": "number", "description": "seconds since 1970 when it was first seen"],
                "last_seen": ["type": "number", "description": "seconds since 1970 when it was last seen to hold"],
                "source": ["type": "string", "description": "the manager(s) that saw it, or api"],
            ],
        ],
        "Conditions": ["type": "array", "items": OpenAPIDocument.ref("Condition")],
        "EndpointSummary": [
            "type": "object",
            "required": ["name", "id", "alias_of", "state", "instances", "target", "manager", "conditions"],
            "properties": [
                "name": ["type": "string"],
                "id": ["type": "string", "description": "the endpoint's uuid (an alias shares it)"],
                "alias_of": nullableString,
                "state": ["type": "string", "enum": ["RUNNING", "STOPPED", "PAUSED"]],
                "instances": ["type": "integer", "description": "instances recorded as active"],
                "target": ["type": ["integer", "null"], "description": "the owner's last target"],
                "manager": nullableString, "manager_name": nullableString, "cloud": nullableString,
                "loadbalancer": nullableString, "url": nullableString,
                "conditions": OpenAPIDocument.ref("Conditions"),
            ],
        ],
        "Summary": [
            "type": "object", "required": ["endpoints", "managers"],
            "properties": [
                "endpoints": ["type": "array", "items": OpenAPIDocument.ref("EndpointSummary")],
                "managers": [
                    "type": "array",
                    "items": ["type": "object", "properties": ["id": ["type": "string"], "name": ["type": "string"]]],
                ],
            ],
        ],
    ]
}
