import ONNXRuntime

/// A tensor element type by its KServe v2 (Open Inference Protocol) name; raw values are the wire names.
public enum TensorDatatype: String, Sendable, CaseIterable {
    case bool = "BOOL", uint8 = "UINT8", uint16 = "UINT16", uint32 = "UINT32", uint64 = "UINT64"
    case int8 = "INT8", int16 = "INT16", int32 = "INT32", int64 = "INT64"
    case fp16 = "FP16", fp32 = "FP32", fp64 = "FP64", bytes = "BYTES"

    /// Bytes per element in host memory; `nil` for BYTES, whose elements vary in length.
    public var byteWidth: Int? {
        switch self {
        case .bool, .uint8, .int8: 1
        case .uint16, .int16, .fp16: 2
        case .uint32, .int32, .fp32: 4
        case .uint64, .int64, .fp64: 8
        case .bytes: nil
        }
    }
}

extension TensorDatatype {
    /// The v2 name of an ONNX element type; `nil` for types v2 cannot name (bfloat16, complex, 8-bit floats...).
    public init?(_ elementType: ElementType) {
        switch elementType {
        case .bool: self = .bool
        case .uint8: self = .uint8
        case .uint16: self = .uint16
        case .uint32: self = .uint32
        case .uint64: self = .uint64
        case .int8: self = .int8
        case .int16: self = .int16
        case .int32: self = .int32
        case .int64: self = .int64
        case .float16: self = .fp16
        case .float: self = .fp32
        case .double: self = .fp64
        case .string: self = .bytes
        case .bfloat16, .unsupported: return nil
        }
    }

    /// The ONNX element type that holds this datatype.
    public var elementType: ElementType {
        switch self {
        case .bool: .bool
        case .uint8: .uint8
        case .uint16: .uint16
        case .uint32: .uint32
        case .uint64: .uint64
        case .int8: .int8
        case .int16: .int16
        case .int32: .int32
        case .int64: .int64
        case .fp16: .float16
        case .fp32: .float
        case .fp64: .double
        case .bytes: .string
        }
    }
}
