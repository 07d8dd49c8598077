import InferenceCore

/// Checks one request input's datatype and shape against the model's spec for it.
struct InputValidation {
    let model: String
    let spec: TensorSpec

    /// The input's datatype, concrete shape and element count, or a 400 naming it.
    func check(_ header: InputHeader) throws(KServeError) -> (TensorDatatype, [Int], Int) {
        guard let name = header.datatype else { throw .badRequest("input '\(spec.name)' has no 'datatype'") }
        guard let datatype = TensorDatatype(rawValue: name) else {
            throw .badRequest("input '\(spec.name)' has datatype '\(name)', which is not a v2 datatype Tern serves")
        }
        guard datatype == spec.datatype else {
            throw .badRequest(
                "inference input '\(spec.name)' data-type is '\(name)', but model '\(model)' expects "
                    + "'\(spec.datatype.rawValue)'")
        }
        guard let shape = header.shape else { throw .badRequest("input '\(spec.name)' has no 'shape'") }
        guard Self.matches(shape, spec.shape) else {
            throw .badRequest(
                "unexpected shape for input '\(spec.name)' for model '\(model)'. Expected \(Self.text(spec.shape)), "
                    + "got \(Self.text(shape))")
        }
        guard let count = Self.elementCount(shape) else {
            throw .badRequest("input '\(spec.name)' has shape \(Self.text(shape)), which holds too many elements")
        }
        return (datatype, shape, count)
    }

    /// Same rank, and every dimension equal to the spec's unless the spec's is dynamic (-1).
    static func matches(_ shape: [Int], _ spec: [Int]) -> Bool {
        shape.count == spec.count && zip(shape, spec).allSatisfy { $0 >= 0 && ($1 < 0 || $0 == $1) }
    }

    /// The product of the dimensions, nil when it overflows.
    static func elementCount(_ shape: [Int]) -> Int? {
        var count = 1
        for dimension in shape {
            let (product, overflow) = count.multipliedReportingOverflow(by: dimension)
            if overflow { return nil }
            count = product
        }
        return count
    }

    /// `[2,-1]`, as errors and Triton write shapes.
    static func text(_ shape: [Int]) -> String {
        "[" + shape.map(String.init).joined(separator: ",") + "]"
    }
}
