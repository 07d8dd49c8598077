import Foundation

/// A transformer encoder's shape as `config.json` gives it, for building its graph from a checkpoint.
public struct EncoderArchitecture: Sendable {
    /// The families Tern builds; each maps transformers' weight names for its `model_type`s.
    public enum Family: String, Sendable {
        case bert, roberta, distilbert, mpnet
    }

    /// `model_type`s and the family that builds them.
    static let families: [String: Family] = [
        "bert": .bert, "roberta": .roberta, "xlm-roberta": .roberta, "camembert": .roberta, "distilbert": .distilbert,
        "mpnet": .mpnet,
    ]
    /// `hidden_act` values and the activation they are.
    static let activations: [String: Activation] = [
        "gelu": .gelu, "gelu_python": .gelu, "gelu_new": .tanhGelu, "gelu_pytorch_tanh": .tanhGelu,
        "gelu_fast": .tanhGelu, "relu": .relu, "silu": .silu, "swish": .silu,
    ]

    /// The feed-forward activation.
    public enum Activation: String, Sendable {
        /// The exact (erf) GELU.
        case gelu
        /// GELU's tanh approximation.
        case tanhGelu
        case relu
        case silu
    }

    public let family: Family
    public let modelType: String
    /// `architectures[0]`, e.g. `BertModel`, `XLMRobertaForSequenceClassification`.
    public let architecture: String
    public let hiddenSize: Int
    public let heads: Int
    public let layers: Int
    public let intermediateSize: Int
    public let activation: Activation
    public let layerNormEpsilon: Float
    public let vocabularySize: Int
    public let maxPositions: Int
    /// Token type embeddings (0 when the family has none).
    public let typeVocabularySize: Int
    /// RoBERTa and MPNet count positions from `pad_token_id + 1`.
    public let paddingIndex: Int
    /// MPNet's relative attention buckets.
    public let relativeAttentionBuckets: Int
    /// Whether the checkpoint holds a sequence-classification head (its label count is `labels`).
    public let classifies: Bool
    public let labels: Int

    /// Reads the architecture from `config.json`.
    /// - Throws: `ModelLoadError` naming `config.json` for an unsupported `model_type` (listing the supported
    ///   ones) or a missing or inconsistent size.
    init(config: [String: Any], reader: ModelFileReader) throws(ModelLoadError) {
        let file = "config.json"
        let modelType = (config["model_type"] as? String) ?? ""
        guard let family = Self.families[modelType] else {
            throw reader.error(
                file,
                "model_type '\(modelType)' cannot be built from a checkpoint (supported: "
                    + Self.families.keys.sorted().joined(separator: ", ") + "); export it to ONNX instead")
        }
        let architecture = ((config["architectures"] as? [Any])?.first as? String) ?? ""
        func required(_ keys: [String]) throws(ModelLoadError) -> Int {
            for key in keys {
                if let value = try reader.int(config, key, in: file) {
                    guard value > 0 else { throw reader.error(file, "'\(key)' must be positive") }
                    return value
                }
            }
            throw reader.error(file, "no '\(keys[0])' (needed to build the \(modelType) graph)")
        }
        self.family = family
        self.modelType = modelType
        self.architecture = architecture
        if family == .distilbert {
            hiddenSize = try required(["dim"])
            heads = try required(["n_heads"])
            layers = try required(["n_layers"])
            intermediateSize = try required(["hidden_dim"])
        } else {
            hiddenSize = try required(["hidden_size"])
            heads = try required(["num_attention_heads"])
            layers = try required(["num_hidden_layers"])
            intermediateSize = try required(["intermediate_size"])
        }
        guard hiddenSize % heads == 0 else {
            throw reader.error(file, "hidden size \(hiddenSize) is not a multiple of \(heads) attention heads")
        }
        let activationName =
            (config[family == .distilbert ? "activation" : "hidden_act"] as? String) ?? "gelu"
        guard let activation = Self.activations[activationName] else {
            throw reader.error(
                file,
                "activation '\(activationName)' is not supported (supported: "
                    + Self.activations.keys.sorted().joined(separator: ", ") + ")")
        }
        self.activation = activation
        let epsilon = (config["layer_norm_eps"] as? NSNumber)?.floatValue ?? (family == .mpnet ? 1e-5 : 1e-12)
        self.layerNormEpsilon = epsilon
        vocabularySize = try required(["vocab_size"])
        maxPositions = try required(["max_position_embeddings"])
        typeVocabularySize =
            family == .distilbert || family == .mpnet ? 0 : (try reader.int(config, "type_vocab_size", in: file) ?? 2)
        paddingIndex = try reader.int(config, "pad_token_id", in: file) ?? 1
        relativeAttentionBuckets = try reader.int(config, "relative_attention_num_buckets", in: file) ?? 32
        classifies = architecture.hasSuffix("ForSequenceClassification")
        if classifies {
            if let labelMap = config["id2label"] as? [String: Any], !labelMap.isEmpty {
                labels = labelMap.count
            } else {
                labels = try reader.int(config, "num_labels", in: file) ?? 2
            }
        } else {
            labels = 0
        }
    }

    /// Whether a `model_type` numbers positions from `pad_token_id + 1` (RoBERTa's scheme).
    static func offsetsPositions(_ modelType: String) -> Bool {
        families[modelType] == .roberta || families[modelType] == .mpnet
    }

    /// Width of one attention head.
    public var headSize: Int { hiddenSize / heads }
}
