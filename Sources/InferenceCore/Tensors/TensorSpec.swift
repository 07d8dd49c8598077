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

extension TensorSpec {
    /// Checks a tensor's datatype and shape against this spec, and counts its elements: the one check the
    /// KServe decoders (before they read any data) and `RawPipeline` (for every caller) share. Messages
    /// follow Triton's, which clients match on.
    /// - Throws: `.validation` naming the input.
    public func validate(datatype: TensorDatatype, shape: [Int], model: String) throws(InferenceError) -> Int {
        guard datatype == self.datatype else {
            throw Self.invalid(
                "inference input '\(name)' data-type is '\(datatype.rawValue)', but model '\(model)' expects "
                    + "'\(self.datatype.rawValue)'", input: name)
        }
        guard Self.matches(shape, self.shape) else {
            throw Self.invalid(
                "unexpected shape for input '\(name)' for model '\(model)'. Expected \(Self.text(self.shape)), "
                    + "got \(Self.text(shape))", input: name)
        }
        guard let count = Self.elementCount(shape) else {
            throw Self.invalid("input '\(name)' has shape \(Self.text(shape)), which holds too many elements", input: name)
        }
        return count
    }

    /// Same rank, and every dimension equal to the spec's unless the spec's is dynamic (-1).
    public static func matches(_ shape: [Int], _ spec: [Int]) -> Bool {
        shape.count == spec.count && zip(shape, spec).allSatisfy { $0 >= 0 && ($1 < 0 || $0 == $1) }
    }

    /// The product of the dimensions, nil when it overflows.
    public static func elementCount(_ shape: [Int]) -> Int? {
        var count = 1
        for dimension in shape {
            let (product, overflow) = count.multipliedReportingOverflow(by: dimension)
            if overflow { return nil }
            count = product
        }
        return count
    }

    /// `[2,-1]`, as errors and Triton write shapes.
    public static func text(_ shape: [Int]) -> String {
        "[" + shape.map(String.init).joined(separator: ",") + "]"
    }

    static func invalid(_ message: String, input: String) -> InferenceError {
        InferenceError(.validation, code: "invalid_input", message: message, parameter: input)
    }
}
