import CoreMetrics
import HTTPTypes
import InferenceCore
import Scheduler
import Synchronization

/// The HTTP layer's metrics: requests by route, model and status, request duration by route,
/// tokenization time and failures by model, requests in flight. Metric handles are created once per
/// label set and cached, so a request costs a dictionary lookup, not a registry lookup.
final class HTTPMetrics: Sendable {
    private struct RequestKey: Hashable {
        let route: String
        let model: String
        let status: Int
    }

    private struct FailureKey: Hashable {
        let model: String
        let reason: FailureReason
    }

    private struct Handles {
        var requests: [RequestKey: Counter] = [:]
        var durations: [String: CoreMetrics.Timer] = [:]
        var tokenization: [String: CoreMetrics.Timer] = [:]
        var failures: [FailureKey: Counter] = [:]
    }

    private let handles = Mutex(Handles())
    private let inFlight = Meter(label: "tern_http_requests_in_flight")

    /// A request arrived.
    func started() { inFlight.increment() }

    /// A request was answered. Failures are counted for inference requests only (`isInference`), so
    /// health polls while a model loads are not `overloaded` failures.
    func finished(
        route: String,
        model: String,
        status: HTTPResponse.Status,
        duration: Duration,
        timings: RequestTimings,
        isInference: Bool
    ) {
        inFlight.decrement()
        let reason = isInference ? FailureReason(status: status) : nil
        let (requests, timer, tokenization, failures) = handles.withLock { handles in
            let requests = Self.cached(&handles.requests, RequestKey(route: route, model: model, status: status.code)) {
                Counter(
                    label: "tern_http_requests_total",
                    dimensions: [("route", route), ("model", model), ("status", String(status.code))])
            }
            let timer = Self.cached(&handles.durations, route) {
                CoreMetrics.Timer(label: "tern_http_request_duration_seconds", dimensions: [("route", route)])
            }
            let tokenization: CoreMetrics.Timer? =
                timings.tokenizationStart == nil
                ? nil
                : Self.cached(&handles.tokenization, model) {
                    CoreMetrics.Timer(label: "tern_tokenization_duration_seconds", dimensions: [("model", model)])
                }
            let failures: Counter? = reason.map { reason in
                Self.cached(&handles.failures, FailureKey(model: model, reason: reason)) {
                    Counter(
                        label: "tern_request_failures_total",
                        dimensions: [("model", model), ("reason", reason.rawValue)])
                }
            }
            return (requests, timer, tokenization, failures)
        }
        requests.increment()
        timer.recordNanoseconds(duration.wholeNanoseconds)
        tokenization?.recordNanoseconds(timings.tokenization.wholeNanoseconds)
        failures?.increment()
    }

    private static func cached<Key: Hashable, Value>(
        _ handles: inout [Key: Value],
        _ key: Key,
        make: () -> Value
    ) -> Value {
        if let handle = handles[key] { return handle }
        let handle = make()
        handles[key] = handle
        return handle
    }
}
