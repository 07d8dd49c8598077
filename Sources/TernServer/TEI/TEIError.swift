import Hummingbird
import InferenceCore

/// An error in text-embeddings-inference's shape, `{"error": "...", "error_type": "..."}`, with TEI's
/// status for each type.
struct TEIError: APIError {
    /// TEI's error types.
    enum Kind: String {
        case unhealthy = "Unhealthy"
        case backend = "Backend"
        case overloaded = "Overloaded"
        case validation = "Validation"
        case tokenizer = "Tokenizer"
        case empty = "Empty"
        case timeout = "Timeout"
    }

    let status: HTTPResponse.Status
    let kind: Kind
    let message: String

    /// 424, which TEI uses for backend failures (HTTPTypes names no constant for it).
    static let failedDependency = HTTPResponse.Status(code: 424, reasonPhrase: "Failed Dependency")

    init(_ status: HTTPResponse.Status, _ kind: Kind, _ message: String) {
        self.status = status
        self.kind = kind
        self.message = message
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        var buffer = ByteBuffer()
        buffer.writeStaticString(#"{"error":"#)
        JSONString.write(message, to: &buffer)
        buffer.writeStaticString(#","error_type":"#)
        JSONString.write(kind.rawValue, to: &buffer)
        buffer.writeStaticString("}")
        var headers: HTTPFields = [:]
        if kind == .overloaded { headers[.retryAfter] = "1" }
        return JSONBody.response(status, buffer: buffer, headers: headers)
    }

    static func invalidBody(_ detail: String) -> TEIError {
        TEIError(.unprocessableContent, .validation, "Failed to deserialize the JSON body: \(detail)")
    }

    static func wrongTask(_ host: ModelHost, route: String) -> TEIError {
        TEIError(Self.failedDependency, .backend, "model '\(host.modelID)' serves \(host.task), not \(route)")
    }

    /// Any error that reaches the TEI routes' middleware, in TEI's shape.
    init(wrapping error: any Error) {
        switch error {
        case let error as TEIError:
            self = error
        case let error as InferenceError:
            self.init(error)
        case let error as BodyTooLargeError:
            self.init(.contentTooLarge, .validation, "the request body is larger than the limit of \(error.limit) bytes")
        case let error as ModelLookupError:
            // A server of repository models only: no text model serves the TEI routes.
            switch error.kind {
            case .notFound: self.init(.notFound, .validation, error.message)
            case .notReady: self.init(.serviceUnavailable, .unhealthy, error.message)
            }
        case ModelHost.Unavailable.loading:
            self.init(.serviceUnavailable, .unhealthy, "the model is not ready yet")
        case ModelHost.Unavailable.draining:
            self.init(.serviceUnavailable, .unhealthy, "the server is shutting down")
        case let error as RequestDeadline.InvalidTimeout:
            self.init(.unprocessableContent, .validation, "X-Request-Timeout must be a positive number of seconds, not '\(error.value)'")
        case let error as HTTPError:
            self.init(error.status, .validation, error.body ?? error.status.reasonPhrase)
        case let error as any HTTPResponseError:
            self.init(error.status, .validation, error.status.reasonPhrase)
        default:
            self.init(.internalServerError, .backend, "internal error: \(error)")
        }
    }

    /// TEI's status for each pipeline failure.
    init(_ error: InferenceError) {
        switch error.kind {
        case .validation where error.code == "empty_input":
            self.init(.badRequest, .empty, error.message)
        case .validation:
            self.init(.unprocessableContent, .validation, error.message)
        case .tooLarge:
            self.init(.contentTooLarge, .validation, error.message)
        case .overloaded:
            self.init(.tooManyRequests, .overloaded, error.message)
        case .timeout:
            self.init(.gatewayTimeout, .timeout, error.message)
        case .shuttingDown:
            self.init(.serviceUnavailable, .unhealthy, error.message)
        case .cancelled:
            self.init(.init(code: 499, reasonPhrase: "Client Closed Request"), .validation, error.message)
        case .backend:
            self.init(Self.failedDependency, .backend, error.message)
        }
    }
}

/// Renders every error of the TEI routes in TEI's shape.
struct TEIErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        do {
            return try await next(request, context)
        } catch {
            throw TEIError(wrapping: error)
        }
    }
}
