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

    func response(from request: Request, context: some RequestContext) throws -> Response { response() }

    /// `{"error": "..."}`, with `Retry-After` on 429.
    func response(headers: HTTPFields = [:]) -> Response {
        var buffer = ByteBuffer()
        buffer.writeStaticString(#"{"error":"#)
        JSONString.write(message, to: &buffer)
        buffer.writeStaticString("}")
        return JSONBody.response(status, buffer: buffer, headers: ServingFailure.headers(for: status, adding: headers))
    }

    static func badRequest(_ message: String) -> KServeError {
        KServeError(.badRequest, message)
    }
}

extension KServeError {
    /// Any error that reaches the v2 routes' middleware, in the v2 shape.
    init(wrapping error: any Error) {
        if let error = error as? KServeError {
            self = error
        } else {
            self.init(ServingFailure(classifying: error))
        }
    }

    /// Triton's status for each kind of failure.
    init(_ failure: ServingFailure) {
        let status: HTTPResponse.Status =
            switch failure.kind {
            case .invalid, .empty, .tooLarge: .badRequest
            case .notFound: .notFound
            case .notReady, .shuttingDown: .serviceUnavailable
            case .overloaded: .tooManyRequests
            case .timeout: .gatewayTimeout
            case .cancelled: ServingFailure.clientClosedRequest
            case .backend, .internal: .internalServerError
            case .http(let status): status
            }
        self.init(status, failure.message)
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
