import Foundation
import Testing

@testable import Imaging

/// `pixel_values` against transformers' own image processors (Pillow backends) on the same images
/// (Fixtures/make_processor_fixtures.py).
@Suite struct ImagePreprocessorTests {
    static func config(_ name: String) throws -> [String: Any] {
        let bytes = try ImageCodecTests.fixture("processors/\(name).json")
        return try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
    }

    static func expected(_ name: String) throws -> [Float] {
        let bytes = try ImageCodecTests.fixture("processors/\(name).f32")
        return bytes.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
    }

    @Test(arguments: [
        ("dpt", [3, 24, 32], [3, 32, 40]), ("vit", [3, 24, 24], [3, 24, 24]), ("clip", [3, 16, 16], [3, 16, 16]),
    ])
    func pixelValuesEqualTransformers(name: String, sourceShape: [Int], photoShape: [Int]) throws {
        let processor = try ImagePreprocessor(huggingFace: Self.config(name))
        for (image, shape) in [("resize/source.png", sourceShape), ("baseline.jpg", photoShape)] {
            let decoded = try ImageCodecTests.fixture(image).withUnsafeBytes {
                try ImageCodec.decode($0, maxPixels: 1_000_000)
            }
            let (values, actualShape) = processor.tensor(for: decoded)
            #expect(actualShape == shape, "\(name) \(image)")
            let want = try Self.expected("\(name)-\(image == "baseline.jpg" ? "photo" : "source")")
            #expect(values.count == want.count)
            let worst = zip(values, want).map { abs($0 - $1) }.max() ?? .infinity
            // Same resampling arithmetic as Pillow: equal up to float rounding of the normalisation.
            #expect(worst < 1e-5, "\(name) \(image): max |diff| \(worst)")
        }
    }

    @Test func unsupportedSettingsAreNamed() {
        #expect(throws: ImagePreprocessor.ConfigError.self) {
            try ImagePreprocessor(huggingFace: ["size": ["height": 8, "width": 8], "resample": 1])
        }
        let padding = #expect(throws: ImagePreprocessor.ConfigError.self) {
            try ImagePreprocessor(huggingFace: ["size": ["height": 8, "width": 8], "do_pad": true])
        }
        #expect(padding?.key == "do_pad")
        let noSize = #expect(throws: ImagePreprocessor.ConfigError.self) { try ImagePreprocessor(huggingFace: [:]) }
        #expect(noSize?.key == "size")
    }

    @Test func multiplesRoundHalfToEvenAsPython() {
        let dpt = ImagePreprocessor(resize: .multipleOf(width: 384, height: 384, multiple: 32, keepAspectRatio: true))
        // 640 x 480: fit height (scale 0.8), width 512 -> 512; height 384.
        #expect(dpt.resizedSize(width: 640, height: 480) == (512, 384))
        // 48 x 16 towards 8 x 8 in multiples of 8, no aspect: 8 x 8; round(1.5) == 2 and round(2.5) == 2.
        let halves = ImagePreprocessor(resize: .multipleOf(width: 12, height: 20, multiple: 8, keepAspectRatio: false))
        #expect(halves.resizedSize(width: 5, height: 5) == (16, 16))
    }
}
