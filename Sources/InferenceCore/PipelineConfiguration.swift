import ONNXRuntime
import Scheduler

/// How a text model is served. `nil` fields take the model directory's own settings.
public struct PipelineConfiguration: Sendable {
    /// Longest input in tokens (special tokens included); at most the model's position limit.
    public var maxLength: Int?
    /// L2-normalise embeddings; default: whether `modules.json` lists Normalize.
    public var normalize: Bool?
    /// Pooling; default: the model's `1_Pooling/config.json`.
    public var pooling: PoolingStrategy?
    /// Inputs over `maxLength` are truncated (true) or refused (false).
    public var truncate: Bool
    /// Batch limits and engine count.
    public var batching: BatchingConfiguration
    /// ONNX Runtime session settings (threads, optimisation, execution provider).
    public var session: SessionOptions
    /// Which weights to serve when a directory has both an ONNX file and a safetensors checkpoint.
    public var weights: WeightsChoice
    /// Linear layers of graphs built from checkpoints in int8 (`--quantize int8`); ONNX files are served as they are.
    public var quantization: WeightQuantization = .none
    /// The model's prompt (by name) to prepend when a request names none; default: `default_prompt_name`.
    public var defaultPromptName: String?
    /// A literal prompt to prepend when a request names none (instead of a named one).
    public var defaultPrompt: String?
    /// Engines and intra-op threads per engine.
    public struct EngineLayout: Sendable, Hashable {
        public var engines: Int
        public var threads: Int

        public init(engines: Int, threads: Int) {
            self.engines = engines
            self.threads = threads
        }
    }
    /// Raw-tensor models' engines and threads when the server's were not set (nil: `batching.engines` and
    /// `session.intraOpThreads`, as text models); a repository model's `config.yaml` still overrides them.
    public var rawModelEngines: EngineLayout?
    /// `--engines auto` / `--threads auto`: the layouts a text model measures at load, the fastest served
    /// (nil: `batching.engines` x `session.intraOpThreads`). Raw-tensor and image models take `rawModelEngines`
    /// or the given counts.
    public var calibration: EngineCalibration?
    /// Image models: the most pixels an image's header may declare; larger ones are refused before decoding.
    public var maxImagePixels = 40_000_000

    public init(
        maxLength: Int? = nil,
        normalize: Bool? = nil,
        pooling: PoolingStrategy? = nil,
        truncate: Bool = true,
        batching: BatchingConfiguration = BatchingConfiguration(),
        session: SessionOptions = SessionOptions(),
        weights: WeightsChoice = .auto
    ) {
        self.weights = weights
        self.maxLength = maxLength
        self.normalize = normalize
        self.pooling = pooling
        self.truncate = truncate
        self.batching = batching
        self.session = session
    }
}
