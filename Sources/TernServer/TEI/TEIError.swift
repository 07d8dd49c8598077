import Hummingbird
import InferenceCore
import Serving

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
        case unauthorized = "Unauthorized"
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

    func response(from request: Request, context: some RequestContext) throws -> Response { response() }

    /// `{"error": "...", "error_type": "..."}`, with `Retry-After` on 429.
    func response(headers: HTTPFields = [:]) -> Response {
        var buffer = ByteBuffer()
        buffer.writeStaticString(#"{"error":"#)
        JSONString.write(message, to: &buffer)
        buffer.writeStaticString(#","error_type":"#)
        JSONString.write(kind.rawValue, to: &buffer)
        buffer.writeStaticString("}")
        return JSONBody.response(status, buffer: buffer, headers: ServingFailure.headers(for: status, adding: headers))
    }

    static func invalidBody(_ detail: String) -> TEIError {
        TEIError(.unprocessableContent, .validation, "Failed to deserialize the JSON body: \(detail)")
    }

    static func wrongTask(_ host: ModelHost, route: String) -> TEIError {
        TEIError(Self.failedDependency, .backend, "model '\(host.modelID)' serves \(host.task), not \(route)")
    }

    /// Any error that reaches the TEI routes' middleware, in TEI's shape.
    init(wrapping error: any Error) {
        if let error = error as? TEIError {
            self = error
        } else {
            self.init(ServingFailure(classifying: error))
        }
    }

    /// TEI's status and error type for each kind of failure.
    init(_ failure: ServingFailure) {
        let (status, kind): (HTTPResponse.Status, Kind) =
            switch failure.kind {
            case .invalid: (.unprocessableContent, .validation)
            case .empty: (.badRequest, .empty)
            case .tooLarge: (.contentTooLarge, .validation)
            case .notFound: (.notFound, .validation)
            case .notReady, .shuttingDown: (.serviceUnavailable, .unhealthy)
            case .overloaded: (.tooManyRequests, .overloaded)
            case .timeout: (.gatewayTimeout, .timeout)
            case .cancelled: (ServingFailure.clientClosedRequest, .validation)
            case .backend: (Self.failedDependency, .backend)
            case .internal: (.internalServerError, .backend)
            case .http(let status): (status, status == .unauthorized ? .unauthorized : .validation)
            }
        self.init(status, kind, failure.message)
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
