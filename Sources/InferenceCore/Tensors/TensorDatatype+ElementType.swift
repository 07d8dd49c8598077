import ONNXRuntime

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
