/// A forward-only reader of JSON text in a byte buffer, for request bodies whose numbers go straight into
/// tensor bytes: no value tree is built and numbers are never turned into strings.
///
/// Objects and arrays are walked with `beginObject`/`nextKey` and `beginArray`/`nextElement`, which check
/// the commas and brackets between members; every malformation is a `KServeError` (400) that says where.
/// The reader never escapes the closure that lends it `bytes`.
struct JSONByteReader {
    let bytes: UnsafeRawBufferPointer
    private(set) var index: Int
    /// Nesting allowed before a document is refused, so hostile input cannot exhaust the stack.
    static let maxDepth = 64

    init(_ bytes: UnsafeRawBufferPointer, from start: Int = 0) {
        self.bytes = bytes
        self.index = start
    }

    func malformed(_ what: String) -> KServeError {
        .badRequest("malformed JSON in the request at byte \(index): \(what)")
    }

    var isAtEnd: Bool { index >= bytes.count }

    mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    /// The next significant byte, without consuming it.
    mutating func peek() -> UInt8? {
        skipWhitespace()
        return index < bytes.count ? bytes[index] : nil
    }

    mutating func expect(_ byte: UInt8) throws(KServeError) {
        guard peek() == byte else {
            throw malformed("expected '\(Character(Unicode.Scalar(byte)))'")
        }
        index += 1
    }

    /// After the document: only whitespace may follow.
    mutating func expectEnd() throws(KServeError) {
        if peek() != nil { throw malformed("unexpected text after the JSON value") }
    }

    // MARK: Objects and arrays

    mutating func beginObject() throws(KServeError) { try expect(UInt8(ascii: "{")) }

    /// The next member's key, or nil after the closing brace. `count` is the members read so far (start at 0).
    mutating func nextKey(_ count: inout Int) throws(KServeError) -> String? {
        if try nextMember(&count, closing: UInt8(ascii: "}")) == false { return nil }
        let key = try readString()
        try expect(UInt8(ascii: ":"))
        return key
    }

    mutating func beginArray() throws(KServeError) { try expect(UInt8(ascii: "[")) }

    /// Whether another element follows; false after the closing bracket. `count` as for `nextKey`.
    mutating func nextElement(_ count: inout Int) throws(KServeError) -> Bool {
        try nextMember(&count, closing: UInt8(ascii: "]"))
    }

    private mutating func nextMember(_ count: inout Int, closing: UInt8) throws(KServeError) -> Bool {
        guard let byte = peek() else { throw malformed("unexpected end of the document") }
        if byte == closing {
            index += 1
            return false
        }
        if count > 0 {
            guard byte == UInt8(ascii: ",") else { throw malformed("expected ',' or '\(Character(Unicode.Scalar(closing)))'") }
            index += 1
        }
        count += 1
        return true
    }

    // MARK: Scalars

    mutating func readBool() throws(KServeError) -> Bool {
        if consumeLiteral("true") { return true }
        if consumeLiteral("false") { return false }
        throw malformed("expected true or false")
    }

    /// Whether the next value is `null` (consumed when it is).
    mutating func consumeNull() -> Bool { consumeLiteral("null") }

    mutating func consumeLiteral(_ literal: StaticString) -> Bool {
        skipWhitespace()
        let count = literal.utf8CodeUnitCount
        guard index + count <= bytes.count else { return false }
        let matches = literal.withUTF8Buffer { text in
            for offset in 0..<count where bytes[index + offset] != text[offset] { return false }
            return true
        }
        if matches { index += count }
        return matches
    }

