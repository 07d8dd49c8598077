import Foundation
import Hummingbird
import Logging

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
        onListening: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        let router = makeRouter(configuration: configuration, registry: registry, metrics: metrics)
        return Application(
            router: router,
            server: .http1(configuration: .init(additionalChannelHandlers: [InputClosedHandler()])),
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
        metrics: (@Sendable () -> [UInt8])? = nil
    ) -> Router<TernRequestContext> {
        let router = Router(context: TernRequestContext.self)
        router.add(middleware: OpenAIErrorMiddleware())
        HealthRoutes(registry: registry).register(on: router)
        if let metrics { MetricsRoutes(render: metrics).register(on: router) }
        OpenAIRoutes(registry: registry, configuration: configuration).register(on: router)
        CohereRerankRoutes(registry: registry, configuration: configuration).register(on: router)
        TEIRoutes(registry: registry, configuration: configuration).register(on: router)
        KServeRoutes(registry: registry, configuration: configuration).register(on: router)
        return router
    }
}
