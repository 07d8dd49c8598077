import Foundation
import InferenceCore
import NIOCore

/// The body of `POST /v1/embed` and `/v2/embed`, as Cohere defines it.
struct CohereEmbedRequest: Decodable {
    /// Cohere's `embedding_types`.
    enum EmbeddingType: String, Decodable, CaseIterable {
        case float, int8, uint8, binary, ubinary, base64
    }

    static let inputTypes: Set<String> = ["search_document", "search_query", "classification", "clustering"]

    let texts: [String]
    let model: String?
    /// Accepted and checked; the served models embed queries and documents alike (no prompts).
    let inputType: String?
    let embeddingTypes: [EmbeddingType]?
    let outputDimension: Int?
    let truncation: TruncationOptions

    private enum CodingKeys: String, CodingKey {
        case texts, model, truncate
        case inputType = "input_type"
        case embeddingTypes = "embedding_types"
        case outputDimension = "output_dimension"
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        texts = try container.decode([String].self, forKey: .texts)
        if texts.isEmpty { throw OpenAIError.invalid("'texts' is an empty array", code: "empty_input", param: "texts") }
        model = try container.decodeIfPresent(String.self, forKey: .model)
        inputType = try container.decodeIfPresent(String.self, forKey: .inputType)
        if let inputType, !Self.inputTypes.contains(inputType) {
            throw OpenAIError.invalid(
                "input_type must be one of \(Self.inputTypes.sorted().joined(separator: ", ")), not '\(inputType)'",
                code: "invalid_input_type", param: "input_type")
        }
        if let names = try container.decodeIfPresent([String].self, forKey: .embeddingTypes) {
            embeddingTypes = try names.map { name in
                guard let type = EmbeddingType(rawValue: name) else {
                    throw OpenAIError.invalid(
                        "embedding_types: '\(name)' is not one of "
                            + EmbeddingType.allCases.map(\.rawValue).joined(separator: ", "),
                        code: "invalid_embedding_type", param: "embedding_types")
                }
                return type
            }
            if embeddingTypes?.isEmpty == true {
                throw OpenAIError.invalid("embedding_types is empty", code: "invalid_embedding_type", param: "embedding_types")
            }
        } else {
            embeddingTypes = nil
        }
        outputDimension = try container.decodeIfPresent(Int.self, forKey: .outputDimension)
        switch try container.decodeIfPresent(String.self, forKey: .truncate)?.uppercased() {
        case nil, "END": truncation = TruncationOptions(truncate: true, direction: .right)
        case "START": truncation = TruncationOptions(truncate: true, direction: .left)
        case "NONE": truncation = TruncationOptions(truncate: false)
        case let other?:
            throw OpenAIError.invalid(
                "truncate must be NONE, START or END, not '\(other)'", code: "invalid_truncate", param: "truncate")
        }
    }
}

/// Cohere's embed answer. The quantized types follow Cohere's definitions on the L2-normalised vector:
/// `int8` is each component times 127 rounded (clamped to -128...127), `uint8` that plus 128; `binary`
/// and `ubinary` pack one sign bit per dimension (1 for a positive component), eight per byte, most
/// significant bit first, `binary` as the byte minus 128; `base64` is the float32 vector's little-endian
/// bytes in base64.
enum CohereEmbeddingsWriter {
    /// - Parameter types: the requested types; nil answers v1's `embeddings_floats`.
    static func write(
        _ embeddings: [[Float]], texts: [String], types: [CohereEmbedRequest.EmbeddingType]?, tokens: Int
    ) -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.writeStaticString(#"{"id":"#)
        JSONString.write(UUID().uuidString.lowercased(), to: &buffer)
        if let types {
            // The unit vectors the integer types quantize, once for however many of them are asked for.
            let units = types.contains { $0 == .int8 || $0 == .uint8 } ? embeddings.map(normalized) : []
            buffer.writeStaticString(#","response_type":"embeddings_by_type","embeddings":{"#)
            for (position, type) in types.enumerated() {
                if position > 0 { buffer.writeStaticString(",") }
                JSONString.write(type.rawValue, to: &buffer)
                buffer.writeStaticString(":[")
                for (index, vector) in embeddings.enumerated() {
                    if index > 0 { buffer.writeStaticString(",") }
                    let isInteger = type == .int8 || type == .uint8
                    write(isInteger ? units[index] : vector, as: type, to: &buffer)
                }
                buffer.writeStaticString("]")
            }
            buffer.writeStaticString("}")
        } else {
            buffer.writeStaticString(#","response_type":"embeddings_floats","embeddings":["#)
            for (index, vector) in embeddings.enumerated() {
                if index > 0 { buffer.writeStaticString(",") }
                JSONNumbers.write(vector, to: &buffer)
            }
            buffer.writeStaticString("]")
        }
        buffer.writeStaticString(#","texts":["#)
        for (index, text) in texts.enumerated() {
            if index > 0 { buffer.writeStaticString(",") }
            JSONString.write(text, to: &buffer)
        }
        buffer.writeStaticString(#"],"meta":{"api_version":{"version":"2"},"billed_units":{"input_tokens":"#)
        JSONNumbers.write(tokens, to: &buffer)
        buffer.writeStaticString("}}}")
        return buffer
    }

    /// - Parameter vector: for `int8` and `uint8`, the unit vector.
    private static func write(_ vector: [Float], as type: CohereEmbedRequest.EmbeddingType, to buffer: inout ByteBuffer) {
        switch type {
        case .float:
            JSONNumbers.write(vector, to: &buffer)
        case .int8, .uint8:
            writeIntegers(vector.count, to: &buffer) { index in
                let scaled = Int((vector[index] * 127).rounded())
                return min(127, max(-128, scaled)) + (type == .uint8 ? 128 : 0)
            }
        case .binary, .ubinary:
            let bytes = packedSigns(vector)
            writeIntegers(bytes.count, to: &buffer) { Int(bytes[$0]) - (type == .binary ? 128 : 0) }
        case .base64:
            var data = Data(capacity: vector.count * 4)
            for value in vector { withUnsafeBytes(of: value.bitPattern.littleEndian) { data.append(contentsOf: $0) } }
            JSONString.write(data.base64EncodedString(), to: &buffer)
        }
    }

    private static func writeIntegers(_ count: Int, to buffer: inout ByteBuffer, _ value: (Int) -> Int) {
        buffer.writeStaticString("[")
        for index in 0..<count {
            if index > 0 { buffer.writeStaticString(",") }
            JSONNumbers.write(value(index), to: &buffer)
        }
        buffer.writeStaticString("]")
    }

    static func normalized(_ vector: [Float]) -> [Float] {
        var unit = vector
        VectorMath.normalize(&unit)
        return unit
    }

    /// One bit per dimension, set for a positive component, most significant bit first; the last byte is
    /// padded with zeros.
    static func packedSigns(_ vector: [Float]) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: (vector.count + 7) / 8)
        for (index, value) in vector.enumerated() where value > 0 {
            bytes[index / 8] |= 0x80 >> UInt8(index % 8)
        }
        return bytes
    }
}
