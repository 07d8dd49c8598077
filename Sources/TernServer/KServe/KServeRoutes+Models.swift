import Hummingbird
import InferenceCore
import Serving

/// Model metadata, readiness and statistics.
extension KServeRoutes {
    /// `GET /v2/models/{m}[/versions/{v}]`: name, versions, platform, inputs and outputs (-1 = dynamic).
    func metadata(_ context: TernRequestContext) throws -> Response {
        let model = try pipeline(context)
        var buffer = ByteBuffer()
        buffer.writeStaticString(#"{"name":"#)
        JSONString.write(model.name, to: &buffer)
        buffer.writeStaticString(#","versions":["#)
        JSONString.write(model.version, to: &buffer)
        buffer.writeStaticString(#"],"platform":"onnxruntime_onnx","inputs":"#)
        write(model.inputs, to: &buffer)
        buffer.writeStaticString(#","outputs":"#)
        write(model.outputs, to: &buffer)
        // Tern's extension (clients ignore unknown keys): where the model runs.
        buffer.writeStaticString(#","execution_provider":"#)
        JSONString.write("\(model.executionProvider)", to: &buffer)
        buffer.writeStaticString("}")
        return JSONBody.response(.ok, buffer: buffer)
    }

    /// `GET /v2/models/{m}[/versions/{v}]/config`: the model's configuration in Triton's JSON shape
    /// (`tritonclient`'s `get_model_config`). With `max_batch_size` above 0, `dims` leave out the batch
    /// dimension, as Triton's do.
    func modelConfig(_ context: TernRequestContext) throws -> Response {
        let model = try pipeline(context)
        var buffer = ByteBuffer()
        buffer.writeStaticString(#"{"name":"#)
        JSONString.write(model.name, to: &buffer)
        buffer.writeStaticString(#","platform":"onnxruntime_onnx","backend":"onnxruntime","max_batch_size":"#)
        JSONNumbers.write(model.maxBatchSize, to: &buffer)
        buffer.writeStaticString(#","version_policy":{"specific":{"versions":["#)
        buffer.writeString(model.version)
        buffer.writeStaticString(#"]}},"input":"#)
        write(model.inputs, as: .config(batched: model.maxBatchSize > 0), to: &buffer)
        buffer.writeStaticString(#","output":"#)
        write(model.outputs, as: .config(batched: model.maxBatchSize > 0), to: &buffer)
        if model.maxBatchSize > 0 { buffer.writeStaticString(#","dynamic_batching":{}"#) }
        let gpus = model.gpus
        buffer.writeStaticString(#","instance_group":[{"name":"#)
        JSONString.write(model.name, to: &buffer)
        buffer.writeStaticString(gpus.isEmpty ? #","kind":"KIND_CPU","gpus":["# : #","kind":"KIND_GPU","gpus":["#)
        buffer.writeString(gpus.map(String.init).joined(separator: ","))
        buffer.writeStaticString("]}]")
        buffer.writeStaticString("}")
        return JSONBody.response(.ok, buffer: buffer)
    }

    /// How a tensor list is written: as model metadata lists tensors (`datatype`, `shape`, -1 for dynamic
    /// dimensions), or as a Triton configuration does (`data_type` `TYPE_...`, `dims` without the batch
    /// dimension when the model batches).
    private enum TensorListing {
        case metadata
        case config(batched: Bool)
    }

    private func write(_ specs: [TensorSpec], as listing: TensorListing = .metadata, to buffer: inout ByteBuffer) {
        buffer.writeStaticString("[")
        for (index, spec) in specs.enumerated() {
            if index > 0 { buffer.writeStaticString(",") }
            buffer.writeStaticString(#"{"name":"#)
            JSONString.write(spec.name, to: &buffer)
            if case .config(let batched) = listing {
                buffer.writeStaticString(#","data_type":"#)
                JSONString.write(spec.datatype == .bytes ? "TYPE_STRING" : "TYPE_\(spec.datatype.rawValue)", to: &buffer)
                buffer.writeStaticString(#","dims":"#)
                buffer.writeString(TensorSpec.text(batched ? Array(spec.shape.dropFirst()) : spec.shape))
            } else {
                buffer.writeStaticString(#","datatype":"#)
                JSONString.write(spec.datatype.rawValue, to: &buffer)
                buffer.writeStaticString(#","shape":"#)
                buffer.writeString(TensorSpec.text(spec.shape))
            }
            buffer.writeStaticString("}")
        }
        buffer.writeStaticString("]")
    }

    /// `GET .../ready`: 200 when the model serves, 404 unknown, 503 loading, unloading or failed.
    func ready(_ context: TernRequestContext) throws -> Response {
        _ = try pipeline(context)
        return Response(status: .ok)
    }

    /// `GET /v2/models[/{m}[/versions/{v}]]/stats`: Triton's `model_stats`, of one model or of every ready one.
    func statistics(model name: String?, version: String?) throws -> Response {
        let models: [TensorModel]
        if let name {
            models = [try registry.tensorModel(named: name, version: version)]
        } else {
            models = registry.repositoryIndex().filter { $0.state == .ready }.compactMap {
                try? registry.tensorModel(named: $0.name, version: $0.version)
            }
        }
        var buffer = ByteBuffer()
        buffer.writeStaticString(#"{"model_stats":["#)
        for (index, model) in models.enumerated() {
            if index > 0 { buffer.writeStaticString(",") }
            ModelStatisticsJSON.write(model.statistics, name: model.name, version: model.version, to: &buffer)
        }
        buffer.writeStaticString("]}")
        return JSONBody.response(.ok, buffer: buffer)
    }
}
