import Foundation
import Testing

@testable import Tokenizers

/// Every corpus line against Python `tokenizers` 0.23.3 (scripts/gen_tokenizer_fixtures.py).
///
/// The fixture holds a digest of each encoding (ids, type ids, special-tokens mask, offsets; see
/// ``TestSupport/digest(_:)``); a mismatch prints the Swift values to compare with the script's.
@Suite struct CorpusParityTests {
    struct Record: Decodable {
        var single: String
        var singleRight256: String
        var singleLeft128: String
        var pairLongestFirst256: String

        enum CodingKeys: String, CodingKey {
            case single
            case singleRight256 = "single_right_256"
            case singleLeft128 = "single_left_128"
            case pairLongestFirst256 = "pair_longest_first_256"
        }
    }

    enum Variant: String, CaseIterable {
        case single = "single text, no truncation"
        case right256 = "single text, truncated right at 256"
        case left128 = "single text, truncated left at 128"
        case pair256 = "pair (line i, line i+1), longest_first at 256"
    }

    static func records() throws -> [Record] {
        let data = try Data(contentsOf: TestSupport.fixtures.appendingPathComponent("minilm-expected.jsonl"))
        let decoder = JSONDecoder()
        return try data.split(separator: UInt8(ascii: "\n")).map { try decoder.decode(Record.self, from: $0) }
    }

    @Test(arguments: Variant.allCases)
    func corpusMatchesPython(_ variant: Variant) throws {
        let tokenizer = try TestSupport.miniLM()
        let texts = try TestSupport.corpus()
        let records = try Self.records()
        #expect(texts.count >= 5000)
        try #require(records.count == texts.count, "fixture out of date: rerun scripts/gen_tokenizer_fixtures.py")
        var mismatches = CorpusMismatches()
        for (index, text) in texts.enumerated() {
            let next = texts[(index + 1) % texts.count]
            let (expected, actual): (String, Encoding)
            switch variant {
            case .single:
                (expected, actual) = (records[index].single, tokenizer.encode(text))
            case .right256:
                (expected, actual) = (
                    records[index].singleRight256, tokenizer.encode(text, truncation: .init(maxLength: 256))
                )
            case .left128:
                let truncation = Truncation(maxLength: 128, direction: .left)
                (expected, actual) = (records[index].singleLeft128, tokenizer.encode(text, truncation: truncation))
            case .pair256:
                let truncation = Truncation(maxLength: 256)
                (expected, actual) = (
                    records[index].pairLongestFirst256, tokenizer.encode(pair: text, next, truncation: truncation)
                )
            }
            if TestSupport.digest(actual) != expected {
                mismatches.add(line: index, text: text, "got \(TestSupport.describe(actual))")
            }
        }
        mismatches.record(of: texts.count, in: variant.rawValue)
    }
}
