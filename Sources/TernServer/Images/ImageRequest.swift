import Foundation
import Hummingbird
import Imaging
import InferenceCore
import NIOCore

/// The images of a `POST /predict` for an image model, read from any of the forms clients send: the image
/// itself as the body (`image/jpeg`, `image/png`, `image/webp`, `application/octet-stream`), a
/// `multipart/form-data` upload (parts named `image`, `images` or `file`), or JSON
/// `{"image": "<base64 or data URI>"}` / `{"images": [...]}`. Failures are `ServingFailure`s with the status
/// the image routes answer: 415 for a media type that is not an image Tern decodes, 400 for a malformed body.
struct ImagePredictRequest: Sendable {
    /// The encoded images, in order; each a slice of the request body or a decoded base64 string.
    var images: [ImageBytes]
    /// `top_k` from the query, the JSON body or a form field.
    var topK: Int?

    /// The media types accepted as a raw image body.
    static let imageTypes: Set<String> = ["image/jpeg", "image/jpg", "image/pjpeg", "image/png", "image/webp"]

    /// How a request's `Content-Type` says the images come.
    enum Form: Equatable {
        case raw
        case multipart(boundary: String)
        case json
    }

    /// The form a `Content-Type` names; nil when it is none of them.
    static func form(of contentType: String?) throws(ServingFailure) -> Form? {
        guard let contentType else { return .raw }
        let media = MediaType(contentType)
        if imageTypes.contains(media.type) || media.type == "application/octet-stream" { return .raw }
        if media.type == "application/json" { return .json }
        if media.type == "multipart/form-data" {
            guard let boundary = media.parameters["boundary"], !boundary.isEmpty, boundary.utf8.count <= 200 else {
                throw ServingFailure(
                    .http(.badRequest), "multipart/form-data needs a boundary parameter (1 to 200 characters)",
                    parameter: "Content-Type", code: "invalid_multipart")
            }
            return .multipart(boundary: boundary)
        }
        if media.type.hasPrefix("image/") {
            throw unsupported("'\(media.type)' is not an image format Tern decodes: send JPEG, PNG or WebP")
        }
        return nil
    }

    /// Reads the images of `body`, sent as `form`.
    init(body: ByteBuffer, form: Form, query: String?) throws(ServingFailure) {
        switch form {
        case .raw:
            images = [ImageBytes(body)]
        case .json:
            self = try Self.json(body)
        case .multipart(let boundary):
            self = try Self.multipart(body, boundary: boundary)
        }
        if let value = query {
            guard let parsed = Int(value), parsed > 0 else {
                throw ServingFailure(
                    .http(.badRequest), "top_k must be a positive integer, not '\(value)'", parameter: "top_k",
                    code: "invalid_top_k")
            }
            topK = parsed
        }
        guard !images.isEmpty else {
            throw ServingFailure(.empty, "no image was given", parameter: "image", code: "empty_input")
        }
    }

    private init(images: [ImageBytes], topK: Int?) {
        self.images = images
        self.topK = topK
    }

    static func unsupported(_ message: String) -> ServingFailure {
        ServingFailure(.http(.unsupportedMediaType), message, parameter: "Content-Type", code: "unsupported_media_type")
    }

    /// Whether a body of no telling type is meant for an image model: it is an image (by its signature), or
    /// JSON that names `image` or `images` at its top level.
    static func namesImages(_ body: ByteBuffer) -> Bool {
        if body.withUnsafeReadableBytes({ ImageFormat.sniff($0) }) != nil { return true }
        guard let object = try? JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [String: Any]
        else { return false }
        return object["image"] != nil || object["images"] != nil
    }

    // MARK: - JSON

    private struct JSONForm: Decodable {
        var image: String?
        var images: [String]?
        var topK: Int?

        enum CodingKeys: String, CodingKey {
            case image, images
            case topK = "top_k"
        }
    }

