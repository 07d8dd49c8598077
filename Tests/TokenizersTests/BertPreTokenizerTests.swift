import Testing

@testable import Tokenizers

@Suite struct BertPreTokenizerTests {
    func words(_ text: String) -> [String] {
        let scalars = text.unicodeScalars.map(\.value)
        var preTokenized = PreTokenizedText(
            text: NormalizedText(scalars, range: 0..<scalars.count), words: [0..<scalars.count])
        BertPreTokenizer().preTokenize(&preTokenized)
        return preTokenized.words.map { range in
            String(String.UnicodeScalarView(scalars[range].compactMap(Unicode.Scalar.init)))
        }
    }

    @Test func splitsOnWhitespaceAndIsolatesPunctuation() {
        #expect(
            words("Hello, world! It's $3.50—ok\u{3000}end\u{85}x§y")
                == ["Hello", ",", "world", "!", "It", "'", "s", "$", "3", ".", "50", "—", "ok", "end", "x", "§", "y"]
        )
    }

    @Test func punctuationRunsBecomeSingleCharacterWords() {
        #expect(words("?!...") == ["?", "!", ".", ".", "."])
    }

    @Test func whitespaceOnlyGivesNoWords() {
        #expect(words(" \t\n\u{A0}\u{2028}").isEmpty)
        #expect(words("").isEmpty)
    }

    @Test func nonPunctuationSymbolsStayInWords() {
        // Emoji and math symbols are not punctuation (categories So/Sm outside ASCII).
        #expect(words("a😀b c∑d") == ["a😀b", "c∑d"])
    }

    @Test func existingSplitsAreRefined() {
        let scalars = "ab,cd ef".unicodeScalars.map(\.value)
        var text = PreTokenizedText(text: NormalizedText(scalars, range: 0..<scalars.count), words: [0..<4, 4..<8])
        BertPreTokenizer().preTokenize(&text)
        #expect(text.words == [0..<2, 2..<3, 3..<4, 4..<5, 6..<8])
    }
}
