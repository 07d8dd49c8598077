import InferenceCore
import NIOCore

/// Writes a tensor's elements as a flat JSON `data` array, straight from its little-endian bytes.
enum TensorJSONWriter {
    static func write(_ tensor: HostTensor, to buffer: inout ByteBuffer) {
        buffer.writeStaticString("[")
        switch tensor.contents {
        case .strings(let elements):
            for (index, element) in elements.enumerated() {
                if index > 0 { buffer.writeStaticString(",") }
                JSONString.write(String(decoding: element, as: UTF8.self), to: &buffer)
            }
        case .fixed(let bytes):
            bytes.withUnsafeBytes { raw in writeFixed(raw, datatype: tensor.datatype, to: &buffer) }
        }
        buffer.writeStaticString("]")
    }

    private static func writeFixed(_ raw: UnsafeRawBufferPointer, datatype: TensorDatatype, to buffer: inout ByteBuffer) {
        switch datatype {
        case .bool:
            for (index, byte) in raw.enumerated() {
                if index > 0 { buffer.writeStaticString(",") }
                if byte != 0 { buffer.writeStaticString("true") } else { buffer.writeStaticString("false") }
            }
        case .uint8: integers(raw, UInt8.self, to: &buffer)
        case .uint16: integers(raw, UInt16.self, to: &buffer)
        case .uint32: integers(raw, UInt32.self, to: &buffer)
        case .uint64: integers(raw, UInt64.self, to: &buffer)
        case .int8: integers(raw, Int8.self, to: &buffer)
        case .int16: integers(raw, Int16.self, to: &buffer)
        case .int32: integers(raw, Int32.self, to: &buffer)
        case .int64: integers(raw, Int64.self, to: &buffer)
        case .fp16: floats(raw, UInt16.self, to: &buffer) { Float(Float16(bitPattern: $0)) }
        case .fp32: floats(raw, UInt32.self, to: &buffer) { Float(bitPattern: $0) }
        case .fp64: floats(raw, UInt64.self, to: &buffer) { Double(bitPattern: $0) }
        case .bytes: break
        }
    }

    private static func integers<T: FixedWidthInteger>(_ raw: UnsafeRawBufferPointer, _: T.Type, to buffer: inout ByteBuffer) {
        let width = MemoryLayout<T>.size
        for index in 0..<raw.count / width {
            if index > 0 { buffer.writeStaticString(",") }
            // Decimal text of up to 20 digits is a small string: no allocation.
            buffer.writeString(String(T(littleEndian: raw.loadUnaligned(fromByteOffset: index * width, as: T.self))))
        }
    }

    private static func floats<Bits: FixedWidthInteger, Value: BinaryFloatingPoint & CustomStringConvertible>(
        _ raw: UnsafeRawBufferPointer,
        _: Bits.Type,
        to buffer: inout ByteBuffer,
        _ value: (Bits) -> Value
    ) {
        let width = MemoryLayout<Bits>.size
        for index in 0..<raw.count / width {
            if index > 0 { buffer.writeStaticString(",") }
            let element = value(Bits(littleEndian: raw.loadUnaligned(fromByteOffset: index * width, as: Bits.self)))
            write(element, to: &buffer)
        }
    }

    /// The shortest text that reads back as the same value; non-finite values as Python's json and rapidjson
    /// write them (`NaN`, `Infinity`, `-Infinity`), which tritonclient reads.
    private static func write<Value: BinaryFloatingPoint & CustomStringConvertible>(_ value: Value, to buffer: inout ByteBuffer) {
        if value.isNaN {
            buffer.writeStaticString("NaN")
        } else if value.isInfinite {
            if value < 0 { buffer.writeStaticString("-Infinity") } else { buffer.writeStaticString("Infinity") }
        } else {
            buffer.writeString(value.description)
        }
    }
}
