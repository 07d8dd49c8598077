import Foundation
import Testing

@testable import Tokenizers

@Suite struct LoadingTests {
    func loadError(_ overrides: [String: Any]) throws -> String? {
        let data = try TinyTokenizer.data(overrides)
        let error = #expect(throws: TokenizerError.self) { try Tokenizer(data: data) }
        return error?.message
    }

    @Test func unsupportedComponentErrorsNameTheType() throws {
        #expect(
            try loadError(["pre_tokenizer": ["type": "FixedLength", "length": 5]])
                == "unsupported pre_tokenizer type 'FixedLength'")
        #expect(try loadError(["normalizer": ["type": "ByteLevel"]]) == "unsupported normalizer type 'ByteLevel'")
        #expect(try loadError(["model": ["type": "Chars", "vocab": [:]]]) == "unsupported model type 'Chars'")
        let nested = try loadError([
            "normalizer": ["type": "Sequence", "normalizers": [["type": "NFD"], ["type": "Nmt"]]]
        ])
        #expect(nested == "unsupported normalizer.normalizers[1] type 'Nmt'")
        let sequence = try loadError([
            "post_processor": [
                "type": "Sequence", "processors": [TinyTokenizer.bertTemplate, ["type": "ByteLevel"]],
            ]
        ])
        #expect(
            sequence
                == "invalid post_processor: only ByteLevel may come before the last processor of a Sequence, found TemplateProcessing"
        )
    }

    @Test func anUnsupportedDecoderIsReportedAtLoadAndOnlyDecodingFails() throws {
        let tokenizer = try Tokenizer(data: TinyTokenizer.data(["decoder": ["type": "Spaceless"]]))
        #expect(tokenizer.decoderProblem?.message == "unsupported decoder type 'Spaceless'")
        #expect(!tokenizer.encode("hello").ids.isEmpty)
        #expect(throws: TokenizerError.self) { try tokenizer.decode([0]) }
        let supported = try Tokenizer(data: TinyTokenizer.data(["decoder": ["type": "WordPiece", "prefix": "##"]]))
        #expect(supported.decoderProblem == nil)
    }

    @Test func modelTypeIsInferredWhenAbsent() throws {
        let bpe = try Tokenizer(data: TinyTokenizer.data(["model": ["vocab": ["a": 0], "merges": []]]))
        #expect(bpe.encode("a a", addSpecialTokens: false).ids == [0, 0])
        let wordLevel = try loadError(["model": ["vocab": ["a": 0]]])
        #expect(wordLevel == "invalid model: WordLevel unk_token '<unk>' is not in the vocabulary")
        let unigram = try Tokenizer(data: TinyTokenizer.data(["model": ["vocab": [["a", 0.0]]]]))
        #expect(unigram.encode("a", addSpecialTokens: false).ids == [0])
    }

    @Test func malformedJSONIsReported() {
        for text in ["{", "", "[1, 2]", "{\"normalizer\": null}"] {
            let error = #expect(throws: TokenizerError.self) { try Tokenizer(data: Data(text.utf8)) }
            #expect(error?.message.hasPrefix("malformed tokenizer JSON") == true, "\(text)")
        }
    }

    @Test func invalidFieldsAreNamed() throws {
        let message = try loadError(["normalizer": ["type": "BertNormalizer", "lowercase": "yes"]])
        #expect(message == "invalid normalizer: field 'lowercase' must be a boolean, found a string")
        let template = try loadError([
            "post_processor": [
                "type": "TemplateProcessing", "single": [TinyTokenizer.special("<s>", 0)], "pair": [],
                "special_tokens": [:],
            ] as [String: Any]
        ])
        #expect(template?.contains("'<s>' missing from special_tokens") == true)
    }

    @Test func unreadableFileNamesThePath() {
        let url = URL(fileURLWithPath: "/nonexistent/tokenizer.json")
        let error = #expect(throws: TokenizerError.self) { try Tokenizer(contentsOf: url) }
        #expect(error?.message.contains("/nonexistent/tokenizer.json") == true)
    }

    @Test func sequenceComponentsAreSupported() throws {
        let tokenizer = try TinyTokenizer.tokenizer([
            "normalizer": ["type": "Sequence", "normalizers": [["type": "BertNormalizer"]]],
            "pre_tokenizer": ["type": "Sequence", "pretokenizers": [["type": "BertPreTokenizer"]]],
        ])
        #expect(
            tokenizer.encode("HELLO, World", addSpecialTokens: false).ids == TinyTokenizer.ids("hello", ",", "world"))
    }
}
