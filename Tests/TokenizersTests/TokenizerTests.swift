import Foundation
import Testing

@testable import Tokenizers

@Suite struct TokenizerTests {
    @Test func miniLMVocabulary() throws {
        let tokenizer = try TestSupport.miniLM()
        #expect(tokenizer.vocabularySize == 30522)
        #expect(tokenizer.paddingTokenId == 0)
        #expect(tokenizer.id(forToken: "[CLS]") == 101)
        #expect(tokenizer.id(forToken: "hello") == 7592)
        #expect(tokenizer.id(forToken: "not-a-token") == nil)
        #expect(tokenizer.token(forId: 102) == "[SEP]")
        #expect(tokenizer.token(forId: 30522) == nil)
    }

    @Test func fileSettingsForPaddingAndTruncationAreIgnored() throws {
        // The file asks for fixed padding to 128 and truncation at 128.
        let tokenizer = try TestSupport.miniLM()
        #expect(tokenizer.encode("hello").ids == [101, 7592, 102])
        let long = Array(repeating: "word", count: 300).joined(separator: " ")
        #expect(tokenizer.encode(long).count == 302)
    }

    @Test func emptyAndWhitespaceTextsGiveOnlySpecialTokens() throws {
        let tokenizer = try TestSupport.miniLM()
        #expect(tokenizer.encode("").ids == [101, 102])
        #expect(tokenizer.encode(" \t\u{200B} ").ids == [101, 102])
        #expect(tokenizer.encode("", addSpecialTokens: false).ids.isEmpty)
    }

    @Test func offsetsAreScalarOffsetsIntoTheOriginalText() throws {
        let tokenizer = try TestSupport.miniLM()
        let encoding = tokenizer.encode("Café 日本", addSpecialTokens: false)
        #expect(encoding.ids == [7668, 1864, 1876])
        #expect(encoding.offsets == [0..<4, 5..<6, 6..<7])
    }

    @Test func paddingTokenDefaultsToZeroWithoutPad() throws {
        var json = TinyTokenizer.json()
        var model = json["model"] as! [String: Any]
        model["vocab"] = ["[UNK]": 5, "a": 6]
        json["model"] = model
        json["added_tokens"] = []
        json["post_processor"] = NSNull()
        let tokenizer = try Tokenizer(data: JSONSerialization.data(withJSONObject: json))
        #expect(tokenizer.paddingTokenId == 0)
        #expect(tokenizer.vocabularySize == 7)
    }

    @Test func tokenizerIsUsableConcurrently() async throws {
        let tokenizer = try TestSupport.miniLM()
        let expected = tokenizer.encode("concurrent encoding works")
        try await withThrowingTaskGroup(of: Encoding.self) { group in
            for _ in 0..<8 {
                group.addTask { tokenizer.encode("concurrent encoding works") }
            }
            for try await encoding in group {
                #expect(encoding == expected)
            }
        }
    }
}
