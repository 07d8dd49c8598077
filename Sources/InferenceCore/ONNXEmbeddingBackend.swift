import Foundation
import ONNXRuntime
import Scheduler

/// Runs a transformer encoder with ONNX Runtime and pools its token vectors: the `BatchExecutor` of
/// `EmbeddingPipeline`. One loaded session serves every engine (ONNX Runtime's Run is thread-safe).
final class ONNXEmbeddingBackend: BatchExecutor {
    private let session: Session
    private let idsName: String
    private let maskName: String
    private let typeIdsName: String?
    private let outputName: String
    private let pooling: PoolingStrategy
    private let normalize: Bool
    /// Width of the token vectors (0 when the graph leaves it dynamic; then read from the output).
    let hiddenSize: Int

    init(
        modelFile: URL,
        environment: ONNXRuntime.Environment,
        options: SessionOptions,
        pooling: PoolingStrategy,
        normalize: Bool
    ) throws {
        let session = try Session(modelPath: modelFile.path, environment: environment, options: options)
        let inputNames = Set(session.inputs.map(\.name))
        for required in ["input_ids", "attention_mask"] where !inputNames.contains(required) {
            throw ModelLoadError(
                path: modelFile.path,
                problem: "the graph has no '\(required)' input (inputs: \(session.inputs.map(\.name).joined(separator: ", ")))"
            )
        }
        let known: Set = ["input_ids", "attention_mask", "token_type_ids"]
        if let unknown = session.inputs.first(where: { !known.contains($0.name) }) {
            throw ModelLoadError(path: modelFile.path, problem: "the graph needs an input '\(unknown.name)' Tern cannot fill")
        }
        let preferred = ["last_hidden_state", "token_embeddings"]
        guard
            let output = session.outputs.first(where: { preferred.contains($0.name) })
                ?? session.outputs.first(where: { $0.shape.count == 3 })
        else {
            throw ModelLoadError(path: modelFile.path, problem: "the graph has no [batch, tokens, hidden] output to pool")
        }
        self.session = session
        self.idsName = "input_ids"
        self.maskName = "attention_mask"
        self.typeIdsName = inputNames.contains("token_type_ids") ? "token_type_ids" : nil
        self.outputName = output.name
        self.hiddenSize = output.shape.count == 3 ? Swift.max(0, output.shape[2]) : 0
        self.pooling = pooling
        self.normalize = normalize
    }

    func tokenCount(of input: TokenizedInput) -> Int { input.count }

    func execute(_ batch: [TokenizedInput], engine: Int) throws -> [[Float]] {
        let rows = batch.count
        let columns = batch.reduce(0) { Swift.max($0, $1.count) }
        let shape = [rows, columns]
        let ids = try Tensor(.int64, shape: shape, library: session.library)
        let mask = try Tensor(.int64, shape: shape, library: session.library)
        try ids.withUnsafeMutableBufferPointer(as: Int64.self) { ids in
            try mask.withUnsafeMutableBufferPointer(as: Int64.self) { mask in
                for (row, input) in batch.enumerated() {
                    let base = row * columns
                    for (column, id) in input.ids.enumerated() {
                        ids[base + column] = Int64(id)
                        mask[base + column] = 1
                    }
                    for column in input.count..<columns {
                        ids[base + column] = 0
                        mask[base + column] = 0
                    }
                }
            }
        }
        var feeds: [String: Tensor] = [idsName: ids, maskName: mask]
        if let typeIdsName {
            let types = try Tensor(.int64, shape: shape, library: session.library)
            try types.withUnsafeMutableBufferPointer(as: Int64.self) { types in
                for (row, input) in batch.enumerated() {
                    let base = row * columns
                    for (column, type) in input.typeIds.enumerated() { types[base + column] = Int64(type) }
                    for column in input.count..<columns { types[base + column] = 0 }
                }
            }
            feeds[typeIdsName] = types
        }
        let hidden = try session.run(feeds, outputNames: [outputName])[0]
        let outputShape = hidden.shape
        guard outputShape.count == 3, outputShape[0] == rows, outputShape[1] == columns else {
            throw UnexpectedOutputShape(name: outputName, shape: outputShape, expected: [rows, columns])
        }
        let width = outputShape[2]
        return try hidden.withUnsafeBufferPointer(as: Float.self) { values in
            batch.enumerated().map { row, input in
                var vector = [Float](repeating: 0, count: width)
                let start = row * columns * width
                let rowValues = UnsafeBufferPointer(rebasing: values[start..<(start + columns * width)])
                vector.withUnsafeMutableBufferPointer { out in
                    pooling.pool(row: rowValues, length: input.count, hidden: width, into: out)
                }
                if normalize { VectorMath.normalize(&vector) }
                return vector
            }
        }
    }
}

/// The graph produced an output of another shape than `[batch, tokens, hidden]` for this batch.
struct UnexpectedOutputShape: Error, CustomStringConvertible {
    let name: String
    let shape: [Int]
    let expected: [Int]

    var description: String { "output '\(name)' has shape \(shape), expected \(expected) + [hidden]" }
}
