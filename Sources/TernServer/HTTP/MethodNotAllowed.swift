import HTTPTypes
import Hummingbird

/// The methods each documented path is served under, matched the way the router matches paths (`{name}`
/// stands for one non-empty component), so a request for a served path under another method gets 405
/// with `Allow` rather than 404.
struct MethodTable: Sendable {
    private struct Route: Sendable {
        /// Path components; nil where the pattern has a parameter.
        let components: [String?]
        let methods: [String]
    }

    private let routes: [Route]

    /// - Parameter paths: path pattern to its operations by lowercase method (OpenAPI's `paths`).
    init(paths: [String: [String: OpenAPIOperation]]) {
        routes = paths.map { pattern, operations in
            let components = Self.components(of: pattern).map { part -> String? in
                part.hasPrefix("{") && part.hasSuffix("}") ? nil : String(part)
            }
            return Route(components: components, methods: operations.keys.map { $0.uppercased() }.sorted())
        }
        // Literal components first, so `/v2/models/stats` is not taken for `/v2/models/{model}`.
        .sorted { $0.components.filter { $0 == nil }.count < $1.components.filter { $0 == nil }.count }
    }

    /// The methods `path` is served under; nil when no route has that path.
    func methods(for path: String) -> [String]? {
        let parts = Self.components(of: path)
        for route in routes where route.components.count == parts.count {
            let matches = zip(route.components, parts).allSatisfy { pattern, part in
                pattern.map { $0 == part } ?? !part.isEmpty
            }
            if matches { return route.methods }
        }
        return nil
    }

    private static func components(of path: String) -> [Substring] {
        path.split(separator: "/", omittingEmptySubsequences: true)
    }
}

/// 405 with `Allow`, in the path's API error shape, for a request whose path is served under other methods.
enum MethodNotAllowed {
    static let table = MethodTable(paths: OpenAPIDocument.paths)

    /// The 405 for `request`; nil when its path is not served at all (a 404) or is served for its method.
    static func response(for request: Request) -> Response? {
        let path = request.uri.path
        guard let methods = table.methods(for: path), !methods.contains(request.method.rawValue) else { return nil }
        let allow = methods.joined(separator: ", ")
        return APIShape(path: path).errorResponse(
            .methodNotAllowed, "\(request.method.rawValue) is not allowed on \(path); use \(allow)",
            code: "method_not_allowed", errorType: .validation, headers: [.allow: allow])
    }
}

/// Turns the router's 404 for an unmatched method into `MethodNotAllowed`'s 405.
struct MethodNotAllowedMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            if let response = MethodNotAllowed.response(for: request) { return response }
            throw error
        }
    }
}
