import Foundation
import HTTPTypes
import Hummingbird
import Imaging
import InferenceCore
import NIOCore
import Serving

/// `POST /predict` and `POST /models/{model}/predict` for image models: an image in, a depth map (PNG by
/// default), labels or a vector out. The paths are text-embeddings-inference's too: `TEIRoutes` hands a request
/// here when it names an image model, sends an image body, or when the server has image models and no text
/// classifier (see ``claims(_:_:)``). Errors are TEI's shape (`{"error", "error_type"}`), with 400 for a bad
/// image, 415 for a media type Tern does not decode, 413 for an image over `--max-image-pixels`.
struct ImageRoutes {
    let registry: ModelRegistry
    let preamble: RequestPreamble

    /// Whether an image model answers this `/predict`: `nil` when it cannot be told before the body is read
    /// (a server with both image models and a text classifier, and a body whose type is neither an image nor
    /// a form: ``ImagePredictRequest/namesImages(_:)`` decides).
    func claims(_ request: Request, _ context: TernRequestContext) -> Bool? {
        if let name = context.parameters.get("model") {
            return registry.imagePipelineExists(named: name)
        }
        guard !registry.imageHosts.isEmpty else { return false }
        if let type = request.headers[.contentType].map({ MediaType($0).type }),
            ImagePredictRequest.imageTypes.contains(type) || type == "application/octet-stream"
                || type == "multipart/form-data" || type.hasPrefix("image/")
        {
            return true
        }
        return registry.firstHost(for: .classify) == nil ? true : nil
    }

    /// Answers a `/predict` for an image model; `body` when it was read already.
    func predict(
        _ request: Request, _ context: TernRequestContext,
        read: (body: ByteBuffer, deadline: ContinuousClock.Instant)? = nil
    ) async throws -> Response {
        let declared = try ImagePredictRequest.form(of: request.headers[.contentType])
        let body: ByteBuffer
        let deadline: ContinuousClock.Instant
        if let read {
            (body, deadline) = read
        } else {
            (body, deadline) = try await preamble.read(request)
        }
        // `curl --data-binary @photo.jpg` without -H sends application/x-www-form-urlencoded: an image is an image.
        guard let form = declared ?? (body.withUnsafeReadableBytes({ ImageFormat.sniff($0) }) != nil ? .raw : nil)
        else {
            throw ImagePredictRequest.unsupported(
                "'\(request.headers[.contentType] ?? "")' is not an image upload: send the image itself (image/jpeg, "
                    + "image/png, image/webp), multipart/form-data, or JSON {\"image\": base64}")
        }
        let pipeline = try registry.imagePipeline(named: context.parameters.get("model"))
        context.report.label(model: pipeline.name)
        let query = request.uri.queryParameters
        let parsed = try ImagePredictRequest(body: body, form: form, query: query.get("top_k"))
        try preamble.checkCount(parsed.images.count, field: form == .json ? "images" : "image")
        let answer = try ImageAnswer.negotiate(
            accept: request.headers[.accept], task: pipeline.spec.task, encoding: pipeline.spec.dense.encoding,
            images: parsed.images.count)
        let colormap = try query.get("colormap").map { name throws(ServingFailure) -> Colormap in
            guard let map = Colormap(rawValue: name) else {
                throw ServingFailure(
                    .http(.badRequest),
                    "colormap must be one of \(Colormap.allCases.map(\.rawValue).joined(separator: ", ")), not '\(name)'",
                    parameter: "colormap", code: "invalid_colormap")
            }
            return map
        }
        let result: ImagePredictionResult
        do {
            result = try await ClientDisconnect.shared.run(on: context.channel) {
                try await pipeline.predict(parsed.images, topK: parsed.topK, deadline: deadline)
            }
        } catch let error as InferenceError {
            throw Self.failure(error)
        }
        context.report.add(result.timings)
        return try answer.response(result, model: pipeline.name, spec: pipeline.spec.dense, colormap: colormap)
    }

    /// Whether an embeddings request for `name` goes to an image encoder: `name` is one, or it names no
    /// served text model and the server has no text embedding model but has image encoders.
    func servesEmbeddings(for name: String?) -> Bool {
        if let name, registry.imagePipelineExists(named: name) { return true }
        if let name, registry.host(named: name) != nil { return false }
        return registry.firstHost(for: .embeddings) == nil && registry.imageHosts.contains { $0.task == .embed }
    }

