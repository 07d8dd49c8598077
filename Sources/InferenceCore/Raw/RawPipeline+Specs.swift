import ONNXRuntime

extension RawPipeline {
    /// The graph's inputs or outputs as v2 specs; a type v2 cannot name fails the load.
    static func specs(_ values: [ValueInfo], side: String, path: String) throws(ModelLoadError) -> [TensorSpec] {
        var specs: [TensorSpec] = []
        for value in values {
            guard value.kind == .tensor, let elementType = value.elementType else {
                throw ModelLoadError(
                    path: path, problem: "\(side) '\(value.name)' is a \(value.kind.rawValue), not a tensor; v2 serves tensors only")
            }
            guard let datatype = TensorDatatype(elementType) else {
                throw ModelLoadError(
                    path: path, problem: "\(side) '\(value.name)' has element type \(elementType), which KServe v2 cannot name")
            }
            specs.append(TensorSpec(name: value.name, datatype: datatype, shape: value.shape))
        }
        return specs
    }

    /// The graph's inputs with the configuration's per-input settings checked against them and applied.
    static func applying(_ overrides: [RawPipelineConfiguration.InputOverride], to specs: [TensorSpec], path: String)
        throws(ModelLoadError) -> [TensorSpec]
    {
        var result = specs
        for override in overrides {
            guard let position = result.firstIndex(where: { $0.name == override.name }) else {
                throw ModelLoadError(
                    path: path,
                    problem: "the configuration names input '\(override.name)', which the graph does not have; "
                        + "its inputs are: \(specs.map(\.name).joined(separator: ", "))")
            }
            let graph = result[position]
            if let datatype = override.datatype, datatype != graph.datatype {
                throw ModelLoadError(
                    path: path,
                    problem: "the configuration gives input '\(graph.name)' datatype \(datatype.rawValue); "
                        + "the graph has \(graph.datatype.rawValue)")
            }
            if let shape = override.shape {
                let fits =
                    shape.count == graph.shape.count
                    && zip(shape, graph.shape).allSatisfy { wanted, actual in
                        wanted >= -1 && (actual == -1 || wanted == actual)
                    }
                guard fits else {
                    throw ModelLoadError(
                        path: path,
                        problem: "the configuration gives input '\(graph.name)' shape \(shape); "
                            + "the graph has \(graph.shape) (-1 is dynamic)")
                }
                result[position].shape = shape
            }
        }
        return result
    }
}
