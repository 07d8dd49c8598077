import Foundation
import InferenceCore
import NIOCore

/// `inputs` of `/embed`: one string or a list; or, as `/similarity` and huggingface_hub's
/// `sentence_similarity` send it (to `/`, `/embed` or `/similarity`), `{"source_sentence", "sentences"}`.
struct TEIEmbedRequest: Decodable {
    struct Similarity: Decodable {
        let source: String
        let sentences: [String]

        private enum CodingKeys: String, CodingKey {
            case source = "source_sentence"
            case sentences
        }
    }

    let inputs: [String]
    let similarity: Similarity?
    let normalize: Bool?
    let dimensions: Int?
    let truncation: TruncationOptions
    /// One of the model's prompts (`config_sentence_transformers.json`), prepended to every input.
    let promptName: String?

    private enum CodingKeys: String, CodingKey {
        case inputs, normalize, dimensions, truncate
        case truncationDirection = "truncation_direction"
        case promptName = "prompt_name"
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        if (try? container.nestedContainer(keyedBy: AnyKey.self, forKey: .inputs)) != nil {
            similarity = try container.decode(Similarity.self, forKey: .inputs)
            inputs = []
        } else {
            similarity = nil
            inputs = try TEIInputs.strings(container, forKey: .inputs)
        }
        normalize = try container.decodeIfPresent(Bool.self, forKey: .normalize)
        dimensions = try container.decodeIfPresent(Int.self, forKey: .dimensions)
        truncation = try TEITruncation.decode(container, truncate: .truncate, direction: .truncationDirection)
        promptName = try container.decodeIfPresent(String.self, forKey: .promptName)
    }
}

/// Any key, to ask whether a value is an object.
struct AnyKey: CodingKey {
    let stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

/// `/rerank`: a query against `texts` (TEI), or against `documents` (Cohere and Jina: strings or
/// `{"text"}`, with `top_n`, `return_documents` and `model`).
struct TEIRerankRequest: Decodable {
    let query: String
    let texts: [String]
    let rawScores: Bool
    /// `return_text`, or `return_documents` in Cohere's shape.
    let returnText: Bool
    let topN: Int?
    let model: String?
    /// The body used Cohere's field names, so the answer takes Cohere's shape.
    let cohereShape: Bool
    let truncation: TruncationOptions

    private enum CodingKeys: String, CodingKey {
        case query, texts, documents, truncate, model
        case rawScores = "raw_scores"
        case returnText = "return_text"
        case returnDocuments = "return_documents"
        case topN = "top_n"
        case truncationDirection = "truncation_direction"
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        query = try container.decode(String.self, forKey: .query)
        if container.contains(.texts) || !container.contains(.documents) {
            texts = try container.decode([String].self, forKey: .texts)
            cohereShape = false
            returnText = try container.decodeIfPresent(Bool.self, forKey: .returnText) ?? false
        } else {
            texts = try container.decode([RerankDocument].self, forKey: .documents).map(\.text)
            cohereShape = true
            returnText = try container.decodeIfPresent(Bool.self, forKey: .returnDocuments) ?? false
        }
        rawScores = try container.decodeIfPresent(Bool.self, forKey: .rawScores) ?? false
        topN = try container.decodeIfPresent(Int.self, forKey: .topN)
        if let topN, topN < 1 { throw TEIError(.unprocessableContent, .validation, "top_n must be at least 1") }
        model = try container.decodeIfPresent(String.self, forKey: .model)
        truncation = try TEITruncation.decode(container, truncate: .truncate, direction: .truncationDirection)
    }
}

/// `/predict`: a string, a pair `[a, b]`, a batch of three or more single texts `[a, b, c]` (a two-element
/// list stays a pair, as TEI reads it), or a batch of `[a]` and `[a, b]`. Hugging Face's `parameters`
/// (`top_k`, `function_to_apply`) are honoured.
struct TEIPredictRequest: Decodable {
    private struct Parameters: Decodable {
        let topK: Int?
        let functionToApply: String?

        private enum CodingKeys: String, CodingKey {
            case topK = "top_k"
            case functionToApply = "function_to_apply"
        }
    }

    let inputs: [ClassificationInput]
    /// The request held one input (answered with a flat list) rather than a batch.
    let isSingle: Bool
    let rawScores: Bool
    /// The body carried `parameters`, Hugging Face's inference API shape (answered as a list of lists).
    let huggingFaceParameters: Bool
    let topK: Int?
    /// What `function_to_apply` asks for instead of the model's own activation.
    let functionToApply: ScoreFunction?
    let truncation: TruncationOptions

