internal import CONNXRuntime

/// An input tensor over a buffer that Swift owns and ONNX Runtime reads in place, without copying.
///
/// The tensor allocates a zeroed, 64-byte-aligned buffer for its element type and shape; fill it through
/// ``withUnsafeMutableBufferPointer(as:_:)`` and pass the tensor to ``Session/run(_:outputNames:)``. The
/// `OrtValue` ORT sees points straight at that buffer, and the buffer is freed only after the `OrtValue` is.
///
/// Writing to a tensor while a run that reads it is in progress is a data race; fill first, then run. A tensor may
/// be read by several runs at once.
public final class Tensor: @unchecked Sendable {
    // @unchecked Sendable: shape, type and the OrtValue never change after init. The buffer is mutable, but only
    // inside `withUnsafeMutableBufferPointer`/`withUnsafeMutableBytes`, and the documented contract is that callers
    // finish filling a tensor before handing it to a run (the same contract as any buffer shared with C).

    /// The type of every element.
    public let elementType: ElementType
    /// The dimensions; empty for a scalar.
    public let shape: [Int]
    /// The number of elements: the product of `shape` (1 for a scalar).
    public let elementCount: Int
    /// The size of the buffer in bytes.
    public let byteCount: Int

    let library: ORTLibrary
    /// The `OrtValue` wrapping `storage`.
    let handle: OpaquePointer
    private let storage: UnsafeMutableRawPointer

    /// ONNX Runtime's CPU allocator aligns to 64 bytes; match it so kernels see the alignment they expect.
    static let alignment = 64

    /// Allocates a zero-filled tensor.
    /// - Parameters:
    ///   - elementType: a numeric type or `bool`.
    ///   - shape: the dimensions, each 0 or more.
    ///   - library: the ONNX Runtime the tensor will be used with.
    /// - Throws: `.invalidArgument` for a negative dimension or a size that overflows, `.notImplemented` for
    ///   `string` and unsupported element types.
    public init(_ elementType: ElementType, shape: [Int], library: ORTLibrary) throws(ORTError) {
        guard let width = elementType.byteWidth else {
            throw ORTError(
                code: .notImplemented,
                message: "tensors of element type \(elementType) cannot be created over a Swift buffer yet"
            )
        }
        var count = 1
        for dimension in shape {
            guard dimension >= 0 else {
                throw ORTError(code: .invalidArgument, message: "tensor shape \(shape) has a negative dimension")
            }
            let (product, overflow) = count.multipliedReportingOverflow(by: dimension)
            guard !overflow else {
                throw ORTError(code: .invalidArgument, message: "tensor shape \(shape) is too large")
            }
            count = product
        }
        let (bytes, overflow) = count.multipliedReportingOverflow(by: width)
        guard !overflow else {
            throw ORTError(code: .invalidArgument, message: "tensor shape \(shape) is too large")
        }

        let storage = UnsafeMutableRawPointer.allocate(byteCount: max(bytes, 1), alignment: Self.alignment)
        storage.initializeMemory(as: UInt8.self, repeating: 0, count: max(bytes, 1))
        let dimensions = shape.map { Int64($0) }
        var created: OpaquePointer?
        let status = dimensions.withUnsafeBufferPointer {
            library.api.pointee.CreateTensorWithDataAsOrtValue(
                library.cpuMemoryInfo,
                storage,
                bytes,
                $0.baseAddress,
                $0.count,
                elementType.ortValue,
                &created
            )
        }
        if let status {
            storage.deallocate()
            throw ORTError(consuming: status, api: library.api)
        }
        guard let created else {
            storage.deallocate()
            throw ORTError(code: .fail, message: "CreateTensorWithDataAsOrtValue returned no value")
        }
        self.elementType = elementType
        self.shape = shape
        self.elementCount = count
        self.byteCount = bytes
        self.library = library
        self.handle = created
        self.storage = storage
    }

    /// A tensor of `T`'s element type holding a copy of `values`.
    /// - Throws: `.invalidArgument` when `values.count` does not match `shape`, or any error of
    ///   ``init(_:shape:library:)``.
    public convenience init<T: TensorElement>(_ values: [T], shape: [Int], library: ORTLibrary) throws(ORTError) {
        try self.init(T.elementType, shape: shape, library: library)
        guard values.count == elementCount else {
            throw ORTError(
                code: .invalidArgument,
                message: "\(values.count) values do not fill a tensor of shape \(shape) (\(elementCount) elements)"
            )
        }
        values.withUnsafeBytes { bytes in
            if let source = bytes.baseAddress, byteCount > 0 {
                storage.copyMemory(from: source, byteCount: byteCount)
            }
        }
    }

    deinit {
        // The OrtValue only borrows the buffer: release it first, then free the memory it pointed at.
        library.api.pointee.ReleaseValue(handle)
        storage.deallocate()
    }

    /// Calls `body` with the elements, to fill them.
    /// - Throws: `.invalidArgument` when `T` cannot view ``elementType`` (see ``TensorElement``), or what `body`
    ///   throws.
    public func withUnsafeMutableBufferPointer<T: TensorElement, R>(
        as type: T.Type,
        _ body: (UnsafeMutableBufferPointer<T>) throws -> R
    ) throws -> R {
        try ElementAccess.check(type, elementType)
        return try body(
            UnsafeMutableBufferPointer(
                start: storage.bindMemory(to: T.self, capacity: elementCount),
                count: elementCount
            )
        )
    }

    /// Calls `body` with the elements, to read them.
    /// - Throws: `.invalidArgument` when `T` cannot view ``elementType``, or what `body` throws.
    public func withUnsafeBufferPointer<T: TensorElement, R>(
        as type: T.Type,
        _ body: (UnsafeBufferPointer<T>) throws -> R
    ) throws -> R {
        try ElementAccess.check(type, elementType)
        return try body(
            UnsafeBufferPointer(start: storage.bindMemory(to: T.self, capacity: elementCount), count: elementCount)
        )
    }

    /// Calls `body` with the raw bytes, whatever the element type (e.g. to copy a request body in).
    public func withUnsafeMutableBytes<R>(_ body: (UnsafeMutableRawBufferPointer) throws -> R) rethrows -> R {
        try body(UnsafeMutableRawBufferPointer(start: storage, count: byteCount))
    }
}
