import InferenceCore

/// Decodes a `POST .../infer` body, JSON or with the binary tensor data extension, validating it against the
/// model's signature as it goes: every error is a 400 naming the input or output at fault.
struct InferRequestDecoder {
    let model: ModelSignature

    /// - Parameters:
    ///   - body: the whole request body.
    ///   - headerLength: `Inference-Header-Content-Length`: the JSON header's length when binary data follows
    ///     it, 0 for a raw single-input body, nil for a JSON-only body.
    func decode(_ body: UnsafeRawBufferPointer, headerLength: Int?) throws(KServeError) -> InferRequest {
        if headerLength == 0 { return try RawBinaryRequest(model: model).decode(body) }
        let jsonLength = headerLength ?? body.count
        guard jsonLength <= body.count else {
            throw .badRequest(
                "Inference-Header-Content-Length is \(jsonLength) but the request body has only \(body.count) bytes")
        }
        var reader = JSONByteReader(UnsafeRawBufferPointer(rebasing: body[0..<jsonLength]))
        let header = try RequestHeader.read(&reader)
        try reader.expectEnd()
        let binary = UnsafeRawBufferPointer(rebasing: body[jsonLength...])
        let inputs = try tensors(header.inputs, json: reader.bytes, binary: binary, hasBinaryHeader: headerLength != nil)
        let outputs = try requestedOutputs(header)
        return InferRequest(id: header.id, inputs: inputs, outputs: outputs)
    }

    /// The request's inputs in the model's order, each checked against its spec and decoded.
    private func tensors(
        _ headers: [InputHeader],
        json: UnsafeRawBufferPointer,
        binary: UnsafeRawBufferPointer,
        hasBinaryHeader: Bool
    ) throws(KServeError) -> [HostTensor] {
        let byName = try model.inputPositions(headers.map(\.name))
        // Binary sections follow the header in the order the inputs are listed.
        var offsets: [Int] = Array(repeating: 0, count: headers.count)
        var binaryEnd = 0
        for (position, header) in headers.enumerated() {
            guard let size = header.binaryDataSize else { continue }
            guard hasBinaryHeader else {
                throw .badRequest(
                    "input '\(header.name)' has parameters.binary_data_size but the request has no "
                        + "Inference-Header-Content-Length header")
            }
            guard size >= 0, size <= binary.count - binaryEnd else {
                throw .badRequest(
                    "input '\(header.name)' has binary_data_size \(size) but only \(binary.count - binaryEnd) bytes "
                        + "of binary data are left for it")
            }
            offsets[position] = binaryEnd
            binaryEnd += size
        }
        if binaryEnd != binary.count {
            throw .badRequest(
                "the request has \(binary.count) bytes after its JSON header but its inputs' binary_data_size add up "
                    + "to \(binaryEnd)")
        }
        var tensors: [HostTensor] = []
        tensors.reserveCapacity(model.inputs.count)
        for spec in model.inputs {
            guard let position = byName[spec.name] else { continue }
            let header = headers[position]
            let (datatype, shape, elementCount) = try InputValidation(model: model.name, spec: spec).check(header)
            let contents: HostTensor.Contents
            switch (header.binaryDataSize, header.data) {
            case (let size?, nil):
                let section = UnsafeRawBufferPointer(rebasing: binary[offsets[position]..<offsets[position] + size])
                contents = try BinaryTensorData.decode(
                    section, input: spec.name, datatype: datatype, elementCount: elementCount)
            case (nil, let data?):
                contents = try TensorJSONDecoder(input: spec.name, datatype: datatype, elementCount: elementCount)
                    .decode(json, data)
            case (nil, nil):
                throw .badRequest("input '\(spec.name)' has neither 'data' nor parameters.binary_data_size")
            case (_?, _?):
                throw .badRequest("input '\(spec.name)' has both 'data' and parameters.binary_data_size")
            }
            tensors.append(HostTensor(name: spec.name, datatype: datatype, shape: shape, contents: contents))
        }
        return tensors
    }

    /// The outputs the response holds: those requested, in that order, or every output of the model.
    private func requestedOutputs(_ header: RequestHeader) throws(KServeError) -> [RequestedOutput] {
        try model.requestedOutputs(
            header.outputs.map { $0.map { (name: $0.name, binary: $0.binary ?? header.binaryDataOutput) } },
            binary: header.binaryDataOutput)
    }
}
