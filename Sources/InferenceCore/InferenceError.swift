import Scheduler

/// Why a pipeline refused or failed a request. The HTTP layer maps each kind onto its API's status and
/// error shape; `message` is written for the client.
public struct InferenceError: Error, CustomStringConvertible, Sendable {
    /// What kind of failure, for status mapping and metrics.
    public enum Kind: String, Sendable {
        /// The request itself is wrong (400).
        case validation
        /// The request is too large for the configured limits (413).
        case tooLarge
        /// A concurrency or queue limit was reached; retry later (429).
        case overloaded
        /// The request's deadline passed before it was answered (504).
        case timeout
        /// The server is stopping (503).
        case shuttingDown
        /// The client went away.
        case cancelled
        /// The model failed to compute (500).
        case backend
    }

    public let kind: Kind
    /// Machine-readable reason, e.g. `empty_input`.
    public let code: String
    /// Human-readable reason.
    public let message: String
    /// The request field at fault, when there is one.
    public let parameter: String?

    init(_ kind: Kind, code: String, message: String, parameter: String? = nil) {
        self.kind = kind
        self.code = code
        self.message = message
        self.parameter = parameter
    }

    public var description: String { message }

    static func emptyInput(at index: Int?, field: String = "input") -> InferenceError {
        let which = index.map { "\(field)[\($0)]" } ?? field
        return InferenceError(.validation, code: "empty_input", message: "\(which) is empty", parameter: field)
    }

    /// An id outside the vocabulary. On embedding inputs the message says the usual cause: ids of another
    /// tokenizer (langchain-openai tokenizes with tiktoken by default and sends cl100k ids).
    static func invalidTokenID(_ id: Int, at index: Int, vocabularySize: Int, field: String = "input")
        -> InferenceError
    {
        var message = "\(field)[\(index)] holds token id \(id), outside the vocabulary [0, \(vocabularySize))"
        if field == "input" {
            message += ". Token ids are read in this model's own vocabulary, so ids made by another tokenizer are"
                + " wrong even when they are in range: send the text instead (langchain-openai's OpenAIEmbeddings"
                + " sends tiktoken ids unless given check_embedding_ctx_length=False)"
        }
        return InferenceError(.validation, code: "invalid_token_id", message: message, parameter: field)
    }

    static func inputTooLong(at index: Int, tokens: Int, maxLength: Int) -> InferenceError {
        InferenceError(
            .tooLarge,
            code: "input_too_long",
            message: "input[\(index)] has \(tokens) tokens, more than the model's maximum of \(maxLength); "
                + "send shorter input or run the server with truncation on",
            parameter: "input"
        )
    }

    static func invalidDimensions(_ requested: Int, available: Int) -> InferenceError {
        InferenceError(
            .validation,
            code: "invalid_dimensions",
            message: "dimensions must be between 1 and \(available), the model's embedding size; got \(requested)",
            parameter: "dimensions"
        )
    }

    static let shuttingDown = InferenceError(
        .shuttingDown, code: "shutting_down", message: "the server is shutting down")

    static func overloaded(_ reason: String) -> InferenceError {
        InferenceError(.overloaded, code: "overloaded", message: reason)
    }

    static let timeout = InferenceError(
        .timeout, code: "timeout", message: "the request's deadline passed before it could be answered")

    static let cancelled = InferenceError(.cancelled, code: "cancelled", message: "the request was cancelled")

    static func backend(_ error: any Error) -> InferenceError {
        InferenceError(.backend, code: "backend_error", message: "the model failed to compute: \(error)")
    }
}

extension InferenceError {
    /// The pipeline-level meaning of whatever a scheduler submission threw.
    /// - Parameter shuttingDown: what to report when the scheduler no longer accepts work (a whole-server
    ///   drain, or one model being unloaded).
    static func fromSubmission(_ error: any Error, shuttingDown: InferenceError = .shuttingDown) -> InferenceError {
        switch error {
        case let error as InferenceError:
            return error
        case let error as SchedulerError:
            switch error.kind {
            case .shuttingDown: return shuttingDown
            case .overloaded: return .overloaded(error.description)
            case .timedOut: return .timeout
            case .internalError: return .backend(error)
            }
        case is CancellationError:
            return .cancelled
        default:
            return .backend(error)
        }
    }
}

/// Why a model could not be loaded: always names the file (or directory) and the problem.
public struct ModelLoadError: Error, CustomStringConvertible, Sendable {
    /// The file or directory at fault.
    public let path: String
    /// What is wrong with it.
    public let problem: String

    public init(path: String, problem: String) {
        self.path = path
        self.problem = problem
    }

    public var description: String { "\(path): \(problem)" }
}
