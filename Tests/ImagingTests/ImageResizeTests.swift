import Foundation
import Testing

@testable import Imaging

/// Resizing against what Pillow 13 and OpenCV 5 make of the same image (Fixtures/make_resize_fixtures.py).
@Suite struct ImageResizeTests {
    static let sizes = [(11, 9), (40, 31), (23, 8), (7, 30)]

    static func source() throws -> RGBImage {
        let bytes = try ImageCodecTests.fixture("resize/source.png")
        return try bytes.withUnsafeBytes { try ImageCodec.decode($0, maxPixels: 1_000) }
    }

    /// The largest difference from the library's output, and how many channel values differ at all.
    static func compare(_ image: RGBImage, _ name: String) throws -> (worst: Int, differing: Int) {
        let expected = try ImageCodecTests.fixture("resize/\(name).rgb")
        #expect(expected.count == image.pixels.count, "\(name)")
        let differences = zip(image.pixels, expected).map { abs(Int($0) - Int($1)) }
        return (differences.max() ?? 0, differences.filter { $0 > 0 }.count)
    }

    @Test(arguments: [
        ("nearest", ResizeFilter.nearest), ("bilinear", .bilinear), ("bicubic", .bicubic), ("box", .area),
    ])
    func pillowFiltersMatchPillowExactly(name: String, filter: ResizeFilter) throws {
        let source = try Self.source()
        for (width, height) in Self.sizes {
            let resized = source.resized(to: width, height, filter: filter, convention: .pillow)
            let (worst, differing) = try Self.compare(resized, "pillow-\(name)-\(width)x\(height)")
            #expect(worst == 0, "pillow \(name) \(width)x\(height): \(differing) values differ, by up to \(worst)")
        }
    }

    @Test(arguments: [
        ("nearest", ResizeFilter.nearest), ("linear", .bilinear), ("cubic", .bicubic), ("area", .area),
    ])
    func opencvFiltersMatchOpenCVWithinOneLevel(name: String, filter: ResizeFilter) throws {
        let source = try Self.source()
        for (width, height) in Self.sizes {
            let resized = source.resized(to: width, height, filter: filter, convention: .opencv)
            let (worst, differing) = try Self.compare(resized, "opencv-\(name)-\(width)x\(height)")
            #expect(worst <= 1, "opencv \(name) \(width)x\(height): \(differing) values differ, by up to \(worst)")
        }
    }

    /// The padded, contiguous tables the inner loops use give the same sums as the tables' own rows, for axes
    /// shorter than twice the widest row, where rows of different widths must share one window.
    @Test func flatTablesKeepEveryWeightInsideTheSourceAxis() {
        for filter in ResizeFilter.allCases {
            for (input, output) in [(1, 5), (2, 1), (3, 1), (3, 7), (5, 2), (9, 4)] {
                for table in [Resampling.pillow(filter, input, output), Resampling.opencv(filter, input, output, trueArea: true)] {
                    let flat = table.flat(size: input) { $0 }
                    #expect(flat.weights.count == table.count * flat.taps)
                    for index in 0..<table.count {
                        let first = flat.starts[index]
                        #expect(first >= 0 && first + flat.taps <= input, "\(filter) \(input)->\(output) row \(index)")
                        var expected = [Double](repeating: 0, count: input)
                        for (offset, weight) in table.weights[index].enumerated() { expected[table.starts[index] + offset] += weight }
                        var actual = [Double](repeating: 0, count: input)
                        for t in 0..<flat.taps { actual[first + t] += flat.weights[index * flat.taps + t] }
                        #expect(actual == expected, "\(filter) \(input)->\(output) row \(index)")
                    }
                }
            }
        }
    }

    @Test func roundingToEvenMatchesTheStandardLibrary() {
        for value: Float in [-3.5, -2.5, -0.5, -0.49, 0, 0.5, 1.5, 2.5, 127.49999, 254.5, 255.5, 300.7, 4_000_000.5] {
            #expect(roundedToEven(value) == Int32(value.rounded(.toNearestOrEven)), "\(value)")
        }
    }
}
