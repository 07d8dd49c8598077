import Foundation
import ONNXRuntime
import Scheduler

/// One model of a repository, resolved to the version to serve.
public struct RepositoryModel: Sendable {
    /// The model's name (its directory's).
    public let name: String
    /// The version served: the highest positive-integer version directory.
    public let version: String
    /// The version directory.
    public let directory: URL
    /// The ONNX file (external data beside it is found by ONNX Runtime).
    public let modelFile: URL
    /// The model's configuration file, or the empty one.
    public let config: ModelConfig
    /// Where `config` was read from, when there is a file.
    public let configFile: URL?
    /// What the model is served for.
    public let task: RepositoryTask

    public init(
        name: String, version: String, directory: URL, modelFile: URL, config: ModelConfig, configFile: URL? = nil,
        task: RepositoryTask
    ) {
        self.configFile = configFile
        self.name = name
        self.version = version
        self.directory = directory
        self.modelFile = modelFile
        self.config = config
        self.task = task
    }

    /// The raw pipeline's configuration: the server's settings, overridden by the model's.
    public func rawConfiguration(base: PipelineConfiguration) -> RawPipelineConfiguration {
        let maxBatchSize = config.maxBatchSize ?? base.batching.maxBatchInputs
        var batching = base.batching
        batching.maxBatchTokens = max(1, maxBatchSize)
        batching.maxBatchInputs = max(1, maxBatchSize)
        batching.groupingWindow = max(batching.groupingWindow, batching.maxBatchInputs)
        var session = base.session
        if let layout = base.rawModelEngines {
            batching.engines = layout.engines
            session.intraOpThreads = layout.threads
        }
        if let engines = config.engines { batching.engines = engines }
        if let wait = config.maxBatchWaitMilliseconds { batching.maxBatchWait = .microseconds(Int64(wait * 1000)) }
        if let threads = config.threads { session.intraOpThreads = threads }
        config.applyProviders(to: &session)
        return RawPipelineConfiguration(
            batching: batching,
            dynamicBatching: (config.dynamicBatching ?? true) && maxBatchSize > 0,
            session: session,
            inputs: config.inputs)
    }

    /// A text or image pipeline's configuration: the server's settings with the model's engines, wait and threads.
    public func pipelineConfiguration(base: PipelineConfiguration) -> PipelineConfiguration {
        var configuration = base
        // The model's own engines or threads are used as given, not measured.
        if config.engines != nil || config.threads != nil { configuration.calibration = nil }
        if let engines = config.engines { configuration.batching.engines = engines }
        if let wait = config.maxBatchWaitMilliseconds {
            configuration.batching.maxBatchWait = .microseconds(Int64(wait * 1000))
        }
        if let size = config.maxBatchSize, size > 0 { configuration.batching.maxBatchInputs = size }
        if let threads = config.threads { configuration.session.intraOpThreads = threads }
        config.applyProviders(to: &configuration.session)
        if let weights = config.weights { configuration.weights = weights }
        if let quantize = config.quantize { configuration.quantization = quantize }
        return configuration
    }
}

/// What a repository model is served for, as its `config.yaml` names it.
public enum RepositoryTask: String, Sendable, CaseIterable {
    /// Tensors in, tensors out, through KServe v2 only.
    case raw
    /// Sentence embeddings (the version directory is a sentence-transformers model directory).
    case embeddings
    /// A cross-encoder.
    case rerank
    /// A sequence classifier.
    case classify
    /// An image model's dense map (the version directory is an image model directory).
    case depth
    /// An image classifier.
    case imageClassify = "image-classify"
    /// An image encoder.
    case imageEmbed = "image-embed"

    /// The image task, for the image models.
    public var imageTask: ImageTask? {
        switch self {
        case .depth: .depth
        case .imageClassify: .classify
        case .imageEmbed: .embed
        case .raw, .embeddings, .rerank, .classify: nil
        }
    }

    /// The repository task that serves `task`.
    public init(_ task: ImageTask) {
        switch task {
        case .depth: self = .depth
        case .classify: self = .imageClassify
        case .embed: self = .imageEmbed
        }
    }
}

extension ModelConfig {
    /// Puts the model's own `execution_provider` list, if it has one, in place of the server's.
    func applyProviders(to session: inout SessionOptions) {
        guard let providers = executionProviders, let first = providers.first else { return }
        session.executionProvider = first
        session.fallbackProviders = Array(providers.dropFirst())
    }
}
