import Foundation
import Testing

@testable import Imaging

/// Decoding through the real libjpeg-turbo, libpng and libwebp, on fixtures Pillow wrote (Fixtures/make_fixtures.py).
@Suite struct ImageCodecTests {
    static let maxPixels = 40_000_000

    static func fixture(_ name: String) throws -> [UInt8] {
        let url = try #require(Bundle.module.url(forResource: "Fixtures/\(name)", withExtension: nil))
        return Array(try Data(contentsOf: url))
    }

    static func decode(_ name: String, maxPixels: Int = maxPixels) throws -> RGBImage {
        let bytes = try fixture(name)
        return try bytes.withUnsafeBytes { try ImageCodec.decode($0, maxPixels: maxPixels) }
    }

    static func failure(_ name: String, maxPixels: Int = maxPixels) throws -> ImageError? {
        let bytes = try fixture(name)
        do {
            _ = try bytes.withUnsafeBytes { try ImageCodec.decode($0, maxPixels: maxPixels) }
            return nil
        } catch let error as ImageError {
            return error
        }
    }

    /// rgb.png's pixels, as make_fixtures.py draws them.
    static func expected(_ x: Int, _ y: Int) -> (UInt8, UInt8, UInt8) {
        (UInt8((x * 37) % 256), UInt8((y * 51) % 256), UInt8(((x + y) * 23) % 256))
    }

    @Test(arguments: ["rgb.png", "palette.png", "rgba.png", "rgb.webp"])
    func losslessImagesDecodeExactly(name: String) throws {
        let image = try Self.decode(name)
        #expect((image.width, image.height) == (7, 5))
        for y in 0..<5 {
            for x in 0..<7 {
                let (r, g, b) = Self.expected(x, y)
                #expect(image[x, y] == (r, g, b), "\(name) at (\(x), \(y))")
            }
        }
    }

    @Test func sixteenBitGreyIsScaledToEightBitRGB() throws {
        let image = try Self.decode("grey16.png")
        for y in 0..<5 {
            for x in 0..<7 {
                // libpng's png_set_scale_16: round(v * 255 / 65535).
                let value = UInt8((Double(x * 9000 + y * 100) * 255 / 65535).rounded())
                let pixel = image[x, y]
                #expect(pixel.r == pixel.g && pixel.g == pixel.b)
                #expect(abs(Int(pixel.r) - Int(value)) <= 1)
            }
        }
    }

    @Test(arguments: ["baseline.jpg", "progressive.jpg"])
    func jpegsDecodeCloseToTheirSource(name: String) throws {
        let image = try Self.decode(name)
        #expect((image.width, image.height) == (64, 48))
        var worst = 0
        for y in 0..<48 {
            for x in 0..<64 {
                let pixel = image[x, y]
                worst = max(worst, abs(Int(pixel.r) - x * 4), abs(Int(pixel.g) - y * 5), abs(Int(pixel.b) - 128))
            }
        }
        #expect(worst <= 4)
    }

    @Test func exifOrientationIsApplied() throws {
        let bytes = try Self.fixture("rotated.jpg")
        let header = try bytes.withUnsafeBytes { try ImageCodec.header(of: $0, maxPixels: Self.maxPixels) }
        #expect(header == ImageCodec.Header(format: .jpeg, width: 64, height: 48, orientation: 6))
        let upright = try Self.decode("rotated.jpg")
        let stored = try Self.decode("baseline.jpg")
        // Orientation 6: shown rotated 90 degrees clockwise.
        #expect((upright.width, upright.height) == (48, 64))
        for (x, y) in [(0, 0), (47, 0), (0, 63), (20, 30)] {
            let shown = upright[x, y]
            let source = stored[y, 47 - x]
            #expect(abs(Int(shown.r) - Int(source.r)) <= 4 && abs(Int(shown.g) - Int(source.g)) <= 4)
        }
    }

    @Test func orientationsMapEveryCorner() {
        // A 2 x 1 image: red then green.
        let image = RGBImage(width: 2, height: 1, pixels: [255, 0, 0, 0, 255, 0])
        #expect(Orientation.apply(1, to: image) == image)
        #expect(Orientation.apply(2, to: image).pixels == [0, 255, 0, 255, 0, 0])
        #expect(Orientation.apply(3, to: image).pixels == [0, 255, 0, 255, 0, 0])
        let turned = Orientation.apply(6, to: image)
        #expect((turned.width, turned.height) == (1, 2))
        #expect(turned.pixels == [255, 0, 0, 0, 255, 0])
        #expect(Orientation.apply(8, to: image).pixels == [0, 255, 0, 255, 0, 0])
    }

    @Test func badInputGetsItsKind() throws {
        #expect(try Self.failure("not-an-image.bin")?.kind == .unsupportedFormat)
        #expect(try Self.failure("cmyk.jpg")?.kind == .unsupportedFeature)
        let truncatedJPEG = try #require(try Self.failure("truncated.jpg"))
        #expect(truncatedJPEG.kind == .corrupt && truncatedJPEG.message.contains("truncated"))
        #expect(try Self.failure("truncated.png")?.kind == .corrupt)
        #expect(try Self.failure("rgb.png", maxPixels: 34)?.kind == .tooLarge)
    }

    @Test func aDecompressionBombIsRefusedFromItsHeader() throws {
        let clock = ContinuousClock()
        let start = clock.now
        let error = try #require(try Self.failure("bomb.png"))
        #expect(error.kind == .tooLarge)
        #expect(error.message.contains("50000 x 50000"))
        #expect(clock.now - start < .seconds(1))
    }

    @Test func greyPNGsRoundTrip() throws {
        let samples8: [UInt8] = (0..<35).map { UInt8($0 * 7) }
        let png8 = try ImageCodec.pngGrey(samples8, width: 7, height: 5)
        let decoded8 = try png8.withUnsafeBytes { try ImageCodec.decode($0, maxPixels: 100) }
        #expect((0..<35).allSatisfy { decoded8.pixels[$0 * 3] == samples8[$0] })
        let samples16: [UInt16] = (0..<35).map { UInt16($0 * 1871) }
        let png16 = try ImageCodec.pngGrey(samples16, width: 7, height: 5)
        #expect(png16[24] == 16)  // IHDR bit depth
        let decoded16 = try png16.withUnsafeBytes { try ImageCodec.decode($0, maxPixels: 100) }
        #expect((0..<35).allSatisfy {
            abs(Int(decoded16.pixels[$0 * 3]) - Int((Double(samples16[$0]) * 255 / 65535).rounded())) <= 1
        })
        let rgb = try Self.decode("rgb.png")
        let again = try ImageCodec.png(rgb).withUnsafeBytes { try ImageCodec.decode($0, maxPixels: 100) }
        #expect(again == rgb)
    }
}
