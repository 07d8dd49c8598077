import Foundation
import InferenceCore

/// The body of `POST /v1/embeddings`, as OpenAI defines it.
struct EmbeddingsRequest: Decodable {
    enum EncodingFormat: String, Decodable {
        case float
        case base64
    }

    let input: [EmbeddingInput]
    let model: String?
    let encodingFormat: EncodingFormat
    let dimensions: Int?
    /// Tern's extension (as TEI's `/embed`): one of the model's prompts, prepended to every text.
    let promptName: String?

    private enum CodingKeys: String, CodingKey {
        case input, model, dimensions
        case encodingFormat = "encoding_format"
        case promptName = "prompt_name"
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.input = try Self.decodeInput(container)
        self.model = try Self.optional(String.self, .model, in: container)
        self.dimensions = try Self.optional(Int.self, .dimensions, in: container)
        self.promptName = try Self.optional(String.self, .promptName, in: container)
        if let format = try Self.optional(String.self, .encodingFormat, in: container) {
            guard let parsed = EncodingFormat(rawValue: format) else {
                throw OpenAIError.invalid(
                    "encoding_format must be 'float' or 'base64', not '\(format)'",
                    code: "invalid_encoding_format",
                    param: "encoding_format"
                )
            }
            self.encodingFormat = parsed
        } else {
            self.encodingFormat = .float
        }
    }

    /// An optional field of type `T`; present with another type (1.5 for an integer, say) is a 400 naming it.
    private static func optional<T: Decodable>(
        _ type: T.Type,
        _ key: CodingKeys,
        in container: KeyedDecodingContainer<CodingKeys>
    ) throws -> T? {
        guard container.contains(key), try !container.decodeNil(forKey: key) else { return nil }
        guard let value = try? container.decode(T.self, forKey: key) else {
            throw OpenAIError.invalid("'\(key.stringValue)' has the wrong type", code: "invalid_type", param: key.stringValue)
        }
        return value
    }

    /// `input` is a string, an array of strings, an array of token ids, or an array of arrays of ids.
    private static func decodeInput(_ container: KeyedDecodingContainer<CodingKeys>) throws -> [EmbeddingInput] {
        guard container.contains(.input), try !container.decodeNil(forKey: .input) else {
            throw OpenAIError.invalid("'input' is required", code: "missing_field", param: "input")
        }
        let inputs: [EmbeddingInput]
        if let text = try? container.decode(String.self, forKey: .input) {
            inputs = [.text(text)]
        } else if let texts = try? container.decode([String].self, forKey: .input) {
            inputs = texts.map(EmbeddingInput.text)
        } else if let ids = try? container.decode([Int].self, forKey: .input) {
            inputs = [.tokens(ids)]
        } else if let lists = try? container.decode([[Int]].self, forKey: .input) {
            inputs = lists.map(EmbeddingInput.tokens)
        } else {
            throw OpenAIError.invalid(
                "'input' must be a string, an array of strings, an array of integers or an array of integer arrays",
                code: "invalid_type",
                param: "input"
            )
        }
        if inputs.isEmpty {
            throw OpenAIError.invalid("'input' is an empty array", code: "empty_input", param: "input")
        }
        return inputs
    }
}
