import Hummingbird
import InferenceCore

/// The model repository extension: index, load, unload.
extension KServeRoutes {
    /// `POST /v2/repository/index`: every model of the repository with its state; `{"ready": true}` lists only
    /// the ready ones.
    func repositoryIndex(_ request: Request) async throws -> Response {
        let body = try await RequestBodyReader.collect(request, limit: configuration.maxBodySize)
        let readyOnly = try body.withUnsafeReadableBytes { bytes throws(KServeError) -> Bool in
            var onlyReady = false
            try Self.readControlBody(bytes) { (reader, key) throws(KServeError) in
                if key == "ready" { onlyReady = try reader.readBool() } else { try reader.skipValue() }
            }
            return onlyReady
        }
        var buffer = ByteBuffer()
        buffer.writeStaticString("[")
        var first = true
        for entry in registry.repositoryIndex() where !readyOnly || entry.state == .ready {
            if !first { buffer.writeStaticString(",") }
            first = false
            buffer.writeStaticString(#"{"name":"#)
            JSONString.write(entry.name, to: &buffer)
            if let version = entry.version {
                buffer.writeStaticString(#","version":"#)
                JSONString.write(version, to: &buffer)
            }
            buffer.writeStaticString(#","state":"#)
            JSONString.write(entry.state.rawValue, to: &buffer)
            buffer.writeStaticString(#","reason":"#)
            JSONString.write(entry.reason, to: &buffer)
            buffer.writeStaticString("}")
        }
        buffer.writeStaticString("]")
        return JSONBody.response(.ok, buffer: buffer)
    }

    /// `POST /v2/repository/models/{m}/load`: loads (or reloads) the model; 400 with the reason when it fails.
    func load(_ request: Request, _ context: TernRequestContext) async throws -> Response {
        let name = try context.parameters.require("model")
        let body = try await RequestBodyReader.collect(request, limit: configuration.maxBodySize)
        try body.withUnsafeReadableBytes { bytes throws(KServeError) in
            try Self.readControlBody(bytes) { (reader, key) throws(KServeError) in
                guard key == "parameters" else {
                    try reader.skipValue()
                    return
                }
                try reader.beginObject()
                var members = 0
                while let parameter = try reader.nextKey(&members) {
                    if parameter == "config" || parameter.hasPrefix("file:") {
                        throw .badRequest("load parameter '\(parameter)' is not supported: Tern loads models from the repository only")
                    }
                    try reader.skipValue()
                }
            }
        }
        try await registry.load(name)
        return Response(status: .ok)
    }

    /// `POST /v2/repository/models/{m}/unload`: waits for the model's requests in flight, then frees it.
    func unload(_ request: Request, _ context: TernRequestContext) async throws -> Response {
        let name = try context.parameters.require("model")
        let body = try await RequestBodyReader.collect(request, limit: configuration.maxBodySize)
        try body.withUnsafeReadableBytes { bytes throws(KServeError) in
            try Self.readControlBody(bytes) { (reader, _) throws(KServeError) in try reader.skipValue() }
        }
        try await registry.unload(name)
        return Response(status: .ok)
    }

    /// Walks a repository call's body: empty, or one JSON object whose members go to `member`.
    static func readControlBody(
        _ bytes: UnsafeRawBufferPointer,
        _ member: (inout JSONByteReader, String) throws(KServeError) -> Void
    ) throws(KServeError) {
        var reader = JSONByteReader(bytes)
        if reader.peek() == nil { return }
        try reader.beginObject()
        var members = 0
        while let key = try reader.nextKey(&members) { try member(&reader, key) }
        try reader.expectEnd()
    }
}
