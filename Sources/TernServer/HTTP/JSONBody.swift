import Hummingbird
import NIOCore

/// Responses whose JSON body is already written.
enum JSONBody {
    static let contentType = "application/json"

    static func response(_ status: HTTPResponse.Status, _ json: String) -> Response {
        response(status, buffer: ByteBuffer(string: json))
    }

    static func response(_ status: HTTPResponse.Status, buffer: ByteBuffer, headers: HTTPFields = [:]) -> Response {
        var headers = headers
        headers[.contentType] = contentType
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: buffer))
    }
}

/// An error already in one API's own shape; middleware passes it through untouched.
protocol APIError: HTTPResponseError {}

extension ByteBuffer {
    /// Whether the readable bytes are valid UTF-8, as JSON text must be (RFC 8259). Checked before
    /// decoding because the decoder would otherwise report bad bytes inside a string as a type error of
    /// the field that holds them.
    var isValidUTF8: Bool {
        String(validating: readableBytesView, as: UTF8.self) != nil
    }
}

/// Writes numbers straight into a buffer as JSON.
enum JSONNumbers {
    /// The shortest text that reads back as the same Float; a non-finite value (which no model
    /// should produce) is written as 0 to keep the JSON valid.
    static func write(_ value: Float, to buffer: inout ByteBuffer) {
        buffer.writeString(value.isFinite ? value.description : "0")
    }

    static func write(_ vector: [Float], to buffer: inout ByteBuffer) {
        buffer.writeStaticString("[")
        for (i, value) in vector.enumerated() {
            if i > 0 { buffer.writeStaticString(",") }
            write(value, to: &buffer)
        }
        buffer.writeStaticString("]")
    }

    static func write(_ value: Int, to buffer: inout ByteBuffer) {
        buffer.writeString(String(value))
    }
}
