import NIOCore

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
