/// One model input or output as clients see it: name, v2 datatype and shape.
public struct TensorSpec: Sendable, Hashable {
    /// The graph's name for the tensor.
    public var name: String
    /// Its element type.
    public var datatype: TensorDatatype
    /// Its dimensions; -1 marks a dynamic dimension.
    public var shape: [Int]

    public init(name: String, datatype: TensorDatatype, shape: [Int]) {
        self.name = name
        self.datatype = datatype
        self.shape = shape
    }
}
