import Hummingbird
import InferenceCore
import NIOCore
import Synchronization

/// The request context of every route: Hummingbird's basics, the connection (so work can be cancelled
/// when the client goes away) and where the route leaves its model and timings for the observability
/// middleware.
public struct TernRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The client's connection.
    public let channel: any Channel
    /// What the route reports about its work: the model it chose and the timings its pipeline returned.
    public let report: RequestReport

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.channel = source.channel
        self.report = RequestReport()
    }
}

/// A route's account of one request, read by `ObservabilityMiddleware` once the response is made: the
/// context is passed down by value, so the route writes here instead of returning it beside the response.
public final class RequestReport: Sendable {
    private let state = Mutex(RequestTimings())

    init() {}

    /// The model the route chose (labels the metrics and log line even when the request then fails).
    func label(model: String) {
        state.withLock { $0.modelID = model }
    }

    /// The timings a pipeline returned with its result.
    func add(_ timings: RequestTimings) {
        state.withLock { $0.merge(timings) }
    }

    var timings: RequestTimings { state.withLock { $0 } }
}
