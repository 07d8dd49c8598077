import Testing

@testable import Tokenizers

/// Expected strings are what Python `tokenizers` 0.23.3's decoders return for the same tokens.
@Suite struct DecoderTests {
    @Test func wordPieceGluesPiecesAndCleansUp() {
        let decoder = WordPieceDecoder(prefix: "##", cleanup: true)
        #expect(decoder.decode(["hello", "##world", ",", "it", "'", "s", "great", "!"]) == "helloworld, it ' s great!")
    }

    @Test func byteLevelRebuildsUTF8() {
        #expect(ByteLevelDecoder().decode(["Hello", "Ġw", "Ã©", "Ġ", "ðŁ", "¤", "Ĺ"]) == "Hello wé 🤗")
        #expect(ByteLevelDecoder().decode(["ðŁ"]) == "\u{FFFD}")
    }

    @Test func sentencePieceChain() {
        let chain = DecoderSequence(decoders: [
            ReplaceDecoder(pattern: "▁", content: " "), ByteFallbackDecoder(), FuseDecoder(),
            StripDecoder(content: " ", start: 1, stop: 0),
        ])
        // An invalid run of byte tokens becomes one U+FFFD per byte.
        let decoded = chain.decode(["▁Hi", "▁", "<0xE2>", "<0x82>", "<0xAC>", "<0xFF>"])
        #expect(decoded == "Hi \u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}")
        let metaspace = MetaspaceDecoder(replacement: "▁", prependsSpace: true)
        #expect(metaspace.decode(["▁Hey", "▁friend"]) == "Hey friend")
    }

    @Test func bpeAndCTC() {
        #expect(BPEDecoder(suffix: "</w>").decode(["hel", "lo</w>", "there</w>"]) == "hello there")
        let ctc = CTCDecoder(padToken: "<pad>", wordDelimiterToken: "|", cleanup: true)
        #expect(ctc.decode(["h", "h", "<pad>", "e", "l", "<pad>", "l", "o", "|", "w"]) == "hello w")
    }
}
