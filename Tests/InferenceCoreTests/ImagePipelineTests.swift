import Foundation
import Imaging
import Logging
import ONNXRuntime
import Scheduler
import TernTestSupport
import Testing

@testable import InferenceCore

/// The image pipeline on the real ONNX Runtime, with tiny graphs built in memory: decode, preprocess, batch by
/// shape, post-process; and the image model's configuration from Hugging Face files and `config.yaml`.
@Suite struct ImagePipelineTests {
    static func environment() throws -> ONNXRuntime.Environment {
        try ONNXRuntime.Environment(library: ORTLibrary.locate(explicitPath: RepositoryPaths.onnxRuntime()))
    }

    /// depth = the first channel: `Gather(pixel_values, 0, axis 1)`: [N, 3, H, W] -> [N, H, W].
    static func depthGraph() -> ModelGraph {
        var graph = ModelGraph(name: "first-channel")
        graph.inputs = [
            .init(name: "pixel_values", elementType: .float, shape: [.named("n"), .fixed(3), .named("h"), .named("w")])
        ]
        graph.outputs = [.init(name: "predicted_depth", elementType: .float, shape: [.named("n"), .named("h"), .named("w")])]
        graph.node("Gather", ["pixel_values", graph.scalar(0)], attributes: [.int("axis", 1)], outputs: ["predicted_depth"])
        return graph
    }

    /// logits = mean colour · W: [N, 3, H, W] -> [N, 3] -> [N, 4].
    static func classifierGraph(output: String = "logits") -> ModelGraph {
        var graph = ModelGraph(name: "mean-colour")
        graph.inputs = [
            .init(name: "pixel_values", elementType: .float, shape: [.named("n"), .fixed(3), .named("h"), .named("w")])
        ]
        graph.outputs = [.init(name: output, elementType: .float, shape: [.named("n"), .fixed(4)])]
        let pooled = graph.node("GlobalAveragePool", ["pixel_values"])
        let flat = graph.node("Flatten", [pooled], attributes: [.int("axis", 1)])
        let w = graph.add(.floats("W", [1, 0, 0, 1, 0, 1, 0, 1, 0, 0, 1, -1], shape: [3, 4]))
        graph.node("MatMul", [flat, w], outputs: [output])
        return graph
    }

    static func png(width: Int, height: Int, _ pixel: (Int, Int) -> (UInt8, UInt8, UInt8)) throws -> [UInt8] {
        var pixels: [UInt8] = []
        for y in 0..<height {
            for x in 0..<width {
                let (r, g, b) = pixel(x, y)
                pixels += [r, g, b]
            }
        }
        return try ImageCodec.png(RGBImage(width: width, height: height, pixels: pixels))
    }

    @Test func aDepthMapComesBackAtTheInputSizeAndImagesOfOneShapeShareAnExecution() async throws {
        let session = try Session(graph: Self.depthGraph(), environment: Self.environment())
        let spec = ImageModelSpec(
            task: .depth,
            preprocessor: ImagePreprocessor(resize: .stretch(width: 8, height: 8), filter: .nearest, scale: 1 / 255))
        let pipeline = try ImagePipeline(
            name: "depth", spec: spec, session: session,
            batching: BatchingConfiguration(maxBatchInputs: 8, maxBatchWait: .milliseconds(20)), maxImagePixels: 1 << 20,
            logger: Logger(label: "test"))
        // A horizontal red ramp: the map is the red channel, in 0...1, at the input's 16 x 4.
        let image = try Self.png(width: 16, height: 4) { x, _ in (UInt8(x * 16), 0, 0) }
        let result = try await pipeline.predict([image, image, image])
        #expect(result.predictions.count == 3)
        #expect(result.sizes == Array(repeating: .init(width: 16, height: 4), count: 3))
        guard case .dense(let map) = result.predictions[0] else {
            Issue.record("not a dense map")
            return
        }
        #expect(map.width == 16 && map.height == 4)
        #expect(map.values[0] < map.values[15])
        #expect(result.timings.inputs == 3)
        #expect(pipeline.statistics.executionCount == 1)
        try await pipeline.shutdown()
    }

