import Foundation
import Logging
import ONNXRuntime
import Scheduler

/// A loaded text model, whichever its task: what a server hosts.
public enum TextPipeline: Sendable {
    case embeddings(EmbeddingPipeline)
    case rerank(RerankPipeline)
    case classify(ClassificationPipeline)

    /// Loads the model for its task (from `config.json`, or `task` when given). Blocking: call it off
    /// the event loops.
    /// - Throws: `ModelLoadError` naming the file at fault, or ONNX Runtime's error.
    public static func load(
        modelID: String,
        directory: ModelDirectory,
        task: ModelTask? = nil,
        configuration: PipelineConfiguration,
        environment: ONNXRuntime.Environment,
        logger: Logger
    ) throws -> TextPipeline {
        switch task ?? directory.task {
        case .embeddings:
            return .embeddings(
                try EmbeddingPipeline(
                    modelID: modelID, directory: directory, configuration: configuration, environment: environment,
                    logger: logger))
        case .rerank:
            let model = try EncoderModel(
                modelID: modelID, directory: directory, configuration: configuration, environment: environment,
                head: .logits, logger: logger)
            return .rerank(RerankPipeline(model: model))
        case .classify(let multiLabel):
            let model = try EncoderModel(
                modelID: modelID, directory: directory, configuration: configuration, environment: environment,
                head: .logits, logger: logger)
            if model.outputWidth > 0, model.outputWidth != directory.labels.count {
                throw ModelLoadError(
                    path: directory.weightsFile.path,
                    problem: "the graph gives \(model.outputWidth) logits but config.json names \(directory.labels.count) labels"
                )
            }
            return .classify(ClassificationPipeline(model: model, labels: directory.labels, multiLabel: multiLabel))
        }
    }

    var model: EncoderModel {
        switch self {
        case .embeddings(let pipeline): pipeline.model
        case .rerank(let pipeline): pipeline.model
        case .classify(let pipeline): pipeline.model
        }
    }

    /// The name clients use for the model.
    public var modelID: String { model.modelID }

    public var task: ModelTask {
        switch self {
        case .embeddings: .embeddings
        case .rerank: .rerank
        case .classify(let pipeline): .classify(multiLabel: pipeline.multiLabel)
        }
    }

    /// Longest input in tokens.
    public var maxLength: Int { model.maxLength }
    /// Whether over-long inputs are truncated unless a request says otherwise.
    public var truncatesByDefault: Bool { model.truncatesByDefault }
    /// Which weights are served and how long they took to load.
    public var weights: WeightsLoadReport { model.weights }
    /// The execution provider the session runs on.
    public var executionProvider: ExecutionProvider { model.weights.executionProvider }
    /// The scheduler's limits.
    public var batching: BatchingConfiguration { model.batching }
    /// Intra-op threads of each engine (0: ONNX Runtime's choice).
    public var threadsPerEngine: Int { model.threads }
    /// What `--engines auto` / `--threads auto` measured; nil when the layout was given.
    public var calibration: EngineCalibrationReport? { model.calibrationReport }
    /// The scheduler's totals since start.
    public var schedulerCounters: SchedulerCounters { model.scheduler.counters }

    /// Runs the model once so the first client does not pay for lazy initialisation.
    public func warmUp() async throws(InferenceError) {
        let text = "Tern warms up before it reports ready."
        // One input, once. On a GPU the first batch of each shape pays for kernel selection and arena growth, so
        // there the shapes traffic will bring run too (a few batch sizes, short and long inputs).
        var sizes = [1]
        var inputs = [text]
        if executionProvider.isCUDA {
            sizes += [8, 64, batching.maxBatchInputs].filter { $0 <= batching.maxBatchInputs }
            inputs.append(String(repeating: "Tern warms up every batch shape before it reports ready. ", count: 12))
        }
        for size in sizes {
            for input in inputs {
                let texts = Array(repeating: input, count: size)
                switch self {
                case .embeddings(let pipeline): _ = try await pipeline.embed(texts.map { .text($0) })
                case .rerank(let pipeline): _ = try await pipeline.rerank(query: text, texts: texts)
                case .classify(let pipeline): _ = try await pipeline.classify(texts.map { .single($0) })
                }
            }
        }
    }

    /// Serves until graceful shutdown, then answers everything accepted and stops the engines.
    public func run() async throws {
        try await model.scheduler.run()
    }

    /// Answers everything accepted, then stops the engines (what `run` does on graceful shutdown).
    public func shutdown() async throws {
        try await model.scheduler.shutdown()
    }
}

/// What a model is served for.
public enum ModelTask: Sendable, Hashable, CustomStringConvertible {
    /// Sentence embeddings: pooled token vectors.
    case embeddings
    /// A cross-encoder: one logit per (query, text) pair.
    case rerank
    /// Sequence classification over `labels`; multi-label models score each label independently.
    case classify(multiLabel: Bool)

    /// The name used in configuration and `--task`.
    public var name: String {
        switch self {
        case .embeddings: "embeddings"
        case .rerank: "rerank"
        case .classify: "classify"
        }
    }

    public var description: String { name }
}
