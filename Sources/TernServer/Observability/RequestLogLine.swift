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
