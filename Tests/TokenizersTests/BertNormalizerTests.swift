import Testing

@testable import Tokenizers

@Suite struct BertNormalizerTests {
    /// Normalizes `text` and returns the result with each scalar's original index.
    func normalize(_ text: String, _ options: BertNormalizer.Options) -> (text: String, origins: [Int32]) {
        let scalars = text.unicodeScalars.map(\.value)
        var normalized = NormalizedText(scalars, range: 0..<scalars.count)
        BertNormalizer(options).normalize(&normalized)
        let result = String(String.UnicodeScalarView(normalized.scalars.compactMap(Unicode.Scalar.init)))
        return (result, normalized.origins)
    }

    static let cleanOnly = BertNormalizer.Options(
        cleanText: true, handleChineseChars: false, stripAccents: false, lowercase: false)

    @Test func cleanTextRemovesControlsAndMapsWhitespaceToSpace() {
        let result = normalize("a\u{0}b\u{FFFD}c\u{200B}d\te\u{A0}f\u{85}g\u{0B}h", Self.cleanOnly)
        #expect(result.text == "abcd e fgh")
        #expect(result.origins == [0, 2, 4, 6, 7, 8, 9, 10, 12, 14])
    }

    @Test func chineseCharactersAreSurroundedBySpaces() {
        let result = normalize("a中b", .init())
        #expect(result.text == "a 中 b")
        #expect(result.origins == [0, 1, 1, 1, 2])
    }

    @Test func compatibilityIdeographsAreSpacedThenDecomposed() {
        #expect(normalize("豈", .init()).text == " \u{8C48} ")
    }

    @Test func stripAccentsNullFollowsLowercase() {
        #expect(normalize("Café İ", .init(stripAccents: nil, lowercase: true)).text == "cafe i")
        #expect(normalize("Café İ", .init(stripAccents: nil, lowercase: false)).text == "Café İ")
    }

    @Test func explicitStripAccentsWithoutLowercase() {
        #expect(normalize("Café İ", .init(stripAccents: true, lowercase: false)).text == "Cafe I")
    }

    @Test func lowercaseWithoutStripAccentsKeepsMarksAndExpandsDottedI() {
        let result = normalize("Café İ", .init(stripAccents: false, lowercase: true))
        #expect(result.text.unicodeScalars.map(\.value) == [0x63, 0x61, 0x66, 0xE9, 0x20, 0x69, 0x307])
        #expect(result.origins == [0, 1, 2, 3, 4, 5, 5])
    }

    @Test func lowercaseIsPerCharacterLikeRust() {
        // No final-sigma rule, no case folding of ß or ligatures.
        #expect(normalize("ΣΑΣ ß ﬁ Ǆ", .init()).text == "σασ ß ﬁ ǆ")
    }

    @Test func hangulSyllablesDecomposeWhenStrippingAccents() {
        #expect(normalize("한", .init()).text.unicodeScalars.map(\.value) == [0x1112, 0x1161, 0x11AB])
        #expect(normalize("한", .init(stripAccents: false)).text == "한")
    }

    @Test func stripAccentsPutsRemainingMarksInCanonicalOrder() {
        // U+1D16D (class 226) before U+1D165 (class 216) are spacing marks: kept, but reordered by NFD.
        let input = "x\u{1D16D}\u{1D165}"
        let stripped = normalize(input, .init(stripAccents: true, lowercase: false))
        #expect(stripped.text.unicodeScalars.map(\.value) == [0x78, 0x1D165, 0x1D16D])
        // Origins follow positions, not the moved marks, as `tokenizers`' alignments do.
        #expect(stripped.origins == [0, 1, 2])
        #expect(normalize(input, .init(stripAccents: false, lowercase: false)).text == input)
    }

    @Test func droppedMarksLeaveTheirPositionToReorderedOnes() {
        // U+0301 (class 230) and U+1D165 (class 216) swap; U+0301 is dropped, so U+1D165 takes position 0.
        let stripped = normalize("\u{0301}\u{1D165}", .init(stripAccents: true, lowercase: false))
        #expect(stripped.text.unicodeScalars.map(\.value) == [0x1D165])
        #expect(stripped.origins == [0])
    }

    @Test func everythingDisabledIsIdentity() {
        let options = BertNormalizer.Options(
            cleanText: false, handleChineseChars: false, stripAccents: false, lowercase: false)
        let input = "A\u{0}中\u{200B}É\t"
        #expect(normalize(input, options).text == input)
    }
}
