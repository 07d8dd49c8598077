import Foundation
import Hummingbird
import Logging

/// Builds the HTTP application: every API's routes over one model host.
public enum TernApplication {
    /// - Parameters:
    ///   - configuration: bind address and request limits.
    ///   - host: the served model.
    ///   - modelID: the name clients see.
    ///   - logger: the server's logger.
    ///   - metrics: renders the process's metrics in Prometheus' text format for `GET /metrics`.
    ///   - onListening: called with the bound port once the socket is listening.
    public static func make(
        configuration: ServerConfiguration,
        host: ModelHost,
        modelID: String,
        logger: Logger,
        metrics: (@Sendable () -> [UInt8])? = nil,
        onListening: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        let router = makeRouter(configuration: configuration, host: host, modelID: modelID, metrics: metrics)
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
        host: ModelHost,
        modelID: String,
        metrics: (@Sendable () -> [UInt8])? = nil
    ) -> Router<TernRequestContext> {
        let router = Router(context: TernRequestContext.self)
        router.add(middleware: OpenAIErrorMiddleware())
        HealthRoutes(host: host).register(on: router)
        if let metrics { MetricsRoutes(render: metrics).register(on: router) }
        OpenAIRoutes(host: host, modelID: modelID, configuration: configuration).register(on: router)
        return router
    }
}
