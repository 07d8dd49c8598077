import Foundation
import InferenceCore
import Logging
import Metrics
import ONNXRuntime
import OTel
import Prometheus
import ServiceLifecycle
import Serving
import TernServer
import Tracing

/// One serving process: finds ONNX Runtime, checks the model directories, then runs the HTTP server and
/// one host per model in one `ServiceGroup` that shuts down gracefully on SIGTERM or SIGINT.
struct TernProcess {
    let settings: ServeSettings
    let logger: Logger

    func run() async throws {
        let metricsRegistry = PrometheusCollectorRegistry()
        var metricsFactory = PrometheusMetricsFactory(registry: metricsRegistry)
        metricsFactory.defaultDurationHistogramBuckets = MetricBuckets.durations
        metricsFactory.valueHistogramBuckets = MetricBuckets.values
        MetricsSystem.bootstrap(metricsFactory)
        let tracing = try Self.bootstrapTracing(settings.telemetry, logger: logger)
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
        let factory = PipelineFactory(environment: environment, base: settings.pipeline, logger: logger)
        var hosts: [ModelHost] = []
        var images: [ImageModelHost] = []
        for (id, url) in settings.models {
            if let task = ImageModelSpec.task(of: url) {
                logger.info("serving model", metadata: ["model": "\(id)", "task": "\(task.rawValue)", "path": "\(url.path)"])
                images.append(try factory.imageHost(modelID: id, directory: url))
                continue
            }
            let directory = try ModelDirectory(url: url, weights: settings.pipeline.weights)
            let task = Self.task(settings.task, directory: directory)
            logger.info("serving model", metadata: ["model": "\(id)", "task": "\(task)", "path": "\(url.path)"])
            hosts.append(factory.host(modelID: id, directory: directory, task: task))
        }
        if !images.isEmpty { Self.keepLargeAllocations(logger: logger) }
        let bindHost = settings.server.host
        var repository: RepositorySource?
        if let root = settings.modelRepository {
            repository = RepositorySource(repository: try ModelRepository(root: root), factory: factory)
            logger.info("serving model repository", metadata: ["path": "\(root.path)"])
        }
        let models = ModelRegistry(hosts, images: images, repository: repository, logger: logger)
        let app = TernApplication.make(
            configuration: settings.server,
            registry: models,
            logger: logger,
            metrics: { metricsRegistry.emitToBuffer() },
            observability: ObservabilityConfiguration(tracing: tracing != nil)
        ) { port in
            // Unbuffered, so scripts and tests waiting on the port see it at once.
            FileHandle.standardOutput.write(Data("tern listening on http://\(bindHost):\(port)\n".utf8))
        }
        // Shutdown runs in reverse order: the models drain first, all at once (health turns 503, new work is
        // refused, accepted work is answered), then the HTTP server closes.
        // The trace exporter comes first so it shuts down last, after the server's final spans.
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = []
        if let tracing { services.append(.init(service: tracing)) }
        services.append(.init(service: app))
        if let grpcPort = settings.grpcPort {
            let grpc = TernGRPCServer(configuration: settings.server, port: grpcPort, registry: models, logger: logger) {
                port in
                // On stderr, as the metrics listener's line: stdout's first line stays the HTTP listener's.
                FileHandle.standardError.write(Data("tern gRPC listening on \(bindHost):\(port)\n".utf8))
            }
            services.append(.init(service: grpc))  // after HTTP, before the models: it stops after they drain
        }
        services.append(.init(service: models))
        if let metricsPort = settings.telemetry.metricsPort {
            let metricsServer = TernApplication.makeMetricsServer(
                host: bindHost, port: metricsPort, logger: logger, metrics: { metricsRegistry.emitToBuffer() },
                auth: settings.server.auth
            ) { port in
                // On stderr: stdout's first line stays the main listener's, which scripts wait for.
                FileHandle.standardError.write(Data("tern metrics listening on http://\(bindHost):\(port)\n".utf8))
            }
            services.append(.init(service: metricsServer))
        }
        var groupConfiguration = ServiceGroupConfiguration(
            services: services,
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger
        )
        groupConfiguration.maximumGracefulShutdownDuration = settings.drainTimeout
        let group = ServiceGroup(configuration: groupConfiguration)
        try await group.run()
    }

    /// glibc's malloc serves allocations above its mmap threshold (128 KiB, raised as such blocks are freed) with
    /// fresh mappings and gives freed heap tops back to the kernel, so every image request's decoded pixels and
    /// input tensor (megabytes each) cost page faults on pages just released: a third of a 992x736 preprocess.
    /// Blocks up to 32 MiB come from the heap and up to 128 MiB of free heap top is kept for the next request.
    /// Only when image models are served: for text models the kept heap is memory the process never gives back
    /// (256 connections at once: +45 MiB RSS kept with these thresholds, +10 MiB with glibc's own).
    /// Left alone when the environment tunes malloc itself (`GLIBC_TUNABLES`, `MALLOC_*_`).
    static func keepLargeAllocations(logger: Logger) {
        #if os(Linux)
        let environment = ProcessInfo.processInfo.environment
        guard !environment.keys.contains(where: { $0 == "GLIBC_TUNABLES" || $0.hasPrefix("MALLOC_") }) else { return }
        typealias MallOpt = @convention(c) (Int32, Int32) -> Int32
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return }  // RTLD_DEFAULT
        let mallopt = unsafeBitCast(symbol, to: MallOpt.self)
        let (trimThreshold, mmapThreshold): (Int32, Int32) = (-1, -3)  // M_TRIM_THRESHOLD, M_MMAP_THRESHOLD
        if mallopt(mmapThreshold, 32 << 20) != 1 || mallopt(trimThreshold, 128 << 20) != 1 {
            logger.debug("mallopt refused the allocation thresholds")
        }
        #endif
    }

    /// With `--otlp-endpoint`, bootstraps swift-otel's tracer (traces only: metrics stay Prometheus and logs
    /// stay on standard error) and returns its exporter service; nil when tracing is off. The standard
    /// `OTEL_*` variables (e.g. `OTEL_BSP_SCHEDULE_DELAY`) still apply.
    private static func bootstrapTracing(_ telemetry: TelemetrySettings, logger: Logger) throws -> (any Service)? {
        guard let endpoint = telemetry.otlpEndpoint else { return nil }
        var configuration = OTel.Configuration.default
        configuration.serviceName = "tern"
        configuration.logs.enabled = false
        configuration.metrics.enabled = false
        configuration.diagnosticLogger = .custom(logger)
        configuration.traces.otlpExporter.protocol = .httpProtobuf
        configuration.traces.otlpExporter.endpoint = TelemetrySettings.tracesURL(endpoint)
        let backend = try OTel.makeTracingBackend(configuration: configuration)
        InstrumentationSystem.bootstrap(backend.factory)
        logger.info("tracing on", metadata: ["endpoint": "\(configuration.traces.otlpExporter.endpoint)"])
        return backend.service
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