    /// Embeds images given as base64 strings or data URIs (the `input` of `/v1/embeddings`, the `inputs` of
    /// `/embed`) with the image encoder `name` (the only one when nil): one vector per image.
    func embed(
        _ strings: [String], field: String, model name: String?, deadline: ContinuousClock.Instant,
        _ context: TernRequestContext
    ) async throws -> (vectors: [[Float]], model: String, timings: RequestTimings) {
        let named = name.flatMap { registry.imagePipelineExists(named: $0) ? $0 : nil }
        let pipeline: ImagePipeline
        if let named {
            pipeline = try registry.imagePipeline(named: named)
        } else {
            let encoders = registry.imageHosts.filter { $0.task == .embed }
            guard encoders.count == 1 else {
                throw ServingFailure(
                    .notFound, "name one of the image encoders: \(encoders.map(\.modelID).joined(separator: ", "))",
                    parameter: "model", code: "model_not_found")
            }
            pipeline = try encoders[0].requirePipeline()
        }
        guard pipeline.spec.task == .embed else {
            throw ServingFailure(
                .invalid, "model '\(pipeline.name)' is an image \(pipeline.spec.task.rawValue) model, not an image encoder",
                parameter: "model", code: "wrong_task")
        }
        context.report.label(model: pipeline.name)
        try preamble.checkCount(strings.count, field: field)
        let images = try strings.enumerated().map { index, text throws(ServingFailure) in
            try ImagePredictRequest.base64(text, field: strings.count > 1 ? "\(field)[\(index)]" : field)
        }
        let result: ImagePredictionResult
        do {
            result = try await ClientDisconnect.shared.run(on: context.channel) {
                try await pipeline.predict(images, deadline: deadline)
            }
        } catch let error as InferenceError {
            throw Self.failure(error)
        }
        context.report.add(result.timings)
        let vectors = result.predictions.map { prediction -> [Float] in
            if case .embedding(let vector) = prediction { return vector }
            return []
        }
        return (vectors, pipeline.name, result.timings)
    }

    /// The image routes' statuses: a bad image is 400 and an undecodable format 415 (TEI's validation status,
    /// 422, is for malformed JSON).
    static func failure(_ error: InferenceError) -> ServingFailure {
        switch error.code {
        case "unsupported_image_format":
            ServingFailure(.http(.unsupportedMediaType), error.message, parameter: error.parameter, code: error.code)
        case "invalid_image", "empty_image":
            ServingFailure(.http(.badRequest), error.message, parameter: error.parameter, code: error.code)
        default:
            ServingFailure(error)
        }
    }
}

/// What an image answer is sent as, chosen from `Accept` and the model's task.
enum ImageAnswer: Equatable {
    /// The map as a PNG (grey 8/16-bit or a colour map): dense maps' default.
    case png
    /// JSON: labels, a vector, or a map's size, range and PNG as base64.
    case json
    /// The float32 map or vector, little-endian, its shape in `x-tern-shape`.
    case raw

    static let shapeHeader = HTTPField.Name("x-tern-shape")!
    static let minimumHeader = HTTPField.Name("x-tern-min")!
    static let maximumHeader = HTTPField.Name("x-tern-max")!

    var mediaType: String {
        switch self {
        case .png: "image/png"
        case .json: "application/json"
        case .raw: "application/octet-stream"
        }
    }

    /// The best answer `accept` allows for `task`, in the server's order of preference where `accept` ties.
    /// - Throws: 406 when `accept` allows none, or asks for one image for several.
    static func negotiate(
        accept: String?, task: ImageTask, encoding: DenseOutput.Encoding, images: Int
    ) throws(ServingFailure) -> ImageAnswer {
        var offers: [ImageAnswer] =
            switch task {
            case .depth: encoding == .float32 ? [.raw, .png, .json] : [.png, .json, .raw]
            case .classify: [.json]
            case .embed: [.json, .raw]
            }
        // One PNG or one raw map holds one image.
        if images > 1 { offers = [.json] }
        guard let accept, !accept.trimmingCharacters(in: .whitespaces).isEmpty else { return offers[0] }
        var best: (answer: ImageAnswer, quality: Double)?
        for offer in offers {
            let quality = Self.quality(of: offer.mediaType, in: accept)
            if quality > 0, quality > (best?.quality ?? 0) { best = (offer, quality) }
        }
        guard let best else {
            throw ServingFailure(
                .http(.notAcceptable),
                "this answer can be \(offers.map(\.mediaType).joined(separator: ", ")), which Accept '\(accept)' does not allow"
                    + (images > 1 ? " (several images are answered as JSON)" : ""),
                parameter: "Accept", code: "not_acceptable")
        }
        return best.answer
    }

    /// The quality `accept` gives `mediaType`: its most specific matching range's `q` (RFC 9110 12.5.1).
    static func quality(of mediaType: String, in accept: String) -> Double {
        let (type, _) = mediaType.split(separator: "/").map(String.init).pair
        var best: (specificity: Int, quality: Double)?
        for range in accept.split(separator: ",") {
            let media = MediaType(String(range))
            let (rangeType, rangeSubtype) = media.type.split(separator: "/").map(String.init).pair
            let specificity: Int
            if media.type == mediaType {
                specificity = 2
            } else if rangeType == type && rangeSubtype == "*" {
                specificity = 1
            } else if media.type == "*/*" {
                specificity = 0
            } else {
                continue
            }
            let quality = media.parameters["q"].flatMap(Double.init) ?? 1
            if specificity > (best?.specificity ?? -1) { best = (specificity, min(max(quality, 0), 1)) }
        }
        return best?.quality ?? 0
    }

