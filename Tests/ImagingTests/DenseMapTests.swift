import Testing

@testable import Imaging

/// Depth post-processing against transformers' depth-estimation pipeline (Fixtures/make_depth_fixtures.py).
@Suite struct DenseMapTests {
    static func floats(_ name: String) throws -> [Float] {
        try ImageCodecTests.fixture("depth/\(name)").withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
    }

    @Test(arguments: [(20, 15), (5, 4)])
    func resizingAndGreyLevelsEqualTheHuggingFacePipeline(width: Int, height: Int) throws {
        let map = DenseMap(width: 9, height: 7, values: try Self.floats("map.f32"))
        let resized = map.resized(to: width, height)
        let want = try Self.floats("resized-\(width)x\(height).f32")
        let worst = zip(resized.values, want).map { abs($0 - $1) }.max() ?? .infinity
        #expect(worst < 1e-4, "torch bicubic: max |diff| \(worst)")
        let grey = resized.grey8()
        let wantGrey = try ImageCodecTests.fixture("depth/grey-\(width)x\(height).u8")
        let off = zip(grey, wantGrey).filter { abs(Int($0) - Int($1)) > 1 }.count
        #expect(off == 0, "\(off) grey levels off by more than one")
        #expect(grey.min() == 0 && grey.max() == 255)
    }

    @Test func rangesAndInversion() {
        let map = DenseMap(width: 3, height: 1, values: [1, 2, 3])
        #expect(map.grey8() == [0, 127, 255])
        #expect(map.grey8(invert: true) == [255, 127, 0])
        #expect(map.grey8(range: .fixed(0, 2)) == [127, 255, 255])
        #expect(map.grey16() == [0, 32767, 65535])
        #expect(DenseMap(width: 2, height: 1, values: [4, 4]).grey8() == [0, 0])
    }
}
