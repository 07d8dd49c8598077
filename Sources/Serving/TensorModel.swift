import InferenceCore
import ONNXRuntime

/// A model KServe v2 serves as tensors: a raw ONNX model, an image model (encoded images in a BYTES input,
/// post-processed answers out; see `ImagePipeline+Tensors`), or a text model (texts in a BYTES input, vectors or
/// scores out; see `TextPipeline+Tensors`).
public enum TensorModel: Sendable {
    case raw(RawPipeline)
    case image(ImagePipeline, version: String)
    case text(TextPipeline, version: String)

    public var name: String {
        switch self {
        case .raw(let pipeline): pipeline.name
        case .image(let pipeline, _): pipeline.name
        case .text(let pipeline, _): pipeline.modelID
        }
    }

    public var version: String {
        switch self {
        case .raw(let pipeline): pipeline.version
        case .image(_, let version), .text(_, let version): version
        }
    }

    public var inputs: [TensorSpec] {
        switch self {
        case .raw(let pipeline): pipeline.inputs
        case .image(let pipeline, _): pipeline.tensorInputs
        case .text(let pipeline, _): pipeline.tensorInputs
        }
    }

    public var outputs: [TensorSpec] {
        switch self {
        case .raw(let pipeline): pipeline.outputs
        case .image(let pipeline, _): pipeline.tensorOutputs
        case .text(let pipeline, _): pipeline.tensorOutputs
        }
    }

    /// The execution provider the model's session runs on.
    public var executionProvider: ExecutionProvider {
        switch self {
        case .raw(let pipeline): pipeline.executionProvider
        case .image(let pipeline, _): pipeline.executionProvider
        case .text(let pipeline, _): pipeline.executionProvider
        }
    }

    /// The GPUs the model runs on, for Triton's `instance_group` (`KIND_GPU` when there are any): its CUDA device,
    /// or none on the CPU.
    public var gpus: [Int] {
        executionProvider.isCUDA ? [executionProvider.deviceID] : []
    }

    /// Rows one execution may hold (0: the model does not batch along dimension 0).
    public var maxBatchSize: Int {
        switch self {
        case .raw(let pipeline): pipeline.maxBatchSize
        case .image(let pipeline, _): pipeline.maxBatchSize
        case .text: 0  // texts are batched by tokens, not along a fixed row dimension
        }
    }

    public var statistics: ModelStatistics {
        switch self {
        case .raw(let pipeline): pipeline.statistics
        case .image(let pipeline, _): pipeline.statistics
        case .text(let pipeline, _):
            // Text pipelines keep scheduler counters, not Triton's durations: executions and inputs only.
            {
                var statistics = ModelStatistics()
                let counters = pipeline.schedulerCounters
                statistics.executionCount = counters.batches
                statistics.inferenceCount = counters.batchInputs
                return statistics
            }()
        }
    }

    /// Runs one request's tensors; `outputs` are the names to return, in order (all when `nil`).
    public func infer(_ inputs: [HostTensor], outputs: [String]?, deadline: ContinuousClock.Instant?)
        async throws(InferenceError) -> RawInferenceResult
    {
        switch self {
        case .raw(let pipeline): try await pipeline.infer(inputs, outputs: outputs, deadline: deadline)
        case .image(let pipeline, _): try await pipeline.infer(inputs, outputs: outputs, deadline: deadline)
        case .text(let pipeline, _): try await pipeline.infer(inputs, outputs: outputs, deadline: deadline)
        }
    }
}
