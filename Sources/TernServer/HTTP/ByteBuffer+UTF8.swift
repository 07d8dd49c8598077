import NIOCore

extension ByteBuffer {
    /// Whether the readable bytes are valid UTF-8, as JSON text must be (RFC 8259). Checked before
    /// decoding because the decoder would otherwise report bad bytes inside a string as a type error of
    /// the field that holds them.
    var isValidUTF8: Bool {
        String(validating: readableBytesView, as: UTF8.self) != nil
    }
}
