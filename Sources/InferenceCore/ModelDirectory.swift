import Foundation

/// A model directory in the sentence-transformers layout, read and checked before anything is loaded:
/// `config.json`, `tokenizer.json`, `modules.json`, `1_Pooling/config.json`, `sentence_bert_config.json`,
/// and the ONNX file at `model.onnx` or `onnx/model.onnx` (external weights beside it).
public struct ModelDirectory: Sendable {
    /// The directory itself.
    public let url: URL
    /// The ONNX graph.
    public let onnxFile: URL
    /// The Hugging Face tokenizer.
    public let tokenizerFile: URL
    /// Pooling from `1_Pooling/config.json` (mean when the model lists no Pooling module).
    public let pooling: PoolingStrategy
    /// Whether `modules.json` lists a Normalize module.
    public let normalize: Bool
    /// Longest input in tokens: `sentence_bert_config.json` `max_seq_length`, else the position limit.
    public let maxLength: Int
    /// `config.json` `hidden_size`, when given.
    public let hiddenSize: Int?
    /// What the model does: a `...Classification` architecture is a reranker with one label and a
    /// classifier with more; anything else is an embedding model.
    public let task: ModelTask
    /// Class names in logit order (`config.json` `id2label`); empty for embedding models.
    public let labels: [String]

    /// Reads and checks the directory.
    /// - Throws: `ModelLoadError` naming the missing or malformed file.
    public init(url: URL) throws(ModelLoadError) {
        let reader = ModelFileReader(directory: url)
        try reader.requireDirectory()
        self.url = url
        self.onnxFile = try reader.firstExisting(["model.onnx", "onnx/model.onnx"], what: "ONNX model")
        self.tokenizerFile = try reader.firstExisting(["tokenizer.json"], what: "tokenizer")

        let config = try reader.object("config.json", required: true)!
        self.hiddenSize = try reader.int(config, "hidden_size", in: "config.json")
        let positions = try reader.int(config, "max_position_embeddings", in: "config.json")

        let classification = try ClassificationConfig(config, reader: reader)
        self.task = classification?.task ?? .embeddings
        self.labels = classification?.labels ?? []

        let modules = try SentenceTransformerModules(reader: reader)
        self.normalize = modules.normalize
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

    private static func pooling(reader: ModelFileReader, path: String) throws(ModelLoadError) -> PoolingStrategy {
        let file = path.isEmpty ? "config.json" : "\(path)/config.json"
        let config = try reader.object(file, required: true)!
        if let mode = config["pooling_mode"] as? String {
            guard let strategy = PoolingStrategy(rawValue: mode) else {
                throw reader.error(file, "pooling_mode '\(mode)' is not supported (supported: mean, cls, max)")
            }
            return strategy
        }
        let flags: [(key: String, strategy: PoolingStrategy?)] = [
            ("pooling_mode_mean_tokens", .mean), ("pooling_mode_cls_token", .cls), ("pooling_mode_max_tokens", .max),
            ("pooling_mode_mean_sqrt_len_tokens", nil), ("pooling_mode_weightedmean_tokens", nil),
            ("pooling_mode_lasttoken", nil),
        ]
        let enabled = flags.filter { config[$0.key] as? Bool == true }
        guard enabled.count == 1, let strategy = enabled[0].strategy else {
            let names = enabled.map(\.key).joined(separator: ", ")
            throw reader.error(
                file,
                enabled.isEmpty
                    ? "no pooling mode is enabled"
                    : "pooling \(names) is not supported (supported: one of mean, cls, max)"
            )
        }
        return strategy
    }
}
