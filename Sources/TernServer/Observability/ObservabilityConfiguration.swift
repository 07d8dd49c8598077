/// What the server reports about each request beyond its response.
public struct ObservabilityConfiguration: Sendable {
    /// Start a server span per request (child of the request's W3C `traceparent`), with `tokenize`,
    /// `queue` and `inference` children. Off unless a tracer is bootstrapped, so there is no cost.
    public var tracing: Bool
    /// Log one info line per request.
    public var logRequests: Bool

    public init(tracing: Bool = false, logRequests: Bool = true) {
        self.tracing = tracing
        self.logRequests = logRequests
    }
}
