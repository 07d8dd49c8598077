import Foundation
import HTTPTypes
import Hummingbird
import InferenceCore
import Tracing

/// One request's trace: a server span whose parent is the client's `traceparent` (when it sent one),
/// and, once answered, `tokenize`, `queue` and `inference` children placed at the times the pipeline
/// and scheduler recorded.
struct RequestSpans {
    let server: any Span
    private let anchor: SpanInstant.Anchor
    private let method: String

    /// Starts the server span for `request`.
    init(request: Request, anchor: SpanInstant.Anchor) {
        var parent = ServiceContext.topLevel
        InstrumentationSystem.instrument.extract(request.headers, into: &parent, using: HTTPFieldsExtractor())
        self.anchor = anchor
        self.method = request.method.rawValue
        let path = request.uri.path
        server = InstrumentationSystem.tracer.startSpan(
            "\(request.method) \(path)", context: parent, ofKind: .server,
            at: SpanInstant(anchor.monotonic, anchor: anchor))
        server.attributes["http.request.method"] = request.method.rawValue
        server.attributes["url.path"] = path
    }

    /// The context children of the server span (and the handler's own spans) start in.
    var context: ServiceContext { server.context }

    /// Adds the phase spans, then ends the server span.
    func end(
        route: String,
        requestID: String,
        status: HTTPResponse.Status,
        timings: RequestTimings,
        at end: ContinuousClock.Instant
    ) {
        server.operationName = "\(method) \(route)"
        server.attributes["http.route"] = route
        server.attributes["http.response.status_code"] = status.code
        server.attributes["tern.request_id"] = requestID
        if let model = timings.modelID { server.attributes["tern.model"] = model }
        if status.code >= 500 { server.setStatus(SpanStatus(code: .error)) }
        if let start = timings.tokenizationStart {
            child("tokenize", from: start, to: start + timings.tokenization) {
                $0["tern.inputs"] = timings.inputs
            }
        }
        if let scheduling = timings.scheduling {
            child("queue", from: scheduling.enqueued, to: scheduling.started) { _ in }
            child("inference", from: scheduling.started, to: scheduling.finished) {
                $0["tern.tokens"] = timings.tokens
            }
        }
        server.end(at: SpanInstant(end, anchor: anchor))
    }

    private func child(
        _ name: String,
        from start: ContinuousClock.Instant,
        to end: ContinuousClock.Instant,
        attributes: (inout SpanAttributes) -> Void
    ) {
        let span = InstrumentationSystem.tracer.startSpan(
            name, context: server.context, ofKind: .internal, at: SpanInstant(start, anchor: anchor))
        span.updateAttributes(attributes)
        span.end(at: SpanInstant(end, anchor: anchor))
    }
}

/// A point in wall-clock time for a span's start or end. The pipelines time their phases on the
/// monotonic clock; `SpanInstant(_:anchor:)` places such an instant on the wall clock by its distance
/// from an anchor read from both clocks at once.
struct SpanInstant: TracerInstant {
    let nanosecondsSinceEpoch: UInt64

    /// Both clocks read at (nearly) the same moment.
    struct Anchor: Sendable {
        let monotonic: ContinuousClock.Instant
        let wallNanoseconds: UInt64

        static func now() -> Anchor {
            Anchor(
                monotonic: .now,
                wallNanoseconds: UInt64(max(0, Date().timeIntervalSince1970 * 1_000_000_000))
            )
        }
    }

    init(nanosecondsSinceEpoch: UInt64) {
        self.nanosecondsSinceEpoch = nanosecondsSinceEpoch
    }

    init(_ instant: ContinuousClock.Instant, anchor: Anchor) {
        let offset = (instant - anchor.monotonic).wholeNanoseconds
        let wall = Int64(clamping: anchor.wallNanoseconds) + offset
        self.nanosecondsSinceEpoch = UInt64(max(0, wall))
    }

    static func < (lhs: SpanInstant, rhs: SpanInstant) -> Bool {
        lhs.nanosecondsSinceEpoch < rhs.nanosecondsSinceEpoch
    }
}

/// Reads trace-context headers (W3C `traceparent`, `tracestate`) from a request for the tracer.
struct HTTPFieldsExtractor: Extractor {
    func extract(key: String, from fields: HTTPFields) -> String? {
        guard let name = HTTPField.Name(key) else { return nil }
        return fields[name]
    }
}