    @Test func labelsAreSoftmaxScoresBestFirst() async throws {
        let session = try Session(graph: Self.classifierGraph(), environment: Self.environment())
        var spec = ImageModelSpec(task: .classify, preprocessor: ImagePreprocessor(resize: .stretch(width: 4, height: 4)))
        spec.classify.labels = ["red", "green", "blue"]
        let pipeline = try ImagePipeline(
            name: "classify", spec: spec, session: session, batching: BatchingConfiguration(),
            maxImagePixels: 1 << 20, logger: Logger(label: "test"))
        let green = try Self.png(width: 5, height: 3) { _, _ in (0, 255, 0) }
        let result = try await pipeline.predict([green], topK: 2)
        guard case .labels(let labels) = result.predictions[0] else {
            Issue.record("not labels")
            return
        }
        // Mean colour (0, 1, 0) · W gives logits [0, 1, 0, 1]: green and class 3 tie, and the lower index comes first.
        #expect(labels.map(\.label) == ["green", "LABEL_3"])
        let e = Float(M_E)
        #expect(abs(labels[0].score - e / (2 + 2 * e)) < 1e-5)
        try await pipeline.shutdown()
    }

    @Test func badImagesAreTheRequestsFaultAndNameTheImage() async throws {
        let session = try Session(graph: Self.classifierGraph(), environment: Self.environment())
        let spec = ImageModelSpec(task: .classify, preprocessor: ImagePreprocessor(resize: .stretch(width: 4, height: 4)))
        let pipeline = try ImagePipeline(
            name: "classify", spec: spec, session: session, batching: BatchingConfiguration(),
            maxImagePixels: 100, logger: Logger(label: "test"))
        let good = try Self.png(width: 5, height: 3) { _, _ in (1, 2, 3) }
        let large = try Self.png(width: 20, height: 20) { _, _ in (1, 2, 3) }
        func failure(_ images: [[UInt8]]) async -> InferenceError? {
            do {
                _ = try await pipeline.predict(images)
                return nil
            } catch {
                return error
            }
        }
        let notAnImage = await failure([good, Array("not an image".utf8)])
        #expect(notAnImage?.code == "unsupported_image_format")
        #expect(notAnImage?.kind == .validation)
        #expect(notAnImage?.parameter == "images[1]")
        #expect(notAnImage?.message.hasPrefix("image 1: ") == true)
        let tooLarge = await failure([large])
        #expect(tooLarge?.kind == .tooLarge)
        #expect(tooLarge?.code == "image_too_large")
        #expect(tooLarge?.parameter == "image")
        let truncated = await failure([Array(good.prefix(40))])
        #expect(truncated?.kind == .validation)
        #expect(await failure([])?.code == "empty_input")
        // The pipeline still serves after every refusal.
        #expect(await failure([good]) == nil)
        #expect(pipeline.statistics.executionCount == 1)
        try await pipeline.shutdown()
    }

