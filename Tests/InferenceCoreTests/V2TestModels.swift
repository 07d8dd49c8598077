import Foundation
import Logging
import ONNXRuntime
import TernTestSupport

@testable import InferenceCore

/// The tiny models `scripts/make-v2-test-models` writes to `models/v2/`.
enum V2TestModels {
    static func file(_ model: String, version: Int = 1) throws -> URL {
        try RepositoryPaths.model("v2").appendingPathComponent("\(model)/\(version)/model.onnx")
    }

    static func environment() throws -> ONNXRuntime.Environment {
        try Environment(library: ORTLibrary.load(path: RepositoryPaths.onnxRuntime()))
    }

    static func pipeline(
        _ model: String, configuration: RawPipelineConfiguration = RawPipelineConfiguration(), file: String? = nil
    ) throws -> RawPipeline {
        try RawPipeline(
            name: model, version: "1", modelFile: Self.file(file ?? model), configuration: configuration,
            environment: environment(), logger: Logger(label: "test"))
    }

    static func floats(_ values: [Float]) -> HostTensor.Contents {
        .fixed(values.withUnsafeBytes { Array($0) })
    }

    static func floats(of tensor: HostTensor) -> [Float] {
        guard case .fixed(let bytes) = tensor.contents else { return [] }
        return bytes.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
    }
}
