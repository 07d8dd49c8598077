import ArgumentParser
import Foundation
import Imaging
import InferenceCore
import Logging

/// `tern bench image`: what an image model's request costs before and after the model on one thread: decoding
/// the upload, and decoding plus preprocessing (resize, crop, scale, normalise, layout) into the input tensor.
///
/// `bench/image_bench.py` runs it next to OpenCV (`cv2.imdecode`, `cv2.resize`, numpy normalisation) on the same
/// files, as a Flask depth service does the same steps.
struct ImageBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "image",
        abstract: "Measure image decoding and preprocessing for an image model, on one thread."
    )

    @Option(help: "The image model's directory (its config.yaml or preprocessor_config.json gives the preprocessing).")
    var model: String

    @Option(help: "An image file (JPEG, PNG or WebP); repeat for several, measured in turn.")
    var image: [String]

    @Option(help: "Measure each step for at least this many seconds.")
    var seconds: Double = 2

    @Flag(help: "Print one JSON object instead of text.")
    var json = false

    func validate() throws {
        guard !image.isEmpty else { throw ValidationError("give at least one --image") }
        guard seconds > 0 else { throw ValidationError("--seconds must be positive") }
    }

    func run() throws {
        TernProcess.keepLargeAllocations(logger: Logger(label: "tern.bench"))  // as `tern serve` runs
        let spec = try ImageModelSpec(directory: URL(fileURLWithPath: model))
        let files = try image.map { try [UInt8](Data(contentsOf: URL(fileURLWithPath: $0))) }
        let maxPixels = PipelineConfiguration().maxImagePixels
        var lines: [String] = []
        for (path, bytes) in zip(image, files) {
            let decoded = try Self.decode(bytes, maxPixels: maxPixels)
            let shape = spec.preprocessor.tensor(for: decoded).shape
            let decodeSeconds = try Self.perCall(seconds: seconds) {
                _ = try Self.decode(bytes, maxPixels: maxPixels)
            }
            let fullSeconds = try Self.perCall(seconds: seconds) {
                _ = spec.preprocessor.tensor(for: try Self.decode(bytes, maxPixels: maxPixels))
            }
            if json {
                let name = String(decoding: try JSONEncoder().encode(path), as: UTF8.self)
                lines.append(
                    """
                    {"image": \(name), "width": \(decoded.width), "height": \(decoded.height), \
                    "tensor_shape": \(shape), "decode_ms": \(decodeSeconds * 1e3), \
                    "decode_preprocess_ms": \(fullSeconds * 1e3)}
                    """)
            } else {
                lines.append(
                    "\(path): \(decoded.width)x\(decoded.height) -> \(shape); decode "
                        + String(format: "%.3f", decodeSeconds * 1e3) + " ms, decode + preprocess "
                        + String(format: "%.3f", fullSeconds * 1e3) + " ms")
            }
        }
        print(json ? "[" + lines.joined(separator: ", ") + "]" : lines.joined(separator: "\n"))
    }

    static func decode(_ bytes: [UInt8], maxPixels: Int) throws -> RGBImage {
        try bytes.withUnsafeBytes { buffer in try ImageCodec.decode(buffer, maxPixels: maxPixels) }
    }

    /// Seconds per call of `body`: one warm-up call, then calls until `seconds` have passed.
    static func perCall(seconds: Double, _ body: () throws -> Void) throws -> Double {
        try body()
        let clock = ContinuousClock()
        let start = clock.now
        var calls = 0
        var elapsed = Duration.zero
        repeat {
            try body()
            calls += 1
            elapsed = clock.now - start
        } while elapsed < .milliseconds(Int64(seconds * 1000))
        let total = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        return total / Double(calls)
    }
}
