import Foundation
import Logging
import ONNXRuntime
import Scheduler

/// Any ONNX model served as tensors in, tensors out (the KServe v2 protocol's view of a model).
///
/// Requests go through a `BatchScheduler`; when every input and output has a dynamic first dimension and
/// dynamic batching is on, requests are concatenated along dim 0 into shared executions.
public final class RawPipeline: Sendable {
    /// The name clients use for the model.
    public let name: String
    /// The repository version served.
    public let version: String
    /// The model's inputs, in the graph's order (with the configuration's shape overrides).
    public let inputs: [TensorSpec]
    /// The model's outputs, in the graph's order.
    public let outputs: [TensorSpec]
    /// Rows one execution may hold; 0 when requests are not batched together.
    public let maxBatchSize: Int
    /// The execution provider the session runs on.
    public let executionProvider: ExecutionProvider

    let scheduler: BatchScheduler<RawExecutor>
    let recorder: StatisticsRecorder
    /// Position of each output by name.
    let outputPositions: [String: Int]

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
        let path = modelFile.path
        let session: Session
        do {
            session = try Session(modelPath: path, environment: environment, options: configuration.session)
        } catch {
            throw ModelLoadError(path: path, problem: error.message)
        }
        session.logProviderFallbacks(model: name, logger: logger)
        self.executionProvider = session.executionProvider
        let inputs = try Self.specs(session.inputs, side: "input", path: path)
        self.inputs = try Self.applying(configuration.inputs, to: inputs, path: path)
        self.outputs = try Self.specs(session.outputs, side: "output", path: path)
        let batchesRows =
            configuration.dynamicBatching
            && (self.inputs + self.outputs).allSatisfy { $0.shape.first == -1 }
        self.name = name
        self.version = version
        self.maxBatchSize = batchesRows ? configuration.batching.maxBatchTokens : 0
        self.outputPositions = Dictionary(
            outputs.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { first, _ in first })
        let recorder = StatisticsRecorder()
        self.recorder = recorder
        let executor = RawExecutor(
            session: session, inputs: self.inputs, outputs: outputs, batchesRows: batchesRows, statistics: recorder)
        var batching = configuration.batching
        if !batchesRows {
            // Requests run one per execution: a scheduler batch of one keeps queue time honest and lets
            // several engines run requests side by side.
            batching.maxBatchInputs = 1
            batching.maxBatchWait = .zero
        }
        self.scheduler = BatchScheduler(executor: executor, configuration: batching, logger: logger, model: name)
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
        async throws(InferenceError) -> RawInferenceResult
    {
        let clock = ContinuousClock()
        let start = clock.now
        do {
            let request = try prepare(inputs, outputs: outputs, enqueued: start)
            var timings = RequestTimings(modelID: name)
            let result = try await submit(request, timings: &timings, deadline: deadline)
            let tensors = try result.get()
            recorder.finish(success: true, elapsed: clock.now - start)
            return RawInferenceResult(outputs: tensors, timings: timings)
        } catch {
            recorder.finish(success: false, elapsed: clock.now - start)
            throw error
        }
    }

    /// The model's totals since it loaded.
    public var statistics: ModelStatistics { recorder.snapshot }

    /// Stops accepting requests, answers everything accepted, then stops the engines.
    public func shutdown() async throws {
        try await scheduler.shutdown()
    }

    private func submit(
        _ request: RawRequest, timings: inout RequestTimings, deadline: ContinuousClock.Instant?
    ) async throws(InferenceError) -> RawResult {
        do {
            let scheduled = try await scheduler.submitTimed([request], deadline: deadline)
            // Rows stand in for tokens: the x-queue-time/x-inference-time headers and the request log read these.
            timings.addScheduling(scheduled.timings, inputs: 1, tokens: request.rows)
            guard let result = scheduled.outputs.first else {
                throw InferenceError(.backend, code: "backend_error", message: "the scheduler returned no result")
            }
            return result
        } catch {
            throw .fromSubmission(
                error,
                shuttingDown: InferenceError(
                    .shuttingDown, code: "unavailable", message: "model '\(name)' is not accepting requests"))
        }
    }
}
