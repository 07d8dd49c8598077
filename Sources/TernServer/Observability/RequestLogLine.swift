import HTTPTypes
import InferenceCore
import Logging
import Scheduler

/// The one info line logged per answered request. Never holds a body or a credential: only what
/// the server itself decided (route, model, status) and counted (inputs, tokens, times).
struct RequestLogLine {
    var method: HTTPRequest.Method
    var route: String
    var model: String?
    var status: HTTPResponse.Status
    var timings: RequestTimings
    var total: Duration
    var client: String?

    var metadata: Logger.Metadata {
        var metadata: Logger.Metadata = [
            "method": .string(method.rawValue),
            "route": .string(route),
            "status": .stringConvertible(status.code),
            "total_ms": .stringConvertible(Self.milliseconds(total)),
        ]
        if let model { metadata["model"] = .string(model) }
        if let client { metadata["client"] = .string(client) }
        if timings.scheduling != nil || timings.tokenizationStart != nil {
            metadata["inputs"] = .stringConvertible(timings.inputs)
            metadata["tokens"] = .stringConvertible(timings.tokens)
            metadata["tokenization_ms"] = .stringConvertible(Self.milliseconds(timings.tokenization))
            metadata["queue_ms"] = .stringConvertible(Self.milliseconds(timings.queue))
            metadata["inference_ms"] = .stringConvertible(Self.milliseconds(timings.inference))
        }
        return metadata
    }

    /// Milliseconds to the microsecond: logs keep the precision headers drop.
    static func milliseconds(_ duration: Duration) -> Double {
        Double(max(0, duration.wholeNanoseconds / 1_000)) / 1_000
    }
}

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

/// The id that ties a request's response, log line and spans together: the client's `X-Request-Id`
/// when it is usable, else a fresh random one.
enum RequestIdentifier {
    static let header = HTTPField.Name("x-request-id")!
    /// Longest client id kept; a longer one is replaced.
    static let maxLength = 128

    /// The client's id, or a new one when it sent none or one that is empty, too long or not printable
    /// ASCII (so it cannot break a log line or a header).
    static func resolve(_ clientValue: String?) -> String {
        if let clientValue, isUsable(clientValue) { return clientValue }
        return make()
    }

    static func isUsable(_ value: String) -> Bool {
        let bytes = value.utf8
        return !bytes.isEmpty && bytes.count <= maxLength && bytes.allSatisfy { $0 >= 0x21 && $0 <= 0x7E }
    }

    /// 128 random bits as 32 lowercase hex digits.
    static func make() -> String {
        var generator = SystemRandomNumberGenerator()
        let high = generator.next() as UInt64
        let low = generator.next() as UInt64
        return hex(high) + hex(low)
    }

    private static func hex(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
