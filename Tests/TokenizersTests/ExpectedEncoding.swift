import Foundation

@testable import Tokenizers

/// One encoding as scripts/gen_tokenizer_fixtures.py records it from Python `tokenizers`.
struct ExpectedEncoding: Decodable, Sendable {
    var ids: [Int32]?
    var typeIds: String?
    var attentionMask: String?
    var specialTokensMask: String?
    var truncated: Bool?
    /// Flattened `[start, end, start, end, ...]`, when recorded.
    var offsets: [Int]?
    /// Why the Swift port deliberately gives `fallback` instead of the library's result.
    var deviation: String?
    var fallback: Box?

    /// Indirection so the struct can contain itself.
    final class Box: Decodable, Sendable {
        let value: ExpectedEncoding
        required init(from decoder: any Decoder) throws {
            value = try ExpectedEncoding(from: decoder)
        }
    }

    enum CodingKeys: String, CodingKey {
        case ids, truncated, offsets, deviation, fallback
        case typeIds = "type_ids"
        case attentionMask = "attention_mask"
        case specialTokensMask = "special_tokens_mask"
    }

    /// What the Swift port must produce.
    var target: ExpectedEncoding { fallback?.value ?? self }

    /// A description of the first difference from `actual`, or nil when they match.
    func difference(from actual: Encoding) -> String? {
        let expected = target
        func digits(_ values: [Int32]) -> String { values.map(String.init).joined() }
        if let ids = expected.ids, ids != actual.ids { return "ids: expected \(ids), got \(actual.ids)" }
        if let typeIds = expected.typeIds, typeIds != digits(actual.typeIds) {
            return "type_ids: expected \(typeIds), got \(digits(actual.typeIds))"
        }
        if let mask = expected.attentionMask, mask != digits(actual.attentionMask) {
            return "attention_mask: expected \(mask), got \(digits(actual.attentionMask))"
        }
        if let mask = expected.specialTokensMask, mask != digits(actual.specialTokensMask) {
            return "special_tokens_mask: expected \(mask), got \(digits(actual.specialTokensMask))"
        }
        if let truncated = expected.truncated, truncated != actual.wasTruncated {
            return "wasTruncated: expected \(truncated), got \(actual.wasTruncated)"
        }
        if let offsets = expected.offsets {
            let flat = actual.offsets.flatMap { [$0.lowerBound, $0.upperBound] }
            if offsets != flat { return "offsets: expected \(offsets), got \(flat)" }
        }
        return nil
    }
}
