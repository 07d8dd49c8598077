import Foundation
import Logging
import ONNXRuntime
import Scheduler
import Tokenizers

/// Text in, vectors out: tokenizes, batches with other requests, runs the model, pools, normalises.
public final class EmbeddingPipeline: Sendable {
    let model: EncoderModel
    /// Whether vectors are L2-normalised unless a request says otherwise.
    public let normalizesByDefault: Bool
    /// The pooling the backend applies.
    public let pooling: PoolingStrategy
    /// Named prompts a request may ask for (`prompt_name`).
    public let prompts: [String: String]
    /// Prepended to texts when a request names no prompt.
    public let defaultPrompt: String?

    /// Creates the ONNX Runtime session and the scheduler. Blocking (the session reads the weights):
    /// call it off the event loops.
    /// - Throws: `ModelLoadError` naming the file at fault, or ONNX Runtime's error.
    public init(
        modelID: String,
        directory: ModelDirectory,
        configuration: PipelineConfiguration,
        environment: ONNXRuntime.Environment,
        logger: Logger
    ) throws {
        let pooling = configuration.pooling ?? directory.pooling
        self.model = try EncoderModel(
            modelID: modelID, directory: directory, configuration: configuration, environment: environment,
            head: .pooled(pooling, dense: directory.dense), logger: logger)
        self.pooling = pooling
        self.normalizesByDefault = configuration.normalize ?? directory.normalize
        self.prompts = directory.prompts
        if let literal = configuration.defaultPrompt {
            self.defaultPrompt = literal
        } else if let name = configuration.defaultPromptName ?? directory.defaultPromptName {
            guard let prompt = directory.prompts[name] else {
                throw ModelLoadError(
                    path: directory.url.appendingPathComponent("config_sentence_transformers.json").path,
                    problem: "the default prompt name '\(name)' is not one of the model's prompts ("
                        + (directory.prompts.isEmpty ? "it has none" : directory.prompts.keys.sorted().joined(separator: ", "))
                        + ")")
            }
            self.defaultPrompt = prompt
        } else {
            self.defaultPrompt = nil
        }
        if let hidden = directory.hiddenSize, directory.dense.isEmpty, model.outputWidth > 0, hidden != model.outputWidth {
            logger.warning(
                "config.json hidden_size differs from the ONNX output width",
                metadata: ["config": "\(hidden)", "onnx": "\(model.outputWidth)"]
            )
        }
    }

    /// The name clients use for the model.
    public var modelID: String { model.modelID }
    /// Width of the vectors the model produces.
    public var dimensions: Int { model.outputWidth }
    /// Longest input in tokens.
    public var maxLength: Int { model.maxLength }
    /// Whether inputs over `maxLength` are truncated rather than refused by default.
    public var truncates: Bool { model.truncatesByDefault }
    /// Token ids must be below this.
    public var vocabularySize: Int { model.tokenizer.vocabularySize }

    /// Embeds every input; vectors come back in input order.
    /// - Parameters:
    ///   - inputs: texts or token-id lists.
    ///   - dimensions: keep only the first `dimensions` components (then renormalise); nil keeps all.
    ///   - normalize: L2-normalise; nil follows the model's configuration.
    ///   - truncation: how to handle inputs over the maximum length.
    ///   - promptName: one of ``prompts``, prepended to every text (token ids are used as given); nil uses
    ///     ``defaultPrompt``.
    ///   - deadline: when the caller stops waiting; work still queued then is dropped, never run.
    public func embed(
        _ inputs: [EmbeddingInput],
        dimensions: Int? = nil,
        normalize: Bool? = nil,
        truncation: TruncationOptions = TruncationOptions(),
        promptName: String? = nil,
        deadline: ContinuousClock.Instant? = nil
    ) async throws(InferenceError) -> EmbeddingResult {
        if let dimensions, dimensions < 1 || dimensions > self.dimensions {
            throw .invalidDimensions(dimensions, available: self.dimensions)
        }
        let prompt = try resolvePrompt(promptName)
        let single = inputs.count == 1
        let model = self.model
        var (tokenized, timings) = try await model.tokenize(count: inputs.count) { index throws(InferenceError) in
            switch inputs[index] {
            case .text(let text):
                return try model.encode(text, prompt: prompt, at: single ? nil : index, options: truncation)
            case .tokens(let ids):
                return try model.encode(ids: ids, at: single ? nil : index, options: truncation)
            }
        }
        var embeddings = try await model.run(tokenized, timings: &timings, deadline: deadline)
        let normalized = normalize ?? normalizesByDefault
        for i in embeddings.indices {
            if let dimensions, dimensions < self.dimensions {
                embeddings[i].removeLast(self.dimensions - dimensions)
            }
            if normalized { VectorMath.normalize(&embeddings[i]) }
        }
        return EmbeddingResult(
            embeddings: embeddings, promptTokens: tokenized.reduce(0) { $0 + $1.count }, timings: timings)
    }

    /// Every token's vector of each text, as the encoder gives them (before pooling, Dense or normalisation),
    /// special tokens included: what TEI's `/embed_all` returns.
    public func embedTokens(
        _ texts: [String],
        truncation: TruncationOptions = TruncationOptions(),
        promptName: String? = nil,
        deadline: ContinuousClock.Instant? = nil
    ) async throws(InferenceError) -> TokenEmbeddingResult {
        let prompt = try resolvePrompt(promptName)
        let single = texts.count == 1
        let model = self.model
        var (tokenized, timings) = try await model.tokenize(count: texts.count) { index throws(InferenceError) in
            var input = try model.encode(texts[index], prompt: prompt, at: single ? nil : index, options: truncation)
            input.returnsTokens = true
            return input
        }
        let rows = try await model.run(tokenized, timings: &timings, deadline: deadline)
        let tokens = zip(tokenized, rows).map { input, row -> [[Float]] in
            let width = input.count > 0 ? row.count / input.count : 0
            return (0..<input.count).map { Array(row[($0 * width)..<(($0 + 1) * width)]) }
        }
        return TokenEmbeddingResult(
            tokens: tokens, promptTokens: tokenized.reduce(0) { $0 + $1.count }, timings: timings)
    }

    /// The prompt a request asks for by name, else the default.
    private func resolvePrompt(_ name: String?) throws(InferenceError) -> String? {
        guard let name else { return defaultPrompt }
        guard let named = prompts[name] else {
            throw InferenceError(
                .validation, code: "invalid_prompt_name",
                message: "prompt_name '\(name)' is not one of the model's prompts ("
                    + (prompts.isEmpty ? "it has none" : prompts.keys.sorted().joined(separator: ", ")) + ")",
                parameter: "prompt_name")
        }
        return named
    }
}
