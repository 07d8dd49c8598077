import Foundation

/// Which weights of a model directory to serve.
public enum WeightsChoice: String, Sendable, CaseIterable {
    /// The ONNX file when there is one, else the safetensors checkpoint.
    case auto
    /// The ONNX file (`model.onnx` or `onnx/model.onnx`).
    case onnx
    /// The safetensors checkpoint, built into a graph in memory.
    case safetensors
}

/// How the linear layers of a graph Tern builds from a checkpoint compute.
public enum WeightQuantization: String, Sendable, CaseIterable {
    /// fp32, as the checkpoint (F16 and BF16 widened).
    case none
    /// int8 weights, quantised at load per output channel (symmetric, scale = largest |w| / 127), with activations
    /// quantised per batch: ONNX Runtime's `com.microsoft.DynamicQuantizeMatMul` (VNNI int8 kernels on x86).
    /// Attention, layer norms, activations and the feed-forward down projection stay fp32.
    case int8
}

/// The weights a model is served from.
public enum ModelWeights: Sendable {
    /// An ONNX graph (external weights beside it).
    case onnx(URL)
    /// `model.safetensors` (or its sharded index) in the directory, with the encoder it holds.
    case checkpoint(directory: URL, file: URL, architecture: EncoderArchitecture)

    /// The file served, for messages.
    public var file: URL {
        switch self {
        case .onnx(let file): file
        case .checkpoint(_, let file, _): file
        }
    }

    /// `onnx` or `safetensors`, for `/info` and logs.
    public var format: String {
        switch self {
        case .onnx: "onnx"
        case .checkpoint: "safetensors"
        }
    }
}

/// A model directory in the sentence-transformers or Hugging Face layout, read and checked before anything is
/// loaded: `config.json`, `tokenizer.json`, `modules.json`, `1_Pooling/config.json`, `sentence_bert_config.json`,
/// and the weights: an ONNX file at `model.onnx` or `onnx/model.onnx` (external weights beside it), or
/// `model.safetensors` / `model.safetensors.index.json` as transformers saves them.
public struct ModelDirectory: Sendable {
    /// The directory itself.
    public let url: URL
    /// The weights to serve.
    public let weights: ModelWeights
    /// The file the weights come from.
    public var weightsFile: URL { weights.file }
    /// The Hugging Face tokenizer.
    public let tokenizerFile: URL
    /// Pooling from `1_Pooling/config.json` (mean when the model lists no Pooling module).
    public let pooling: PoolingStrategy
    /// Whether `modules.json` lists a Normalize module.
    public let normalize: Bool
    /// `Dense` modules applied after pooling, in order.
    let dense: [DenseLayer]
    /// Named prompts (`config_sentence_transformers.json` `prompts`), prepended to texts on request.
    public let prompts: [String: String]
    /// The prompt used when a request names none (`default_prompt_name`).
    public let defaultPromptName: String?
    /// Longest input in tokens: `sentence_bert_config.json` `max_seq_length`, else the position limit.
    public let maxLength: Int
    /// `config.json` `hidden_size`, when given.
    public let hiddenSize: Int?
    /// What the model does: a `...Classification` architecture is a reranker with one label and a
    /// classifier with more; anything else is an embedding model.
    public let task: ModelTask
    /// Class names in logit order (`config.json` `id2label`); empty for embedding models.
    public let labels: [String]

    static let onnxCandidates = ["model.onnx", "onnx/model.onnx"]
    static let checkpointCandidates = ["model.safetensors", "model.safetensors.index.json"]

