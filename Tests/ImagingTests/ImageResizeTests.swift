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
}
