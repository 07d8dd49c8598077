import Foundation
import Hummingbird
import InferenceCore

/// `POST /v2/models/{m}[/versions/{v}]/infer`.
extension KServeRoutes {
    func infer(_ request: Request, _ context: TernRequestContext) async throws -> Response {
        let model = try pipeline(context)
        let deadline = try RequestDeadline.deadline(for: request, default: configuration.requestTimeout)
        let headerLength = try Self.headerLength(request)
        if let encoding = request.headers[.contentEncoding], encoding.lowercased() != "identity" {
            throw KServeError.badRequest("Content-Encoding '\(encoding)' is not supported; send the body uncompressed")
        }
        let body = try await RequestBodyReader.collect(request, limit: configuration.maxBodySize)
        let decoder = InferRequestDecoder(model: ModelSignature(model))
        let parsed = try body.withUnsafeReadableBytes { bytes in try decoder.decode(bytes, headerLength: headerLength) }
        let result = try await ClientDisconnect.shared.run(on: context.channel) {
            try await model.infer(parsed.inputs, outputs: parsed.outputs.map(\.name), deadline: deadline)
        }
        context.report.add(result.timings)
        return InferResponseEncoder(model: model.name, version: model.version)
            .response(id: parsed.id, outputs: result.outputs, requested: parsed.outputs)
    }

    /// `Inference-Header-Content-Length`: nil when absent, else a non-negative integer.
    static func headerLength(_ request: Request) throws(KServeError) -> Int? {
        guard let value = request.headers[InferResponseEncoder.headerLengthName] else { return nil }
        guard let length = Int(value.trimmingCharacters(in: .whitespaces)), length >= 0 else {
            throw .badRequest("Inference-Header-Content-Length must be a non-negative integer, not '\(value)'")
        }
        return length
    }
}
