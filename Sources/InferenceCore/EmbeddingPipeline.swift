import Foundation
import Logging
import ONNXRuntime
import Scheduler
import Tokenizers

/// Text in, vectors out: tokenizes, batches with other requests, runs the model, pools.
public final class EmbeddingPipeline: Sendable {
    /// The name clients use for the model.
    public let modelID: String
    /// Width of the vectors the model produces.
    public let dimensions: Int
    /// Longest input in tokens.
    public let maxLength: Int
    /// Whether inputs over `maxLength` are truncated rather than refused.
    public let truncates: Bool

    private let tokenizer: Tokenizer
    private let truncation: Truncation
    private let scheduler: BatchScheduler<ONNXEmbeddingBackend>

    /// Creates the ONNX Runtime session and the scheduler. Blocking (the session reads the weights):
    /// call it off the event loops.
    /// - Throws: `ModelLoadError` naming the file at fault, or ONNX Runtime's error.
    public init(
        modelID: String,
        directory: ModelDirectory,
        configuration: EmbeddingPipelineConfiguration,
        environment: ONNXRuntime.Environment,
        logger: Logger
    ) throws {
        let tokenizer: Tokenizer
        do { tokenizer = try Tokenizer(contentsOf: directory.tokenizerFile) } catch {
            throw ModelLoadError(path: directory.tokenizerFile.path, problem: "\(error)")
        }
        let maxLength = Swift.min(configuration.maxLength ?? directory.maxLength, directory.maxLength)
        let backend = try ONNXEmbeddingBackend(
            modelFile: directory.onnxFile,
            environment: environment,
            options: configuration.session,
            pooling: configuration.pooling ?? directory.pooling,
            normalize: configuration.normalize ?? directory.normalize
        )
        if let hidden = directory.hiddenSize, hidden != backend.hiddenSize, backend.hiddenSize > 0 {
            logger.warning(
                "config.json hidden_size differs from the ONNX output width",
                metadata: ["config": "\(hidden)", "onnx": "\(backend.hiddenSize)"]
            )
        }
        self.modelID = modelID
        self.dimensions = backend.hiddenSize > 0 ? backend.hiddenSize : (directory.hiddenSize ?? 0)
        self.maxLength = maxLength
        self.truncates = configuration.truncate
        self.tokenizer = tokenizer
        self.truncation = Truncation(maxLength: maxLength)
        self.scheduler = BatchScheduler(
            executor: backend, configuration: configuration.batching, logger: logger, model: modelID)
    }

    /// Token ids must be below this.
    public var vocabularySize: Int { tokenizer.vocabularySize }

    /// Embeds every input; vectors come back in input order.
    /// - Parameters:
    ///   - inputs: texts or token-id lists.
    ///   - dimensions: keep only the first `dimensions` components (then renormalise); nil keeps all.
    ///   - deadline: when the caller stops waiting; work still queued then is dropped, never run.
    public func embed(
        _ inputs: [EmbeddingInput],
        dimensions: Int? = nil,
        deadline: ContinuousClock.Instant? = nil
    ) async throws(InferenceError) -> EmbeddingResult {
        if let dimensions, dimensions < 1 || dimensions > self.dimensions {
            throw .invalidDimensions(dimensions, available: self.dimensions)
        }
        let tokenized = try tokenize(inputs)
        var embeddings: [[Float]]
        do {
            embeddings = try await scheduler.submit(tokenized, deadline: deadline)
        } catch let error as SchedulerError {
            switch error.kind {
            case .shuttingDown: throw .shuttingDown
            case .overloaded: throw .overloaded(error.description)
            case .timedOut: throw .timeout
            case .internalError: throw .backend(error)
            }
        } catch is CancellationError {
            throw .cancelled
        } catch {
            throw .backend(error)
        }
        if let dimensions, dimensions < self.dimensions {
            for i in embeddings.indices {
                embeddings[i].removeLast(self.dimensions - dimensions)
                VectorMath.normalize(&embeddings[i])
            }
        }
        return EmbeddingResult(embeddings: embeddings, promptTokens: tokenized.reduce(0) { $0 + $1.count })
    }

    /// Runs the model once so the first client does not pay for lazy initialisation.
    public func warmUp() async throws(InferenceError) {
        _ = try await embed([.text("Tern warms up before it reports ready.")])
    }

    /// Serves until graceful shutdown, then answers everything accepted and stops the engines.
    public func run() async throws {
        try await scheduler.run()
    }

    /// Answers everything accepted, then stops the engines (what `run` does on graceful shutdown).
    public func shutdown() async throws {
        try await scheduler.shutdown()
    }

    /// Inputs queued for an engine now.
    public var queuedInputs: Int { scheduler.queuedInputs }

    /// The scheduler's totals since start.
    public var schedulerCounters: SchedulerCounters { scheduler.counters }

    private func tokenize(_ inputs: [EmbeddingInput]) throws(InferenceError) -> [TokenizedInput] {
        var result: [TokenizedInput] = []
        result.reserveCapacity(inputs.count)
        let vocabularySize = tokenizer.vocabularySize
        for (index, input) in inputs.enumerated() {
            switch input {
            case .text(let text):
                if text.isEmpty { throw .emptyInput(at: inputs.count == 1 ? nil : index) }
                let encoding = tokenizer.encode(text, truncation: truncates ? truncation : nil)
                if encoding.count > maxLength { throw .inputTooLong(at: index, tokens: encoding.count, maxLength: maxLength) }
                result.append(TokenizedInput(ids: encoding.ids, typeIds: encoding.typeIds))
            case .tokens(let ids):
                if ids.isEmpty { throw .emptyInput(at: inputs.count == 1 ? nil : index) }
                if let bad = ids.first(where: { $0 < 0 || $0 >= vocabularySize }) {
                    throw .invalidTokenID(bad, at: index, vocabularySize: vocabularySize)
                }
                if ids.count > maxLength, !truncates {
                    throw .inputTooLong(at: index, tokens: ids.count, maxLength: maxLength)
                }
                let kept = ids.prefix(maxLength).map { Int32($0) }
                result.append(TokenizedInput(ids: kept, typeIds: Array(repeating: 0, count: kept.count)))
            }
        }
        return result
    }
}
