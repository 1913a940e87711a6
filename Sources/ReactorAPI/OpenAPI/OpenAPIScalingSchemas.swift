import ReactorCore

/// The schemas of `POST /scaling/evaluate` and `GET …/decision`.
enum OpenAPIScalingSchemas {
    static let all: [String: JSONValue] = [
        "ScalingEvaluation": [
            "type": "object", "required": ["scaling", "instances"], "additionalProperties": false,
            "properties": [
                "scaling": [
                    "type": "object", "additionalProperties": false,
                    "properties": [
                        "rules": ["type": "string", "description": "comma-separated rules, e.g. 2 <= active <= 8"],
                        "min_instances": count(minimum: 0, "default 1"),
                        "max_instances": count(minimum: 0, "default 1"),
                        "ramp_limit": count(minimum: 1, "default 5"),
                        "dry_run": ["type": "boolean", "description": "accepted; changes nothing here"],
                    ],
                ],
                "instances": count(minimum: 0, "the current count and the number of reporting instances"),
                "metrics": [
                    "type": "object", "description": "{metric: per-instance average}",
                    "additionalProperties": ["type": "number"],
                ],
                "state": [
                    "type": "string", "enum": ["RUNNING", "STOPPED", "PAUSED"], "description": "default RUNNING",
                ],
            ],
        ],
        "ScalingDecision": [
            "type": "object", "required": ["target", "range", "steps", "actions"],
            "properties": [
                "target": ["type": "integer"],
                "range": pair(nullable: false),
                "steps": ["type": "array", "items": OpenAPIDocument.ref("ScalingStep")],
                "actions": ["type": "integer"],
                "state": ["type": "string", "enum": ["RUNNING", "STOPPED", "PAUSED"]],
                "current": ["type": "integer"],
                "rules_range": ["type": "array", "nullable": true, "minItems": 2, "maxItems": 2, "items": bound],
                "clamp": ["type": "string", "enum": .array(ScalingClamp.allCases.map { .string($0.rawValue) })],
                "disagrees": ["type": "boolean"],
                "min_instances": ["type": "integer"],
                "max_instances": ["type": "integer"],
                "explanation": ["type": "string"],
            ],
        ],
        "ScalingStep": [
            "type": "object", "required": ["rule", "range", "outcome", "why"],
            "properties": [
                "rule": ["type": "string"],
                "range": pair(nullable: true),
                "after": pair(nullable: true),
                "outcome": [
                    "type": "string",
                    "enum": .array(ScalingStep.Outcome.allCases.map { .string($0.rawValue) } + ["zero-metric"]),
                ],
                "why": ["type": "string"],
                "metric": ["type": "string"],
                "average": ["type": "number"],
                "reporting": ["type": "integer"],
                "load": ["type": "number"],
            ],
        ],
        "DecisionRecord": [
            "type": "object", "nullable": true,
            "description": "A ScalingDecision with the owner's inputs, time, target, actions and what held it back",
            "properties": [
                "time": ["type": "number"],
                "target": ["type": "integer"],
                "decided_target": ["type": "integer"],
                "actions": ["type": "integer"],
                "instances": ["type": "integer"],
                "steps": ["type": "array", "items": OpenAPIDocument.ref("ScalingStep")],
                "held": [
                    "type": "array",
                    "items": [
                        "type": "object",
                        "properties": [
                            "by": [
                                "type": "string",
                                "enum": .array(DecisionRecord.Hold.allCases.map { .string($0.rawValue) }),
                            ],
                            "why": ["type": "string"],
                        ],
                    ],
                ],
            ],
        ],
    ]

    static let bound: JSONValue = ["type": "integer", "nullable": true]

    static func pair(nullable: Bool) -> JSONValue {
        [
            "type": "array", "minItems": 2, "maxItems": 2,
            "items": nullable ? bound : ["type": "integer"],
        ]
    }

    static func count(minimum: Int, _ description: String) -> JSONValue {
        [
            "type": "integer", "minimum": .number(Double(minimum)),
            "maximum": .number(Double(ScalingEvaluation.maximumCount)), "description": .string(description),
        ]
    }
}
