import NIOCore
import InferenceCore

/// The binary tensor data extension's element layout: fixed-width elements little-endian, row-major, with no
/// padding; BOOL one byte, 0 or 1; BYTES each a 4-byte little-endian length, then that many bytes.
enum BinaryTensorData {
    /// Reads one input's binary section.
    /// - Parameters:
    ///   - section: the input's bytes, exactly its `binary_data_size`.
    ///   - elementCount: elements the input's shape holds.
    static func decode(
        _ section: UnsafeRawBufferPointer,
        input: String,
        datatype: TensorDatatype,
        elementCount: Int
    ) throws(KServeError) -> HostTensor.Contents {
        guard let width = datatype.byteWidth else {
            return .strings(try strings(section, input: input, elementCount: elementCount))
        }
        let (expected, overflow) = elementCount.multipliedReportingOverflow(by: width)
        guard !overflow, section.count == expected else {
            throw .badRequest(
                "input '\(input)' has \(section.count) bytes of binary data but its shape of \(elementCount) "
                    + "\(datatype.rawValue) elements needs \(overflow ? "more" : String(expected))")
        }
        if datatype == .bool, let bad = section.firstIndex(where: { $0 > 1 }) {
            throw .badRequest("input '\(input)' holds byte \(section[bad]) at element \(bad); BOOL elements are 0 or 1")
        }
        return .fixed(Array(section))
    }

    /// Splits a BYTES section into its elements; the section must hold exactly `elementCount` of them.
    static func strings(_ section: UnsafeRawBufferPointer, input: String, elementCount: Int?) throws(KServeError)
        -> [[UInt8]]
    {
        var elements: [[UInt8]] = []
        if let elementCount { elements.reserveCapacity(min(elementCount, section.count / 4)) }
        var offset = 0
        while offset < section.count {
            if let elementCount, elements.count == elementCount {
                throw .badRequest(
                    "input '\(input)' has more BYTES elements in its binary data than the \(elementCount) its shape holds")
            }
            guard section.count - offset >= 4 else {
                throw .badRequest("input '\(input)' has a truncated BYTES length prefix at byte \(offset) of its binary data")
            }
            let length = Int(section.loadUnaligned(fromByteOffset: offset, as: UInt32.self).littleEndian)
            offset += 4
            guard section.count - offset >= length else {
                throw .badRequest(
                    "input '\(input)' has a BYTES element of \(length) bytes at byte \(offset - 4) of its binary data, "
                        + "past the end of its \(section.count) bytes")
            }
            elements.append(Array(UnsafeRawBufferPointer(rebasing: section[offset..<offset + length])))
            offset += length
        }
        if let elementCount, elements.count != elementCount {
            throw .badRequest(
                "input '\(input)' has \(elements.count) BYTES elements in its binary data but its shape holds \(elementCount)")
        }
        return elements
    }

    /// Bytes a tensor takes in binary form.
    static func size(of contents: HostTensor.Contents) -> Int {
        switch contents {
        case .fixed(let bytes): bytes.count
        case .strings(let elements): elements.reduce(0) { $0 + 4 + $1.count }
        }
    }

    /// Appends a tensor's binary form.
    static func write(_ contents: HostTensor.Contents, to buffer: inout ByteBuffer) {
        switch contents {
        case .fixed(let bytes):
            buffer.writeBytes(bytes)
        case .strings(let elements):
            for element in elements {
                buffer.writeInteger(UInt32(truncatingIfNeeded: element.count), endianness: .little)
                buffer.writeBytes(element)
            }
        }
    }
}
