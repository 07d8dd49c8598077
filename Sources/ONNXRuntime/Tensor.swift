internal import CONNXRuntime

/// An input tensor over a buffer that Swift owns and ONNX Runtime reads in place, without copying.
///
/// String tensors (``init(strings:shape:library:)``) are the exception: ONNX Runtime keeps their elements in
/// its own memory, so they have no Swift buffer (``byteCount`` is 0).
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
    /// The Swift-owned buffer; `nil` for string tensors, whose elements ORT owns.
    private let storage: UnsafeMutableRawPointer?

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
        let count = try Self.elementCount(of: shape)
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
            if let source = bytes.baseAddress, let storage, byteCount > 0 {
                storage.copyMemory(from: source, byteCount: byteCount)
            }
        }
    }

    /// A string tensor holding a copy of `strings` (row-major), in memory ONNX Runtime allocates.
    ///
    /// ORT's `FillStringTensor` takes NUL-terminated C strings, so an element may not contain a NUL byte.
    /// - Throws: `.invalidArgument` when `strings.count` does not match `shape` or an element holds a NUL byte;
    ///   ORT's error when it cannot allocate the tensor.
    public init(strings: [[UInt8]], shape: [Int], library: ORTLibrary) throws(ORTError) {
        let count = try Self.elementCount(of: shape)
        guard strings.count == count else {
            throw ORTError(
                code: .invalidArgument,
                message: "\(strings.count) strings do not fill a tensor of shape \(shape) (\(count) elements)"
            )
        }
        if let index = strings.firstIndex(where: { $0.contains(0) }) {
            throw ORTError(code: .invalidArgument, message: "string element \(index) contains a NUL byte")
        }
        let api = library.api
        var allocator: OpaquePointer?
        try library.check(api.pointee.GetAllocatorWithDefaultOptions(&allocator))
        guard let allocator else {
            throw ORTError(code: .fail, message: "GetAllocatorWithDefaultOptions returned no allocator")
        }
        let dimensions = shape.map { Int64($0) }
        var created: OpaquePointer?
        try library.check(
            dimensions.withUnsafeBufferPointer {
                api.pointee.CreateTensorAsOrtValue(
                    allocator, $0.baseAddress, $0.count, ElementType.string.ortValue, &created)
            }
        )
        guard let created else {
            throw ORTError(code: .fail, message: "CreateTensorAsOrtValue returned no value")
        }
        let status = Self.fill(created, with: strings, api: api)
        if let status {
            api.pointee.ReleaseValue(created)
            throw ORTError(consuming: status, api: api)
        }
        self.elementType = .string
        self.shape = shape
        self.elementCount = count
        self.byteCount = 0
        self.library = library
        self.handle = created
        self.storage = nil
    }

    /// Lays every element out NUL-terminated in one scratch buffer and hands ORT pointers into it (ORT copies).
    private static func fill(_ value: OpaquePointer, with strings: [[UInt8]], api: UnsafePointer<OrtApi>)
        -> OpaquePointer?
    {
        let total = strings.reduce(0) { $0 + $1.count + 1 }
        let scratch = UnsafeMutablePointer<CChar>.allocate(capacity: max(total, 1))
        defer { scratch.deallocate() }
        var pointers: [UnsafePointer<CChar>] = []
        pointers.reserveCapacity(strings.count)
        var offset = 0
        for string in strings {
            string.withUnsafeBytes { bytes in
                UnsafeMutableRawPointer(scratch + offset).copyMemory(
                    from: bytes.baseAddress ?? UnsafeRawPointer(scratch), byteCount: bytes.count)
            }
            scratch[offset + string.count] = 0
            pointers.append(UnsafePointer(scratch + offset))
            offset += string.count + 1
        }
        return pointers.withUnsafeBufferPointer { api.pointee.FillStringTensor(value, $0.baseAddress, $0.count) }
    }

    /// The element count of `shape`, checked for negative dimensions and overflow.
    static func elementCount(of shape: [Int]) throws(ORTError) -> Int {
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
        return count
    }

    deinit {
        // The OrtValue only borrows the buffer: release it first, then free the memory it pointed at.
        library.api.pointee.ReleaseValue(handle)
        storage?.deallocate()
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
                start: storage?.bindMemory(to: T.self, capacity: elementCount),
                count: storage == nil ? 0 : elementCount
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
            UnsafeBufferPointer(
                start: storage?.bindMemory(to: T.self, capacity: elementCount),
                count: storage == nil ? 0 : elementCount
            )
        )
    }

    /// Calls `body` with the raw bytes, whatever the element type (e.g. to copy a request body in); empty for a
    /// string tensor.
    public func withUnsafeMutableBytes<R>(_ body: (UnsafeMutableRawBufferPointer) throws -> R) rethrows -> R {
        try body(UnsafeMutableRawBufferPointer(start: storage, count: byteCount))
    }
}