    @Test func aGraphThatDoesNotFitTheTaskIsRefusedAtLoad() throws {
        let session = try Session(graph: Self.classifierGraph(output: "scores"), environment: Self.environment())
        var spec = ImageModelSpec(task: .depth, preprocessor: ImagePreprocessor(resize: .none))
        #expect(throws: ModelLoadError.self) {
            _ = try ImagePipeline(
                name: "x", spec: spec, session: session, batching: BatchingConfiguration(), maxImagePixels: 100,
                logger: Logger(label: "test"))
        }
        spec.inputType = .uint8
        spec.task = .classify
        #expect(throws: ModelLoadError.self) {
            _ = try ImagePipeline(
                name: "x", spec: spec, session: session, batching: BatchingConfiguration(), maxImagePixels: 100,
                logger: Logger(label: "test"))
        }
    }

    static func directory(_ files: [String: String]) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("tern-image-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        for (name, text) in files { try text.write(to: url.appendingPathComponent(name), atomically: true, encoding: .utf8) }
        return url
    }

    @Test func aHuggingFaceDirectoryNeedsNoTernFile() throws {
        let url = try Self.directory([
            "config.json": #"{"architectures": ["DPTForDepthEstimation"]}"#,
            "preprocessor_config.json": #"""
                {"do_resize": true, "size": {"height": 384, "width": 384}, "keep_aspect_ratio": true,
                 "ensure_multiple_of": 32, "resample": 3, "image_mean": [0.5, 0.5, 0.5], "image_std": [0.5, 0.5, 0.5]}
                """#,
        ])
        defer { try? FileManager.default.removeItem(at: url) }
        #expect(ImageModelSpec.isImageModel(url))
        let spec = try ImageModelSpec(directory: url)
        #expect(spec.task == .depth)
        #expect(spec.preprocessor.resize == .multipleOf(width: 384, height: 384, multiple: 32, keepAspectRatio: true))
        #expect(spec.preprocessor.filter == .bicubic)
        #expect(spec.dense == DenseOutput())

        let classifier = try Self.directory([
            "config.json": #"{"architectures": ["ViTForImageClassification"], "id2label": {"0": "cat", "2": "dog"}}"#,
            "preprocessor_config.json": #"{"size": {"height": 224, "width": 224}}"#,
        ])
        defer { try? FileManager.default.removeItem(at: classifier) }
        let labels = try ImageModelSpec(directory: classifier)
        #expect(labels.task == .classify)
        #expect(labels.classify.labels == ["cat", "LABEL_1", "dog"])
        #expect(ImageModelSpec.task(forArchitecture: "CLIPVisionModelWithProjection") == .embed)
        #expect(ImageModelSpec.task(forArchitecture: "BertModel") == nil)
    }

    @Test func configYAMLDescribesAPlainONNXFile() throws {
        let url = try Self.directory([
            "labels.txt": "zero\none\n",
            "config.yaml": """
                task: depth
                preprocess:
                  resize: {width: 256, height: 256, mode: multiple-of, multiple: 32, interpolation: bicubic, library: opencv}
                  color: bgr
                  scale: 0.00392156862745098
                  mean: [0.485, 0.456, 0.406]
                  std: [0.229, 0.224, 0.225]
                  layout: nchw
                  dtype: float16
                postprocess:
                  range: [0, 10]
                  invert: true
                  output: png16
                  labels: labels.txt
                """,
        ])
        defer { try? FileManager.default.removeItem(at: url) }
        #expect(ImageModelSpec.isImageModel(url))
        let spec = try ImageModelSpec(directory: url)
        #expect(spec.task == .depth)
        #expect(spec.preprocessor.resize == .multipleOf(width: 256, height: 256, multiple: 32, keepAspectRatio: true))
        #expect(spec.preprocessor.convention == .opencv)
        #expect(spec.preprocessor.channels == .bgr)
        #expect(spec.preprocessor.mean == [0.485, 0.456, 0.406])
        #expect(spec.inputType == .float16)
        #expect(spec.dense.range == .fixed(0, 10))
        #expect(spec.dense.invert)
        #expect(spec.dense.encoding == .png16)
        #expect(spec.classify.labels == ["zero", "one"])
    }

    @Test(arguments: [
        ("task: segment\n", "not an image task"),
        ("task: depth\npreprocess: {resize: {mode: zoom, width: 2, height: 2}}\n", "'zoom' is not one of"),
        ("task: depth\npreprocess: {colour: rgb}\n", "unknown key 'preprocess.colour'"),
        ("task: depth\npreprocess: {std: [1, 0, 1]}\n", "must not hold 0"),
        ("task: depth\npreprocess: {resize: {mode: stretch}}\n", "needs width and height"),
        ("task: depth\npreprocess: {}\npostprocess: {range: [5, 1]}\n", "low < high"),
        ("task: depth\npreprocess: {}\npostprocess: {output: jpeg}\n", "'postprocess.output' must be one of"),
        ("task: depth\n", "neither preprocessor_config.json nor a 'preprocess' key"),
        ("task: depth\nthreads: 2\npreprocess: {}\n", "unknown key 'threads'"),
    ])
    func aBadConfigurationNamesTheKey(yaml: String, message: String) throws {
        let url = try Self.directory(["config.yaml": yaml])
        defer { try? FileManager.default.removeItem(at: url) }
        do {
            _ = try ImageModelSpec(directory: url)
            Issue.record("accepted: \(yaml)")
        } catch {
            #expect(error.problem.contains(message), "\(error.problem)")
        }
    }

    @Test func halfPrecisionRoundsToNearestEven() {
        #expect(Half.bits(1) == 0x3c00)
        #expect(Half.bits(-2) == 0xc000)
        #expect(Half.bits(65504) == 0x7bff)
        #expect(Half.bits(1e6) == 0x7c00)
        #expect(Half.bits(0.1) == 0x2e66)
        #expect(Half.bits(5.960464477539063e-08) == 0x0001)
        #expect(Half.bits(0) == 0)
    }
}
