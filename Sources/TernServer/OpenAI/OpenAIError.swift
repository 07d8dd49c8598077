import Hummingbird
import InferenceCore

/// An error in OpenAI's shape: `{"error":{"message","type","param","code"}}`.
struct OpenAIError: APIError {
    let status: HTTPResponse.Status
    /// Extra headers, e.g. `Retry-After` on 429.
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

    func response(from request: Request, context: some RequestContext) throws -> Response {
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
        return JSONBody.response(status, buffer: buffer, headers: headers)
    }
}

extension OpenAIError {
    static func invalid(_ message: String, code: String, param: String? = nil) -> OpenAIError {
        OpenAIError(.badRequest, message, param: param, code: code)
    }

    static func bodyTooLarge(limit: Int) -> OpenAIError {
        OpenAIError(.contentTooLarge, "the request body is larger than the limit of \(limit) bytes", code: "body_too_large")
    }

    static func tooManyInputs(_ count: Int, limit: Int) -> OpenAIError {
        OpenAIError(
            .contentTooLarge,
            "the request has \(count) inputs, more than the limit of \(limit)",
            param: "input",
            code: "too_many_inputs"
        )
    }

    /// An input over `--max-input-chars`: 413 like an input over `--max-length` tokens.
    static func inputTooLong(_ message: String) -> OpenAIError {
        OpenAIError(.contentTooLarge, message, param: "input", code: "input_too_long")
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

    static let notReady = OpenAIError(
        .serviceUnavailable, "the model is not ready yet", type: "server_error", code: "model_not_ready")

    /// Maps a pipeline error onto the status OpenAI clients expect.
    init(_ error: InferenceError) {
        let status: HTTPResponse.Status =
            switch error.kind {
            case .validation: .badRequest
            case .tooLarge: .contentTooLarge
            case .overloaded: .tooManyRequests
            case .timeout: .gatewayTimeout
            case .shuttingDown: .serviceUnavailable
            case .cancelled: .init(code: 499, reasonPhrase: "Client Closed Request")
            case .backend: .internalServerError
            }
        let type: String? =
            switch error.kind {
            case .overloaded: "overloaded"
            case .timeout: "timeout"
            default: nil
            }
        self.init(status, error.message, type: type, param: error.parameter, code: error.code)
        if error.kind == .overloaded { headers[.retryAfter] = "1" }
    }

    /// Any error that reaches the middleware, in OpenAI's shape.
    init(wrapping error: any Error) {
        switch error {
        case let error as OpenAIError:
            self = error
        case let error as InferenceError:
            self.init(error)
        case ModelHost.Unavailable.loading:
            self = .notReady
        case ModelHost.Unavailable.draining:
            self.init(.serviceUnavailable, "the server is shutting down", type: "server_error", code: "shutting_down")
        case let error as BodyTooLargeError:
            self = .bodyTooLarge(limit: error.limit)
        case let error as ModelLookupError:
            // A server of repository models only: no text model serves the OpenAI routes.
            switch error.kind {
            case .notFound: self.init(.notFound, error.message, code: "model_not_found")
            case .notReady: self = .notReady
            }
        case let error as RequestDeadline.InvalidTimeout:
            self = .invalid(
                "X-Request-Timeout must be a positive number of seconds (at most 86400), not '\(error.value)'",
                code: "invalid_timeout"
            )
        case let error as HTTPError:
            let code: String? =
                switch error.status {
                case .notFound: "not_found"
                case .methodNotAllowed: "method_not_allowed"
                case .contentTooLarge: "body_too_large"
                default: nil
                }
            let message = error.body ?? (error.status == .notFound ? "no such route" : error.status.reasonPhrase)
            self.init(error.status, message, code: code)
        case let error as any HTTPResponseError:
            self.init(error.status, error.status.reasonPhrase, code: nil)
        default:
            self.init(.internalServerError, "internal error: \(error)", code: "internal_error")
        }
    }
}
