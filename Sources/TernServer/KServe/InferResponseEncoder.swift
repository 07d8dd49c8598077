import HTTPTypes
import Hummingbird
import InferenceCore

/// Renders an infer response: the JSON header, then the binary sections of the outputs sent as binary data,
/// with `Inference-Header-Content-Length` when there are any (the binary tensor data extension).
struct InferResponseEncoder {
    static let headerLengthName = HTTPField.Name("Inference-Header-Content-Length")!

    let model: String
    let version: String

    /// - Parameters:
    ///   - outputs: the model's outputs, in the order of `requested`.
    func response(id: String?, outputs: [HostTensor], requested: [RequestedOutput]) -> Response {
        let body = encode(id: id, outputs: outputs, requested: requested)
        var headers: HTTPFields = [:]
        if let headerLength = body.headerLength {
            headers[.contentType] = "application/octet-stream"
            headers[Self.headerLengthName] = String(headerLength)
        } else {
            headers[.contentType] = JSONBody.contentType
        }
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: body.buffer))
    }

    /// The body, and the JSON header's length when binary sections follow it.
    func encode(id: String?, outputs: [HostTensor], requested: [RequestedOutput]) -> (buffer: ByteBuffer, headerLength: Int?) {
        var buffer = ByteBuffer()
        buffer.writeStaticString(#"{"model_name":"#)
        JSONString.write(model, to: &buffer)
        buffer.writeStaticString(#","model_version":"#)
        JSONString.write(version, to: &buffer)
        if let id {
            buffer.writeStaticString(#","id":"#)
            JSONString.write(id, to: &buffer)
        }
        buffer.writeStaticString(#","outputs":["#)
        var binarySize = 0
        for (index, output) in outputs.enumerated() {
            if index > 0 { buffer.writeStaticString(",") }
            buffer.writeStaticString(#"{"name":"#)
            JSONString.write(output.name, to: &buffer)
            buffer.writeStaticString(#","datatype":"#)
            JSONString.write(output.datatype.rawValue, to: &buffer)
            buffer.writeStaticString(#","shape":["#)
            for (axis, dimension) in output.shape.enumerated() {
                if axis > 0 { buffer.writeStaticString(",") }
                JSONNumbers.write(dimension, to: &buffer)
            }
            buffer.writeStaticString("]")
            if index < requested.count, requested[index].binary {
                let size = BinaryTensorData.size(of: output.contents)
                binarySize += size
                buffer.writeStaticString(#","parameters":{"binary_data_size":"#)
                JSONNumbers.write(size, to: &buffer)
                buffer.writeStaticString("}}")
            } else {
                buffer.writeStaticString(#","data":"#)
                TensorJSONWriter.write(output, to: &buffer)
                buffer.writeStaticString("}")
            }
        }
        buffer.writeStaticString("]}")
        let headerLength = buffer.readableBytes
        guard requested.contains(where: \.binary) else { return (buffer, nil) }
        buffer.reserveCapacity(headerLength + binarySize)
        for (index, output) in outputs.enumerated() where index < requested.count && requested[index].binary {
            BinaryTensorData.write(output.contents, to: &buffer)
        }
        return (buffer, headerLength)
    }
}
