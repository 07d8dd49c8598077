import Foundation
import Logging
import ONNXRuntime
import Scheduler
import Synchronization

/// Runs a transformer encoder with ONNX Runtime: the `BatchExecutor` every text pipeline shares. One
/// loaded session serves every engine (ONNX Runtime's Run is thread-safe).
///
/// Its output per input is either a pooled vector (embedding models; not normalised, since that is a
/// per-request choice) or the row of logits (classification heads).
final class ONNXEncoderBackend: BatchExecutor {
    /// What the backend makes of the graph's output.
    enum Head: Sendable {
        /// Pool a `[batch, tokens, hidden]` output, then apply sentence-transformers' Dense modules.
        case pooled(PoolingStrategy, dense: [DenseLayer] = [])
        /// Return rows of a `[batch, labels]` output.
        case logits
    }

    private let session: Session
    private let typeIdsName: String?
    private let outputName: String
    private let head: Head
    /// Width of each output row (0 when the graph leaves it dynamic).
    let outputWidth: Int
    /// The last dimension of the graph's output (0 when dynamic), for outputs written into Tern's memory.
    private let graphWidth: Int
    /// How the session was made: the weights' format and how long the graph took to build and load.
    let load: WeightsLoadReport
    /// The session's intra-op threads (0: ONNX Runtime's choice).
    let threads: Int

    init(
        weights: ModelWeights, quantization: WeightQuantization = .none, environment: ONNXRuntime.Environment,
        options: SessionOptions, head: Head, logger: Logger
    ) throws {
        let modelFile = weights.file
        let (session, report) = try Self.makeSession(
            for: weights, quantization: quantization, environment: environment, options: options, head: head,
            logger: logger)
        self.load = report
        self.threads = options.intraOpThreads
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
        let (preferred, rank, shapeName) =
            switch head {
            case .pooled: (["last_hidden_state", "token_embeddings"], 3, "[batch, tokens, hidden]")
            case .logits: (["logits"], 2, "[batch, labels]")
            }
        guard
            let output = session.outputs.first(where: { preferred.contains($0.name) })
                ?? session.outputs.first(where: { $0.shape.count == rank })
        else {
            throw ModelLoadError(path: modelFile.path, problem: "the graph has no \(shapeName) output")
        }
        self.session = session
        self.typeIdsName = inputNames.contains("token_type_ids") ? "token_type_ids" : nil
        self.outputName = output.name
        let graphWidth = output.shape.count == rank ? Swift.max(0, output.shape[rank - 1]) : 0
        self.graphWidth = graphWidth
        var width = graphWidth
        if case .pooled(_, let dense) = head {
            // Each Dense module takes what the stage before it gives (a dynamic encoder width is not checked).
            for layer in dense {
                if width > 0, layer.inputs != width {
                    throw ModelLoadError(
                        path: modelFile.path,
                        problem: "a Dense module takes \(layer.inputs) values but the stage before it gives \(width)")
                }
                width = layer.outputs
            }
        }
        self.outputWidth = width
        self.head = head
    }

    /// The session for `weights`: ONNX Runtime loads an ONNX file, or Tern builds the checkpoint's graph.
    private static func makeSession(
        for weights: ModelWeights, quantization: WeightQuantization, environment: ONNXRuntime.Environment,
        options: SessionOptions, head: Head, logger: Logger
    ) throws -> (Session, WeightsLoadReport) {
        let clock = ContinuousClock()
        let start = clock.now
        let session: Session
        var report = WeightsLoadReport(
            format: weights.format, file: weights.file.path, build: .zero, session: .zero,
            executionProvider: options.executionProvider, quantization: quantization)
        switch weights {
        case .onnx(let file):
            guard quantization == .none else {
                throw ModelLoadError(
                    path: file.path,
                    problem: "--quantize \(quantization.rawValue) applies to graphs Tern builds from safetensors "
                        + "checkpoints, and this model is served from its ONNX file (--weights safetensors serves "
                        + "the checkpoint, where there is one)")
            }
            session = try Session(modelPath: file.path, environment: environment, options: options)
            report.session = clock.now - start
        case .checkpoint(let directory, _, let architecture):
            let checkpoint = try Checkpoint(directory: directory)
            let output: EncoderGraphBuilder.Output
            switch head {
            case .pooled: output = .hiddenStates
            case .logits: output = .logits
            }
            let graph = try EncoderGraphBuilder.build(
                architecture: architecture, checkpoint: checkpoint, output: output, quantization: quantization,
                name: checkpoint.path)
            let built = clock.now
            do {
                session = try Session(graph: graph, environment: environment, options: options)
            } catch {
                throw ModelLoadError(path: checkpoint.path, problem: "ONNX Runtime refused the built graph: \(error)")
            }
            checkpoint.releaseResidentPages()
            report.build = built - start
            report.session = clock.now - built
            logger.info(
                "built the encoder graph from the checkpoint",
                metadata: [
                    "file": "\(checkpoint.path)", "model_type": "\(architecture.modelType)",
                    "architecture": "\(architecture.architecture)", "layers": "\(architecture.layers)",
                    "weights_mb": "\(graph.weightBytes / 1_000_000)", "quantization": "\(quantization.rawValue)",
                    "build_ms": "\(report.build.wholeNanoseconds / 1_000_000)",
                    "session_ms": "\(report.session.wholeNanoseconds / 1_000_000)",
                ])
        }
        report.executionProvider = session.executionProvider
        session.logProviderFallbacks(model: weights.file.path, logger: logger)
        return (session, report)
    }

