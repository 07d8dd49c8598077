/// The groups of routes API keys treat differently: probes and scrapers are open by default, the
/// inference routes are not.
enum RouteGroup: Equatable {
    /// `/health`, `/ping`, `/v2/health/live`, `/v2/health/ready`.
    case health
    /// `/metrics`.
    case metrics
    /// `/openapi.json`: the API's description, always open.
    case openAPI
    /// Everything else: OpenAI, Cohere, TEI, tokenize/decode and KServe v2 routes (and unknown paths, so
    /// a client without a key learns nothing about which routes exist).
    case inference

    init(path: String) {
        let path = path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
        switch path {
        case "/health", "/ping", "/v2/health/live", "/v2/health/ready": self = .health
        case "/metrics": self = .metrics
        case "/openapi.json": self = .openAPI
        default: self = .inference
        }
    }
}
