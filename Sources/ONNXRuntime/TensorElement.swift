/// A Swift type that can view the elements of a tensor's buffer without conversion.
///
/// `Float`, `Double`, the fixed-width integers and `Bool` conform. Half-precision types are viewed as their raw
/// `UInt16` bits (`float16`, `bfloat16`), and `bool` tensors can also be viewed as `UInt8`.
public protocol TensorElement: BitwiseCopyable, Sendable {
    /// The element type an array of this Swift type becomes (``Tensor/init(_:shape:library:)``).
    static var elementType: ElementType { get }
    /// Whether a buffer of `type` can be viewed as this Swift type.
    static func canView(_ type: ElementType) -> Bool
}

extension TensorElement {
    /// By default a Swift type views exactly its own element type.
    public static func canView(_ type: ElementType) -> Bool {
        type == elementType
    }
}

extension Float: TensorElement {
    /// `float`.
    public static var elementType: ElementType { .float }
}

extension Double: TensorElement {
    /// `double`.
    public static var elementType: ElementType { .double }
}

extension Int8: TensorElement {
    /// `int8`.
    public static var elementType: ElementType { .int8 }
}

extension Int16: TensorElement {
    /// `int16`.
    public static var elementType: ElementType { .int16 }
}

extension Int32: TensorElement {
    /// `int32`.
    public static var elementType: ElementType { .int32 }
}

extension Int64: TensorElement {
    /// `int64`.
    public static var elementType: ElementType { .int64 }
}

extension UInt8: TensorElement {
    /// `uint8`.
    public static var elementType: ElementType { .uint8 }

    /// `uint8`, and the bytes of a `bool` tensor.
    public static func canView(_ type: ElementType) -> Bool {
        type == .uint8 || type == .bool
    }
}

extension UInt16: TensorElement {
    /// `uint16`.
    public static var elementType: ElementType { .uint16 }

    /// `uint16`, and the raw bits of `float16` and `bfloat16` tensors.
    public static func canView(_ type: ElementType) -> Bool {
        type == .uint16 || type == .float16 || type == .bfloat16
    }
}

extension UInt32: TensorElement {
    /// `uint32`.
    public static var elementType: ElementType { .uint32 }
}

extension UInt64: TensorElement {
    /// `uint64`.
    public static var elementType: ElementType { .uint64 }
}

extension Bool: TensorElement {
    /// `bool` (ONNX stores one byte per element, 0 or 1, which is Swift's `Bool` layout).
    public static var elementType: ElementType { .bool }
}

/// The check shared by ``Tensor`` and ``Value`` before a buffer is viewed as a Swift type.
enum ElementAccess {
    static func check<T: TensorElement>(_ type: T.Type, _ elementType: ElementType) throws(ORTError) {
        guard T.canView(elementType) else {
            throw ORTError(
                code: .invalidArgument,
                message: "a tensor of element type \(elementType) cannot be viewed as \(T.self)"
            )
        }
    }
}
