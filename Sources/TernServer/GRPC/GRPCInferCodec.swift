import Foundation
import InferenceCore
import KServeGRPC
import Serving

/// `ModelInferRequest` to the `InferRequest` the v2 HTTP routes decode, and results back to a `ModelInferResponse`.
///
/// The same checks as over HTTP, through the same code: every input named once and known, datatype and shape
/// against the model's spec (`InputValidation`), raw contents in the binary tensor data layout
/// (`BinaryTensorData`), typed contents of the datatype's own field with exactly the shape's element count.
/// Every error is a `KServeError` (400 over HTTP, INVALID_ARGUMENT here) naming the input or output.
struct GRPCInferCodec {
    let model: ModelSignature

    func decode(_ request: Inference_ModelInferRequest) throws(KServeError) -> InferRequest {
        let byName = try model.inputPositions(request.inputs.map(\.name))
        let raw = request.rawInputContents
        if !raw.isEmpty && raw.count != request.inputs.count {
            throw .badRequest(
                "the request has \(raw.count) raw_input_contents for \(request.inputs.count) inputs; with raw contents "
                    + "every input is sent that way, in the order of 'inputs'")
        }
        var tensors: [HostTensor] = []
        tensors.reserveCapacity(model.inputs.count)
        for spec in model.inputs {
            guard let position = byName[spec.name] else { continue }
            let input = request.inputs[position]
            let header = InputHeader(
                name: input.name, datatype: input.datatype, shape: input.shape.map { Int(clamping: $0) })
            let (datatype, shape, elementCount) = try InputValidation(model: model.name, spec: spec).check(header)
            let contents: HostTensor.Contents
            if raw.isEmpty {
                guard input.hasContents else {
                    throw .badRequest("input '\(spec.name)' has no contents and the request has no raw_input_contents")
                }
                contents = try Self.typed(input.contents, input: spec.name, datatype: datatype, count: elementCount)
            } else {
                if input.hasContents && !Self.isEmpty(input.contents) {
                    throw .badRequest("input '\(spec.name)' has both contents and raw_input_contents")
                }
                // Data.withUnsafeBytes rethrows untyped; the body throws only KServeError.
                let decoded = raw[position].withUnsafeBytes { bytes in
                    Result { () throws(KServeError) in
                        try BinaryTensorData.decode(bytes, input: spec.name, datatype: datatype, elementCount: elementCount)
                    }
                }
                contents = try decoded.get()
            }
            tensors.append(HostTensor(name: spec.name, datatype: datatype, shape: shape, contents: contents))
        }
        return InferRequest(
            id: request.id.isEmpty ? nil : request.id, inputs: tensors, outputs: try requestedOutputs(request))
    }

    /// The outputs the response holds: those requested, in that order, or every output of the model.
    private func requestedOutputs(_ request: Inference_ModelInferRequest) throws(KServeError) -> [RequestedOutput] {
        if let output = request.outputs.first(where: { $0.parameters["classification"] != nil }) {
            throw .badRequest("output '\(output.name)': the classification extension is not supported")
        }
        // Every output travels in raw_output_contents: "binary" is always true here.
        return try model.requestedOutputs(
            request.outputs.isEmpty ? nil : request.outputs.map { (name: $0.name, binary: true) }, binary: true)
    }

