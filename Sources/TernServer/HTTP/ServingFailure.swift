import Hummingbird
import InferenceCore
import Serving

/// A failure classified once, whatever raised it (pipelines, the scheduler, the registry, body limits,
/// deadlines, Hummingbird): what kind of failure it is, its message, the request field it concerns and
/// OpenAI's error code. Each API maps the kind to its own status in one table (`OpenAIError`, `TEIError`,
/// `KServeError`) and renders it in its own shape; 499 and `Retry-After` (`headers(for:)`) are decided here.
struct ServingFailure: Error, Sendable {
    enum Kind: Sendable, Equatable {
        /// A request field or value is wrong (OpenAI 400, TEI 422, KServe 400).
        case invalid
        /// An empty input (400 everywhere; TEI's `Empty`).
        case empty
        /// Over a size limit: body, inputs, input length (OpenAI and TEI 413, KServe 400).
        case tooLarge
        /// No such model, version or route (404).
        case notFound
        /// The model is loading, unloading or failed to load, or the repository is busy (503).
        case notReady
        /// The server is draining (503).
        case shuttingDown
        /// Admission limits reached (429, with `Retry-After`).
        case overloaded
        /// The request's deadline passed (504).
        case timeout
        /// The client went away (499).
        case cancelled
        /// The model failed to compute (OpenAI and KServe 500, TEI 424).
        case backend
        /// One of Hummingbird's own errors, with its status (an unmatched route, a bad request line).
        case http(HTTPResponse.Status)
        /// Anything else: a bug (500).
        case `internal`
    }

    let kind: Kind
    let message: String
    /// The request field the failure concerns, when there is one.
    let parameter: String?
    /// OpenAI's `code`.
    let code: String?

    /// 499: what nginx and the clients read as "the client went away" (HTTPTypes names no constant).
    static let clientClosedRequest = HTTPResponse.Status(code: 499, reasonPhrase: "Client Closed Request")

    init(_ kind: Kind, _ message: String, parameter: String? = nil, code: String? = nil) {
        self.kind = kind
        self.message = message
        self.parameter = parameter
        self.code = code
    }

    /// The headers of an error response with `status`, in every API: `extra`, plus `Retry-After: 1` on 429
    /// (admission limits clear within a second or so).
    static func headers(for status: HTTPResponse.Status, adding extra: HTTPFields = [:]) -> HTTPFields {
        var headers = extra
        if status == .tooManyRequests { headers[.retryAfter] = "1" }
        return headers
    }

    /// Classifies any error that reaches a route's middleware.
    init(classifying error: any Error) {
        switch error {
        case let error as ServingFailure:
            self = error
        case let error as InferenceError:
            self.init(error)
        case let error as BodyTooLargeError:
            self.init(
                .tooLarge, "the request body is larger than the limit of \(error.limit) bytes (--max-body-size)",
                code: "body_too_large")
        case let error as ModelLookupError:
            switch error.kind {
            case .notFound: self.init(.notFound, error.message, code: "model_not_found")
            case .notReady: self.init(.notReady, error.message, code: "model_not_ready")
            }
        case let error as RepositoryError:
            switch error.kind {
            case .notFound: self.init(.notFound, error.message, code: "model_not_found")
            case .invalidName, .loadFailed, .noRepository: self.init(.invalid, error.message, code: "repository_error")
            case .unavailable: self.init(.notReady, error.message, code: "model_not_ready")
            }
        case HostUnavailable.loading:
            self.init(.notReady, "the model is not ready yet", code: "model_not_ready")
        case HostUnavailable.draining:
            self.init(.shuttingDown, "the server is shutting down", code: "shutting_down")
        case let error as RequestDeadline.InvalidTimeout:
            self.init(
                .invalid, "X-Request-Timeout must be a positive number of seconds (at most 86400), not '\(error.value)'",
                code: "invalid_timeout")
        case let error as HTTPError:
            let code: String? =
                switch error.status {
                case .notFound: "not_found"
                case .methodNotAllowed: "method_not_allowed"
                case .contentTooLarge: "body_too_large"
                default: nil
                }
            let message = error.body ?? (error.status == .notFound ? "no such route" : error.status.reasonPhrase)
            self.init(.http(error.status), message, code: code)
        case let error as any HTTPResponseError:
            self.init(.http(error.status), error.status.reasonPhrase)
        default:
            self.init(.internal, "internal error: \(error)", code: "internal_error")
        }
    }

    /// A pipeline or scheduler failure.
    init(_ error: InferenceError) {
        let kind: Kind =
            switch error.kind {
            case .validation where error.code == "empty_input": .empty
            case .validation: .invalid
            case .tooLarge: .tooLarge
            case .overloaded: .overloaded
            case .timeout: .timeout
            case .shuttingDown: .shuttingDown
            case .cancelled: .cancelled
            case .backend: .backend
            }
        self.init(kind, error.message, parameter: error.parameter, code: error.code)
    }
}
