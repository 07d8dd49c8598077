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
            JSONNumbers.write(index, to: &buffer)
            buffer.writeStaticString(#","embedding":"#)
            switch format {
            case .float: JSONNumbers.write(vector, to: &buffer)
            case .base64: writeBase64(vector, to: &buffer)
            }
            buffer.writeStaticString("}")
        }
        buffer.writeStaticString(#"],"model":"#)
        JSONString.write(model, to: &buffer)
        buffer.writeStaticString(#","usage":{"prompt_tokens":"#)
        JSONNumbers.write(result.promptTokens, to: &buffer)
        buffer.writeStaticString(#","total_tokens":"#)
        JSONNumbers.write(result.promptTokens, to: &buffer)
        buffer.writeStaticString("}}")
        return buffer
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
