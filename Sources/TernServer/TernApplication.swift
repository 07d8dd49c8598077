import Foundation
import Hummingbird
import Logging
import Serving

/// Builds the HTTP application: every API's routes over one model host.
public enum TernApplication {
    /// - Parameters:
    ///   - configuration: bind address and request limits.
    ///   - registry: the served models.
    ///   - logger: the server's logger.
    ///   - metrics: renders the process's metrics in Prometheus' text format for `GET /metrics`.
    ///   - onListening: called with the bound port once the socket is listening.
    public static func make(
        configuration: ServerConfiguration,
        registry: ModelRegistry,
        logger: Logger,
        metrics: (@Sendable () -> [UInt8])? = nil,
        observability: ObservabilityConfiguration = ObservabilityConfiguration(),
        onListening: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        let router = makeRouter(
            configuration: configuration, registry: registry, metrics: metrics, observability: observability)
        let connections = ConnectionCounter()
        let limits = configuration.connections
        return Application(
            router: router,
            server: .http1(
                configuration: .init(
                    additionalChannelHandlers: [
                        InputClosedHandler(), ConnectionGuardHandler(limits: limits, counter: connections),
                    ],
                    // NIO's own header bounds, far enough above --max-header-size that requests over it reach
                    // HeaderSizeLimitMiddleware and get a 431 with a body; only header blocks over twice the
                    // limit (at least NIO's default 80 KiB) are refused by the parser itself.
                    httpDecoderConfiguration: .init(
                        maxHeaderFieldSize: Swift.max(80 * 1024, 2 * configuration.maxHeaderSize),
                        maxHeaderListSize: Swift.max(80 * 1024, 2 * configuration.maxHeaderSize)))),
            configuration: ApplicationConfiguration(
                address: .hostname(configuration.host, port: configuration.port),
                serverName: "tern"
            ),
            onServerRunning: { channel in await onListening(channel.localAddress?.port ?? configuration.port) },
            logger: logger
        )
    }

    /// The router alone, for tests that drive routes without a socket.
    public static func makeRouter(
        configuration: ServerConfiguration,
        registry: ModelRegistry,
        metrics: (@Sendable () -> [UInt8])? = nil,
        observability: ObservabilityConfiguration = ObservabilityConfiguration()
    ) -> Router<TernRequestContext> {
        let router = Router(context: TernRequestContext.self)
        // Outermost: request id, timing headers, metrics, the log line and spans cover every response.
        router.add(
            middleware: ObservabilityMiddleware(
                configuration: observability, metrics: HTTPMetrics(),
                defaultModel: registry.hosts.count == 1 ? registry.hosts.first?.modelID : nil))
        // Header size and API keys first: both answer before any route reads a body.
        router.add(middleware: HeaderSizeLimitMiddleware(limit: configuration.maxHeaderSize))
        if configuration.auth.isEnabled { router.add(middleware: APIKeyMiddleware(configuration: configuration.auth)) }
        router.add(middleware: OpenAIErrorMiddleware())
        router.add(middleware: MethodNotAllowedMiddleware())
        HealthRoutes(registry: registry).register(on: router)
        OpenAPIRoutes().register(on: router)
        if let metrics { MetricsRoutes(render: metrics).register(on: router) }
        let preamble = RequestPreamble(configuration: configuration)
        OpenAIRoutes(registry: registry, configuration: configuration, preamble: preamble).register(on: router)
        CohereRoutes(registry: registry, configuration: configuration, preamble: preamble).register(on: router)
        TEIRoutes(registry: registry, configuration: configuration, preamble: preamble).register(on: router)
        KServeRoutes(registry: registry, configuration: configuration).register(on: router)
        return router
    }

    /// A second listener that serves only `GET /metrics` (`--metrics-port`), so scrapes can stay off the
    /// public port.
    /// - Parameters:
    ///   - host: address to bind.
    ///   - port: port to bind; 0 picks a free one.
    ///   - logger: the server's logger.
    ///   - metrics: renders the process's metrics in Prometheus' text format.
    ///   - auth: the main server's keys; with `protectMetrics`, this listener needs a key too.
    ///   - onListening: called with the bound port once the socket is listening.
    public static func makeMetricsServer(
        host: String,
        port: Int,
        logger: Logger,
        metrics: @escaping @Sendable () -> [UInt8],
        auth: AuthConfiguration = AuthConfiguration(),
        onListening: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        let router = Router(context: TernRequestContext.self)
        if auth.isEnabled { router.add(middleware: APIKeyMiddleware(configuration: auth)) }
        MetricsRoutes(render: metrics).register(on: router)
        return Application(
            router: router,
            configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: "tern-metrics"),
            onServerRunning: { channel in await onListening(channel.localAddress?.port ?? port) },
            logger: logger
        )
    }
}

/// Tern's version, reported by `tern --version` and `GET /info`.
public enum TernVersion {
    public static let current = "0.1.0"
}
