import CoreMetrics
import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import GRPCProtobuf
import KServeGRPC
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle
import Serving
import SwiftProtobuf
import Synchronization
import Tracing

/// `--grpc-port`: KServe v2 over gRPC (`inference.GRPCInferenceService`) and `grpc.health.v1.Health` on their own
/// HTTP/2 listener beside the HTTP one, as a `Service` of the same group: SIGTERM stops new calls and lets the
/// calls in flight finish while the models drain.
public struct TernGRPCServer: Service {
    let configuration: ServerConfiguration
    let port: Int
    let registry: ModelRegistry
    let logger: Logger
    let onListening: @Sendable (Int) async -> Void

    public init(
        configuration: ServerConfiguration, port: Int, registry: ModelRegistry, logger: Logger,
        onListening: @escaping @Sendable (Int) async -> Void = { _ in }
    ) {
        self.configuration = configuration
        self.port = port
        self.registry = registry
        self.logger = logger
        self.onListening = onListening
    }

    public func run() async throws {
        var transportConfig = HTTP2ServerTransport.Posix.Config.defaults
        // The transport resets the stream of a message over its limit (the client sees CANCELLED), so it is given
        // twice --max-body-size and the infer calls refuse what lies between with RESOURCE_EXHAUSTED, as Triton
        // does (MessageSizeLimitedService).
        let (doubled, overflow) = configuration.maxBodySize.multipliedReportingOverflow(by: 2)
        transportConfig.rpc.maxRequestPayloadSize = overflow ? Int.max : doubled
        // The transport gets its own event loop, and every call's task runs on it (EventLoopTaskExecutor): measured
        // against grpc-swift's default (tasks on the concurrency pool, the shared loops for I/O) in one run,
        // 1.37x the calls/s of a microsecond model at concurrency 1 and 1.02-1.09x at 8 and 32 (docs/benchmarks.md).
        let loops = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let transport = HTTP2ServerTransport.Posix(
            address: .ipv4(host: configuration.host == "localhost" ? "127.0.0.1" : configuration.host, port: port),
            transportSecurity: .plaintext, config: transportConfig, eventLoopGroup: loops)
        let executor = EventLoopTaskExecutor(loops.next())
        let server = GRPCServer(
            transport: transport,
            services: [
                MessageSizeLimitedService(
                    GRPCInferenceService(registry: registry, configuration: configuration),
                    limit: configuration.maxBodySize),
                GRPCHealthService(registry: registry),
            ],
            interceptors: [GRPCCallInterceptor(auth: configuration.auth, logger: logger)])
        var failure: (any Error)?
        do {
            try await withGracefulShutdownHandler {
                try await withThrowingDiscardingTaskGroup { group in
                    group.addTask {
                        try await withTaskExecutorPreference(executor) { try await server.serve() }
                    }
                    if let address = try await transport.listeningAddress.ipv4 {
                        await onListening(address.port)
                    }
                }
            } onGracefulShutdown: {
                server.beginGracefulShutdown()
            }
        } catch {
            failure = error
        }
        try? await loops.shutdownGracefully()
        if let failure { throw failure }
    }
}

/// Runs tasks on one NIO event loop: the gRPC transport's own loop, so a call's frames, its stream task and its
/// handler stay on one thread instead of hopping between the loop and the Swift concurrency pool at every step.
/// Handlers only decode, validate and wait for the scheduler (the models run on engine threads).
final class EventLoopTaskExecutor: TaskExecutor {
    let loop: any EventLoop

    init(_ loop: any EventLoop) { self.loop = loop }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        loop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}

/// The inference service with ModelInfer and ModelStreamInfer re-registered behind a deserializer that refuses a
/// message over `--max-body-size` with RESOURCE_EXHAUSTED before decoding it (the other calls' messages are a
/// few bytes; the transport's own limit, twice this one, bounds them all).
struct MessageSizeLimitedService: RegistrableRPCService {
    let service: GRPCInferenceService
    let limit: Int

    init(_ service: GRPCInferenceService, limit: Int) {
        self.service = service
        self.limit = limit
    }

