import NIOCore

/// Writes JSON string literals straight into a buffer.
enum JSONString {
    /// Writes `string` quoted and escaped as RFC 8259 requires.
    static func write(_ string: String, to buffer: inout ByteBuffer) {
        buffer.writeStaticString("\"")
        var pendingStart = string.utf8.startIndex
        let utf8 = string.utf8
        var index = utf8.startIndex
        while index != utf8.endIndex {
            let byte = utf8[index]
            if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte < 0x20 {
                buffer.writeBytes(utf8[pendingStart..<index])
                writeEscape(byte, to: &buffer)
                pendingStart = utf8.index(after: index)
            }
            index = utf8.index(after: index)
        }
        buffer.writeBytes(utf8[pendingStart..<utf8.endIndex])
        buffer.writeStaticString("\"")
    }

    /// Writes `string` as a JSON string literal, or `null` when nil.
    static func write(_ string: String?, to buffer: inout ByteBuffer) {
        if let string { write(string, to: &buffer) } else { buffer.writeStaticString("null") }
    }

    private static func writeEscape(_ byte: UInt8, to buffer: inout ByteBuffer) {
        switch byte {
        case UInt8(ascii: "\""): buffer.writeStaticString("\\\"")
        case UInt8(ascii: "\\"): buffer.writeStaticString("\\\\")
        case UInt8(ascii: "\n"): buffer.writeStaticString("\\n")
        case UInt8(ascii: "\r"): buffer.writeStaticString("\\r")
        case UInt8(ascii: "\t"): buffer.writeStaticString("\\t")
        default:
            let hex: [UInt8] = Array("0123456789abcdef".utf8)
            buffer.writeStaticString("\\u00")
            buffer.writeInteger(hex[Int(byte >> 4)])
            buffer.writeInteger(hex[Int(byte & 0xF)])
        }
    }
}