    private static func json(_ body: ByteBuffer) throws(ServingFailure) -> ImagePredictRequest {
        let parsed: JSONForm
        do {
            parsed = try JSONDecoder().decode(JSONForm.self, from: Data(body.readableBytesView))
        } catch {
            throw ServingFailure(
                .http(.badRequest), "the body is not a JSON object with 'image' or 'images': \(error)",
                code: "invalid_json")
        }
        let strings: [(String, String)]
        switch (parsed.image, parsed.images) {
        case (let image?, nil): strings = [(image, "image")]
        case (nil, let images?): strings = images.enumerated().map { ($1, "images[\($0)]") }
        case (nil, nil):
            throw ServingFailure(.http(.badRequest), "give 'image' or 'images'", parameter: "image", code: "missing_image")
        case (_?, _?):
            throw ServingFailure(
                .http(.badRequest), "give 'image' or 'images', not both", parameter: "image", code: "invalid_request")
        }
        if let topK = parsed.topK, topK <= 0 {
            throw ServingFailure(
                .http(.badRequest), "top_k must be a positive integer, not \(topK)", parameter: "top_k",
                code: "invalid_top_k")
        }
        var images: [ImageBytes] = []
        images.reserveCapacity(strings.count)
        for (text, field) in strings { images.append(try base64(text, field: field)) }
        return ImagePredictRequest(images: images, topK: parsed.topK)
    }

    /// Plain base64 or a `data:image/...;base64,` URI.
    static func base64(_ text: String, field: String) throws(ServingFailure) -> ImageBytes {
        var payload = Substring(text)
        if payload.hasPrefix("data:") {
            guard let comma = payload.firstIndex(of: ",") else {
                throw ServingFailure(
                    .http(.badRequest), "\(field) is a data URI without a comma", parameter: field, code: "invalid_image")
            }
            let header = payload[payload.index(payload.startIndex, offsetBy: 5)..<comma]
            let parts = header.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            guard parts.contains("base64") else {
                throw ServingFailure(
                    .http(.badRequest), "\(field) is a data URI that is not base64", parameter: field,
                    code: "invalid_image")
            }
            if let type = parts.first, type.hasPrefix("image/"), !imageTypes.contains(type) {
                throw unsupported("\(field) is '\(type)', not an image format Tern decodes: send JPEG, PNG or WebP")
            }
            payload = payload[payload.index(after: comma)...]
        }
        guard let data = Data(base64Encoded: String(payload), options: .ignoreUnknownCharacters), !data.isEmpty
            || payload.isEmpty
        else {
            throw ServingFailure(
                .http(.badRequest), "\(field) is not valid base64", parameter: field, code: "invalid_image")
        }
        return ImageBytes(data)
    }

    // MARK: - multipart/form-data

    /// The parts of a `multipart/form-data` body (RFC 7578) named `image`, `images`, `images[]` or `file`, in
    /// order (or the one part with a filename when none has those names), and a `top_k` field.
    private static func multipart(_ body: ByteBuffer, boundary: String) throws(ServingFailure) -> ImagePredictRequest {
        let parts = try MultipartBody.parts(of: body, boundary: boundary)
        var images: [ImageBytes] = []
        var topK: Int?
        let imageNames: Set<String> = ["image", "images", "images[]", "file"]
        for part in parts {
            if let name = part.name, imageNames.contains(name) {
                images.append(ImageBytes(body, range: part.content))
            } else if part.name == "top_k" {
                let text = String(decoding: body.readableBytesView[part.content], as: UTF8.self)
                guard let value = Int(text.trimmingCharacters(in: .whitespacesAndNewlines)), value > 0 else {
                    throw ServingFailure(
                        .http(.badRequest), "top_k must be a positive integer, not '\(text)'", parameter: "top_k",
                        code: "invalid_top_k")
                }
                topK = value
            }
        }
        if images.isEmpty {
            let files = parts.filter { $0.hasFilename }
            if files.count == 1 { images = [ImageBytes(body, range: files[0].content)] }
        }
        guard !images.isEmpty else {
            throw ServingFailure(
                .http(.badRequest), "the form has no part named 'image' or 'file'", parameter: "image",
                code: "missing_image")
        }
        return ImagePredictRequest(images: images, topK: topK)
    }
}

/// One encoded image: a slice of the request body (no copy) or bytes decoded from base64.
struct ImageBytes: ContiguousBytes, Sendable {
    private enum Storage: Sendable {
        case buffer(ByteBuffer, Range<Int>)
        case data(Data)
    }

    private let storage: Storage

    init(_ buffer: ByteBuffer, range: Range<Int>? = nil) {
        let view = buffer.readableBytesView
        storage = .buffer(buffer, range ?? view.startIndex..<view.endIndex)
    }

    init(_ data: Data) { storage = .data(data) }

    var count: Int {
        switch storage {
        case .buffer(_, let range): range.count
        case .data(let data): data.count
        }
    }