    /// A response with every output in `raw_output_contents` (as Triton answers, and as `tritonclient` reads).
    static func response(
        id: String?, model: String, version: String, outputs: [HostTensor], requested: [RequestedOutput]
    ) -> Inference_ModelInferResponse {
        var response = Inference_ModelInferResponse()
        response.modelName = model
        response.modelVersion = version
        response.id = id ?? ""
        let byName = Dictionary(outputs.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        for wanted in requested {
            guard let tensor = byName[wanted.name] else { continue }
            var output = Inference_ModelInferResponse.InferOutputTensor()
            output.name = tensor.name
            output.datatype = tensor.datatype.rawValue
            output.shape = tensor.shape.map { Int64($0) }
            response.outputs.append(output)
            response.rawOutputContents.append(raw(tensor.contents))
        }
        return response
    }

    /// A tensor's elements in the binary tensor data layout.
    static func raw(_ contents: HostTensor.Contents) -> Data {
        switch contents {
        case .fixed(let bytes):
            return Data(bytes)
        case .strings(let elements):
            var data = Data(capacity: elements.reduce(0) { $0 + 4 + $1.count })
            for element in elements {
                withUnsafeBytes(of: UInt32(truncatingIfNeeded: element.count).littleEndian) { data.append(contentsOf: $0) }
                data.append(contentsOf: element)
            }
            return data
        }
    }

    private static func isEmpty(_ contents: Inference_InferTensorContents) -> Bool {
        contents.boolContents.isEmpty && contents.intContents.isEmpty && contents.int64Contents.isEmpty
            && contents.uintContents.isEmpty && contents.uint64Contents.isEmpty && contents.fp32Contents.isEmpty
            && contents.fp64Contents.isEmpty && contents.bytesContents.isEmpty
    }

    /// Typed contents: the field of the datatype (`int_contents` for INT8/16/32, `uint_contents` for
    /// UINT8/16/32, ...) with `count` elements, each in the datatype's range, as little-endian bytes. FP16 has no
    /// typed field and must come as raw contents.
    static func typed(
        _ contents: Inference_InferTensorContents, input: String, datatype: TensorDatatype, count: Int
    ) throws(KServeError) -> HostTensor.Contents {
        func check(_ given: Int, _ field: String) throws(KServeError) {
            guard given == count else {
                throw .badRequest(
                    "input '\(input)' has \(given) elements in \(field) but its shape holds \(count) \(datatype.rawValue) elements")
            }
            let others = [
                contents.boolContents.count, contents.intContents.count, contents.int64Contents.count,
                contents.uintContents.count, contents.uint64Contents.count, contents.fp32Contents.count,
                contents.fp64Contents.count, contents.bytesContents.count,
            ].reduce(0, +) - given
            guard others == 0 else {
                throw .badRequest("input '\(input)' is \(datatype.rawValue): only \(field) may hold its elements")
            }
        }
        func bytes<Value: FixedWidthInteger>(_ values: some Collection<Value>) -> [UInt8] {
            var out = [UInt8]()
            out.reserveCapacity(values.count * MemoryLayout<Value>.size)
            for value in values { withUnsafeBytes(of: value.littleEndian) { out.append(contentsOf: $0) } }
            return out
        }
        func narrowed<Wide: BinaryInteger, Narrow: FixedWidthInteger>(_ values: [Wide], to: Narrow.Type) throws(KServeError)
            -> [Narrow]
        {
            var out: [Narrow] = []
            out.reserveCapacity(values.count)
            for (index, value) in values.enumerated() {
                guard let narrow = Narrow(exactly: value) else {
                    throw .badRequest(
                        "input '\(input)' holds \(value) at element \(index), outside the range of \(datatype.rawValue)")
                }
                out.append(narrow)
            }
            return out
        }
        switch datatype {
        case .bool:
            try check(contents.boolContents.count, "bool_contents")
            return .fixed(contents.boolContents.map { $0 ? 1 : 0 })
        case .int8:
            try check(contents.intContents.count, "int_contents")
            return .fixed(bytes(try narrowed(contents.intContents, to: Int8.self)))
        case .int16:
            try check(contents.intContents.count, "int_contents")
            return .fixed(bytes(try narrowed(contents.intContents, to: Int16.self)))
        case .int32:
            try check(contents.intContents.count, "int_contents")
            return .fixed(bytes(contents.intContents))
        case .int64:
            try check(contents.int64Contents.count, "int64_contents")
            return .fixed(bytes(contents.int64Contents))
        case .uint8:
            try check(contents.uintContents.count, "uint_contents")
            return .fixed(try narrowed(contents.uintContents, to: UInt8.self))
        case .uint16:
            try check(contents.uintContents.count, "uint_contents")
            return .fixed(bytes(try narrowed(contents.uintContents, to: UInt16.self)))
        case .uint32:
            try check(contents.uintContents.count, "uint_contents")
            return .fixed(bytes(contents.uintContents))
        case .uint64:
            try check(contents.uint64Contents.count, "uint64_contents")
            return .fixed(bytes(contents.uint64Contents))
        case .fp32:
            try check(contents.fp32Contents.count, "fp32_contents")
            return .fixed(bytes(contents.fp32Contents.lazy.map(\.bitPattern)))
        case .fp64:
            try check(contents.fp64Contents.count, "fp64_contents")
            return .fixed(bytes(contents.fp64Contents.lazy.map(\.bitPattern)))
        case .bytes:
            try check(contents.bytesContents.count, "bytes_contents")
            return .strings(contents.bytesContents.map { [UInt8]($0) })
        case .fp16:
            throw .badRequest("input '\(input)' is FP16, which has no typed contents field: send it in raw_input_contents")
        }
    }
}
