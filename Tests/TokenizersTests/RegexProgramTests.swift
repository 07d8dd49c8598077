import Testing

@testable import Tokenizers

@Suite struct RegexProgramTests {
    func matches(_ pattern: String, _ text: String) throws -> [String] {
        let program = try RegexProgram(pattern)
        let scalars = text.unicodeScalars.map(\.value)
        let ranges = scalars.withUnsafeBufferPointer { program.matches(in: $0, 0..<scalars.count) }
        return ranges.map { BPEModel.string(scalars[$0]) }
    }

    @Test func alternativesAreTriedInOrderAndQuantifiersAreGreedy() throws {
        #expect(try matches("a|ab", "ab") == ["a"])
        #expect(try matches("ab|a", "ab") == ["ab"])
        #expect(try matches("\\p{N}{1,3}", "12345 6") == ["123", "45", "6"])
        #expect(try matches("a+?", "aaa") == ["a", "a", "a"])
    }

    @Test func lookaheadBacksOffTheLastSpace() throws {
        #expect(try matches("\\s+(?!\\S)|\\s+", "a   b  ") == ["  ", " ", "  "])
    }

    @Test func caseInsensitiveGroupsAndClasses() throws {
        #expect(try matches("(?i:'s|'t)", "'S 't 'x") == ["'S", "'t"])
        #expect(try matches("[^\\r\\n\\p{L}\\p{N}]?\\p{L}+", "héllo, wörld") == ["héllo", " wörld"])
        #expect(try matches("[一-龥]+", "ab中文cd") == ["中文"])
    }

    @Test func emptyMatchesAdvanceOneScalar() throws {
        #expect(try matches("x*", "ab") == ["", "", ""])
    }

    @Test func unsupportedSyntaxIsReported() {
        #expect(throws: RegexSyntaxError.self) { try RegexProgram("\\bword\\b") }
        #expect(throws: RegexSyntaxError.self) { try RegexProgram("a++") }
        #expect(throws: RegexSyntaxError.self) { try RegexProgram("(a") }
    }
}