    private enum CodingKeys: String, CodingKey {
        case inputs, truncate, parameters
        case rawScores = "raw_scores"
        case truncationDirection = "truncation_direction"
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        rawScores = try container.decodeIfPresent(Bool.self, forKey: .rawScores) ?? false
        truncation = try TEITruncation.decode(container, truncate: .truncate, direction: .truncationDirection)
        huggingFaceParameters = try container.contains(.parameters) && !container.decodeNil(forKey: .parameters)
        let parameters = try container.decodeIfPresent(Parameters.self, forKey: .parameters)
        topK = parameters?.topK
        if let topK, topK < 1 { throw TEIError(.unprocessableContent, .validation, "parameters.top_k must be at least 1") }
        if let name = parameters?.functionToApply {
            guard let function = ScoreFunction(rawValue: name.lowercased()) else {
                throw TEIError(
                    .unprocessableContent, .validation,
                    "parameters.function_to_apply must be 'softmax', 'sigmoid' or 'none', not '\(name)'")
            }
            functionToApply = function
        } else {
            functionToApply = nil
        }
        if let text = try? container.decode(String.self, forKey: .inputs) {
            (inputs, isSingle) = ([.single(text)], true)
        } else if let strings = try? container.decode([String].self, forKey: .inputs) {
            switch strings.count {
            case 0: (inputs, isSingle) = ([], false)  // an empty batch: the route answers 400 Empty
            case 1: (inputs, isSingle) = ([.single(strings[0])], true)
            case 2: (inputs, isSingle) = ([.pair(strings[0], strings[1])], true)
            default: (inputs, isSingle) = (strings.map(ClassificationInput.single), false)
            }
        } else {
            let batch = try container.decode([[String]].self, forKey: .inputs)
            inputs = try batch.map { sequence in
                switch sequence.count {
                case 1: return .single(sequence[0])
                case 2: return .pair(sequence[0], sequence[1])
                default: throw TEIError.invalidBody("inputs: each batch item must be [string] or [string, string]")
                }
            }
            isSingle = false
        }
    }
}

/// `/vertex`: `{"instances": [...]}`. Each instance is an object, kept as its own JSON text (found by
/// `JSONByteReader`, not decoded and encoded again) to be served as a body of `POST /`.
enum TEIVertexRequest {
    static func instances(in body: ByteBuffer) throws(TEIError) -> [ByteBuffer] {
        guard body.isValidUTF8 else { throw TEIError.invalidBody("the body is not valid UTF-8") }
        do {
            return try body.withUnsafeReadableBytes { bytes throws(KServeError) -> [ByteBuffer] in
                var reader = JSONByteReader(bytes)
                var instances: [ByteBuffer]?
                try reader.beginObject()
                var members = 0
                while let key = try reader.nextKey(&members) {
                    guard key == "instances" else {
                        try reader.skipValue()
                        continue
                    }
                    try reader.beginArray()
                    var found: [ByteBuffer] = []
                    var count = 0
                    while try reader.nextElement(&count) {
                        guard reader.peek() == UInt8(ascii: "{") else {
                            throw .badRequest("instances: each instance must be an object")
                        }
                        let range = try reader.skipValue()
                        found.append(ByteBuffer(bytes: UnsafeRawBufferPointer(rebasing: bytes[range])))
                    }
                    instances = found
                }
                try reader.expectEnd()
                guard let instances else { throw .badRequest("missing field `instances`") }
                return instances
            }
        } catch {
            throw TEIError.invalidBody(error.message)
        }
    }
}

/// TEI's `inputs` of text routes: one string or a list of strings.
enum TEIInputs {
    static func strings<Key: CodingKey>(_ container: KeyedDecodingContainer<Key>, forKey key: Key) throws -> [String] {
        if let single = try? container.decode(String.self, forKey: key) { return [single] }
        return try container.decode([String].self, forKey: key)
    }
}

/// TEI's `truncate` and `truncation_direction` fields.
enum TEITruncation {
    static func decode<Key: CodingKey>(_ container: KeyedDecodingContainer<Key>, truncate: Key, direction: Key) throws
        -> TruncationOptions
    {
        var options = TruncationOptions(truncate: try container.decodeIfPresent(Bool.self, forKey: truncate))
        if let value = try container.decodeIfPresent(String.self, forKey: direction) {
            switch value.lowercased() {
            case "right": options.direction = .right
            case "left": options.direction = .left
            default: throw TEIError.invalidBody("truncation_direction must be 'Left' or 'Right', not '\(value)'")
            }
        }
        return options
    }
}

/// Decodes a TEI request body, turning every failure into TEI's 422.
enum TEIBody {
    static func decode<T: Decodable>(_ type: T.Type, from buffer: ByteBuffer) throws -> T {
        guard buffer.isValidUTF8 else {
            throw TEIError.invalidBody("the body is not valid UTF-8")
        }
        do {
            return try JSONDecoder().decode(T.self, from: Data(buffer.readableBytesView))
        } catch let error as TEIError {
            throw error
        } catch let DecodingError.keyNotFound(key, _) {
            throw TEIError.invalidBody("missing field `\(key.stringValue)`")
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context) {
            let field = context.codingPath.map(\.stringValue).joined(separator: ".")
            throw TEIError.invalidBody(field.isEmpty ? "expected a JSON object" : "`\(field)` has the wrong type")
        } catch {
            throw TEIError.invalidBody("the body is not valid JSON")
        }
    }
}
