import Foundation
import InferenceCore
import Logging
import Metrics
import ONNXRuntime
import Prometheus
import ServiceLifecycle
import TernServer

/// One serving process: finds ONNX Runtime, checks the model directory, then runs the HTTP server and
/// the model host in one `ServiceGroup` that shuts down gracefully on SIGTERM or SIGINT.
struct TernProcess {
    let settings: ServeSettings
    let logger: Logger

    func run() async throws {
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        let library = try ORTLibrary.locate(explicitPath: settings.onnxruntimeLibrary)
        logger.info("ONNX Runtime loaded", metadata: ["version": "\(library.version)", "path": "\(library.path)"])
        if let explicit = settings.onnxruntimeLibrary, library.path != explicit {
            logger.warning(
                "--onnxruntime-library could not be loaded; using the next library found",
                metadata: ["asked": "\(explicit)", "loaded": "\(library.path)"]
            )
        }
        let environment = try ONNXRuntime.Environment(library: library)
        let directory = try ModelDirectory(url: settings.modelDirectory)

        let settings = self.settings
        let logger = self.logger
        let host = ModelHost(logger: logger) {
            try EmbeddingPipeline(
                modelID: settings.modelID,
                directory: directory,
                configuration: settings.pipeline,
                environment: environment,
                logger: logger
            )
        }
        let bindHost = settings.server.host
        let app = TernApplication.make(
            configuration: settings.server,
            host: host,
            modelID: settings.modelID,
            logger: logger,
            metrics: { registry.emitToBuffer() }
        ) { port in
            // Unbuffered, so scripts and tests waiting on the port see it at once.
            FileHandle.standardOutput.write(Data("tern listening on http://\(bindHost):\(port)\n".utf8))
        }
        // Shutdown runs in reverse order: the model host drains first (health turns 503, new work is
        // refused, accepted work is answered), then the HTTP server closes.
        var groupConfiguration = ServiceGroupConfiguration(
            services: [.init(service: app), .init(service: host)],
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger
        )
        groupConfiguration.maximumGracefulShutdownDuration = settings.drainTimeout
        let group = ServiceGroup(configuration: groupConfiguration)
        try await group.run()
    }
}
