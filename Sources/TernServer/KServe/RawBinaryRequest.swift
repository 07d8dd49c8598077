import InferenceCore

/// A body that is only the binary data of a single-input model's one input (`Inference-Header-Content-Length:
/// 0`): the datatype is the model's, the one dynamic dimension is worked out from the data, and every output
/// comes back as binary data.
struct RawBinaryRequest {
    let model: ModelSignature

    func decode(_ body: UnsafeRawBufferPointer) throws(KServeError) -> InferRequest {
        guard model.inputs.count == 1, let spec = model.inputs.first else {
            throw .badRequest(
                "a raw binary request (Inference-Header-Content-Length: 0) needs a model with one input; model "
                    + "'\(model.name)' has \(model.inputs.count)")
        }
        let dynamic = spec.shape.indices.filter { spec.shape[$0] < 0 }
        guard dynamic.count <= 1 else {
            throw .badRequest(
                "a raw binary request needs input '\(spec.name)' to have at most one dynamic dimension; its shape is "
                    + TensorSpec.text(spec.shape))
        }
        var strings: [[UInt8]]?
        let elements: Int
        if let width = spec.datatype.byteWidth {
            guard body.count % width == 0 else {
                throw .badRequest(
                    "input '\(spec.name)': a raw body of \(body.count) bytes is not a whole number of "
                        + "\(spec.datatype.rawValue) elements")
            }
            elements = body.count / width
        } else {
            let parsed = try BinaryTensorData.strings(body, input: spec.name, elementCount: nil)
            strings = parsed
            elements = parsed.count
        }
        var shape = spec.shape
        let fixed = TensorSpec.elementCount(spec.shape.filter { $0 >= 0 }) ?? 0
        if let axis = dynamic.first {
            guard fixed > 0, elements % fixed == 0 else {
                throw .badRequest(
                    "input '\(spec.name)': \(elements) elements do not fill shape \(TensorSpec.text(spec.shape))")
            }
            shape[axis] = elements / fixed
        } else if elements != fixed {
            throw .badRequest(
                "input '\(spec.name)' has \(elements) elements in the raw body but its shape "
                    + "\(TensorSpec.text(spec.shape)) holds \(fixed)")
        }
        let contents: HostTensor.Contents
        if let strings {
            contents = .strings(strings)
        } else {
            contents = try BinaryTensorData.decode(body, input: spec.name, datatype: spec.datatype, elementCount: elements)
        }
        let tensor = HostTensor(name: spec.name, datatype: spec.datatype, shape: shape, contents: contents)
        return InferRequest(
            id: nil, inputs: [tensor], outputs: model.outputs.map { RequestedOutput(name: $0.name, binary: true) })
    }
}
