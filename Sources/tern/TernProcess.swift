import Foundation
import InferenceCore
import Logging
import Metrics
import ONNXRuntime
import Prometheus
import ServiceLifecycle
import TernServer

/// One serving process: finds ONNX Runtime, checks the model directories, then runs the HTTP server and
/// one host per model in one `ServiceGroup` that shuts down gracefully on SIGTERM or SIGINT.
struct TernProcess {
    let settings: ServeSettings
    let logger: Logger

    func run() async throws {
        let metricsRegistry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: metricsRegistry))
        let library = try ORTLibrary.locate(explicitPath: settings.onnxruntimeLibrary)
        logger.info("ONNX Runtime loaded", metadata: ["version": "\(library.version)", "path": "\(library.path)"])
        if let explicit = settings.onnxruntimeLibrary, library.path != explicit {
            logger.warning(
                "--onnxruntime-library could not be loaded; using the next library found",
                metadata: ["asked": "\(explicit)", "loaded": "\(library.path)"]
            )
        }
        let environment = try ONNXRuntime.Environment(library: library)
        let settings = self.settings
        let logger = self.logger
        var hosts: [ModelHost] = []
        for (id, url) in settings.models {
            let directory = try ModelDirectory(url: url)
            let task = Self.task(settings.task, directory: directory)
            logger.info("serving model", metadata: ["model": "\(id)", "task": "\(task)", "path": "\(url.path)"])
            hosts.append(
                ModelHost(modelID: id, task: task, logger: logger) {
                    try TextPipeline.load(
                        modelID: id, directory: directory, task: task, configuration: settings.pipeline,
                        environment: environment, logger: logger)
                }
            )
        }
        let bindHost = settings.server.host
        var repository: RepositorySource?
        if let root = settings.modelRepository {
            repository = RepositorySource(
                repository: try ModelRepository(root: root), environment: environment, base: settings.pipeline)
            logger.info("serving model repository", metadata: ["path": "\(root.path)"])
        }
        let models = ModelRegistry(hosts, repository: repository, logger: logger)
        let app = TernApplication.make(
            configuration: settings.server,
            registry: models,
            logger: logger,
            metrics: { metricsRegistry.emitToBuffer() }
        ) { port in
            // Unbuffered, so scripts and tests waiting on the port see it at once.
            FileHandle.standardOutput.write(Data("tern listening on http://\(bindHost):\(port)\n".utf8))
        }
        // Shutdown runs in reverse order: the models drain first, all at once (health turns 503, new work is
        // refused, accepted work is answered), then the HTTP server closes.
        var groupConfiguration = ServiceGroupConfiguration(
            services: [.init(service: app), .init(service: models)],
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger
        )
        groupConfiguration.maximumGracefulShutdownDuration = settings.drainTimeout
        let group = ServiceGroup(configuration: groupConfiguration)
        try await group.run()
    }

    /// A classifier keeps its multi-label setting when `--task classify` is given.
    private static func task(_ override: ModelTask?, directory: ModelDirectory) -> ModelTask {
        switch (override, directory.task) {
        case (.classify, .classify(let multiLabel)): .classify(multiLabel: multiLabel)
        case (let override?, _): override
        case (nil, let detected): detected
        }
    }
}
