import CONNXRuntime
import Testing

@testable import ONNXRuntime

@Suite struct TensorTests {
    /// Every element type the binding creates, with ONNX's number for it.
    static let numericTypes: [(ElementType, Int)] = [
        (.float, 1), (.uint8, 2), (.int8, 3), (.uint16, 4), (.int16, 5), (.int32, 6), (.int64, 7), (.bool, 9),
        (.float16, 10), (.double, 11), (.uint32, 12), (.uint64, 13), (.bfloat16, 16),
    ]

    /// What ORT itself reports about a tensor's OrtValue: kind, element type, shape and data pointer.
    static func ortView(of tensor: Tensor) throws -> (ValueKind, ElementType, [Int], UnsafeMutableRawPointer?) {
        let library = tensor.library
        var onnxType = ONNX_TYPE_UNKNOWN
        try library.check(library.api.pointee.GetValueType(tensor.handle, &onnxType))
        var info: OpaquePointer?
        try library.check(library.api.pointee.GetTensorTypeAndShape(tensor.handle, &info))
        defer { library.api.pointee.ReleaseTensorTypeAndShapeInfo(info) }
        let (elementType, shape) = try library.elementTypeAndShape(of: try #require(info))
        var data: UnsafeMutableRawPointer?
        try library.check(library.api.pointee.GetTensorMutableData(tensor.handle, &data))
        return (ValueKind(onnxType), elementType, shape, data)
    }

    @Test(arguments: numericTypes.map(\.0))
    func ortSeesTheSwiftBufferWithTheRightTypeAndShape(type: ElementType) throws {
        let tensor = try Tensor(type, shape: [2, 3, 4], library: try Fixtures.library())
        #expect(tensor.elementCount == 24)
        #expect(tensor.byteCount == 24 * (type.byteWidth ?? 0))
        let (kind, ortType, shape, data) = try Self.ortView(of: tensor)
        #expect(kind == .tensor)
        #expect(ortType == type)
        #expect(shape == [2, 3, 4])
        // No copy: ORT's data pointer is the buffer Swift allocated and fills.
        tensor.withUnsafeMutableBytes { bytes in
            #expect(data == bytes.baseAddress)
            #expect(Int(bitPattern: bytes.baseAddress) % Tensor.alignment == 0)
            #expect(bytes.allSatisfy { $0 == 0 })
        }
    }

    @Test func elementTypesMapToONNXNumbers() {
        for (type, raw) in Self.numericTypes {
            #expect(type.onnxRawValue == raw)
            #expect(ElementType(onnxRawValue: raw) == type)
        }
        #expect(ElementType(onnxRawValue: 8) == .string)
        #expect(ElementType(onnxRawValue: 14) == .unsupported(onnxRawValue: 14))
        #expect(ElementType.string.byteWidth == nil)
    }

    @Test func writesThroughTheBufferAreWhatORTReads() throws {
        let tensor = try Tensor(.int64, shape: [3], library: try Fixtures.library())
        try tensor.withUnsafeMutableBufferPointer(as: Int64.self) { values in
            values[0] = 7
            values[1] = -1
            values[2] = .max
        }
        let data = try #require(try Self.ortView(of: tensor).3)
        let seen = UnsafeBufferPointer(start: data.assumingMemoryBound(to: Int64.self), count: 3)
        #expect(Array(seen) == [7, -1, .max])
    }

    @Test func arraysOfEveryTensorElementRoundTrip() throws {
        let library = try Fixtures.library()
        func roundTrip<T: TensorElement & Equatable>(_ values: [T]) throws {
            let tensor = try Tensor(values, shape: [values.count], library: library)
            #expect(tensor.elementType == T.elementType)
            #expect(try tensor.withUnsafeBufferPointer(as: T.self) { Array($0) } == values)
        }
        try roundTrip([Float(1.5), -2])
        try roundTrip([Double(1.5), -2])
        try roundTrip([Int8.min, .max])
        try roundTrip([Int16.min, .max])
        try roundTrip([Int32.min, .max])
        try roundTrip([Int64.min, .max])
        try roundTrip([UInt8.min, .max])
        try roundTrip([UInt16.min, .max])
        try roundTrip([UInt32.min, .max])
        try roundTrip([UInt64.min, .max])
        try roundTrip([true, false, true])
    }

    @Test func rawViewsOfHalfPrecisionAndBool() throws {
        let library = try Fixtures.library()
        let half = try Tensor(.float16, shape: [1], library: library)
        try half.withUnsafeMutableBufferPointer(as: UInt16.self) { $0[0] = 0x3C00 }  // 1.0 in IEEE half
        #expect(try half.withUnsafeBufferPointer(as: UInt16.self) { $0[0] } == 0x3C00)
        #expect(throws: ORTError.self) { try half.withUnsafeBufferPointer(as: Float.self) { _ in } }

        let flags = try Tensor([true, false], shape: [2], library: library)
        #expect(try flags.withUnsafeBufferPointer(as: UInt8.self) { Array($0) } == [1, 0])
    }

    @Test func scalarsAndEmptyTensors() throws {
        let library = try Fixtures.library()
        let scalar = try Tensor([Float(3)], shape: [], library: library)
        #expect(scalar.elementCount == 1)
        #expect(try Self.ortView(of: scalar).2 == [])
        let empty = try Tensor(.float, shape: [0, 384], library: library)
        #expect(empty.elementCount == 0)
        #expect(empty.byteCount == 0)
        #expect(try Self.ortView(of: empty).2 == [0, 384])
        let emptyArray = try Tensor([Int64](), shape: [2, 0], library: library)
        #expect(try emptyArray.withUnsafeBufferPointer(as: Int64.self) { $0.count } == 0)
    }

    @Test func invalidTensorsAreRejected() throws {
        let library = try Fixtures.library()
        let negative = #expect(throws: ORTError.self) { try Tensor(.float, shape: [2, -1], library: library) }
        #expect(negative?.code == .invalidArgument)
        let huge = #expect(throws: ORTError.self) { try Tensor(.double, shape: [Int.max / 2, 4], library: library) }
        #expect(huge?.code == .invalidArgument)
        let strings = #expect(throws: ORTError.self) { try Tensor(.string, shape: [1], library: library) }
        #expect(strings?.code == .notImplemented)
        let count = #expect(throws: ORTError.self) { try Tensor([Int64(1), 2, 3], shape: [2, 2], library: library) }
        #expect(count?.message == "3 values do not fill a tensor of shape [2, 2] (4 elements)")
    }
}
