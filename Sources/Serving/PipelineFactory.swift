import Foundation
import InferenceCore
import Logging
import ONNXRuntime

/// The one place pipelines are built, for every source of models: `--model` directories and the models
/// of a repository (raw tensors or text tasks), all in one ONNX Runtime environment with the server's
/// settings (overridden per repository model by its configuration file).
public struct PipelineFactory: Sendable {
    /// The ONNX Runtime environment sessions are created in.
    public var environment: ONNXRuntime.Environment
    /// The server's settings.
    public var base: PipelineConfiguration
    public var logger: Logger

    public init(environment: ONNXRuntime.Environment, base: PipelineConfiguration, logger: Logger) {
        self.environment = environment
        self.base = base
        self.logger = logger
    }

    /// A host for a `--model` directory; it loads the pipeline when the registry runs it.
    public func host(modelID: String, directory: ModelDirectory, task: ModelTask) -> ModelHost {
        let factory = self
        return ModelHost(modelID: modelID, task: task, logger: logger) {
            try factory.textPipeline(modelID: modelID, directory: directory, task: task, configuration: factory.base)
        }
    }

    /// A host for a `--model` image directory; it reads the directory's settings now (so a bad key stops the
    /// server at once) and loads the session when the registry runs it.
    public func imageHost(modelID: String, directory: URL) throws(ModelLoadError) -> ImageModelHost {
        let spec = try ImageModelSpec(directory: directory)
        let factory = self
        return ImageModelHost(modelID: modelID, task: spec.task, logger: logger) {
            try ImagePipeline.load(
                name: modelID, directory: directory, spec: spec, environment: factory.environment,
                configuration: factory.base, logger: factory.logger)
        }
    }

    /// Builds the repository model `name`, ready to serve. Blocking: call it off the event loops.
    func model(named name: String, in repository: ModelRepository) throws -> ServedModel {
        let model = try repository.model(named: name)
        switch model.task {
        case .raw:
            let pipeline = try RawPipeline(
                name: name, version: model.version, modelFile: model.modelFile,
                configuration: model.rawConfiguration(base: base), environment: environment, logger: logger)
            return .raw(RawModelHost(pipeline: pipeline, logger: logger))
        case .embeddings, .rerank, .classify:
            let configuration = model.pipelineConfiguration(base: base)
            let directory = try ModelDirectory(url: model.directory, weights: configuration.weights)
            let task: ModelTask =
                switch model.task {
                case .rerank: .rerank
                case .classify:
                    if case .classify(let multiLabel) = directory.task { .classify(multiLabel: multiLabel) } else {
                        .classify(multiLabel: false)
                    }
                default: .embeddings
                }
            let pipeline = try textPipeline(
                modelID: name, directory: directory, task: task, configuration: configuration)
            return .text(ModelHost(modelID: name, task: task, logger: logger) { pipeline }, version: model.version)
        case .depth, .imageClassify, .imageEmbed:
            // The image keys live in the version directory's config.yaml, or else beside the versions with the
            // batching keys.
            let ownSettings = ["config.yaml", "config.yml"].contains {
                FileManager.default.fileExists(atPath: model.directory.appendingPathComponent($0).path)
            }
            let spec = try ImageModelSpec(
                directory: model.directory, settingsFile: ownSettings ? nil : model.configFile,
                otherKeys: ownSettings ? [] : ModelConfig.keys)
            let pipeline = try ImagePipeline.load(
                name: name, directory: model.directory, spec: spec, environment: environment,
                configuration: model.pipelineConfiguration(base: base), logger: logger)
            return .image(ImageModelHost(modelID: name, task: spec.task, logger: logger) { pipeline }, version: model.version)
        }
    }

    private func textPipeline(
        modelID: String, directory: ModelDirectory, task: ModelTask, configuration: PipelineConfiguration
    ) throws -> TextPipeline {
        try TextPipeline.load(
            modelID: modelID, directory: directory, task: task, configuration: configuration,
            environment: environment, logger: logger)
    }
}

/// Where a registry loads repository models from, and how it builds them.
public struct RepositorySource: Sendable {
    /// The model repository.
    public var repository: ModelRepository
    /// Builds each model with the server's settings.
    public var factory: PipelineFactory

    public init(repository: ModelRepository, factory: PipelineFactory) {
        self.repository = repository
        self.factory = factory
    }
}
