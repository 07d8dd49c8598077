import Foundation
import Testing

@testable import Tokenizers

@Suite struct AddedTokenTests {
    @Test func specialTokensInTheTextAreMatchedBeforeNormalization() throws {
        let tokenizer = try TestSupport.miniLM()
        let encoding = tokenizer.encode("hello [SEP] world")
        #expect(encoding.ids == [101, 7592, 102, 2088, 102])
        // Only the post-processor's tokens count as special.
        #expect(encoding.specialTokensMask == [1, 0, 0, 0, 1])
        #expect(encoding.offsets == [0..<0, 0..<5, 6..<11, 12..<17, 0..<0])
        #expect(tokenizer.encode("x[MASK]y", addSpecialTokens: false).ids == [1060, 103, 1061])
    }

    @Test func nonNormalizedTokensAreCaseSensitive() throws {
        let tokenizer = try TestSupport.miniLM()
        #expect(tokenizer.encode("[sep]", addSpecialTokens: false).ids == [1031, 19802, 1033])
    }

    @Test func longestTokenWinsAtTheSamePosition() throws {
        let tokenizer = try TinyTokenizer.tokenizer([
            "added_tokens": [
                TinyTokenizer.addedToken("<ent>", id: 18, special: false),
                TinyTokenizer.addedToken("<ent>x", id: 17, special: false),
            ]
        ])
        #expect(tokenizer.encode("<ent>x<ent>", addSpecialTokens: false).ids == [17, 18])
    }

    @Test func singleWordTokensNeedWordBoundaries() throws {
        let tokenizer = try TinyTokenizer.tokenizer([
            "added_tokens": [TinyTokenizer.addedToken("<ent>", id: 18, special: false, singleWord: true)]
        ])
        #expect(
            tokenizer.encode("a <ent>, a", addSpecialTokens: false).ids == TinyTokenizer.ids("a", "<ent>", ",", "a"))
        // Preceded by a word character: not matched, so the pipeline splits it as text.
        #expect(!tokenizer.encode("a<ent>", addSpecialTokens: false).ids.contains(18))
        #expect(!tokenizer.encode("<ent>_", addSpecialTokens: false).ids.contains(18))
    }

    @Test func lstripAndRstripConsumeWhitespace() throws {
        let tokenizer = try TinyTokenizer.tokenizer([
            "added_tokens": [
                TinyTokenizer.addedToken("<l>", id: 18, lstrip: true),
                TinyTokenizer.addedToken("<r>", id: 17, rstrip: true),
            ]
        ])
        let left = tokenizer.encode("a \t<l> a", addSpecialTokens: false)
        #expect(left.ids == [10, 18, 10])
        #expect(left.offsets == [0..<1, 1..<6, 7..<8])
        let right = tokenizer.encode("a <r>\u{2000} a", addSpecialTokens: false)
        #expect(right.ids == [10, 17, 10])
        #expect(right.offsets == [0..<1, 2..<7, 7..<8])
    }

    @Test func normalizedTokensMatchTheNormalizedText() throws {
        let tokenizer = try TinyTokenizer.tokenizer([
            "added_tokens": [TinyTokenizer.addedToken("ÉTÉ", id: 18, special: false, normalized: true)]
        ])
        let encoding = tokenizer.encode("Été ete", addSpecialTokens: false)
        #expect(encoding.ids == [18, 18])
        #expect(encoding.offsets == [0..<3, 4..<7])
    }

    @Test func addedTokensAreLookedUpByIdAndContent() throws {
        let tokenizer = try TinyTokenizer.tokenizer([
            "added_tokens": [TinyTokenizer.addedToken("<new>", id: 40, special: false)]
        ])
        #expect(tokenizer.id(forToken: "<new>") == 40)
        #expect(tokenizer.token(forId: 40) == "<new>")
        #expect(tokenizer.vocabularySize == 41)
        #expect(tokenizer.encode("a<new>b", addSpecialTokens: false).ids == [10, 40, 1])
    }
}
