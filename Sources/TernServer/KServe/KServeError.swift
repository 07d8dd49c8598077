import Hummingbird
import InferenceCore

/// An error in the KServe v2 (Open Inference Protocol) shape, `{"error": "..."}`, with Triton's status for
/// each kind of failure: 400 bad request, 404 unknown model or version, 503 not ready or stopping, 429
/// overloaded, 504 timeout, 500 backend failure.
struct KServeError: APIError, Equatable {
    let status: HTTPResponse.Status
    let message: String

    init(_ status: HTTPResponse.Status, _ message: String) {
        self.status = status
        self.message = message
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        var buffer = ByteBuffer()
        buffer.writeStaticString(#"{"error":"#)
        JSONString.write(message, to: &buffer)
        buffer.writeStaticString("}")
        var headers: HTTPFields = [:]
        if status == .tooManyRequests { headers[.retryAfter] = "1" }
        return JSONBody.response(status, buffer: buffer, headers: headers)
    }

    static func badRequest(_ message: String) -> KServeError {
        KServeError(.badRequest, message)
    }

    /// 499, which nginx and Triton's clients read as "the client went away" (HTTPTypes names no constant).
    static let clientClosedRequest = HTTPResponse.Status(code: 499, reasonPhrase: "Client Closed Request")
}

extension KServeError {
    /// Any error that reaches the v2 routes' middleware, in the v2 shape.
    init(wrapping error: any Error) {
        switch error {
        case let error as KServeError:
            self = error
        case let error as InferenceError:
            self.init(error)
        case let error as ModelLookupError:
            self.init(error)
        case let error as RepositoryError:
            self.init(error)
        case let error as BodyTooLargeError:
            self.init(.badRequest, "the request body is larger than the limit of \(error.limit) bytes (--max-body-size)")
        case ModelHost.Unavailable.loading:
            self.init(.serviceUnavailable, "the model is not ready yet")
        case ModelHost.Unavailable.draining:
            self.init(.serviceUnavailable, "the server is shutting down")
        case let error as RequestDeadline.InvalidTimeout:
            self.init(.badRequest, "X-Request-Timeout must be a positive number of seconds, not '\(error.value)'")
        case let error as HTTPError:
            self.init(error.status, error.body ?? error.status.reasonPhrase)
        case let error as any HTTPResponseError:
            self.init(error.status, error.status.reasonPhrase)
        default:
            self.init(.internalServerError, "internal error: \(error)")
        }
    }

    /// Triton's status for each pipeline failure.
    init(_ error: InferenceError) {
        let status: HTTPResponse.Status =
            switch error.kind {
            case .validation, .tooLarge: .badRequest
            case .overloaded: .tooManyRequests
            case .timeout: .gatewayTimeout
            case .shuttingDown: .serviceUnavailable
            case .cancelled: Self.clientClosedRequest
            case .backend: .internalServerError
            }
        self.init(status, error.message)
    }

    /// 404 for an unknown model or version, 503 for one that is not ready.
    init(_ error: ModelLookupError) {
        switch error.kind {
        case .notFound: self.init(.notFound, error.message)
        case .notReady: self.init(.serviceUnavailable, error.message)
        }
    }

    /// Triton's statuses for the repository API.
    init(_ error: RepositoryError) {
        switch error.kind {
        case .notFound: self.init(.notFound, error.message)
        case .invalidName, .loadFailed, .noRepository: self.init(.badRequest, error.message)
        case .unavailable: self.init(.serviceUnavailable, error.message)
        }
    }
}

/// Renders every error of the v2 routes in the v2 shape, so the global OpenAI middleware passes it through.
struct KServeErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        do {
            return try await next(request, context)
        } catch {
            throw KServeError(wrapping: error)
        }
    }
}
