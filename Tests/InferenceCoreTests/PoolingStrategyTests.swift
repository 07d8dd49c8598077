import Testing

@testable import InferenceCore

@Suite struct PoolingStrategyTests {
    /// 3 tokens x 2 dims, the last token padding.
    private let row: [Float] = [1, 4, 3, -2, 100, 100]

    private func pooled(_ strategy: PoolingStrategy, length: Int = 2) -> [Float] {
        var output = [Float](repeating: .nan, count: 2)
        row.withUnsafeBufferPointer { row in
            output.withUnsafeMutableBufferPointer { out in strategy.pool(row: row, length: length, hidden: 2, into: out) }
        }
        return output
    }

    @Test func meanIgnoresPadding() { #expect(pooled(.mean) == [2, 1]) }
    @Test func maxIgnoresPadding() { #expect(pooled(.max) == [3, 4]) }
    @Test func clsTakesTheFirstToken() { #expect(pooled(.cls) == [1, 4]) }
    @Test func singleTokenMaxIsThatToken() { #expect(pooled(.max, length: 1) == [1, 4]) }

    @Test func normalizeGivesUnitLengthAndKeepsZero() {
        var vector: [Float] = [3, 4]
        VectorMath.normalize(&vector)
        #expect(vector == [0.6, 0.8])
        var zero: [Float] = [0, 0]
        VectorMath.normalize(&zero)
        #expect(zero == [0, 0])
    }
}
