extension RawPipeline {
    /// Checks a request's tensors against the model's inputs and orders them as the graph does.
    func prepare(_ tensors: [HostTensor], outputs requested: [String]?, enqueued: ContinuousClock.Instant)
        throws(InferenceError) -> RawRequest
    {
        var ordered = [HostTensor?](repeating: nil, count: inputs.count)
        for tensor in tensors {
            guard let position = inputs.firstIndex(where: { $0.name == tensor.name }) else {
                throw Self.invalid(
                    "unknown input '\(tensor.name)' for model '\(name)'; its inputs are: "
                        + inputs.map(\.name).joined(separator: ", "),
                    input: tensor.name)
            }
            guard ordered[position] == nil else {
                throw Self.invalid("input '\(tensor.name)' is given twice", input: tensor.name)
            }
            try check(tensor, against: inputs[position])
            ordered[position] = tensor
        }
        var request: [HostTensor] = []
        request.reserveCapacity(inputs.count)
        for (spec, tensor) in zip(inputs, ordered) {
            guard let tensor else {
                throw Self.invalid("missing input '\(spec.name)' for model '\(name)'", input: spec.name)
            }
            request.append(tensor)
        }
        var rows = 1
        if maxBatchSize > 0, let first = request.first {
            rows = first.shape.first ?? 1
            if let other = request.first(where: { $0.shape.first != rows }) {
                throw Self.invalid(
                    "input '\(other.name)' has \(other.shape.first ?? 0) rows but input '\(first.name)' has \(rows); "
                        + "every input must have the same first dimension",
                    input: other.name)
            }
            if rows > maxBatchSize {
                throw Self.invalid(
                    "input '\(first.name)' has \(rows) rows, more than the model's max batch size of \(maxBatchSize)",
                    input: first.name)
            }
        }
        return RawRequest(tensors: request, rows: rows, outputs: try positions(of: requested), enqueued: enqueued)
    }

    private func check(_ tensor: HostTensor, against spec: TensorSpec) throws(InferenceError) {
        let name = tensor.name
        let elements = try spec.validate(datatype: tensor.datatype, shape: tensor.shape, model: self.name)
        switch (tensor.contents, spec.datatype.byteWidth) {
        case (.fixed(let bytes), let width?):
            let (needed, overflow) = elements.multipliedReportingOverflow(by: width)
            guard !overflow, bytes.count == needed else {
                throw Self.invalid(
                    "input '\(name)' holds \(bytes.count) bytes; shape \(tensor.shape) of \(spec.datatype.rawValue) "
                        + "needs \(overflow ? "more" : String(needed))",
                    input: name)
            }
        case (.strings(let strings), nil):
            guard strings.count == elements else {
                throw Self.invalid(
                    "input '\(name)' holds \(strings.count) elements; shape \(tensor.shape) needs \(elements)",
                    input: name)
            }
            if let index = strings.firstIndex(where: { $0.contains(0) }) {
                throw Self.invalid(
                    "input '\(name)' element \(index) contains a NUL byte, which ONNX Runtime string tensors cannot hold",
                    input: name)
            }
        case (.strings, _?):
            throw Self.invalid("input '\(name)' holds strings; the model expects \(spec.datatype.rawValue)", input: name)
        case (.fixed, nil):
            throw Self.invalid("input '\(name)' holds fixed-width data; the model expects BYTES", input: name)
        }
    }

    /// Positions of the requested outputs; all when `nil` or empty.
    private func positions(of requested: [String]?) throws(InferenceError) -> [Int] {
        guard let requested, !requested.isEmpty else { return Array(outputs.indices) }
        var positions: [Int] = []
        positions.reserveCapacity(requested.count)
        for output in requested {
            guard let position = outputPositions[output] else {
                throw InferenceError(
                    .validation, code: "unknown_output",
                    message: "unknown output '\(output)' for model '\(name)'; its outputs are: "
                        + outputs.map(\.name).joined(separator: ", "),
                    parameter: output)
            }
            positions.append(position)
        }
        return positions
    }

    private static func invalid(_ message: String, input: String) -> InferenceError {
        TensorSpec.invalid(message, input: input)
    }
}
