import ONNXRuntime
import Scheduler

/// Computes raw-tensor requests for the scheduler. When rows are batched, requests whose tensors agree on
/// datatype and every dimension after the first run as one execution, concatenated along dim 0, and the
/// outputs are split back by row counts; other groups of the same batch run as separate executions.
struct RawExecutor: BatchExecutor {
    typealias Input = RawRequest
    typealias Output = RawResult

    let session: Session
    let inputs: [TensorSpec]
    let outputs: [TensorSpec]
    /// Concatenate requests along dim 0.
    let batchesRows: Bool
    let statistics: StatisticsRecorder

    /// Rows are the cost of a request.
    func tokenCount(of input: RawRequest) -> Int { max(1, input.rows) }

    func execute(_ batch: [RawRequest], engine: Int) throws -> [RawResult] {
        let clock = ContinuousClock()
        let started = clock.now
        statistics.update { statistics in
            for request in batch { statistics.queue.record(started - request.enqueued) }
        }
        var results = [RawResult?](repeating: nil, count: batch.count)
        for group in groups(of: batch) {
            let answers = run(group.map { batch[$0] }, clock: clock)
            for (index, answer) in zip(group, answers) { results[index] = answer }
        }
        return results.map { $0 ?? .failure(InferenceError(.backend, code: "backend_error", message: "no result")) }
    }

    /// Request indices grouped so each group can run as one execution, in order of first appearance.
    private func groups(of batch: [RawRequest]) -> [[Int]] {
        guard batchesRows, batch.count > 1 else { return batch.indices.map { [$0] } }
        struct Key: Hashable {
            let datatypes: [TensorDatatype]
            let trailing: [ArraySlice<Int>]
        }
        var positions: [Key: Int] = [:]
        var groups: [[Int]] = []
        for (index, request) in batch.enumerated() {
            let key = Key(datatypes: request.tensors.map(\.datatype), trailing: request.tensors.map { $0.shape.dropFirst() })
            if let position = positions[key] {
                groups[position].append(index)
            } else {
                positions[key] = groups.count
                groups.append([index])
            }
        }
        return groups
    }

    /// Runs one group as one execution; every request of the group gets the same failure if it fails.
    private func run(_ group: [RawRequest], clock: ContinuousClock) -> [RawResult] {
        let start = clock.now
        let rows = group.reduce(0) { $0 + $1.rows }
        let values: [Value]
        let filled: ContinuousClock.Instant
        do {
            let feeds = try feeds(for: group, rows: rows)
            filled = clock.now
            values = try session.run(feeds)
        } catch {
            return Array(repeating: .failure(Self.failure(error)), count: group.count)
        }
        let computed = clock.now
        let answers: [RawResult]
        do {
            answers = try split(values, over: group, rows: rows).map { .success($0) }
        } catch {
            return Array(repeating: .failure(Self.failure(error)), count: group.count)
        }
        let read = clock.now
        statistics.update { statistics in
            statistics.executionCount += 1
            for request in group {
                statistics.inferenceCount += request.rows
                statistics.computeInput.record(filled - start)
                statistics.computeInfer.record(computed - filled)
                statistics.computeOutput.record(read - computed)
            }
        }
        return answers
    }

