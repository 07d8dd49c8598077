internal import CONNXRuntime

/// Minimum severity of the messages ONNX Runtime's own logger prints to standard error.
public enum LogLevel: String, Sendable, CaseIterable {
    /// Everything, including per-node tracing.
    case verbose
    /// Informational messages and above.
    case info
    /// Warnings and above; the default.
    case warning
    /// Errors and above.
    case error
    /// Only fatal errors.
    case fatal

    var ortValue: OrtLoggingLevel {
        switch self {
        case .verbose: ORT_LOGGING_LEVEL_VERBOSE
        case .info: ORT_LOGGING_LEVEL_INFO
        case .warning: ORT_LOGGING_LEVEL_WARNING
        case .error: ORT_LOGGING_LEVEL_ERROR
        case .fatal: ORT_LOGGING_LEVEL_FATAL
        }
    }
}
