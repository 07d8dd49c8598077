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
            let configuration = model.textConfiguration(base: base)
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