    /// One ORT tensor per model input, each request's bytes copied straight into the tensor's buffer.
    private func feeds(for group: [RawRequest], rows: Int) throws -> [String: Tensor] {
        let library = session.library
        var feeds: [String: Tensor] = [:]
        for (position, spec) in inputs.enumerated() {
            let first = group[0].tensors[position]
            let shape = group.count == 1 ? first.shape : [rows] + first.shape.dropFirst()
            if first.datatype == .bytes {
                var strings: [[UInt8]] = []
                for request in group {
                    if case .strings(let elements) = request.tensors[position].contents {
                        strings.append(contentsOf: elements)
                    }
                }
                feeds[spec.name] = try Tensor(strings: strings, shape: shape, library: library)
                continue
            }
            let tensor = try Tensor(first.datatype.elementType, shape: shape, library: library)
            try tensor.withUnsafeMutableBytes { buffer in
                var offset = 0
                for request in group {
                    guard case .fixed(let bytes) = request.tensors[position].contents, offset + bytes.count <= buffer.count
                    else {
                        throw InferenceError(
                            .validation, code: "invalid_input", message: "input '\(spec.name)' does not fill its shape",
                            parameter: spec.name)
                    }
                    bytes.withUnsafeBytes { source in
                        if let base = source.baseAddress, let target = buffer.baseAddress, !source.isEmpty {
                            (target + offset).copyMemory(from: base, byteCount: source.count)
                        }
                    }
                    offset += bytes.count
                }
            }
            feeds[spec.name] = tensor
        }
        return feeds
    }

    /// Each request's outputs: the whole value for a group of one, else its rows of every requested output.
    private func split(_ values: [Value], over group: [RawRequest], rows: Int) throws -> [[HostTensor]] {
        var strings: [Int: [[UInt8]]] = [:]
        var answers: [[HostTensor]] = Array(repeating: [], count: group.count)
        var rowStart = 0
        for (member, request) in group.enumerated() {
            var tensors: [HostTensor] = []
            tensors.reserveCapacity(request.outputs.count)
            for position in request.outputs {
                let value = values[position]
                guard let datatype = TensorDatatype(value.elementType ?? .unsupported(onnxRawValue: 0)) else {
                    throw InferenceError(
                        .backend, code: "backend_error",
                        message: "output '\(value.name)' has element type \(value.elementType.map { "\($0)" } ?? "none"), which v2 cannot name")
                }
                var shape = value.shape
                var range = 0..<value.elementCount
                if group.count > 1 {
                    guard let first = shape.first, first == rows else {
                        throw InferenceError(
                            .backend, code: "backend_error",
                            message: "output '\(value.name)' has shape \(shape) for a batch of \(rows) rows")
                    }
                    let perRow = rows > 0 ? value.elementCount / rows : 0
                    range = rowStart * perRow..<(rowStart + request.rows) * perRow
                    shape[0] = request.rows
                }
                let contents: HostTensor.Contents
                if datatype == .bytes {
                    let all = try strings[position] ?? value.strings()
                    strings[position] = all
                    contents = .strings(Array(all[range]))
                } else {
                    let width = datatype.byteWidth ?? 1
                    contents = .fixed(
                        try value.withUnsafeBytes { bytes in
                            bytes.isEmpty ? [] : Array(bytes[range.lowerBound * width..<range.upperBound * width])
                        })
                }
                tensors.append(HostTensor(name: value.name, datatype: datatype, shape: shape, contents: contents))
            }
            answers[member] = tensors
            rowStart += request.rows
        }
        return answers
    }

    /// ORT's invalid-argument errors are the request's fault; everything else is the model's.
    private static func failure(_ error: any Error) -> InferenceError {
        if let error = error as? InferenceError { return error }
        if let error = error as? ORTError, error.code == .invalidArgument {
            return InferenceError(.validation, code: "invalid_input", message: error.message)
        }
        return .backend(error)
    }
}

/// One request's tensors as the raw executor runs them: validated, in the model's input order.
struct RawRequest: Sendable {
    /// One tensor per model input, in the graph's order.
    let tensors: [HostTensor]
    /// Rows along dim 0 when requests are batched together; 1 otherwise.
    let rows: Int
    /// Positions in the model's outputs of the tensors to return, in the order to return them.
    let outputs: [Int]
    /// When the request was handed to the scheduler, for queue time.
    let enqueued: ContinuousClock.Instant
}

/// What the executor answers for one request: its tensors, or why it failed (one failing group of a batch
/// does not fail the others).
typealias RawResult = Result<[HostTensor], InferenceError>
