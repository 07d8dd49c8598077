extension OpenAPIDocument {
    /// Health, metrics and this document: open unless `--auth-health` / `--auth-metrics` say otherwise.
    static let commonPaths: [String: [String: OpenAPIOperation]] = [
        "/health": [
            "get": OpenAPIOperation(
                summary: "200 once every model is loaded and warm; 503 while loading or draining", tag: "Operations",
                response: .json("HealthStatus"), errorSchema: "TEIError", errors: [401], secured: false,
                otherResponses: [503: "HealthStatus"])
        ],
        "/metrics": [
            "get": OpenAPIOperation(
                summary: "Prometheus metrics (text exposition format)", tag: "Operations",
                response: .text("text/plain"), errorSchema: "TEIError", errors: [401], secured: false)
        ],
        "/openapi.json": [
            "get": OpenAPIOperation(
                summary: "This document", tag: "Operations", response: .json("OpenAPIDocument"),
                errorSchema: "TEIError", errors: [], secured: false)
        ],
    ]

    static let commonSchemas = #"""
        {
          "HealthStatus": {"type": "object", "required": ["status"], "properties": {
            "status": {"type": "string", "enum": ["ok", "loading", "draining"]}}},
          "OpenAPIDocument": {"type": "object", "required": ["openapi", "info", "paths"]}
        }
        """#
}
