import Testing

@testable import Tokenizers

@Suite struct TruncationTests {
    func sequence(_ count: Int, from start: Int32 = 0) -> TokenSequence {
        let ids = (0..<Int32(count)).map { start + $0 }
        return TokenSequence(ids: ids, offsets: ids.map { Int($0)..<Int($0) + 1 })
    }

    @Test func rightKeepsTheBeginningLeftKeepsTheEnd() {
        var first = sequence(6)
        var none: TokenSequence? = nil
        #expect(Truncation(maxLength: 4).apply(to: &first, &none, reserved: 0))
        #expect(first.ids == [0, 1, 2, 3])
        first = sequence(6)
        #expect(Truncation(maxLength: 4, direction: .left).apply(to: &first, &none, reserved: 0))
        #expect(first.ids == [2, 3, 4, 5])
        #expect(first.offsets == [2..<3, 3..<4, 4..<5, 5..<6])
    }

    @Test func reservedSpecialTokensCountAgainstTheBudget() {
        var first = sequence(6)
        var none: TokenSequence? = nil
        #expect(Truncation(maxLength: 6).apply(to: &first, &none, reserved: 2))
        #expect(first.count == 4)
        var short = sequence(4)
        #expect(!Truncation(maxLength: 6).apply(to: &short, &none, reserved: 2))
    }

    @Test func longestFirstTrimsTheLongerSequenceFirst() {
        var first = sequence(3)
        var second: TokenSequence? = sequence(10, from: 100)
        #expect(Truncation(maxLength: 8).apply(to: &first, &second, reserved: 0))
        #expect(first.count == 3)
        #expect(second?.ids == [100, 101, 102, 103, 104])
    }

    @Test func longestFirstSplitsTheBudgetWhenBothAreLong() {
        var first = sequence(10)
        var second: TokenSequence? = sequence(12, from: 100)
        #expect(Truncation(maxLength: 7).apply(to: &first, &second, reserved: 0))
        // The shorter (first) gets max / 2, the longer the rest.
        #expect(first.count == 3)
        #expect(second?.count == 4)
    }

    @Test func onlySecondTrimsOnlyTheSecond() {
        var first = sequence(4)
        var second: TokenSequence? = sequence(6, from: 100)
        #expect(
            Truncation(maxLength: 8, direction: .left, strategy: .onlySecond).apply(to: &first, &second, reserved: 0))
        #expect(first.count == 4)
        #expect(second?.ids == [102, 103, 104, 105])
    }

    @Test func tooShortTargetFallsBackToLongestFirst() {
        var first = sequence(2)
        var second: TokenSequence? = sequence(10, from: 100)
        #expect(Truncation(maxLength: 6, strategy: .onlyFirst).apply(to: &first, &second, reserved: 0))
        #expect(first.count == 2)
        #expect(second?.count == 4)
        var single = sequence(10)
        var none: TokenSequence? = nil
        #expect(Truncation(maxLength: 6, strategy: .onlySecond).apply(to: &single, &none, reserved: 0))
        #expect(single.count == 6)
    }

    @Test func budgetBelowTheSpecialTokensEmptiesTheSequences() {
        var first = sequence(3)
        var second: TokenSequence? = sequence(3, from: 100)
        #expect(Truncation(maxLength: 2).apply(to: &first, &second, reserved: 3))
        #expect(first.count == 0)
        #expect(second?.count == 0)
    }

    @Test func encodeReportsTruncationAndCountsSpecialTokens() throws {
        let tokenizer = try TestSupport.miniLM()
        let text = "one two three four five six seven eight"
        let truncated = tokenizer.encode(text, truncation: Truncation(maxLength: 5))
        #expect(truncated.count == 5)
        #expect(truncated.wasTruncated)
        #expect(truncated.ids.first == 101 && truncated.ids.last == 102)
        #expect(
            tokenizer.encode(text, truncation: Truncation(maxLength: 5, direction: .left)).ids == [
                101, 2416, 2698, 2809, 102,
            ])
        let untouched = tokenizer.encode(text, truncation: Truncation(maxLength: 10))
        #expect(untouched.count == 10)
        #expect(!untouched.wasTruncated)
    }
}
