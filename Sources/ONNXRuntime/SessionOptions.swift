internal import CONNXRuntime

/// How a ``Session`` is set up: threading, graph optimisation and execution provider.
public struct SessionOptions: Hashable, Sendable {
    /// Threads used inside one operator (e.g. a matrix multiply); 0 lets ONNX Runtime choose (one per core).
    public var intraOpThreads: Int
    /// Threads used to run independent operators in parallel; 0 lets ONNX Runtime choose.
    public var interOpThreads: Int
    /// How much ONNX Runtime rewrites the graph at load time.
    public var graphOptimizationLevel: GraphOptimizationLevel
    /// Where the model runs.
    public var executionProvider: ExecutionProvider
    /// Providers tried in order when ``executionProvider`` cannot start (`--execution-provider cuda,cpu`); the
    /// session reports which one it got and why the others failed.
    public var fallbackProviders: [ExecutionProvider]
    /// The CUDA provider's settings, used when a session runs on CUDA.
    public var cuda: CUDASettings
    /// Session configuration entries (`AddSessionConfigEntry`), e.g. `session.intra_op.allow_spinning`.
    public var configEntries: [String: String]
    /// Whether CPU tensors come from ONNX Runtime's arena (its default), which keeps what it grew to unless a run
    /// asks it to shrink; off, they come from the C allocator.
    public var cpuMemoryArena: Bool

    /// Options with ONNX Runtime's defaults: automatic thread counts, all optimisations, CPU.
    public init(
        intraOpThreads: Int = 0,
        interOpThreads: Int = 0,
        graphOptimizationLevel: GraphOptimizationLevel = .all,
        executionProvider: ExecutionProvider = .cpu,
        fallbackProviders: [ExecutionProvider] = [],
        cuda: CUDASettings = CUDASettings(),
        configEntries: [String: String] = [:],
        cpuMemoryArena: Bool = true
    ) {
        self.intraOpThreads = intraOpThreads
        self.interOpThreads = interOpThreads
        self.graphOptimizationLevel = graphOptimizationLevel
        self.executionProvider = executionProvider
        self.fallbackProviders = fallbackProviders
        self.cuda = cuda
        self.configEntries = configEntries
        self.cpuMemoryArena = cpuMemoryArena
    }
}

/// How much ONNX Runtime rewrites the model's graph when a session loads it.
public enum GraphOptimizationLevel: String, Sendable, CaseIterable {
    /// No rewriting: run the graph as stored.
    case disabled
    /// Semantics-preserving clean-ups such as constant folding and redundant-node removal.
    case basic
    /// `basic` plus operator fusions (e.g. attention, layer norm, GELU).
    case extended
    /// Everything, including layout optimisations; ONNX Runtime's default.
    case all

    var ortValue: CONNXRuntime.GraphOptimizationLevel {
        switch self {
        case .disabled: ORT_DISABLE_ALL
        case .basic: ORT_ENABLE_BASIC
        case .extended: ORT_ENABLE_EXTENDED
        case .all: ORT_ENABLE_ALL
        }
    }
}

/// Minimum severity of the messages ONNX Runtime's own logger prints to standard error.
public enum LogLevel: String, Sendable, CaseIterable {
    /// Everything, including per-node tracing.
    case verbose
    /// Informational messages and above.
    case info
    /// Warnings and above; the default.
    case warning
    /// Errors and above.
    case error
    /// Only fatal errors.
    case fatal

    var ortValue: OrtLoggingLevel {
        switch self {
        case .verbose: ORT_LOGGING_LEVEL_VERBOSE
        case .info: ORT_LOGGING_LEVEL_INFO
        case .warning: ORT_LOGGING_LEVEL_WARNING
        case .error: ORT_LOGGING_LEVEL_ERROR
        case .fatal: ORT_LOGGING_LEVEL_FATAL
        }
    }
}
