import InferenceCore

/// Decodes an input's JSON `data`, flat or nested to any depth, straight into the tensor's little-endian
/// bytes: one pass over the text, no intermediate values, no allocation per element (but BYTES elements).
struct TensorJSONDecoder {
    /// The input's name, for errors.
    let input: String
    let datatype: TensorDatatype
    /// Elements the input's shape holds.
    let elementCount: Int

    /// Decodes the value at `range` of `bytes`.
    func decode(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>) throws(KServeError) -> HostTensor.Contents {
        var reader = JSONByteReader(UnsafeRawBufferPointer(rebasing: bytes[range]))
        // A JSON element takes at least two bytes ("1,"), which bounds what a lying shape can reserve.
        let capacity = min(elementCount, range.count / 2 + 1)
        switch datatype {
        case .bool:
            return .fixed(try fixed(&reader, capacity: capacity) { (reader) throws(KServeError) -> UInt8 in
                reader.consumeLiteral("true") ? 1 : reader.consumeLiteral("false") ? 0 : try invalid(reader)
            })
        case .uint8: return .fixed(try integers(&reader, UInt8.self, capacity: capacity))
        case .uint16: return .fixed(try integers(&reader, UInt16.self, capacity: capacity))
        case .uint32: return .fixed(try integers(&reader, UInt32.self, capacity: capacity))
        case .uint64: return .fixed(try integers(&reader, UInt64.self, capacity: capacity))
        case .int8: return .fixed(try integers(&reader, Int8.self, capacity: capacity))
        case .int16: return .fixed(try integers(&reader, Int16.self, capacity: capacity))
        case .int32: return .fixed(try integers(&reader, Int32.self, capacity: capacity))
        case .int64: return .fixed(try integers(&reader, Int64.self, capacity: capacity))
        case .fp16:
            return .fixed(try fixed(&reader, capacity: capacity) { (reader) throws(KServeError) -> UInt16 in
                let token = try numberToken(&reader)
                guard let value = JSONNumberParser.double(reader.bytes, token) else { return try invalid(reader) }
                return Float16(value).bitPattern
            })
        case .fp32:
            return .fixed(try fixed(&reader, capacity: capacity) { (reader) throws(KServeError) -> UInt32 in
                let token = try numberToken(&reader)
                guard let value = JSONNumberParser.float(reader.bytes, token) else { return try invalid(reader) }
                return value.bitPattern
            })
        case .fp64:
            return .fixed(try fixed(&reader, capacity: capacity) { (reader) throws(KServeError) -> UInt64 in
                let token = try numberToken(&reader)
                guard let value = JSONNumberParser.double(reader.bytes, token) else { return try invalid(reader) }
                return value.bitPattern
            })
        case .bytes:
            return .strings(try strings(&reader, capacity: capacity))
        }
    }

    private func integers<T: FixedWidthInteger>(_ reader: inout JSONByteReader, _: T.Type, capacity: Int)
        throws(KServeError) -> [UInt8]
    {
        try fixed(&reader, capacity: capacity) { (reader) throws(KServeError) -> T in
            let token = try numberToken(&reader)
            guard let wide = JSONNumberParser.integer(reader.bytes, token), let value = T(exactly: wide) else {
                let text = String(decoding: UnsafeRawBufferPointer(rebasing: reader.bytes[token]), as: UTF8.self)
                throw .badRequest("input '\(input)' holds \(text), which is not a \(datatype.rawValue) value")
            }
            return value
        }
    }

    /// Walks the (nested) arrays and appends each leaf's little-endian bytes.
    private func fixed<T: FixedWidthInteger>(
        _ reader: inout JSONByteReader,
        capacity: Int,
        _ element: (inout JSONByteReader) throws(KServeError) -> T
    ) throws(KServeError) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(capacity * MemoryLayout<T>.size)
        var count = 0
        try walk(&reader, depth: 0, count: &count) { (reader) throws(KServeError) in
            let value = try element(&reader).littleEndian
            withUnsafeBytes(of: value) { out.append(contentsOf: $0) }
        }
        try reader.expectEnd()
        try check(count)
        return out
    }

    private func strings(_ reader: inout JSONByteReader, capacity: Int) throws(KServeError) -> [[UInt8]] {
        var out: [[UInt8]] = []
        out.reserveCapacity(capacity)
        var count = 0
        try walk(&reader, depth: 0, count: &count) { (reader) throws(KServeError) in
            guard reader.peek() == UInt8(ascii: "\"") else { return try invalid(reader) }
            var element: [UInt8] = []
            try reader.readString(into: &element)
            out.append(element)
        }
        try reader.expectEnd()
        try check(count)
        return out
    }

    private func walk(
        _ reader: inout JSONByteReader,
        depth: Int,
        count: inout Int,
        _ leaf: (inout JSONByteReader) throws(KServeError) -> Void
    ) throws(KServeError) {
        guard depth < JSONByteReader.maxDepth else { throw reader.malformed("nested deeper than \(JSONByteReader.maxDepth) levels") }
        if reader.peek() == UInt8(ascii: "[") {
            try reader.beginArray()
            var elements = 0
            while try reader.nextElement(&elements) {
                try walk(&reader, depth: depth + 1, count: &count, leaf)
            }
            return
        }
        count += 1
        if count > elementCount { throw tooMany() }
        try leaf(&reader)
    }

    /// The next number; anything else is an error naming the input rather than a JSON syntax error.
    private func numberToken(_ reader: inout JSONByteReader) throws(KServeError) -> Range<Int> {
        guard let byte = reader.peek(),
            byte == UInt8(ascii: "-") || byte &- UInt8(ascii: "0") < 10 || byte == UInt8(ascii: "N") || byte == UInt8(ascii: "I")
        else { return try invalid(reader) }
        return try reader.readNumberToken()
    }

    private func check(_ count: Int) throws(KServeError) {
        if count != elementCount {
            throw .badRequest(
                "input '\(input)' has \(count) elements in its data but its shape holds \(elementCount)")
        }
    }

    private func tooMany() -> KServeError {
        .badRequest("input '\(input)' has more elements in its data than the \(elementCount) its shape holds")
    }

    private func invalid<T>(_ reader: JSONByteReader) throws(KServeError) -> T {
        let expected =
            switch datatype {
            case .bool: "true or false"
            case .bytes: "a string"
            default: "a number"
            }
        throw .badRequest("input '\(input)' holds an element at byte \(reader.index) of its data that is not \(expected) (\(datatype.rawValue))")
    }
}
