import Foundation
import Logging
import ONNXRuntime
import Scheduler

/// Any ONNX model served as tensors in, tensors out (the KServe v2 protocol's view of a model).
public final class RawPipeline: Sendable {
    /// The name clients use for the model.
    public let name: String
    /// The repository version served.
    public let version: String
    /// The model's inputs, in the graph's order.
    public let inputs: [TensorSpec]
    /// The model's outputs, in the graph's order.
    public let outputs: [TensorSpec]
    /// Rows one execution may hold; 0 when requests are not batched together.
    public let maxBatchSize: Int

    /// Loads the model and creates its session. Blocking: call it off the event loops.
    /// - Throws: `ModelLoadError` naming the file and the problem (an input or output type v2 cannot
    ///   name, a configuration that contradicts the graph, ONNX Runtime's own error).
    public init(
        name: String,
        version: String,
        modelFile: URL,
        configuration: RawPipelineConfiguration,
        environment: ONNXRuntime.Environment,
        logger: Logger
    ) throws(ModelLoadError) {
        throw ModelLoadError(path: modelFile.path, problem: "raw models are not implemented yet")
    }

    /// Runs the model.
    ///
    /// `inputs` have been validated against ``inputs`` by the caller; what the engine relies on is checked
    /// again and reported as `InferenceError` (`.validation`, naming the input), never a trap.
    /// - Parameters:
    ///   - inputs: one tensor per model input.
    ///   - outputs: the outputs to return, in that order; `nil` returns all in the graph's order.
    ///   - deadline: when the caller stops waiting.
    /// - Throws: `InferenceError` for invalid input, timeouts, overload, shutdown, cancellation and
    ///   backend failures.
    public func infer(_ inputs: [HostTensor], outputs: [String]?, deadline: ContinuousClock.Instant?)
        async throws(InferenceError) -> [HostTensor]
    {
        throw InferenceError(.backend, code: "not_implemented", message: "raw inference is not implemented yet")
    }

    /// The model's totals since it loaded.
    public var statistics: ModelStatistics { ModelStatistics() }

    /// Serves until graceful shutdown, then answers everything accepted and stops the engines.
    public func run() async throws {}

    /// Answers everything accepted, then stops the engines.
    public func shutdown() async throws {}
}
