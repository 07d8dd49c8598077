import InferenceCore
import ONNXRuntime

/// Where a registry loads repository models from, and with what server-wide settings.
public struct RepositorySource: Sendable {
    /// The model repository.
    public var repository: ModelRepository
    /// The ONNX Runtime environment sessions are created in.
    public var environment: ONNXRuntime.Environment
    /// The server's settings, overridden per model by its configuration file.
    public var base: PipelineConfiguration

    public init(repository: ModelRepository, environment: ONNXRuntime.Environment, base: PipelineConfiguration) {
        self.repository = repository
        self.environment = environment
        self.base = base
    }
}
