import Foundation
import InferenceCore
import NIOCore

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

    private enum CodingKeys: String, CodingKey {
        case input, model, dimensions
        case encodingFormat = "encoding_format"
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.input = try Self.decodeInput(container)
        self.model = try Self.optional(String.self, .model, in: container)
        self.dimensions = try Self.optional(Int.self, .dimensions, in: container)
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

    /// Decodes a body, turning every decoding failure into a 400 in OpenAI's shape.
    static func decode(from buffer: ByteBuffer) throws -> EmbeddingsRequest {
        // JSON text is UTF-8 (RFC 8259); the decoder would otherwise report bad bytes inside a string as a
        // type error of the field that holds them.
        guard String(validating: buffer.readableBytesView, as: UTF8.self) != nil else {
            throw OpenAIError.invalid("the body is not valid UTF-8 JSON", code: "invalid_json")
        }
        do {
            return try JSONDecoder().decode(EmbeddingsRequest.self, from: Data(buffer.readableBytesView))
        } catch let error as OpenAIError {
            throw error
        } catch let DecodingError.dataCorrupted(context) where context.codingPath.isEmpty {
            throw OpenAIError.invalid("the body is not valid JSON", code: "invalid_json")
        } catch let DecodingError.typeMismatch(_, context) {
            throw invalidType(at: context)
        } catch let DecodingError.dataCorrupted(context) {
            throw invalidType(at: context)
        } catch let DecodingError.valueNotFound(_, context) {
            throw invalidType(at: context)
        } catch {
            throw OpenAIError.invalid("the body could not be read: \(error)", code: "invalid_json")
        }
    }

    private static func invalidType(at context: DecodingError.Context) -> OpenAIError {
        guard let field = context.codingPath.first?.stringValue else {
            return OpenAIError.invalid("the body must be a JSON object", code: "invalid_type")
        }
        return OpenAIError.invalid("'\(field)' has the wrong type", code: "invalid_type", param: field)
    }
}
