import ONNXRuntime
import Scheduler

/// How a raw-tensor model is served.
public struct RawPipelineConfiguration: Sendable {
    /// Batch limits and engine count. `maxBatchTokens` bounds the rows (dim 0) of one execution (the
    /// model's max batch size); default 64.
    public var batching: BatchingConfiguration
    /// Batch requests together along dim 0 when the model allows it (every input and output has a
    /// dynamic first dimension).
    public var dynamicBatching: Bool
    /// ONNX Runtime session settings (threads, optimisation, execution provider).
    public var session: SessionOptions
    /// Per-input settings from the model's configuration, checked against the graph at load.
    public var inputs: [InputOverride]

    /// One input as the model's configuration declares it.
    public struct InputOverride: Sendable, Hashable {
        /// The graph's name for the input.
        public var name: String
        /// The datatype the graph must have, when given.
        public var datatype: TensorDatatype?
        /// A shape to serve instead of the graph's: each dimension must equal the graph's or fix one the
        /// graph leaves dynamic; -1 keeps a dimension dynamic.
        public var shape: [Int]?

        public init(name: String, datatype: TensorDatatype? = nil, shape: [Int]? = nil) {
            self.name = name
            self.datatype = datatype
            self.shape = shape
        }
    }

    public init(
        batching: BatchingConfiguration = BatchingConfiguration(maxBatchTokens: 64, maxBatchInputs: 64),
        dynamicBatching: Bool = true,
        session: SessionOptions = SessionOptions(),
        inputs: [InputOverride] = []
    ) {
        self.batching = batching
        self.dynamicBatching = dynamicBatching
        self.session = session
        self.inputs = inputs
    }
}
