import Hummingbird

/// Requires `Authorization: Bearer KEY` with a configured key before any route runs (so before any body
/// is read); answers 401 with `WWW-Authenticate: Bearer` in the API's own error shape. Keys are never
/// logged or echoed.
struct APIKeyMiddleware<Context: RequestContext>: RouterMiddleware {
    let keys: APIKeySet
    let configuration: AuthConfiguration

    init(configuration: AuthConfiguration) {
        self.keys = APIKeySet(configuration.apiKeys)
        self.configuration = configuration
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        guard needsKey(request.uri.path) else { return try await next(request, context) }
        guard let credential = Self.bearer(request.headers[.authorization]) else {
            return Self.unauthorized(request.uri.path, "missing API key: send it as 'Authorization: Bearer KEY'")
        }
        guard keys.contains(credential.utf8) else {
            return Self.unauthorized(request.uri.path, "invalid API key")
        }
        return try await next(request, context)
    }

    private func needsKey(_ path: String) -> Bool {
        switch RouteGroup(path: path) {
        case .inference: true
        case .health: configuration.protectHealth
        case .metrics: configuration.protectMetrics
        case .openAPI: false
        }
    }

    /// The credential of a `Bearer` authorization (scheme case-insensitive, RFC 6750), nil otherwise.
    static func bearer(_ header: String?) -> Substring? {
        guard let header else { return nil }
        let trimmed = header.drop(while: { $0 == " " })
        guard trimmed.count > 7, trimmed.prefix(7).lowercased() == "bearer " else { return nil }
        let credential = trimmed.dropFirst(7).drop(while: { $0 == " " })
        guard let last = credential.lastIndex(where: { $0 != " " }) else { return nil }
        let value = credential[credential.startIndex...last]
        return value.isEmpty ? nil : value
    }

    static func unauthorized(_ path: String, _ message: String) -> Response {
        APIShape(path: path).errorResponse(
            .unauthorized, message, code: "invalid_api_key", errorType: .unauthorized,
            headers: [.wwwAuthenticate: "Bearer"])
    }
}

/// API keys and the routes they guard. With no keys, every route is open.
public struct AuthConfiguration: Sendable {
    /// Keys a client may send as `Authorization: Bearer KEY`.
    public var apiKeys: [String]
    /// Whether `/health` and `/v2/health/*` need a key too (they are open by default, for probes).
    public var protectHealth: Bool
    /// Whether `/metrics` needs a key too (open by default, for scrapers).
    public var protectMetrics: Bool

    /// - Parameters:
    ///   - apiKeys: the keys; none turns the check off.
    ///   - protectHealth: guard the health probes too.
    ///   - protectMetrics: guard `/metrics` too.
    public init(apiKeys: [String] = [], protectHealth: Bool = false, protectMetrics: Bool = false) {
        self.apiKeys = apiKeys
        self.protectHealth = protectHealth
        self.protectMetrics = protectMetrics
    }

    /// Whether any key is configured, so that routes need one.
    public var isEnabled: Bool { !apiKeys.isEmpty }
}

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

/// The configured API keys, checked in time that depends only on the length of the presented key: every
/// configured key is compared over every presented byte, with no early exit, so neither a key's content
/// nor its length leaks through response times.
struct APIKeySet: Sendable {
    private let keys: [[UInt8]]

    /// - Parameter keys: the keys; empty ones are ignored (startup refuses them).
    init(_ keys: [String]) {
        self.keys = keys.map { Array($0.utf8) }.filter { !$0.isEmpty }
    }

    /// Whether `presented` is one of the keys.
    func contains(_ presented: some Collection<UInt8>) -> Bool {
        let presented = Array(presented)
        var found = 0
        for key in keys {
            var difference = presented.count ^ key.count
            for (index, byte) in presented.enumerated() {
                difference |= Int(byte ^ key[index % key.count])
            }
            found |= difference == 0 ? 1 : 0
        }
        return found == 1
    }
}
