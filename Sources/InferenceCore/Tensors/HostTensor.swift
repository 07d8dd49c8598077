/// A request or response tensor in host memory.
public struct HostTensor: Sendable {
    /// The model's name for the tensor.
    public var name: String
    /// Its element type.
    public var datatype: TensorDatatype
    /// Its dimensions, all concrete.
    public var shape: [Int]
    /// Its elements.
    public var contents: Contents

    /// A tensor's elements.
    public enum Contents: Sendable {
        /// Fixed-width elements: little-endian, row-major; `count == elements * byteWidth`; BOOL is one
        /// byte, 0 or 1.
        case fixed([UInt8])
        /// BYTES elements: one entry per element, row-major.
        case strings([[UInt8]])
    }

    public init(name: String, datatype: TensorDatatype, shape: [Int], contents: Contents) {
        self.name = name
        self.datatype = datatype
        self.shape = shape
        self.contents = contents
    }

    /// Elements the shape holds (1 for a scalar).
    public var elementCount: Int { shape.reduce(1, *) }
}

extension HostTensor {
    /// Rows of floats as one little-endian FP32 tensor of `shape`.
    static func fp32(_ name: String, shape: [Int], _ rows: some Sequence<[Float]>) -> HostTensor {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(shape.reduce(1, *) * 4)
        for row in rows {
            for value in row {
                withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
            }
        }
        return HostTensor(name: name, datatype: .fp32, shape: shape, contents: .fixed(bytes))
    }
}