    func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        switch storage {
        case .buffer(let buffer, let range):
            // Indices of `readableBytesView` are reader-relative offsets into the buffer's storage.
            return try buffer.readableBytesView.withUnsafeBytes { all in
                let start = range.lowerBound - buffer.readerIndex
                return try body(UnsafeRawBufferPointer(rebasing: all[start..<start + range.count]))
            }
        case .data(let data):
            return try data.withUnsafeBytes(body)
        }
    }
}

/// A `Content-Type` value split into its lowercased type and its parameters.
struct MediaType {
    var type: String
    var parameters: [String: String] = [:]

    init(_ value: String) {
        let pieces = value.split(separator: ";", omittingEmptySubsequences: false)
        type = (pieces.first.map(String.init) ?? "").trimmingCharacters(in: .whitespaces).lowercased()
        for piece in pieces.dropFirst() {
            guard let equals = piece.firstIndex(of: "=") else { continue }
            let key = piece[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
            var parameter = piece[piece.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            if parameter.count >= 2, parameter.hasPrefix("\""), parameter.hasSuffix("\"") {
                parameter = String(parameter.dropFirst().dropLast())
            }
            parameters[key] = parameter
        }
    }
}

/// The parts of a `multipart/form-data` body: each part's form name, whether it carries a filename, and where
/// its content lies in the body. Every index is checked against the body; a malformed body is a 400.
enum MultipartBody {
    struct Part {
        var name: String?
        var hasFilename: Bool
        /// Indices into the body's `readableBytesView`.
        var content: Range<Int>
    }

    /// At most this many parts: a form with more is refused rather than scanned.
    static let maxParts = 1024

    static func parts(of body: ByteBuffer, boundary: String) throws(ServingFailure) -> [Part] {
        let bytes = body.readableBytesView
        let delimiter = Array("--\(boundary)".utf8)
        let malformed = { (detail: String) in
            ServingFailure(.http(.badRequest), "malformed multipart/form-data body: \(detail)", code: "invalid_multipart")
        }
        guard var position = find(delimiter, in: bytes, from: bytes.startIndex) else {
            throw malformed("no boundary '--\(boundary)' found")
        }
        let separator = Array("\r\n--\(boundary)".utf8)
        var parts: [Part] = []
        while true {
            position += delimiter.count
            // "--" after a delimiter closes the body.
            if bytes.endIndex - position >= 2, bytes[position] == UInt8(ascii: "-"), bytes[position + 1] == UInt8(ascii: "-") {
                return parts
            }
            // Transport padding, then CRLF.
            while position < bytes.endIndex, bytes[position] == UInt8(ascii: " ") || bytes[position] == UInt8(ascii: "\t") {
                position += 1
            }
            guard bytes.endIndex - position >= 2, bytes[position] == 13, bytes[position + 1] == 10 else {
                throw malformed("a boundary line does not end with CRLF")
            }
            position += 2
            guard let headerEnd = find(Array("\r\n\r\n".utf8), in: bytes, from: position) else {
                throw malformed("a part's headers do not end")
            }
            let headers = String(decoding: bytes[position..<headerEnd], as: UTF8.self)
            let contentStart = headerEnd + 4
            guard let next = find(separator, in: bytes, from: contentStart) else {
                throw malformed("a part has no closing boundary")
            }
            var part = Part(name: nil, hasFilename: false, content: contentStart..<next)
            for line in headers.split(separator: "\r\n") {
                guard let colon = line.firstIndex(of: ":"),
                    line[..<colon].trimmingCharacters(in: .whitespaces).lowercased() == "content-disposition"
                else { continue }
                let disposition = MediaType(String(line[line.index(after: colon)...]))
                part.name = disposition.parameters["name"]
                part.hasFilename = disposition.parameters["filename"] != nil
            }
            parts.append(part)
            guard parts.count <= maxParts else { throw malformed("more than \(maxParts) parts") }
            position = next + 2  // the CRLF before the delimiter
        }
    }

    /// The first index of `needle` in `haystack` at or after `start`.
    private static func find(_ needle: [UInt8], in haystack: ByteBufferView, from start: Int) -> Int? {
        guard let first = needle.first, haystack.endIndex - start >= needle.count else { return nil }
        return haystack.withUnsafeBytes { raw -> Int? in
            let base = haystack.startIndex
            var index = start - base
            let last = raw.count - needle.count
            while index <= last {
                guard let hit = raw[index...last].firstIndex(of: first) else { return nil }
                var matches = true
                for offset in 1..<needle.count where raw[hit + offset] != needle[offset] {
                    matches = false
                    break
                }
                if matches { return hit + base }
                index = hit + 1
            }
            return nil
        }
    }
}
