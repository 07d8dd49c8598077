import Foundation
import Testing

@testable import Tokenizers

/// Offsets of the Unicode normalizers and the character-class pre-tokenizers on small inputs, as Python
/// `tokenizers` 0.23.3 gives them (WordLevel with only `[UNK]`, so each word is one token spanning it).
@Suite struct CharacterComponentTests {
    static func offsets(normalizer: Any = NSNull(), preTokenizer: Any = NSNull(), _ text: String) throws -> [[Int]] {
        let tokenizer = try Tokenizer(
            data: TinyTokenizer.data([
                "model": ["type": "WordLevel", "vocab": ["[UNK]": 0], "unk_token": "[UNK]"],
                "added_tokens": [], "post_processor": NSNull(), "decoder": NSNull(),
                "normalizer": normalizer, "pre_tokenizer": preTokenizer,
            ]))
        return tokenizer.encode(text).offsets.map { [$0.lowerBound, $0.upperBound] }
    }

    static var spaces: [String: Any] { ["type": "Split", "pattern": ["String": " "], "behavior": "Removed"] }

    @Test func unicodeFormsAlignToTheOriginal() throws {
        #expect(try Self.offsets(normalizer: ["type": "NFKC"], preTokenizer: Self.spaces, "ﬁ½ x²") == [[0, 2], [3, 5]])
        #expect(
            try Self.offsets(normalizer: ["type": "NFC"], preTokenizer: Self.spaces, "e\u{301} \u{1E0B}\u{323}")
                == [[0, 1], [3, 5]])
        #expect(try Self.offsets(normalizer: ["type": "NFD"], preTokenizer: Self.spaces, "é ǟ") == [[0, 1], [2, 3]])
        let stripped: [String: Any] = ["type": "Sequence", "normalizers": [["type": "NFD"], ["type": "StripAccents"]]]
        #expect(try Self.offsets(normalizer: stripped, preTokenizer: Self.spaces, "café naïve") == [[0, 4], [5, 10]])
        #expect(
            try Self.offsets(normalizer: ["type": "Lowercase"], preTokenizer: Self.spaces, "İSTANBUL Σ")
                == [[0, 8], [9, 10]])
        #expect(try Self.offsets(normalizer: ["type": "Prepend", "prepend": "_"], "ab") == [[0, 2]])
    }

    @Test func whitespaceKeepsWordAndSymbolRuns() throws {
        #expect(
            try Self.offsets(preTokenizer: ["type": "Whitespace"], "Hey man!! ü\u{200D}x 12")
                == [[0, 3], [4, 7], [7, 9], [10, 13], [14, 16]])
        #expect(
            try Self.offsets(preTokenizer: ["type": "WhitespaceSplit"], "Hey,  man!\u{3000}x")
                == [[0, 4], [6, 10], [11, 12]])
    }

    @Test func punctuationBehaviours() throws {
        let expected: [String: [[Int]]] = [
            "Isolated": [[0, 1], [1, 2], [2, 3], [3, 4], [4, 5], [5, 6]],
            "MergedWithPrevious": [[0, 2], [2, 3], [3, 5], [5, 6]],
            "MergedWithNext": [[0, 1], [1, 2], [2, 4], [4, 6]],
            "Contiguous": [[0, 1], [1, 3], [3, 4], [4, 5], [5, 6]],
            "Removed": [[0, 1], [3, 4], [5, 6]],
        ]
        for (behavior, offsets) in expected {
            #expect(
                try Self.offsets(preTokenizer: ["type": "Punctuation", "behavior": behavior], "a,,b.c") == offsets,
                "\(behavior)")
        }
    }

    @Test func digitsDelimitersAndScripts() throws {
        #expect(
            try Self.offsets(preTokenizer: ["type": "Digits", "individual_digits": true], "ab123c4")
                == [[0, 2], [2, 3], [3, 4], [4, 5], [5, 6], [6, 7]])
        #expect(
            try Self.offsets(preTokenizer: ["type": "Digits", "individual_digits": false], "ab123c4")
                == [[0, 2], [2, 5], [5, 6], [6, 7]])
        #expect(
            try Self.offsets(preTokenizer: ["type": "CharDelimiterSplit", "delimiter": "-"], "a-b--c")
                == [[0, 1], [2, 3], [5, 6]])
        // The leading space belongs to no script and is dropped with the first split, as in `tokenizers`.
        #expect(
            try Self.offsets(preTokenizer: ["type": "UnicodeScripts"], " ab 中文 Ελλάδα、x")
                == [[1, 4], [4, 7], [7, 13], [13, 14], [14, 15]])
    }

    @Test func wordLevelLooksUpWholeWords() throws {
        let tokenizer = try Tokenizer(
            data: TinyTokenizer.data([
                "model": ["type": "WordLevel", "vocab": ["[UNK]": 0, "hello": 1, "wörld": 2], "unk_token": "[UNK]"],
                "added_tokens": [], "post_processor": NSNull(), "normalizer": NSNull(),
                "pre_tokenizer": ["type": "WhitespaceSplit"],
            ]))
        #expect(tokenizer.encode("hello wörld hell").ids == [1, 2, 0])
    }
}