    func registerMethods<Transport: ServerTransport>(with router: inout RPCRouter<Transport>) {
        service.registerMethods(with: &router)
        let deserializer = SizeLimitedDeserializer<Inference_ModelInferRequest>(limit: limit)
        router.registerHandler(
            forMethod: Inference_GRPCInferenceService.Method.ModelInfer.descriptor, deserializer: deserializer,
            serializer: ProtobufSerializer<Inference_ModelInferResponse>()
        ) { request, context in
            try await service.modelInfer(request: request, context: context)
        }
        router.registerHandler(
            forMethod: Inference_GRPCInferenceService.Method.ModelStreamInfer.descriptor, deserializer: deserializer,
            serializer: ProtobufSerializer<Inference_ModelStreamInferResponse>()
        ) { request, context in
            try await service.modelStreamInfer(request: request, context: context)
        }
    }
}

struct SizeLimitedDeserializer<Message: SwiftProtobuf.Message>: MessageDeserializer {
    let limit: Int

    func deserialize<Bytes: GRPCContiguousBytes>(_ serializedMessageBytes: Bytes) throws -> Message {
        guard serializedMessageBytes.count <= limit else {
            throw RPCError(
                code: .resourceExhausted,
                message: "message of \(serializedMessageBytes.count) bytes exceeds the limit of \(limit) (--max-body-size)")
        }
        return try ProtobufDeserializer<Message>().deserialize(serializedMessageBytes)
    }
}

/// Kubernetes' gRPC probe (`grpc.health.v1.Health/Check`): SERVING when every model is ready, NOT_SERVING while
/// one loads or the server drains; for the service names "" and `inference.GRPCInferenceService`.
struct GRPCHealthService: Grpc_Health_V1_Health.SimpleServiceProtocol {
    let registry: ModelRegistry

    func check(request: Grpc_Health_V1_HealthCheckRequest, context: ServerContext) async throws
        -> Grpc_Health_V1_HealthCheckResponse
    {
        guard request.service.isEmpty || request.service == "inference.GRPCInferenceService" else {
            throw RPCError(code: .notFound, message: "unknown service '\(request.service)'")
        }
        var response = Grpc_Health_V1_HealthCheckResponse()
        response.status = registry.isReady ? .serving : .notServing
        return response
    }
}

/// What every call gets before its handler runs: the API key check (`authorization: Bearer KEY` metadata, the
/// health service open unless `--protect-health`), its deadline from `grpc-timeout`, a server span continuing
/// the W3C trace context of the metadata, and the `tern_grpc_requests_total{method,code}` and
/// `tern_grpc_request_duration_seconds{method}` metrics.
struct GRPCCallInterceptor: ServerInterceptor {
    let keys: APIKeySet
    let auth: AuthConfiguration
    let logger: Logger
    let metrics = GRPCMetrics()

    init(auth: AuthConfiguration, logger: Logger) {
        self.keys = APIKeySet(auth.apiKeys)
        self.auth = auth
        self.logger = logger
    }

    func intercept<Input: Sendable, Output: Sendable>(
        request: StreamingServerRequest<Input>,
        context: ServerContext,
        next: @Sendable (StreamingServerRequest<Input>, ServerContext) async throws -> StreamingServerResponse<Output>
    ) async throws -> StreamingServerResponse<Output> {
        let method = context.descriptor.method
        let isHealth = context.descriptor.service.fullyQualifiedService == "grpc.health.v1.Health"
        if !auth.apiKeys.isEmpty && (!isHealth || auth.protectHealth) {
            let header = request.metadata[stringValues: "authorization"].first(where: { _ in true })
            guard let credential = APIKeyMiddleware<TernRequestContext>.bearer(header) else {
                metrics.finished(method: method, code: .unauthenticated, duration: .zero)
                throw RPCError(
                    code: .unauthenticated, message: "missing API key: send it as 'authorization: Bearer KEY' metadata")
            }
            guard keys.contains(credential.utf8) else {
                metrics.finished(method: method, code: .unauthenticated, duration: .zero)
                throw RPCError(code: .unauthenticated, message: "invalid API key")
            }
        }
        let timeout = request.metadata[stringValues: "grpc-timeout"].first(where: { _ in true }).flatMap(GRPCCall.timeout)
        var parent = ServiceContext.current ?? .topLevel
        InstrumentationSystem.instrument.extract(request.metadata, into: &parent, using: MetadataExtractor())
        let start = ContinuousClock.now
        let call = GRPCCall(deadline: timeout.map { start + $0 })
        return try await withSpan(
            "\(context.descriptor.service.fullyQualifiedService)/\(method)", context: parent, ofKind: .server
        ) { span in
            span.attributes["rpc.system"] = "grpc"
            span.attributes["rpc.method"] = method
            do {
                let response = try await GRPCCall.$current.withValue(call) { try await next(request, context) }
                metrics.finished(method: method, code: nil, duration: ContinuousClock.now - start)
                return response
            } catch {
                let code = (error as? RPCError)?.code ?? .unknown
                span.attributes["rpc.grpc.status_code"] = code.rawValue
                metrics.finished(method: method, code: code, duration: ContinuousClock.now - start)
                throw error
            }
        }
    }
}

