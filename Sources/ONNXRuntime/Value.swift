internal import CONNXRuntime

/// A model output that ONNX Runtime allocated; read its tensor data in place, without copying.
///
/// Values are read-only and may be read from several threads. The memory belongs to ONNX Runtime and is released
/// when the value is deinitialised, so never let a buffer pointer escape the closure it is handed to.
public final class Value: @unchecked Sendable {
    // @unchecked Sendable: everything is immutable after init; the data pointer is only ever read, and the
    // OrtValue is released exactly once, in deinit.

    /// The output's name in the model.
    public let name: String
    /// Tensor, sequence, map, ...; only tensors can be read through this type.
    public let kind: ValueKind
    /// The element type; `nil` unless ``kind`` is `.tensor`.
    public let elementType: ElementType?
    /// The concrete dimensions of this result; empty for a scalar or a non-tensor.
    public let shape: [Int]
    /// The number of elements: the product of `shape` (1 for a scalar, 0 for a non-tensor).
    public let elementCount: Int

    let library: ORTLibrary
    let handle: OpaquePointer
    /// The session that produced the value, kept alive so the allocator behind the data outlives it.
    private let producer: Session
    /// The tensor's data inside ORT's memory; `nil` for non-tensors and string tensors.
    private let data: UnsafeRawPointer?

    /// Wraps an output `OrtValue`, taking ownership of it: it is released with this object, or right away if
    /// reading its type fails.
    init(taking handle: OpaquePointer, name: String, producer: Session) throws(ORTError) {
        let library = producer.library
        let api = library.api
        var elementType: ElementType?
        var shape: [Int] = []
        var data: UnsafeRawPointer?
        var onnxType = ONNX_TYPE_UNKNOWN
        do throws(ORTError) {
            try library.check(api.pointee.GetValueType(handle, &onnxType))
            if ValueKind(onnxType) == .tensor {
                var info: OpaquePointer?
                try library.check(api.pointee.GetTensorTypeAndShape(handle, &info))
                guard let info else {
                    throw ORTError(code: .fail, message: "GetTensorTypeAndShape returned nothing for '\(name)'")
                }
                defer { api.pointee.ReleaseTensorTypeAndShapeInfo(info) }
                (elementType, shape) = try library.elementTypeAndShape(of: info)
                if elementType?.byteWidth != nil {
                    var pointer: UnsafeMutableRawPointer?
                    try library.check(api.pointee.GetTensorMutableData(handle, &pointer))
                    data = pointer.map(UnsafeRawPointer.init)
                }
            }
        } catch {
            api.pointee.ReleaseValue(handle)
            throw error
        }
        self.name = name
        self.kind = ValueKind(onnxType)
        self.elementType = elementType
        self.shape = shape
        self.elementCount = elementType == nil ? 0 : shape.reduce(1, *)
        self.library = library
        self.handle = handle
        self.producer = producer
        self.data = data
    }

    deinit {
        library.api.pointee.ReleaseValue(handle)
    }

    /// The size of the tensor's data in bytes; 0 for non-tensors and string tensors.
    public var byteCount: Int {
        elementType?.byteWidth.map { $0 * elementCount } ?? 0
    }

    /// Calls `body` with the tensor's elements, in row-major order, straight from ONNX Runtime's memory.
    /// - Throws: `.invalidArgument` when the value is not a tensor with a flat buffer or `T` cannot view its
    ///   element type (see ``TensorElement``), or what `body` throws.
    public func withUnsafeBufferPointer<T: TensorElement, R>(
        as type: T.Type,
        _ body: (UnsafeBufferPointer<T>) throws -> R
    ) throws -> R {
        let elementType = try flatElementType()
        try ElementAccess.check(type, elementType)
        let start = elementCount == 0 ? nil : data?.assumingMemoryBound(to: T.self)
        return try body(UnsafeBufferPointer(start: start, count: start == nil ? 0 : elementCount))
    }

    /// Calls `body` with the tensor's raw bytes, whatever the element type (e.g. to copy into a response).
    /// - Throws: `.invalidArgument` when the value is not a tensor with a flat buffer, or what `body` throws.
    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) throws -> R {
        _ = try flatElementType()
        return try body(UnsafeRawBufferPointer(start: byteCount == 0 ? nil : data, count: byteCount))
    }

    /// A copy of the elements as a Swift array.
    public func toArray<T: TensorElement>(of type: T.Type) throws -> [T] {
        try withUnsafeBufferPointer(as: type) { Array($0) }
    }

    private func flatElementType() throws(ORTError) -> ElementType {
        guard kind == .tensor, let elementType, elementType.byteWidth != nil else {
            let what = elementType.map { "a \($0) tensor" } ?? "a \(kind.rawValue)"
            throw ORTError(
                code: .invalidArgument,
                message: "output '\(name)' is \(what), which has no flat buffer to read"
            )
        }
        return elementType
    }
}
