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