/// What the interceptor learned about the call, for the handler running inside it.
struct GRPCCall: Sendable {
    /// From the call's `grpc-timeout`.
    var deadline: ContinuousClock.Instant?

    @TaskLocal static var current: GRPCCall?

    /// The request's deadline: the earliest of the call's `grpc-timeout`, Triton's `timeout` request parameter
    /// (microseconds) and `default` from now (`--request-timeout`).
    static func deadline(parameters: [String: Inference_InferParameter], default timeout: Duration) throws
        -> ContinuousClock.Instant
    {
        let now = ContinuousClock.now
        var deadline = now + timeout
        if let call = current?.deadline { deadline = min(deadline, call) }
        if let parameter = parameters["timeout"] {
            guard case .int64Param(let microseconds)? = parameter.parameterChoice, microseconds >= 0 else {
                throw RPCError(code: .invalidArgument, message: "parameter 'timeout' must be a non-negative int64 of microseconds")
            }
            if microseconds > 0 { deadline = min(deadline, now + .microseconds(microseconds)) }
        }
        return deadline
    }

    /// A `grpc-timeout` value: up to 8 digits and a unit (H, M, S, m, u, n).
    static func timeout(_ value: String) -> Duration? {
        guard let unit = value.last, value.count >= 2, value.count <= 9, let amount = Int64(value.dropLast()),
            amount >= 0
        else { return nil }
        switch unit {
        case "H": return .seconds(amount * 3600)
        case "M": return .seconds(amount * 60)
        case "S": return .seconds(amount)
        case "m": return .milliseconds(amount)
        case "u": return .microseconds(amount)
        case "n": return .nanoseconds(amount)
        default: return nil
        }
    }
}

/// Reads `traceparent`/`tracestate` (any metadata key) for the W3C propagator.
private struct MetadataExtractor: Extractor {
    func extract(key: String, from carrier: Metadata) -> String? {
        carrier[stringValues: key].first(where: { _ in true })
    }
}

/// Counters and timers of gRPC calls, created once per label set.
final class GRPCMetrics: Sendable {
    private struct Key: Hashable {
        let method: String
        let code: String
    }

    private struct Handles {
        var requests: [Key: Counter] = [:]
        var durations: [String: CoreMetrics.Timer] = [:]
    }

    private let handles = Mutex(Handles())

    /// A call ended: `code` nil for OK; labelled with the canonical code name (`OK`, `NOT_FOUND`, ...).
    func finished(method: String, code: RPCError.Code?, duration: Duration) {
        let name = GRPCStatus.name(code)
        let (counter, timer) = handles.withLock { handles in
            let key = Key(method: method, code: name)
            let counter =
                handles.requests[key]
                ?? Counter(label: "tern_grpc_requests_total", dimensions: [("method", method), ("code", name)])
            handles.requests[key] = counter
            let timer =
                handles.durations[method]
                ?? CoreMetrics.Timer(label: "tern_grpc_request_duration_seconds", dimensions: [("method", method)])
            handles.durations[method] = timer
            return (counter, timer)
        }
        counter.increment()
        timer.recordNanoseconds(Int64(clamping: duration.components.seconds) * 1_000_000_000
            + duration.components.attoseconds / 1_000_000_000)
    }
}
