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
    /// Session configuration entries (`AddSessionConfigEntry`), e.g. `session.intra_op.allow_spinning`.
    public var configEntries: [String: String]

    /// Options with ONNX Runtime's defaults: automatic thread counts, all optimisations, CPU.
    public init(
        intraOpThreads: Int = 0,
        interOpThreads: Int = 0,
        graphOptimizationLevel: GraphOptimizationLevel = .all,
        executionProvider: ExecutionProvider = .cpu,
        configEntries: [String: String] = [:]
    ) {
        self.intraOpThreads = intraOpThreads
        self.interOpThreads = interOpThreads
        self.graphOptimizationLevel = graphOptimizationLevel
        self.executionProvider = executionProvider
        self.configEntries = configEntries
    }
}