    /// Reads and checks the directory.
    /// - Parameter choice: which weights to serve when the directory has both an ONNX file and a checkpoint.
    /// - Throws: `ModelLoadError` naming the missing or malformed file.
    public init(url: URL, weights choice: WeightsChoice = .auto) throws(ModelLoadError) {
        let reader = ModelFileReader(directory: url)
        try reader.requireDirectory()
        self.url = url
        self.tokenizerFile = try reader.firstExisting(["tokenizer.json"], what: "tokenizer")

        let config = try reader.object("config.json", required: true)!
        self.weights = try Self.weights(choice, reader: reader, config: config)
        self.hiddenSize = try reader.int(config, "hidden_size", in: "config.json")
        var positions = try reader.int(config, "max_position_embeddings", in: "config.json")
        // RoBERTa-style models (XLM-R, CamemBERT, MPNet) number positions from pad_token_id + 1, so that many
        // fewer tokens fit.
        if let type = config["model_type"] as? String, EncoderArchitecture.offsetsPositions(type), let limit = positions {
            positions = limit - ((try reader.int(config, "pad_token_id", in: "config.json")) ?? 1) - 1
        }

        let classification = try ClassificationConfig(config, reader: reader)
        self.task = classification?.task ?? .embeddings
        self.labels = classification?.labels ?? []

        let modules = try SentenceTransformerModules(reader: reader)
        self.normalize = modules.normalize
        self.dense = modules.dense
        let stConfig = try reader.object("config_sentence_transformers.json", required: false) ?? [:]
        var prompts: [String: String] = [:]
        if let declared = stConfig["prompts"] {
            guard let pairs = declared as? [String: Any] else {
                throw reader.error("config_sentence_transformers.json", "'prompts' must map names to strings")
            }
            for (name, text) in pairs {
                guard let text = text as? String else {
                    throw reader.error("config_sentence_transformers.json", "prompt '\(name)' is not a string")
                }
                prompts[name] = text
            }
        }
        self.prompts = prompts
        let defaultName = stConfig["default_prompt_name"] as? String
        if let defaultName, prompts[defaultName] == nil {
            throw reader.error(
                "config_sentence_transformers.json", "default_prompt_name '\(defaultName)' is not one of its prompts")
        }
        self.defaultPromptName = defaultName
        if let poolingPath = modules.poolingPath {
            self.pooling = try Self.pooling(reader: reader, path: poolingPath)
        } else {
            self.pooling = .mean
        }

        let sentenceConfig = try reader.object("sentence_bert_config.json", required: false)
        var configured: Int?
        if let sentenceConfig {
            configured = try reader.int(sentenceConfig, "max_seq_length", in: "sentence_bert_config.json")
        }
        guard let length = configured ?? positions, length > 0 else {
            throw ModelLoadError(
                path: url.appendingPathComponent("sentence_bert_config.json").path,
                problem: "no max_seq_length here and no max_position_embeddings in config.json"
            )
        }
        self.maxLength = positions.map { Swift.min(length, $0) } ?? length
    }

    private static func weights(_ choice: WeightsChoice, reader: ModelFileReader, config: [String: Any])
        throws(ModelLoadError) -> ModelWeights
    {
        let onnx = onnxCandidates.first(where: reader.exists)
        let checkpoint = checkpointCandidates.first(where: reader.exists)
        let useCheckpoint: Bool
        switch choice {
        case .auto: useCheckpoint = onnx == nil && checkpoint != nil
        case .onnx: useCheckpoint = false
        case .safetensors: useCheckpoint = true
        }
        if useCheckpoint {
            guard let checkpoint else {
                throw ModelLoadError(
                    path: reader.directory.path,
                    problem: "no safetensors checkpoint (looked for \(checkpointCandidates.joined(separator: ", ")))")
            }
            return .checkpoint(
                directory: reader.directory, file: reader.directory.appendingPathComponent(checkpoint),
                architecture: try EncoderArchitecture(config: config, reader: reader))
        }
        guard let onnx else {
            let also = choice == .auto ? " and no safetensors checkpoint (\(checkpointCandidates.joined(separator: ", ")))" : ""
            throw ModelLoadError(
                path: reader.directory.path,
                problem: "no ONNX model file (looked for \(onnxCandidates.joined(separator: ", ")))\(also)")
        }
        return .onnx(reader.directory.appendingPathComponent(onnx))
    }

    private static func pooling(reader: ModelFileReader, path: String) throws(ModelLoadError) -> PoolingStrategy {
        let file = path.isEmpty ? "config.json" : "\(path)/config.json"
        let config = try reader.object(file, required: true)!
        if config["include_prompt"] as? Bool == false {
            // Pooling over the text only would need the prompt's tokens masked out; refused rather than approximated.
            throw reader.error(file, "include_prompt: false is not supported (prompt tokens are always pooled)")
        }
        if let mode = config["pooling_mode"] as? String {
            guard let strategy = PoolingStrategy(rawValue: mode) else {
                throw reader.error(
                    file,
                    "pooling_mode '\(mode)' is not supported (supported: "
                        + PoolingStrategy.allCases.map(\.rawValue).joined(separator: ", ") + ")")
            }
            return strategy
        }
        let flags: [(key: String, strategy: PoolingStrategy?)] = [
            ("pooling_mode_mean_tokens", .mean), ("pooling_mode_cls_token", .cls), ("pooling_mode_max_tokens", .max),
            ("pooling_mode_mean_sqrt_len_tokens", .meanSqrtLength), ("pooling_mode_weightedmean_tokens", nil),
            ("pooling_mode_lasttoken", .lasttoken),
        ]
        let enabled = flags.filter { config[$0.key] as? Bool == true }
        guard enabled.count == 1, let strategy = enabled[0].strategy else {
            let names = enabled.map(\.key).joined(separator: ", ")
            throw reader.error(
                file,
                enabled.isEmpty
                    ? "no pooling mode is enabled"
                    : "pooling \(names) is not supported (supported: one of mean, cls, max, lasttoken, mean_sqrt_len)"
            )
        }
        return strategy
    }
}
