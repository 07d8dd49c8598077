import HTTPTypes

/// The id that ties a request's response, log line and spans together: the client's `X-Request-Id`
/// when it is usable, else a fresh random one.
enum RequestIdentifier {
    static let header = HTTPField.Name("x-request-id")!
    /// Longest client id kept; a longer one is replaced.
    static let maxLength = 128

    /// The client's id, or a new one when it sent none or one that is empty, too long or not printable
    /// ASCII (so it cannot break a log line or a header).
    static func resolve(_ clientValue: String?) -> String {
        if let clientValue, isUsable(clientValue) { return clientValue }
        return make()
    }

    static func isUsable(_ value: String) -> Bool {
        let bytes = value.utf8
        return !bytes.isEmpty && bytes.count <= maxLength && bytes.allSatisfy { $0 >= 0x21 && $0 <= 0x7E }
    }

    /// 128 random bits as 32 lowercase hex digits.
    static func make() -> String {
        var generator = SystemRandomNumberGenerator()
        let high = generator.next() as UInt64
        let low = generator.next() as UInt64
        return hex(high) + hex(low)
    }

    private static func hex(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
