import Foundation
import InferenceCore
import NIOCore
import Tokenizers

/// `inputs` of `/embed`: one string or a list.
struct TEIEmbedRequest: Decodable {
    let inputs: [String]
    let normalize: Bool?
    let dimensions: Int?
    let truncation: TruncationOptions

    private enum CodingKeys: String, CodingKey {
        case inputs, normalize, dimensions, truncate
        case truncationDirection = "truncation_direction"
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        inputs = try TEIInputs.strings(container, forKey: .inputs)
        normalize = try container.decodeIfPresent(Bool.self, forKey: .normalize)
        dimensions = try container.decodeIfPresent(Int.self, forKey: .dimensions)
        truncation = try TEITruncation.decode(container, truncate: .truncate, direction: .truncationDirection)
    }
}

/// `/rerank`: a query against texts.
struct TEIRerankRequest: Decodable {
    let query: String
    let texts: [String]
    let rawScores: Bool
    let returnText: Bool
    let truncation: TruncationOptions

    private enum CodingKeys: String, CodingKey {
        case query, texts, truncate
        case rawScores = "raw_scores"
        case returnText = "return_text"
        case truncationDirection = "truncation_direction"
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        query = try container.decode(String.self, forKey: .query)
        texts = try container.decode([String].self, forKey: .texts)
        rawScores = try container.decodeIfPresent(Bool.self, forKey: .rawScores) ?? false
        returnText = try container.decodeIfPresent(Bool.self, forKey: .returnText) ?? false
        truncation = try TEITruncation.decode(container, truncate: .truncate, direction: .truncationDirection)
    }
}

/// `/predict`: a string, a pair `[a, b]`, or a batch of `[a]` and `[a, b]`.
struct TEIPredictRequest: Decodable {
    let inputs: [ClassificationInput]
    /// The request held one input (answered with a flat list) rather than a batch.
    let isSingle: Bool
    let rawScores: Bool
    let truncation: TruncationOptions

    private enum CodingKeys: String, CodingKey {
        case inputs, truncate
        case rawScores = "raw_scores"
        case truncationDirection = "truncation_direction"
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        rawScores = try container.decodeIfPresent(Bool.self, forKey: .rawScores) ?? false
        truncation = try TEITruncation.decode(container, truncate: .truncate, direction: .truncationDirection)
        if let text = try? container.decode(String.self, forKey: .inputs) {
            (inputs, isSingle) = ([.single(text)], true)
        } else if let strings = try? container.decode([String].self, forKey: .inputs) {
            switch strings.count {
            case 0: (inputs, isSingle) = ([], false)  // an empty batch: the route answers 400 Empty
            case 1: (inputs, isSingle) = ([.single(strings[0])], true)
            case 2: (inputs, isSingle) = ([.pair(strings[0], strings[1])], true)
            default: throw TEIError.invalidBody("inputs: a list of strings must be [string] or a pair [string, string]")
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