    func tokenCount(of input: TokenizedInput) -> Int { input.count }

    func execute(_ batch: [TokenizedInput], engine: Int) throws -> [[Float]] {
        let rows = batch.count
        let columns = batch.reduce(0) { Swift.max($0, $1.count) }
        let feeds = try feeds(batch, columns: columns)
        // A large batch writes its output into Swift memory and shrinks the arena when it ends, so none of the
        // memory it grew stays with the process (the heap's free pages go back too).
        let paddedTokens = rows * columns
        let large = paddedTokens >= SystemMemory.releaseAfterTokens
        if !large, paddedTokens >= Self.idleReleaseTokens {
            largestUnreleasedBatch.max(paddedTokens, ordering: .relaxed)
        }
        defer { if large { SystemMemory.releaseFreePages() } }
        if large, graphWidth > 0 {
            let shape: [Int] = switch head {
            case .pooled: [rows, columns, graphWidth]
            case .logits: [rows, graphWidth]
            }
            let output = try Tensor(.float, shape: shape, library: session.library)
            try session.run(feeds, into: [outputName: output], shrinkingArena: true)
            return try output.withUnsafeBufferPointer(as: Float.self) { values in
                try results(of: values, shape: shape, batch: batch, columns: columns)
            }
        }
        let output = try session.run(feeds, outputNames: [outputName])[0]
        let shape = output.shape
        return try output.withUnsafeBufferPointer(as: Float.self) { values in
            try results(of: values, shape: shape, batch: batch, columns: columns)
        }
    }

    /// After a burst of batches too small to shrink the arena themselves (a document load at the 1024-token
    /// default), the scheduler going idle runs one 1-token input with the arena's shrinkage on and trims the heap,
    /// so the process goes back near its idle size instead of keeping the burst's peak.
    func releaseIdleMemory() {
        let largest = largestUnreleasedBatch.exchange(0, ordering: .relaxed)
        // Only host memory: a GPU session's arena lives on the device (sized by --gpu-memory-limit).
        guard largest >= Self.idleReleaseTokens, !session.executionProvider.isCUDA else { return }
        defer { SystemMemory.releaseFreePages() }
        guard session.options.cpuMemoryArena, let feeds = try? feeds([TokenizedInput(ids: [0], typeIds: [0])], columns: 1) else {
            return
        }
        _ = try? session.run(feeds, outputNames: [outputName], shrinkingArena: true)
    }

    /// Padded tokens of the largest batch since memory was last given back, below `SystemMemory.releaseAfterTokens`.
    private let largestUnreleasedBatch = Atomic<Int>(0)
    /// Bursts whose largest batch reached this many padded tokens give their memory back when the server goes idle.
    static let idleReleaseTokens = 512

    /// The graph's inputs for `batch`, padded to `columns` (its longest input).
    private func feeds(_ batch: [TokenizedInput], columns: Int) throws -> [String: Tensor] {
        let rows = batch.count
        var feeds = [
            "input_ids": try tensor(batch, rows: rows, columns: columns) { input in input.ids },
            "attention_mask": try tensor(batch, rows: rows, columns: columns) { input in nil },
        ]
        if let typeIdsName {
            feeds[typeIdsName] = try tensor(batch, rows: rows, columns: columns) { input in input.typeIds }
        }
        return feeds
    }

