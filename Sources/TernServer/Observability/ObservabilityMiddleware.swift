import HTTPTypes
import Hummingbird
import InferenceCore
import Logging
import Tracing

/// Wraps every request: gives it an id (the client's `X-Request-Id` or a new one) returned on the
/// response and set in its logger, reads the model and timings the route left in
/// its context's `RequestReport`, then adds
/// TEI's timing headers, counts it in the HTTP metrics, logs one line and ends its trace spans.
///
/// Outermost, so it sees every response, errors included: an error thrown below is rendered here in
/// the shape its API chose, so the id and the metrics cover it too.
struct ObservabilityMiddleware: RouterMiddleware {
    typealias Context = TernRequestContext

    let configuration: ObservabilityConfiguration
    let metrics: HTTPMetrics
    /// The model named in metrics and logs when a request never chose one (one-model servers).
    let defaultModel: String?

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        let start = ContinuousClock.now
        let requestID = RequestIdentifier.resolve(request.headers[RequestIdentifier.header])
        var context = context
        context.logger[metadataKey: "request_id"] = .string(requestID)
        // One id per request in the logs: Hummingbird's own counter would sit beside the client-visible one.
        context.logger[metadataKey: "hb.request.id"] = nil
        let spans = configuration.tracing ? RequestSpans(request: request, anchor: .now()) : nil
        metrics.started()
        var response: Response
        do {
            if let spans {
                response = try await ServiceContext.withValue(spans.context) { try await next(request, context) }
            } else {
                response = try await next(request, context)
            }
        } catch {
            response = Self.render(error, request: request, context: context)
        }
        let end = ContinuousClock.now
        let timings = context.report.timings
        response.headers[RequestIdentifier.header] = requestID
        if timings.scheduling != nil { TimingHeaders.add(timings, total: end - start, to: &response.headers) }
        let route = Self.route(context)
        // A one-model server names its model on the text routes that did not pick one; never on `/v2`, whose
        // routes name their own model (a repository model is not the text model).
        let model = timings.modelID ?? (APIShape(path: request.uri.path) == .kserve ? nil : defaultModel)
        metrics.finished(
            route: route, model: model ?? "", status: response.status, duration: end - start, timings: timings,
            isInference: request.method == .post)
        if configuration.logRequests {
            let line = RequestLogLine(
                method: request.method, route: route, model: model, status: response.status, timings: timings,
                total: end - start, client: context.channel.remoteAddress?.ipAddress)
            context.logger.info("request", metadata: line.metadata)
        }
        spans?.end(route: route, requestID: requestID, status: response.status, timings: timings, at: end)
        return response
    }

    /// The matched route's pattern (`/models/{model}/embed`), never the raw path, so labels stay few.
    static func route(_ context: Context) -> String {
        guard let path = context.endpointPath, path != "NotFound" else { return "unmatched" }
        return path
    }

    /// The response an error below would have become.
    static func render(_ error: any Error, request: Request, context: Context) -> Response {
        let shaped: any HTTPResponseError = (error as? any HTTPResponseError) ?? OpenAIError(wrapping: error)
        do {
            return try shaped.response(from: request, context: context)
        } catch {
            return Response(status: .internalServerError)
        }
    }
}

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
