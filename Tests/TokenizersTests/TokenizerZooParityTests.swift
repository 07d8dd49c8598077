import Foundation
import Testing

@testable import Tokenizers

/// Parity of GPT-2, DeepSeek-V3, multilingual-e5-small, DeBERTa-v3 and variants of GPT-2 with Python `tokenizers`
/// on every corpus line (fixtures from scripts/gen_tokenizer_zoo_fixtures.py).
@Suite struct TokenizerZooParityTests {
    /// One corpus line as scripts/gen_tokenizer_zoo_fixtures.py records it; pairs are recorded for some variants only.
    ///
    /// Corpus lines carry a digest of the encoding (``TestSupport/digest(_:)``); the hand-written lines that follow
    /// them carry the text and the encoding in full.
    struct Record: Decodable {
        var text: String?
        var single: String?
        var ids: [Int32]?
        var offsets: [Int]?
        var special: String?
        /// The digest of the pair (this text, the next one); see ``digest(_:)``.
        var pair: String?
        var decoded: String?
        var decodedSkippingSpecial: String?

        enum CodingKeys: String, CodingKey {
            case text, single, ids, offsets, special, decoded, pair
            case decodedSkippingSpecial = "decoded_skipping_special"
        }
    }

    enum Variant: String, CaseIterable {
        case gpt2, roberta, trimmed, noregex, deepseek
        case multilingualE5Small = "multilingual-e5-small"
        case debertaV3 = "deberta-v3"
        case debertaV3Bytes = "deberta-v3-bytes"
        case debertaV3First = "deberta-v3-first"
        case multilingualE5SmallNever = "multilingual-e5-small-never"
        case llama3Regex = "llama3-regex"
        case splitRemoved = "split-removed"
        case splitPrevious = "split-previous"
        case splitNext = "split-next"
        case splitContiguous = "split-contiguous"
        case splitInverted = "split-inverted"
        case processorSequence = "processor-sequence"
    }

    /// The variant's tokenizer (models/<model>/tokenizer.json with the fixture's patch) and its records.
    static func load(_ variant: Variant) throws -> (Tokenizer, [Record]) {
        let name = "zoo-\(variant.rawValue)-expected.jsonl"
        let data = try Data(contentsOf: TestSupport.fixtures.appendingPathComponent(name))
        let lines = data.split(separator: UInt8(ascii: "\n"))
        let header = try #require(try JSONSerialization.jsonObject(with: lines[0]) as? [String: Any])
        var patch = try #require(header["patch"] as? [String: Any])
        var json = try TestSupport.tokenizerJSON(model: try #require(header["model"] as? String))
        if patch.removeValue(forKey: "merges_as_strings") as? Bool == true {
            var model = try #require(json["model"] as? [String: Any])
            let merges = try #require(model["merges"] as? [[String]])
            model["merges"] = merges.map { $0.joined(separator: " ") }
            json["model"] = model
        }
        if let options = patch.removeValue(forKey: "model_options") as? [String: Any] {
            var model = try #require(json["model"] as? [String: Any])
            model.merge(options) { _, new in new }
            json["model"] = model
        }
        json.merge(patch) { _, new in new }
        let tokenizer = try Tokenizer(data: JSONSerialization.data(withJSONObject: json))
        let decoder = JSONDecoder()
        return (tokenizer, try lines.dropFirst().map { try decoder.decode(Record.self, from: $0) })
    }

    @Test(arguments: Variant.allCases)
    func corpusMatchesPython(_ variant: Variant) throws {
        let (tokenizer, records) = try Self.load(variant)
        let corpus = try TestSupport.corpus()
        let texts = corpus + records.dropFirst(corpus.count).compactMap(\.text)
        try #require(records.count == texts.count, "fixture out of date: rerun scripts/gen_tokenizer_zoo_fixtures.py")
        func digits(_ values: [Int32]) -> String { values.map(String.init).joined() }
        func flat(_ offsets: [Range<Int>]) -> [Int] { offsets.flatMap { [$0.lowerBound, $0.upperBound] } }
        var mismatches = CorpusMismatches()
        for (index, text) in texts.enumerated() {
            let record = records[index]
            let single = tokenizer.encode(text)
            var problems: [String] = []
            if let expected = record.single {
                if TestSupport.digest(single) != expected {
                    problems.append("single (digest) differs: got \(TestSupport.describe(single))")
                }
            } else {
                if single.ids != record.ids { problems.append("ids: expected \(record.ids ?? []), got \(single.ids)") }
                if flat(single.offsets) != record.offsets {
                    problems.append("offsets: expected \(record.offsets ?? []), got \(flat(single.offsets))")
                }
                if digits(single.specialTokensMask) != record.special { problems.append("special tokens mask") }
            }
            if let expected = record.pair {
                let pair = tokenizer.encode(pair: text, texts[(index + 1) % texts.count])
                if TestSupport.digest(pair) != expected { problems.append("pair (digest) differs: \(pair.ids)") }
            }
            guard problems.isEmpty else {
                mismatches.add(line: index, text: text, problems.joined(separator: "; "))
                continue
            }
            // The ids matched, so decoding Swift's ids decodes Python's.
            let ids = record.ids ?? single.ids
            let decoded = try tokenizer.decode(ids, skipSpecialTokens: false)
            if decoded != (record.decoded ?? text) { problems.append("decoded: \(String(reflecting: decoded))") }
            let skipping = try tokenizer.decode(ids)
            if skipping != (record.decodedSkippingSpecial ?? record.decoded ?? text) {
                problems.append("decoded skipping special tokens: \(String(reflecting: skipping))")
            }
            if !problems.isEmpty { mismatches.add(line: index, text: text, problems.joined(separator: "; ")) }
        }
        mismatches.record(of: texts.count, in: "\(variant)")
    }
}
