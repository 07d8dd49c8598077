import ArgumentParser
import Foundation
import InferenceCore
import Logging
import ONNXRuntime
import Scheduler
import TernServer

/// `tern serve`'s options resolved (command line, else environment, else default) into the
/// components' configuration structs.
struct ServeSettings {
    /// The served models, in the order given: (name, directory).
    var models: [(id: String, directory: URL)]
    /// The model repository served over KServe v2, if any.
    var modelRepository: URL?
    /// The task override for a single model.
    var task: ModelTask?
    var server: ServerConfiguration
    var pipeline: PipelineConfiguration
    var onnxruntimeLibrary: String?
    var logLevel: Logger.Level
    var drainTimeout: Duration
    var telemetry = TelemetrySettings()
    /// `--grpc-port`: KServe v2 over gRPC on this port; nil when off.
    var grpcPort: Int?

    init(_ options: ServeCommand, environment env: SettingSources) throws {
        let paths = try env.resolveList(options.model, "TERN_MODEL")
        modelRepository = try env.resolve(options.modelRepository, "TERN_MODEL_REPOSITORY")
            .map { URL(fileURLWithPath: $0).standardizedFileURL }
        guard !paths.isEmpty || modelRepository != nil else {
            throw ValidationError(
                "no model: pass --model DIR or --model-repository DIR (or set TERN_MODEL or TERN_MODEL_REPOSITORY)")
        }
        let directories = paths.map { URL(fileURLWithPath: $0).standardizedFileURL }
        models = directories.map { ($0.lastPathComponent, $0) }
        if let modelID = try env.resolve(options.modelID, "TERN_MODEL_ID") {
            try Self.require(models.count == 1, "--model-id names a single model; with several, each is named by its directory")
            models[0].id = modelID
        }
        let ids = models.map(\.id)
        try Self.require(Set(ids).count == ids.count, "two models have the same name: \(ids.joined(separator: ", "))")
        if let task = try env.resolve(options.task, "TERN_TASK") {
            try Self.require(models.count == 1, "--task applies to a single model")
            switch task {
            case "embeddings": self.task = .embeddings
            case "rerank": self.task = .rerank
            case "classify": self.task = .classify(multiLabel: false)
            default: throw ValidationError("--task must be embeddings, rerank or classify, not '\(task)'")
            }
        }

        server = ServerConfiguration()
        server.host = try env.resolve(options.host, "TERN_HOST", default: server.host)
        server.port = try env.resolve(options.port, "TERN_PORT", default: server.port)
        grpcPort = try env.resolve(options.grpcPort, "TERN_GRPC_PORT")
        if let port = grpcPort {
            try Self.require(port >= 0 && port <= 65535, "--grpc-port must be between 0 and 65535")
            try Self.require(port == 0 || port != server.port, "--grpc-port must differ from --port")
        }
        server.maxBodySize = try env.resolve(options.maxBodySize, "TERN_MAX_BODY_SIZE", default: server.maxBodySize)
        server.maxInputs = try env.resolve(options.maxInputs, "TERN_MAX_INPUTS", default: server.maxInputs)
        try Self.require(server.port >= 0 && server.port <= 65535, "--port must be between 0 and 65535")
        try Self.require(server.maxBodySize > 0, "--max-body-size must be positive")
        try Self.require(server.maxInputs > 0, "--max-inputs must be positive")
        server.maxInputChars = try env.resolve(options.maxInputChars, "TERN_MAX_INPUT_CHARS", default: server.maxInputChars)
        try Self.require(server.maxInputChars > 0, "--max-input-chars must be positive")
        server.maxHeaderSize = try env.resolve(options.maxHeaderSize, "TERN_MAX_HEADER_SIZE", default: server.maxHeaderSize)
        try Self.require(server.maxHeaderSize > 0, "--max-header-size must be positive")
        let headerRead = try env.resolve(options.headerReadTimeout, "TERN_HEADER_READ_TIMEOUT", default: 10)
        try Self.require(headerRead > 0 && headerRead <= 86_400, "--header-read-timeout must be between 0 and 86400 seconds")
        server.connections.headerReadTimeout = .milliseconds(Int64(headerRead * 1000))
        let idle = try env.resolve(options.idleTimeout, "TERN_IDLE_TIMEOUT", default: 60)
        try Self.require(idle > 0 && idle <= 86_400, "--idle-timeout must be between 0 and 86400 seconds")
        server.connections.idleTimeout = .milliseconds(Int64(idle * 1000))
        server.connections.maxConnections = try env.resolve(
            options.maxConnections, "TERN_MAX_CONNECTIONS", default: server.connections.maxConnections)
        try Self.require(server.connections.maxConnections > 0, "--max-connections must be positive")
        server.auth = try Self.auth(options, env)
        let timeout = try env.resolve(options.requestTimeout, "TERN_REQUEST_TIMEOUT", default: 30)
        try Self.require(timeout > 0 && timeout <= 86_400, "--request-timeout must be between 0 and 86400 seconds")
        server.requestTimeout = .milliseconds(Int64(timeout * 1000))
        let drain = try env.resolve(options.drainTimeout, "TERN_DRAIN_TIMEOUT", default: 30)
        try Self.require(drain > 0 && drain <= 86_400, "--drain-timeout must be between 0 and 86400 seconds")
        drainTimeout = .milliseconds(Int64(drain * 1000))


        // The session's provider first: batching defaults depend on it.
        var session = SessionOptions()
        if let names = try env.resolve(options.executionProvider, "TERN_EXECUTION_PROVIDER") {
            guard let parsed = ExecutionProvider.list(names) else {
                throw ValidationError(
                    "--execution-provider must be one of \(ExecutionProvider.listSyntax), not '\(names)'")
            }
            session.executionProvider = parsed[0]
            session.fallbackProviders = Array(parsed.dropFirst())
        }
        if let limit = try env.resolve(options.gpuMemoryLimit, "TERN_GPU_MEMORY_LIMIT") {
            try Self.require(limit > 0 && limit <= 1 << 30, "--gpu-memory-limit must be a positive number of MiB")
            session.cuda.memoryLimit = limit << 20
        }
        session.cuda.arenaExtendStrategy = try env.resolve(
            options.gpuArenaExtend, "TERN_GPU_ARENA_EXTEND", default: session.cuda.arenaExtendStrategy)
        session.cuda.convolutionAlgorithmSearch = try env.resolve(
            options.cudnnConvAlgoSearch, "TERN_CUDNN_CONV_ALGO_SEARCH", default: session.cuda.convolutionAlgorithmSearch)

        // On CPU two engines by default: while one runs a batch the other's inputs are tokenized, pooled and
        // encoded, so the cores stay busy (measured in docs/benchmarks.md, "Interleaved": 1.1-1.3x one engine with
        // every core). One engine on CUDA, whose single device runs one batch at a time anyway.
        let cores = ProcessInfo.processInfo.activeProcessorCount
        let defaultEngines = session.executionProvider.isCUDA ? 1 : Swift.min(2, Swift.max(1, cores))
        // `auto`: text models measure the layouts at load (EngineCalibration); the counts below are then what
        // raw-tensor and image models, and CUDA, take.
        let engineSetting = try env.resolve(options.engines, "TERN_ENGINES", default: .count(defaultEngines))
        if case .count(let count) = engineSetting { try Self.require(count > 0, "--engines must be positive") }
        let engines = engineSetting.count ?? defaultEngines
        let threadSetting = try env.resolve(options.threads, "TERN_THREADS", default: .count(Swift.max(1, cores / engines)))
        if case .count(let count) = threadSetting { try Self.require(count > 0, "--threads must be positive") }
        let threads = threadSetting.count ?? Swift.max(1, cores / engines)
        let calibrating = engineSetting == .auto || threadSetting == .auto
        // What calibration leaves alone: a count given (not a default).
        let givenEngines = env.isGiven("TERN_ENGINES") ? engineSetting.count : nil
        let givenThreads = env.isGiven("TERN_THREADS") ? threadSetting.count : nil

        // A GPU runs a large batch in about the time of a small one: larger batches by default on CUDA. On CPU
        // 1024 padded tokens, measured in interleaved runs (docs/benchmarks.md): 2048 had beaten 16384 (256-token
        // documents 1.10-1.15x faster, 0.6x the p99 and peak RSS); 1024 then served short sentences as 2048 did
        // (0.98-1.02x), the checkpoint graph's documents 1.07x faster, with 0.70-0.75x the peak RSS. 512 cost
        // short sentences up to 7% on the checkpoint graph.
        var batching = session.executionProvider.isCUDA
            ? BatchingConfiguration(maxBatchTokens: 65_536, maxBatchInputs: 256, engines: engines)
            : BatchingConfiguration(maxBatchTokens: 1_024, engines: engines)
        batching.maxBatchTokens = try env.resolve(options.maxBatchTokens, "TERN_MAX_BATCH_TOKENS", default: batching.maxBatchTokens)
        batching.maxBatchInputs = try env.resolve(options.maxBatchRequests, "TERN_MAX_BATCH_REQUESTS", default: batching.maxBatchInputs)
        try Self.require(batching.maxBatchTokens > 0, "--max-batch-tokens must be positive")
        try Self.require(batching.maxBatchInputs > 0, "--max-batch-requests must be positive")
        let batchWait = try env.resolve(options.maxBatchWait, "TERN_MAX_BATCH_WAIT", default: 0)
        try Self.require(batchWait >= 0 && batchWait <= 10_000, "--max-batch-wait must be between 0 and 10000 ms")
        batching.maxBatchWait = .microseconds(Int64(batchWait * 1000))
        let window = try env.resolve(options.groupingWindow, "TERN_GROUPING_WINDOW", default: 4 * batching.maxBatchInputs)
        try Self.require(window > 0, "--grouping-window must be positive")
        batching.groupingWindow = window
        if let padding = try env.resolve(options.maxPadding, "TERN_MAX_PADDING") {
            try Self.require(padding >= 0 && padding <= 1, "--max-padding must be between 0 and 1")
            batching.maxPaddingShare = padding
        }
        batching.maxConcurrentRequests =
            try env.resolve(options.maxConcurrentRequests, "TERN_MAX_CONCURRENT_REQUESTS", default: batching.maxConcurrentRequests)
        batching.maxQueuedInputs = try env.resolve(options.maxQueuedInputs, "TERN_MAX_QUEUED_INPUTS", default: batching.maxQueuedInputs)
        try Self.require(batching.maxConcurrentRequests > 0, "--max-concurrent-requests must be positive")
        try Self.require(batching.maxQueuedInputs > 0, "--max-queued-inputs must be positive")

        session.intraOpThreads = threads
        session.interOpThreads = 1
        let spinning = try env.resolveFlag(options.spinning, "TERN_SPINNING", default: false)
        session.configEntries["session.intra_op.allow_spinning"] = spinning ? "1" : "0"
        session.cpuMemoryArena = try env.resolveFlag(options.cpuArena, "TERN_CPU_ARENA", default: true)
        session.graphOptimizationLevel = try env.resolve(options.graphOptimization, "TERN_GRAPH_OPTIMIZATION", default: .all)
        pipeline = PipelineConfiguration(
            maxLength: try env.resolve(options.maxLength, "TERN_MAX_LENGTH"),
            normalize: try env.resolveFlag(options.normalize, "TERN_NORMALIZE"),
            pooling: try env.resolve(options.pooling, "TERN_POOLING"),
            truncate: try env.resolveFlag(options.truncate, "TERN_TRUNCATE", default: true),
            batching: batching,
            session: session,
            weights: try env.resolve(options.weights, "TERN_WEIGHTS", default: .auto)
        )
        pipeline.quantization = try env.resolve(options.quantize, "TERN_QUANTIZE", default: .none)
        // Raw-tensor models have no tokenization to overlap with a second engine's run: one engine with every core
        // answered a lone MiniLM tensor request 1.45x faster than two of one thread, at the same throughput under
        // load and a lower p99 (docs/configuration.md, "Choosing threads, engines and batch sizes").
        if !session.executionProvider.isCUDA {
            if calibrating || (givenEngines == nil && givenThreads == nil) {
                pipeline.rawModelEngines = PipelineConfiguration.EngineLayout(engines: 1, threads: Swift.max(1, cores))
            }
            if calibrating {
                pipeline.calibration = EngineCalibration(
                    candidates: EngineCalibration.candidates(engines: givenEngines, threads: givenThreads, cores: cores))
            }
        }
        if let maxLength = pipeline.maxLength { try Self.require(maxLength > 0, "--max-length must be positive") }
        pipeline.maxImagePixels = try env.resolve(
            options.maxImagePixels, "TERN_MAX_IMAGE_PIXELS", default: pipeline.maxImagePixels)
        try Self.require(pipeline.maxImagePixels > 0, "--max-image-pixels must be positive")
        pipeline.defaultPromptName = try env.resolve(options.defaultPromptName, "TERN_DEFAULT_PROMPT_NAME")
        pipeline.defaultPrompt = try env.resolve(options.defaultPrompt, "TERN_DEFAULT_PROMPT")
        try Self.require(
            pipeline.defaultPromptName == nil || pipeline.defaultPrompt == nil,
            "--default-prompt-name and --default-prompt cannot both be given")
        onnxruntimeLibrary = try env.resolve(options.onnxruntimeLibrary, "TERN_ONNXRUNTIME_LIBRARY")
        telemetry.logFormat = try env.resolve(options.logFormat, "TERN_LOG_FORMAT", default: .text)
        telemetry.metricsPort = try env.resolve(options.metricsPort, "TERN_METRICS_PORT")
        if let port = telemetry.metricsPort {
            try Self.require(port >= 0 && port <= 65535, "--metrics-port must be between 0 and 65535")
        }
        telemetry.otlpEndpoint = try env.resolve(options.otlpEndpoint, "TERN_OTLP_ENDPOINT")
        if let endpoint = telemetry.otlpEndpoint {
            try Self.require(
                TelemetrySettings.isValidEndpoint(endpoint),
                "--otlp-endpoint must be an http:// or https:// URL, not '\(endpoint)'")
        }
        logLevel = try env.resolve(options.logLevel, "TERN_LOG_LEVEL", default: .info)
    }

    private static func require(_ condition: Bool, _ message: String) throws {
        if !condition { throw ValidationError(message) }
    }
}