    /// The bytes of the next number token (JSON grammar, plus `NaN`, `Infinity` and `-Infinity` as Python's
    /// `json` and rapidjson write them).
    mutating func readNumberToken() throws(KServeError) -> Range<Int> {
        skipWhitespace()
        let start = index
        guard index < bytes.count else { throw malformed("expected a number") }
        // Non-finite values are rare: look for them only where a digit cannot start.
        if bytes[index] == UInt8(ascii: "N") || bytes[index] == UInt8(ascii: "I")
            || (bytes[index] == UInt8(ascii: "-") && index + 1 < bytes.count && bytes[index + 1] == UInt8(ascii: "I"))
        {
            if consumeLiteral("NaN") || consumeLiteral("Infinity") || consumeLiteral("-Infinity") { return start..<index }
            throw malformed("expected a number")
        }
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        let integerStart = index
        skipDigits()
        guard index > integerStart else {
            index = start
            throw malformed("expected a number")
        }
        if bytes[integerStart] == UInt8(ascii: "0"), index - integerStart > 1 {
            throw malformed("a number has a leading zero")
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            let fractionStart = index
            skipDigits()
            if index == fractionStart { throw malformed("a number has no digits after its decimal point") }
        }
        if index < bytes.count, bytes[index] | 0x20 == UInt8(ascii: "e") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            let exponentStart = index
            skipDigits()
            if index == exponentStart { throw malformed("a number has no digits in its exponent") }
        }
        return start..<index
    }

    private mutating func skipDigits() {
        while index < bytes.count, bytes[index] &- UInt8(ascii: "0") < 10 { index += 1 }
    }

    /// A non-negative or negative integer that fits `Int` (shapes, sizes).
    mutating func readInt() throws(KServeError) -> Int {
        let token = try readNumberToken()
        guard let value = JSONNumberParser.integer(bytes, token), let int = Int(exactly: value) else {
            throw malformed("expected an integer")
        }
        return int
    }

    // MARK: Strings

    /// The next string, unescaped.
    mutating func readString() throws(KServeError) -> String {
        var utf8: [UInt8] = []
        try readString(into: &utf8)
        return String(decoding: utf8, as: UTF8.self)
    }

    /// Appends the next string's unescaped UTF-8 bytes to `utf8`.
    mutating func readString(into utf8: inout [UInt8]) throws(KServeError) {
        try expect(UInt8(ascii: "\""))
        var runStart = index
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                utf8.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[runStart..<index]))
                index += 1
                return
            }
            if byte < 0x20 { throw malformed("a control character inside a string") }
            if byte == UInt8(ascii: "\\") {
                utf8.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[runStart..<index]))
                index += 1
                try readEscape(into: &utf8)
                runStart = index
                continue
            }
            index += 1
        }
        throw malformed("a string is not terminated")
    }

    private mutating func readEscape(into utf8: inout [UInt8]) throws(KServeError) {
        guard index < bytes.count else { throw malformed("a string is not terminated") }
        let byte = bytes[index]
        index += 1
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): utf8.append(byte)
        case UInt8(ascii: "b"): utf8.append(0x08)
        case UInt8(ascii: "f"): utf8.append(0x0C)
        case UInt8(ascii: "n"): utf8.append(0x0A)
        case UInt8(ascii: "r"): utf8.append(0x0D)
        case UInt8(ascii: "t"): utf8.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = try readHex4()
            if (0xD800..<0xDC00).contains(scalar) {
                guard consumeRaw("\\u") else { throw malformed("a lone surrogate in a \\u escape") }
                let low = try readHex4()
                guard (0xDC00..<0xE000).contains(low) else { throw malformed("a lone surrogate in a \\u escape") }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            } else if (0xDC00..<0xE000).contains(scalar) {
                throw malformed("a lone surrogate in a \\u escape")
            }
            guard let unicode = Unicode.Scalar(scalar) else { throw malformed("an invalid \\u escape") }
            utf8.append(contentsOf: String(Character(unicode)).utf8)
        default:
            throw malformed("an invalid escape in a string")
        }
    }

    private mutating func consumeRaw(_ text: StaticString) -> Bool {
        let count = text.utf8CodeUnitCount
        guard index + count <= bytes.count else { return false }
        let matches = text.withUTF8Buffer { text in
            for offset in 0..<count where bytes[index + offset] != text[offset] { return false }
            return true
        }
        if matches { index += count }
        return matches
    }

    private mutating func readHex4() throws(KServeError) -> UInt32 {
        guard index + 4 <= bytes.count else { throw malformed("an incomplete \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw malformed("an invalid \\u escape")
            }
            value = value << 4 | UInt32(digit)
            index += 1
        }
        return value
    }

    // MARK: Skipping

    /// Skips one value of any kind; returns the bytes it spanned.
    @discardableResult
    mutating func skipValue(depth: Int = 0) throws(KServeError) -> Range<Int> {
        guard depth < Self.maxDepth else { throw malformed("nested deeper than \(Self.maxDepth) levels") }
        guard let byte = peek() else { throw malformed("expected a value") }
        let start = index
        switch byte {
        case UInt8(ascii: "{"):
            index += 1
            var count = 0
            while try nextMember(&count, closing: UInt8(ascii: "}")) {
                try skipString()
                try expect(UInt8(ascii: ":"))
                try skipValue(depth: depth + 1)
            }
        case UInt8(ascii: "["):
            index += 1
            var count = 0
            while try nextElement(&count) { try skipValue(depth: depth + 1) }
        case UInt8(ascii: "\""):
            try skipString()
        case UInt8(ascii: "t"), UInt8(ascii: "f"):
            _ = try readBool()
        case UInt8(ascii: "n"):
            guard consumeNull() else { throw malformed("expected a value") }
        default:
            _ = try readNumberToken()
        }
        return start..<index
    }

    private mutating func skipString() throws(KServeError) {
        try expect(UInt8(ascii: "\""))
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "\""):
                index += 1
                return
            case UInt8(ascii: "\\"):
                index += 2
            case 0..<0x20:
                throw malformed("a control character inside a string")
            default:
                index += 1
            }
        }
        throw malformed("a string is not terminated")
    }
}