    func response(
        _ result: ImagePredictionResult, model: String, spec: DenseOutput, colormap: Colormap?
    ) throws(ServingFailure) -> Response {
        switch self {
        case .png:
            guard case .dense(let map) = result.predictions.first else { throw Self.mismatch }
            let (low, high) = map.extremes
            let headers: HTTPFields = [
                .contentType: mediaType, Self.shapeHeader: "\(map.height),\(map.width)",
                Self.minimumHeader: "\(low)", Self.maximumHeader: "\(high)",
            ]
            return Response(
                status: .ok, headers: headers,
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: try Self.png(map, spec: spec, colormap: colormap))))
        case .raw:
            let values: [Float]
            let shape: String
            switch result.predictions.first {
            case .dense(let map)?: (values, shape) = (map.values, "\(map.height),\(map.width)")
            case .embedding(let vector)?: (values, shape) = (vector, "\(vector.count)")
            default: throw Self.mismatch
            }
            var buffer = ByteBuffer()
            buffer.reserveCapacity(values.count * 4)
            for value in values { buffer.writeInteger(value.bitPattern, endianness: .little) }
            let headers: HTTPFields = [.contentType: mediaType, Self.shapeHeader: shape]
            return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: buffer))
        case .json:
            var buffer = ByteBuffer()
            buffer.writeStaticString(#"{"model":"#)
            JSONString.write(model, to: &buffer)
            if result.predictions.count == 1 {
                buffer.writeStaticString(",")
                try Self.writeFields(result.predictions[0], spec: spec, colormap: colormap, to: &buffer)
            } else {
                buffer.writeStaticString(#","predictions":["#)
                for (index, prediction) in result.predictions.enumerated() {
                    buffer.writeStaticString(index == 0 ? "{" : ",{")
                    try Self.writeFields(prediction, spec: spec, colormap: colormap, to: &buffer)
                    buffer.writeStaticString("}")
                }
                buffer.writeStaticString("]")
            }
            buffer.writeStaticString("}")
            return JSONBody.response(.ok, buffer: buffer)
        }
    }

    private static let mismatch = ServingFailure(.internal, "the model's answer does not fit the negotiated type")

    /// One prediction's JSON fields: `labels`; `embedding`; or a map's `width`, `height`, `min`, `max` and the
    /// PNG as base64 in `image`.
    private static func writeFields(
        _ prediction: ImagePrediction, spec: DenseOutput, colormap: Colormap?, to buffer: inout ByteBuffer
    ) throws(ServingFailure) {
        switch prediction {
        case .labels(let labels):
            buffer.writeStaticString(#""labels":["#)
            for (rank, label) in labels.enumerated() {
                buffer.writeStaticString(rank == 0 ? #"{"label":"# : #",{"label":"#)
                JSONString.write(label.label, to: &buffer)
                buffer.writeStaticString(#","index":"#)
                JSONNumbers.write(label.index, to: &buffer)
                buffer.writeStaticString(#","score":"#)
                JSONNumbers.write(label.score, to: &buffer)
                buffer.writeStaticString("}")
            }
            buffer.writeStaticString("]")
        case .embedding(let vector):
            buffer.writeStaticString(#""embedding":"#)
            JSONNumbers.write(vector, to: &buffer)
        case .dense(let map):
            let (low, high) = map.extremes
            buffer.writeStaticString(#""width":"#)
            JSONNumbers.write(map.width, to: &buffer)
            buffer.writeStaticString(#","height":"#)
            JSONNumbers.write(map.height, to: &buffer)
            buffer.writeStaticString(#","min":"#)
            JSONNumbers.write(low, to: &buffer)
            buffer.writeStaticString(#","max":"#)
            JSONNumbers.write(high, to: &buffer)
            buffer.writeStaticString(#","content_type":"image/png","image":""#)
            buffer.writeString(Data(try png(map, spec: spec, colormap: colormap)).base64EncodedString())
            buffer.writeStaticString(#"""#)
        }
    }

    /// The map as the spec's PNG: grey 8 or 16 bits, or through a colour map (the request's, else the spec's).
    static func png(_ map: DenseMap, spec: DenseOutput, colormap: Colormap?) throws(ServingFailure) -> [UInt8] {
        do {
            if let colormap = colormap ?? spec.encoding.colormap {
                return try ImageCodec.png(map.coloured(colormap, range: spec.range, invert: spec.invert))
            }
            if spec.encoding == .png16 {
                return try ImageCodec.pngGrey(
                    map.grey16(range: spec.range, invert: spec.invert), width: map.width, height: map.height)
            }
            return try ImageCodec.pngGrey(
                map.grey8(range: spec.range, invert: spec.invert), width: map.width, height: map.height)
        } catch {
            throw ServingFailure(.internal, "the map could not be encoded as PNG: \(error.message)")
        }
    }
}

extension Array where Element == String {
    /// The first two elements, "" for those missing.
    fileprivate var pair: (String, String) { (first ?? "", count > 1 ? self[1] : "") }
}
