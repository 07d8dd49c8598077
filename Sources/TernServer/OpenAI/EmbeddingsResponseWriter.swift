import Foundation
import InferenceCore
import NIOCore

/// Writes the `/v1/embeddings` response straight into a buffer: one pass, no intermediate objects.
enum EmbeddingsResponseWriter {
    static func write(
        _ result: EmbeddingResult,
        model: String,
        format: EmbeddingsRequest.EncodingFormat,
        allocator: ByteBufferAllocator
    ) -> ByteBuffer {
        let width = result.embeddings.first?.count ?? 0
        let perVector = format == .float ? width * 14 : (width * 4 / 3 + 8)
        var buffer = allocator.buffer(capacity: 96 + result.embeddings.count * (perVector + 48) + model.utf8.count)
        buffer.writeStaticString(#"{"object":"list","data":["#)
        for (index, vector) in result.embeddings.enumerated() {
            if index > 0 { buffer.writeStaticString(",") }
            buffer.writeStaticString(#"{"object":"embedding","index":"#)
            buffer.writeString(String(index))
            buffer.writeStaticString(#","embedding":"#)
            switch format {
            case .float: writeFloats(vector, to: &buffer)
            case .base64: writeBase64(vector, to: &buffer)
            }
            buffer.writeStaticString("}")
        }
        buffer.writeStaticString(#"],"model":"#)
        JSONString.write(model, to: &buffer)
        buffer.writeStaticString(#","usage":{"prompt_tokens":"#)
        buffer.writeString(String(result.promptTokens))
        buffer.writeStaticString(#","total_tokens":"#)
        buffer.writeString(String(result.promptTokens))
        buffer.writeStaticString("}}")
        return buffer
    }

    private static func writeFloats(_ vector: [Float], to buffer: inout ByteBuffer) {
        buffer.writeStaticString("[")
        for (i, value) in vector.enumerated() {
            if i > 0 { buffer.writeStaticString(",") }
            // Shortest representation that reads back to the same Float; never NaN or infinite here
            // (pooling of finite activations), but keep the JSON valid if a model produces one.
            buffer.writeString(value.isFinite ? value.description : "0")
        }
        buffer.writeStaticString("]")
    }

    /// Little-endian float32 bytes, base64-encoded, as OpenAI sends them.
    private static func writeBase64(_ vector: [Float], to buffer: inout ByteBuffer) {
        let data = vector.withUnsafeBufferPointer { values in
            var bytes = Data(capacity: values.count * 4)
            for value in values { withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes.append(contentsOf: $0) } }
            return bytes
        }
        buffer.writeStaticString("\"")
        buffer.writeString(data.base64EncodedString())
        buffer.writeStaticString("\"")
    }
}
