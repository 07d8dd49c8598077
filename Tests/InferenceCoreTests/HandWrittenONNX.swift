import Foundation

/// A one-node ONNX model written byte by byte (protobuf wire format), for graphs the v2 test repository has
/// no reason to hold: `y = Identity(x)` with `x` and `y` of any ONNX element type, shape [1].
enum HandWrittenONNX {
    static func identity(elementType: Int) -> Data {
        let dimension = field(1, varint: 1)  // Dimension.dim_value = 1
        let shape = field(1, bytes: dimension)  // TensorShapeProto.dim
        let tensorType = field(1, varint: UInt64(elementType)) + field(2, bytes: shape)
        let type = field(1, bytes: tensorType)  // TypeProto.tensor_type
        func value(_ name: String) -> [UInt8] { field(1, string: name) + field(2, bytes: type) }
        let node = field(1, string: "x") + field(2, string: "y") + field(4, string: "Identity")
        let graph =
            field(1, bytes: node) + field(2, string: "g") + field(11, bytes: value("x")) + field(12, bytes: value("y"))
        let opset = field(1, string: "") + field(2, varint: 17)
        return Data(field(1, varint: 8) + field(7, bytes: graph) + field(8, bytes: opset))
    }

    static func write(elementType: Int) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("tern-\(UUID().uuidString).onnx")
        try identity(elementType: elementType).write(to: url)
        return url
    }

    private static func varint(_ value: UInt64) -> [UInt8] {
        var value = value
        var bytes: [UInt8] = []
        repeat {
            var byte = UInt8(value & 0x7F)
            value >>= 7
            if value != 0 { byte |= 0x80 }
            bytes.append(byte)
        } while value != 0
        return bytes
    }

    private static func field(_ number: UInt64, varint value: UInt64) -> [UInt8] {
        varint(number << 3) + varint(value)
    }

    private static func field(_ number: UInt64, bytes: [UInt8]) -> [UInt8] {
        varint(number << 3 | 2) + varint(UInt64(bytes.count)) + bytes
    }

    private static func field(_ number: UInt64, string: String) -> [UInt8] {
        field(number, bytes: Array(string.utf8))
    }
}
