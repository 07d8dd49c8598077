internal import CONNXRuntime

/// The element type of a tensor, as ONNX defines it.
///
/// Numeric types and `bool` are created over a flat Swift buffer and read in place. `string` tensors are created
/// with ``Tensor/init(strings:shape:library:)`` and read with ``Value/strings()``, since ORT keeps their elements
/// in its own memory. Types ONNX defines but this binding does not handle yet (complex, 8-bit and 4-bit floats,
/// 4-bit ints) arrive as ``unsupported(onnxRawValue:)``.
public enum ElementType: Hashable, Sendable, CustomStringConvertible {
    /// 32-bit IEEE float (`Float`).
    case float
    /// 64-bit IEEE float (`Double`).
    case double
    /// IEEE half precision; stored and accessed as raw `UInt16` bit patterns.
    case float16
    /// bfloat16; stored and accessed as raw `UInt16` bit patterns.
    case bfloat16
    /// `Int8`.
    case int8
    /// `Int16`.
    case int16
    /// `Int32`.
    case int32
    /// `Int64`, e.g. token ids and attention masks.
    case int64
    /// `UInt8`.
    case uint8
    /// `UInt16`.
    case uint16
    /// `UInt32`.
    case uint32
    /// `UInt64`.
    case uint64
    /// One byte per element, 0 or 1.
    case bool
    /// Strings (UTF-8 by convention); see ``Tensor/init(strings:shape:library:)`` and ``Value/strings()``.
    case string
    /// An ONNX element type this binding does not handle, by its `TensorProto.DataType` number.
    case unsupported(onnxRawValue: Int)

    /// The type for an ONNX `TensorProto.DataType` number (1 = float, 7 = int64, ...).
    public init(onnxRawValue: Int) {
        switch onnxRawValue {
        case 1: self = .float
        case 2: self = .uint8
        case 3: self = .int8
        case 4: self = .uint16
        case 5: self = .int16
        case 6: self = .int32
        case 7: self = .int64
        case 8: self = .string
        case 9: self = .bool
        case 10: self = .float16
        case 11: self = .double
        case 12: self = .uint32
        case 13: self = .uint64
        case 16: self = .bfloat16
        default: self = .unsupported(onnxRawValue: onnxRawValue)
        }
    }

    /// The ONNX `TensorProto.DataType` number.
    public var onnxRawValue: Int {
        switch self {
        case .float: 1
        case .uint8: 2
        case .int8: 3
        case .uint16: 4
        case .int16: 5
        case .int32: 6
        case .int64: 7
        case .string: 8
        case .bool: 9
        case .float16: 10
        case .double: 11
        case .uint32: 12
        case .uint64: 13
        case .bfloat16: 16
        case .unsupported(let raw): raw
        }
    }

    /// Bytes per element in a tensor's flat buffer, or `nil` for types without one (`string`, unsupported types).
    public var byteWidth: Int? {
        switch self {
        case .int8, .uint8, .bool: 1
        case .int16, .uint16, .float16, .bfloat16: 2
        case .int32, .uint32, .float: 4
        case .int64, .uint64, .double: 8
        case .string, .unsupported: nil
        }
    }

    /// The lower-case ONNX name: `float`, `int64`, `float16`, ...; `unsupported(23)` for the rest.
    public var description: String {
        switch self {
        case .float: "float"
        case .double: "double"
        case .float16: "float16"
        case .bfloat16: "bfloat16"
        case .int8: "int8"
        case .int16: "int16"
        case .int32: "int32"
        case .int64: "int64"
        case .uint8: "uint8"
        case .uint16: "uint16"
        case .uint32: "uint32"
        case .uint64: "uint64"
        case .bool: "bool"
        case .string: "string"
        case .unsupported(let raw): "unsupported(\(raw))"
        }
    }

    init(_ ortValue: ONNXTensorElementDataType) {
        self.init(onnxRawValue: Int(ortValue.rawValue))
    }

    var ortValue: ONNXTensorElementDataType {
        ONNXTensorElementDataType(rawValue: numericCast(onnxRawValue))
    }
}
