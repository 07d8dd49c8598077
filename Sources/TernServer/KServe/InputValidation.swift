import InferenceCore

/// Checks one request input's header against the model's spec for it, before any of its data is read.
struct InputValidation {
    let model: String
    let spec: TensorSpec

    /// The input's datatype, concrete shape and element count, or a 400 naming it.
    func check(_ header: InputHeader) throws(KServeError) -> (TensorDatatype, [Int], Int) {
        guard let name = header.datatype else { throw .badRequest("input '\(spec.name)' has no 'datatype'") }
        guard let datatype = TensorDatatype(rawValue: name) else {
            throw .badRequest("input '\(spec.name)' has datatype '\(name)', which is not a v2 datatype Tern serves")
        }
        guard let shape = header.shape else { throw .badRequest("input '\(spec.name)' has no 'shape'") }
        do {
            return (datatype, shape, try spec.validate(datatype: datatype, shape: shape, model: model))
        } catch {
            throw .badRequest(error.message)
        }
    }
}
