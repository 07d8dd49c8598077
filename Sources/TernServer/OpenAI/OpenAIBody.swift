import Foundation
import NIOCore

/// Decodes the JSON body of a `/v1` route, turning every failure into a 400 in OpenAI's shape.
enum OpenAIBody {
    static func decode<T: Decodable>(_ type: T.Type, from buffer: ByteBuffer) throws -> T {
        guard buffer.isValidUTF8 else {
            throw OpenAIError.invalid("the body is not valid UTF-8 JSON", code: "invalid_json")
        }
        do {
            return try JSONDecoder().decode(T.self, from: Data(buffer.readableBytesView))
        } catch let error as OpenAIError {
            throw error
        } catch let DecodingError.dataCorrupted(context) where context.codingPath.isEmpty {
            throw OpenAIError.invalid("the body is not valid JSON", code: "invalid_json")
        } catch let DecodingError.keyNotFound(key, _) {
            throw OpenAIError.invalid("'\(key.stringValue)' is required", code: "missing_field", param: key.stringValue)
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context),
            let DecodingError.dataCorrupted(context)
        {
            guard let field = context.codingPath.first?.stringValue else {
                throw OpenAIError.invalid("the body must be a JSON object", code: "invalid_type")
            }
            throw OpenAIError.invalid("'\(field)' has the wrong type", code: "invalid_type", param: field)
        } catch {
            throw OpenAIError.invalid("the body could not be read: \(error)", code: "invalid_json")
        }
    }
}
