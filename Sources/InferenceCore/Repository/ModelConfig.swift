import Foundation
import ONNXRuntime
import Yams

/// A repository model's `config.yaml` (or `config.json`): every key optional, unknown keys refused.
public struct ModelConfig: Sendable, Hashable {
    /// What the model is served for; default: `embeddings` for a sentence-transformers directory, else `raw`.
    public var task: RepositoryTask?
    /// Rows one execution may hold; 0 turns batching off.
    public var maxBatchSize: Int?
    /// Batch requests together along dim 0 (default true).
    public var dynamicBatching: Bool?
    /// How long a free engine waits for a fuller batch, in milliseconds.
    public var maxBatchWaitMilliseconds: Double?
    /// ONNX Runtime intra-op threads per engine.
    public var threads: Int?
    /// Model executions in flight at once.
    public var engines: Int?
    /// Which weights a text model serves (`onnx`, `safetensors`, `auto`).
    public var weights: WeightsChoice?
    /// How a text model's graph built from its checkpoint computes (`none`, `int8`).
    public var quantize: WeightQuantization?
    /// Per-input settings, checked against the graph at load.
    public var inputs: [RawPipelineConfiguration.InputOverride]
    /// Where this model runs, overriding `--execution-provider`: a provider or a list tried in order (`cuda,cpu`).
    public var executionProviders: [ExecutionProvider]?

    /// The keys a configuration may hold.
    public static let keys = [
        "task", "max_batch_size", "dynamic_batching", "max_batch_wait_ms", "threads", "engines", "weights", "quantize", "inputs",
        "execution_provider",
    ] + imageKeys

    /// The keys only an image model's configuration may hold (read by `ImageModelSpec`).
    public static let imageKeys = ["preprocess", "postprocess", "input", "output"]

    public init(
        task: RepositoryTask? = nil, maxBatchSize: Int? = nil, dynamicBatching: Bool? = nil,
        maxBatchWaitMilliseconds: Double? = nil, threads: Int? = nil, engines: Int? = nil,
        inputs: [RawPipelineConfiguration.InputOverride] = []
    ) {
        self.task = task
        self.maxBatchSize = maxBatchSize
        self.dynamicBatching = dynamicBatching
        self.maxBatchWaitMilliseconds = maxBatchWaitMilliseconds
        self.threads = threads
        self.engines = engines
        self.inputs = inputs
    }

    /// Reads `config.yaml`, else `config.json`, from a model's directory; the empty configuration when
    /// there is neither.
    /// - Throws: `ModelLoadError` naming the file and the key at fault.
    public static func load(modelDirectory: URL) throws(ModelLoadError) -> ModelConfig {
        guard let file = file(in: modelDirectory), let dictionary = try parse(file) else { return ModelConfig() }
        return try ModelConfig(dictionary, path: file.path)
    }

    /// The configuration file of a model's directory, if it has one.
    public static func file(in modelDirectory: URL) -> URL? {
        ["config.yaml", "config.yml", "config.json"].lazy.map { modelDirectory.appendingPathComponent($0) }
            .first { FileManager.default.fileExists(atPath: $0.path) }
    }

    /// The mapping a YAML or JSON configuration file holds; `nil` when the file is empty.
    /// - Throws: `ModelLoadError` when it cannot be read or parsed, or is not a mapping.
    static func parse(_ file: URL) throws(ModelLoadError) -> [String: Any]? {
        let path = file.path
        let parsed: Any?
        do {
            // JSON is YAML 1.2, and Yams gives Swift types (Foundation's JSON gives NSNumbers that
            // pass for Bool).
            parsed = try Yams.load(yaml: String(contentsOf: file, encoding: .utf8))
        } catch {
            throw ModelLoadError(path: path, problem: "cannot be parsed: \(error)")
        }
        guard let parsed else { return nil }
        guard let dictionary = parsed as? [String: Any] else {
            throw ModelLoadError(path: path, problem: "must be a mapping of keys to values")
        }
        return dictionary
    }

    /// Builds a configuration from a parsed file.
    init(_ dictionary: [String: Any], path: String) throws(ModelLoadError) {
        let reader = ConfigReader(path: path)
        if let unknown = dictionary.keys.sorted().first(where: { !Self.keys.contains($0) }) {
            throw reader.error("unknown key '\(unknown)'; the keys are: \(Self.keys.joined(separator: ", "))")
        }
        self.init()
        task = try reader.choice(dictionary, "task", as: RepositoryTask.self)
        maxBatchSize = try reader.int(dictionary, "max_batch_size", minimum: 0)
        dynamicBatching = try reader.bool(dictionary, "dynamic_batching")
        maxBatchWaitMilliseconds = try reader.double(dictionary, "max_batch_wait_ms", minimum: 0)
        threads = try reader.int(dictionary, "threads", minimum: 1)
        engines = try reader.int(dictionary, "engines", minimum: 1)
        weights = try reader.choice(dictionary, "weights", as: WeightsChoice.self)
        quantize = try reader.choice(dictionary, "quantize", as: WeightQuantization.self)
        inputs = try reader.inputs(dictionary["inputs"])
        if let providers = try reader.string(dictionary, "execution_provider") {
            guard let list = ExecutionProvider.list(providers) else {
                throw reader.error("execution_provider '\(providers)' is not one of \(ExecutionProvider.listSyntax)")
            }
            executionProviders = list
        }
        if task?.imageTask == nil, let key = Self.imageKeys.first(where: { dictionary[$0] != nil }) {
            throw reader.error("'\(key)' applies to image models only (task: depth, image-classify or image-embed)")
        }
    }
}
