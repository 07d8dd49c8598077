import HTTPTypes

/// Why a request failed, as `tern_request_failures_total{reason}` counts it, read from the response
/// status every API maps its errors onto.
enum FailureReason: String, Sendable {
    /// The request was refused as malformed, unauthorised, too large or for an unknown model.
    case validation
    /// Too much work queued (429), or the model not serving now (503: loading or draining).
    case overloaded
    /// The request's deadline passed (504).
    case timeout
    /// The client went away before the answer (499).
    case cancelled
    /// The model or server failed (5xx, TEI's 424).
    case backend

    init?(status: HTTPResponse.Status) {
        switch status.code {
        case ..<400: return nil
        case 429, 503: self = .overloaded
        case 504: self = .timeout
        case 499: self = .cancelled
        case 424, 500...: self = .backend
        default: self = .validation
        }
    }
}
