import Hummingbird
import InferenceCore

/// An error in OpenAI's shape: `{"error":{"message","type","param","code"}}`.
struct OpenAIError: APIError {
    let status: HTTPResponse.Status
    /// Extra headers, e.g. `Allow` on 405 (`Retry-After` on 429 is added by every API's renderer).
    var headers: HTTPFields = [:]
    let message: String
    let type: String
    let param: String?
    let code: String?

    init(_ status: HTTPResponse.Status, _ message: String, type: String? = nil, param: String? = nil, code: String?) {
        self.status = status
        self.message = message
        self.type = type ?? (status.code >= 500 ? "server_error" : "invalid_request_error")
        self.param = param
        self.code = code
    }

    func response(from request: Request, context: some RequestContext) throws -> Response { response() }

    /// `{"error": {"message", "type", "param", "code"}}`.
    func response() -> Response {
        var buffer = ByteBuffer()
        buffer.writeStaticString(#"{"error":{"message":"#)
        JSONString.write(message, to: &buffer)
        buffer.writeStaticString(#","type":"#)
        JSONString.write(type, to: &buffer)
        buffer.writeStaticString(#","param":"#)
        JSONString.write(param, to: &buffer)
        buffer.writeStaticString(#","code":"#)
        JSONString.write(code, to: &buffer)
        buffer.writeStaticString("}}")
        return JSONBody.response(status, buffer: buffer, headers: ServingFailure.headers(for: status, adding: headers))
    }
}

extension OpenAIError {
    static func invalid(_ message: String, code: String, param: String? = nil) -> OpenAIError {
        OpenAIError(.badRequest, message, param: param, code: code)
    }

    static func modelNotFound(_ name: String) -> OpenAIError {
        OpenAIError(.notFound, "the model '\(name)' is not served here", param: "model", code: "model_not_found")
    }

    static func wrongTask(_ model: String, task: ModelTask) -> OpenAIError {
        OpenAIError(
            .badRequest,
            "the model '\(model)' serves \(task); this route needs an embeddings model",
            param: "model",
            code: "wrong_model_task"
        )
    }

    /// Any error that reaches the middleware, in OpenAI's shape.
    init(wrapping error: any Error) {
        if let error = error as? OpenAIError {
            self = error
        } else {
            self.init(ServingFailure(classifying: error))
        }
    }

    /// The status OpenAI clients expect for each kind of failure; `type` follows the status, except for
    /// `overloaded` and `timeout`, which name themselves.
    init(_ failure: ServingFailure) {
        let status: HTTPResponse.Status =
            switch failure.kind {
            case .invalid, .empty: .badRequest
            case .tooLarge: .contentTooLarge
            case .notFound: .notFound
            case .notReady, .shuttingDown: .serviceUnavailable
            case .overloaded: .tooManyRequests
            case .timeout: .gatewayTimeout
            case .cancelled: ServingFailure.clientClosedRequest
            case .backend, .internal: .internalServerError
            case .http(let status): status
            }
        let type: String? =
            switch failure.kind {
            case .overloaded: "overloaded"
            case .timeout: "timeout"
            default: nil
            }
        self.init(status, failure.message, type: type, param: failure.parameter, code: failure.code)
    }
}

/// Renders every error, including unmatched routes, in OpenAI's error shape, unless another API's
/// middleware already gave it that API's shape.
struct OpenAIErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        do {
            return try await next(request, context)
        } catch let error as any APIError {
            throw error
        } catch {
            throw OpenAIError(wrapping: error)
        }
    }
}