    /// Per input: its pooled vector (through the Dense modules) or its row of logits, from the graph's output.
    private func results(of values: UnsafeBufferPointer<Float>, shape: [Int], batch: [TokenizedInput], columns: Int)
        throws -> [[Float]]
    {
        switch head {
        case .pooled(let pooling, let dense):
            let pooled = try pool(values, shape: shape, batch: batch, columns: columns, pooling: pooling)
            if dense.isEmpty { return pooled }
            return zip(batch, pooled).map { input, vector in
                input.returnsTokens ? vector : dense.reduce(vector) { $1.apply($0) }
            }
        case .logits:
            return try logitRows(values, shape: shape, rows: batch.count)
        }
    }

    /// A `[rows, columns]` int64 tensor: each input's values (all ones when `values` gives nil, for the
    /// attention mask) then zero padding.
    private func tensor(
        _ batch: [TokenizedInput],
        rows: Int,
        columns: Int,
        values: (TokenizedInput) -> [Int32]?
    ) throws -> Tensor {
        // Tensor buffers start zeroed, which is the padding.
        let tensor = try Tensor(.int64, shape: [rows, columns], library: session.library)
        try tensor.withUnsafeMutableBufferPointer(as: Int64.self) { buffer in
            for (row, input) in batch.enumerated() {
                let base = row * columns
                if let row = values(input) {
                    for (column, value) in row.enumerated() { buffer[base + column] = Int64(value) }
                } else {
                    for column in 0..<input.count { buffer[base + column] = 1 }
                }
            }
        }
        return tensor
    }

    private func pool(
        _ values: UnsafeBufferPointer<Float>, shape: [Int], batch: [TokenizedInput], columns: Int,
        pooling: PoolingStrategy
    ) throws -> [[Float]] {
        guard shape.count == 3, shape[0] == batch.count, shape[1] == columns, values.count == shape.reduce(1, *) else {
            throw UnexpectedOutputShape(name: outputName, shape: shape, expected: "[\(batch.count), \(columns), hidden]")
        }
        let width = shape[2]
        return batch.enumerated().map { row, input in
            let start = row * columns * width
            if input.returnsTokens {
                // The real tokens' vectors, padding left out.
                return Array(values[start..<(start + input.count * width)])
            }
            var vector = [Float](repeating: 0, count: width)
            let rowValues = UnsafeBufferPointer(rebasing: values[start..<(start + columns * width)])
            vector.withUnsafeMutableBufferPointer { out in
                pooling.pool(row: rowValues, length: input.count, hidden: width, into: out)
            }
            return vector
        }
    }

    private func logitRows(_ values: UnsafeBufferPointer<Float>, shape: [Int], rows: Int) throws -> [[Float]] {
        guard shape.count == 2, shape[0] == rows, values.count == shape.reduce(1, *) else {
            throw UnexpectedOutputShape(name: outputName, shape: shape, expected: "[\(rows), labels]")
        }
        let width = shape[1]
        return (0..<rows).map { row in Array(values[(row * width)..<((row + 1) * width)]) }
    }
}

/// Where a model's session came from, for `/info` and the load log.
public struct WeightsLoadReport: Sendable {
    /// `onnx` or `safetensors`.
    public var format: String
    /// The ONNX file, or the checkpoint (its index when sharded).
    public var file: String
    /// Time to read the checkpoint and build its graph (zero for ONNX files).
    public var build: Duration
    /// Time ONNX Runtime took to create the session (optimising the graph included).
    public var session: Duration
    /// The execution provider the session runs on.
    public var executionProvider: ExecutionProvider
    /// How a built graph's linear layers compute (`none` for ONNX files).
    public var quantization: WeightQuantization
}

extension Session {
    /// Warns once per provider of the preference list that could not start, naming the one that did.
    func logProviderFallbacks(model: String, logger: Logger) {
        for failure in providerFailures {
            logger.warning(
                "execution provider fell back",
                metadata: ["model": "\(model)", "running_on": "\(executionProvider)", "failed": "\(failure)"])
        }
    }
}

/// The graph produced an output of another shape than the backend's head expects.
struct UnexpectedOutputShape: Error, CustomStringConvertible {
    let name: String
    let shape: [Int]
    let expected: String

    var description: String { "output '\(name)' has shape \(shape), expected \(expected)" }
}
