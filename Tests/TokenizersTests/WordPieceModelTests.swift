import Testing

@testable import Tokenizers

@Suite struct WordPieceModelTests {
    func model(maxInputCharsPerWord: Int = 100) throws -> WordPieceModel {
        let entries = TinyTokenizer.vocabulary.enumerated().map { (token: $1, id: Int32($0)) }
        return try WordPieceModel(
            vocabulary: Vocabulary(entries),
            unknownToken: "[UNK]",
            continuingSubwordPrefix: "##",
            maxInputCharsPerWord: maxInputCharsPerWord
        )
    }

    func tokenize(_ word: String, _ model: WordPieceModel) -> TokenSequence {
        let scalars = word.unicodeScalars.map(\.value)
        var tokens = TokenSequence()
        model.tokenize(0..<scalars.count, of: NormalizedText(scalars, range: 0..<scalars.count), into: &tokens)
        return tokens
    }

    @Test func greedyLongestMatchWithContinuationPrefix() throws {
        let tokens = tokenize("unaffable", try model())
        #expect(tokens.ids == TinyTokenizer.ids("un", "##aff", "##able"))
        #expect(tokens.offsets == [0..<2, 2..<5, 5..<9])
    }

    @Test func unmatchableRestMakesTheWholeWordUnknown() throws {
        let tokens = tokenize("unaffx", try model())
        #expect(tokens.ids == TinyTokenizer.ids("[UNK]"))
        #expect(tokens.offsets == [0..<6])
    }

    @Test func wordsLongerThanTheLimitAreUnknown() throws {
        let model = try model(maxInputCharsPerWord: 3)
        #expect(tokenize("abc", model).ids == TinyTokenizer.ids("a", "##b", "##c"))
        #expect(tokenize("abcb", model).ids == TinyTokenizer.ids("[UNK]"))
    }

    @Test func limitCountsScalarsNotBytes() throws {
        let model = try model(maxInputCharsPerWord: 2)
        #expect(tokenize("éé", model).ids == TinyTokenizer.ids("[UNK]"))
        #expect(tokenize("ab", model).ids == TinyTokenizer.ids("a", "##b"))
    }

    @Test func missingUnknownTokenIsALoadError() throws {
        let error = #expect(throws: TokenizerError.self) {
            try WordPieceModel(
                vocabulary: Vocabulary([("a", 0)]), unknownToken: "[UNK]", continuingSubwordPrefix: "##",
                maxInputCharsPerWord: 100)
        }
        #expect(error?.message.contains("unk_token '[UNK]'") == true)
    }

    @Test func miniLMSplitsLikeBert() throws {
        let tokenizer = try TestSupport.miniLM()
        let encoding = tokenizer.encode("unaffable tokenization", addSpecialTokens: false)
        #expect(encoding.ids.map { tokenizer.token(forId: $0)! } == ["una", "##ffa", "##ble", "token", "##ization"])
    }
}
