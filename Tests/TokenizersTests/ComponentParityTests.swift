import Foundation
import Testing

@testable import Tokenizers

/// Parity of the normalizers, pre-tokenizers and models that none of the zoo's files uses (NFC, NFD, NFKC, NFKD,
/// Lowercase, StripAccents, Prepend, Whitespace, WhitespaceSplit, Punctuation, Digits, CharDelimiterSplit,
/// UnicodeScripts, WordLevel, BPE ignore_merges and end_of_word_suffix), on every corpus line, alone and paired with
/// the next line (fixtures from scripts/gen_tokenizer_component_fixtures.py, which trains the tokenizers).
@Suite struct ComponentParityTests {
    struct Record: Decodable {
        var single: String
        var pair: String
    }

    enum Variant: String, CaseIterable {
        case wordLevelNFKC = "wordlevel-nfkc-lowercase-whitespace"
        case bpeNFD = "bpe-nfd-stripaccents-prepend-punctuation-digits"
        case wordLevelScripts = "wordlevel-nfc-chardelimiter-scripts"
        case scriptsAlone = "wordlevel-scripts"
        case wordPieceNFKD = "wordpiece-nfkd-whitespace-digits"
        case bpeIgnoreMerges = "bpe-ignore-merges-nfkc"
        case punctuationRemoved = "wordlevel-punctuation-removed"
        case punctuationContiguous = "wordlevel-punctuation-contiguous"
    }

    @Test(arguments: Variant.allCases)
    func corpusMatchesPython(_ variant: Variant) throws {
        let url = TestSupport.fixtures.appendingPathComponent("component-\(variant.rawValue)-expected.jsonl")
        let lines = try Data(contentsOf: url).split(separator: UInt8(ascii: "\n"))
        // The first line is the tokenizer.json itself; JSONSerialization would drop a leading U+FEFF from strings.
        let tokenizer = try Tokenizer(data: Data(lines[0]))
        let decoder = JSONDecoder()
        let records = try lines.dropFirst().map { try decoder.decode(Record.self, from: $0) }
        let texts = try TestSupport.corpus()
        try #require(records.count == texts.count, "fixture out of date: rerun the fixture script")
        var mismatches = CorpusMismatches()
        for (index, text) in texts.enumerated() {
            let single = tokenizer.encode(text)
            var problems: [String] = []
            if TestSupport.digest(single) != records[index].single {
                problems.append("single: got \(TestSupport.describe(single))")
            }
            let pair = tokenizer.encode(pair: text, texts[(index + 1) % texts.count])
            if TestSupport.digest(pair) != records[index].pair { problems.append("pair: got ids \(pair.ids)") }
            if !problems.isEmpty { mismatches.add(line: index, text: text, problems.joined(separator: "; ")) }
        }
        mismatches.record(of: texts.count, in: variant.rawValue)
    }
}
