import Foundation
import Imaging
import Logging
import ONNXRuntime
import Scheduler

/// One image's answer.
public enum ImagePrediction: Sendable, Equatable {
    /// A dense map (at the input image's size when the spec resizes back).
    case dense(DenseMap)
    /// Labels, best first, with their scores.
    case labels([ImageLabel])
    /// One vector.
    case embedding([Float])
}

/// A class and its score.
public struct ImageLabel: Sendable, Equatable {
    public var label: String
    public var index: Int
    public var score: Float
}

/// What ``ImagePipeline/predict(_:topK:deadline:)`` returns: one prediction per image, in order, and the request's
/// timings (decoding and preprocessing count as its tokenization).
public struct ImagePredictionResult: Sendable {
    public var predictions: [ImagePrediction]
    /// The decoded images' sizes, after EXIF orientation.
    public var sizes: [ImagePreprocessor.Size]
    public var timings: RequestTimings
}

/// An image model served end to end: encoded images in, maps, labels or vectors out.
///
/// Each request's images are decoded (size checked from the header before any pixel is decoded) and preprocessed
/// in the caller's task, off the engines; the tensors go through a `BatchScheduler`, where images of one
/// preprocessed shape run as one execution; the output rows are post-processed in the caller's task again.
public final class ImagePipeline: Sendable {
    public let name: String
    public let spec: ImageModelSpec
    /// The largest image accepted, in pixels, as its header declares it.
    public let maxImagePixels: Int
    /// The graph's input and output.
    public let input: ValueInfo
    public let output: ValueInfo
    /// Images one execution may hold (those of one preprocessed shape run together).
    public let maxBatchSize: Int
    /// The execution provider the session runs on.
    public let executionProvider: ExecutionProvider
    let scheduler: BatchScheduler<ImageExecutor>
    let recorder = StatisticsRecorder()

    /// - Throws: `ModelLoadError` when the graph's input or output does not fit the task.
    public init(
        name: String, spec: ImageModelSpec, session: Session, batching: BatchingConfiguration, maxImagePixels: Int,
        logger: Logger
    ) throws(ModelLoadError) {
        let path = session.modelPath
        let inputs = session.inputs
        guard let input = spec.inputName.map({ wanted in inputs.first { $0.name == wanted } })
            ?? inputs.first(where: { $0.name == "pixel_values" }) ?? (inputs.count == 1 ? inputs.first : nil)
        else {
            throw ModelLoadError(
                path: path,
                problem: "has no image input \(spec.inputName.map { "'\($0)'" } ?? "'pixel_values'") among: "
                    + inputs.map(\.name).joined(separator: ", "))
        }
        guard inputs.count == 1 || inputs.allSatisfy({ $0.name == input.name }) else {
            throw ModelLoadError(
                path: path, problem: "an image model takes one input; this graph takes \(inputs.map(\.name))")
        }
        let expectedType: ElementType =
            switch spec.inputType {
            case .float32: .float
            case .float16: .float16
            case .uint8: .uint8
            }
        guard input.elementType == expectedType else {
            throw ModelLoadError(
                path: path,
                problem: "input '\(input.name)' is \(input.elementType.map { "\($0)" } ?? "not a tensor"), "
                    + "but preprocess.dtype is \(spec.inputType.rawValue)")
        }
        guard input.shape.count == 4 else {
            throw ModelLoadError(path: path, problem: "input '\(input.name)' must have 4 dimensions, has shape \(input.shape)")
        }
        let outputs = session.outputs
        let preferred = spec.outputName.map { [$0] } ?? {
            switch spec.task {
            case .depth: ["predicted_depth"]
            case .classify: ["logits"]
            case .embed: ["image_embeds", "pooler_output", "last_hidden_state"]
            }
        }()
        guard let output = preferred.lazy.compactMap({ name in outputs.first { $0.name == name } }).first
            ?? (spec.outputName == nil ? outputs.first : nil)
        else {
            throw ModelLoadError(
                path: path, problem: "has no output '\(preferred[0])' among: \(outputs.map(\.name).joined(separator: ", "))")
        }
        guard output.elementType == .float else {
            throw ModelLoadError(path: path, problem: "output '\(output.name)' must be float32")
        }
        let ranks: [Int] =
            switch spec.task {
            case .depth: [3, 4]
            case .classify: [2]
            case .embed: [2, 3]
            }
        guard ranks.contains(output.shape.count) else {
            throw ModelLoadError(
                path: path,
                problem: "output '\(output.name)' has shape \(output.shape); a \(spec.task.rawValue) model's has "
                    + ranks.map { "\($0)" }.joined(separator: " or ") + " dimensions")
        }
        self.name = name
        self.spec = spec
        self.executionProvider = session.executionProvider
        self.maxImagePixels = maxImagePixels
        self.input = input
        self.output = output
        // Images cost one unit each: the token budget counts images.
        var batching = batching
        // A graph exported with a fixed batch dimension (often 1) runs that many images at a time.
        if let fixed = input.shape.first, fixed > 0 { batching.maxBatchInputs = min(batching.maxBatchInputs, fixed) }
        batching.groupingWindow = max(batching.groupingWindow, batching.maxBatchInputs)
        batching.maxBatchTokens = max(batching.maxBatchInputs, 1)
        self.maxBatchSize = batching.maxBatchTokens
        self.scheduler = BatchScheduler(
            executor: ImageExecutor(
                session: session, input: input.name, output: output.name, type: spec.inputType, statistics: recorder),
            configuration: batching, logger: logger, model: name)
    }

    /// Loads `model.onnx` (or `onnx/model.onnx`) of an image model's directory. Blocking: call it off the event loops.
    /// - Parameter spec: what the directory's files say (``ImageModelSpec/init(directory:settingsFile:otherKeys:)``).
    public static func load(
        name: String, directory: URL, spec: ImageModelSpec, environment: ONNXRuntime.Environment,
        configuration: PipelineConfiguration, logger: Logger
    ) throws(ModelLoadError) -> ImagePipeline {
        let candidates = ["model.onnx", "onnx/model.onnx"].map { directory.appendingPathComponent($0) }
        guard let file = candidates.first(where: { FileManager.default.fileExists(atPath: $0.path) }) else {
            throw ModelLoadError(path: directory.path, problem: "has no model.onnx or onnx/model.onnx")
        }
        let session: Session
        do {
            session = try Session(modelPath: file.path, environment: environment, options: configuration.session)
        } catch {
            throw ModelLoadError(path: file.path, problem: error.message)
        }
        session.logProviderFallbacks(model: name, logger: logger)
        return try ImagePipeline(
            name: name, spec: spec, session: session, batching: configuration.batching,
            maxImagePixels: configuration.maxImagePixels, logger: logger)
    }

    /// Decodes, runs and post-processes `images` (JPEG, PNG or WebP bytes).
    /// - Parameters:
    ///   - topK: labels per image for a classifier (the spec's by default).
    ///   - deadline: when the caller stops waiting.
    /// - Throws: `InferenceError`: `.validation` (`invalid_image`, `unsupported_image_format`, `empty_image`)
    ///   naming the image's index, `.tooLarge` (`image_too_large`) before any pixel is decoded, and the
    ///   scheduler's overload, timeout and shutdown errors.
    public func predict<Bytes: ContiguousBytes>(
        _ images: [Bytes], topK: Int? = nil, deadline: ContinuousClock.Instant? = nil
    ) async throws(InferenceError) -> ImagePredictionResult {
        guard !images.isEmpty else {
            throw InferenceError(.validation, code: "empty_input", message: "no image was given", parameter: "image")
        }
        let clock = ContinuousClock()
        let start = clock.now
        do {
            let result = try await run(images, topK: topK, deadline: deadline, clock: clock)
            recorder.finish(success: true, elapsed: clock.now - start)
            return result
        } catch {
            recorder.finish(success: false, elapsed: clock.now - start)
            throw error
        }
    }

    private func run<Bytes: ContiguousBytes>(
        _ images: [Bytes], topK: Int?, deadline: ContinuousClock.Instant?, clock: ContinuousClock
    ) async throws(InferenceError) -> ImagePredictionResult {
        var timings = RequestTimings(modelID: name)
        let decodeStart = clock.now
        timings.tokenizationStart = decodeStart
        var requests: [ImageRequest] = []
        var sizes: [ImagePreprocessor.Size] = []
        requests.reserveCapacity(images.count)
        for (index, bytes) in images.enumerated() {
            let decoded: RGBImage
            let outcome = bytes.withUnsafeBytes { buffer in
                Result { () throws(ImageError) in try ImageCodec.decode(buffer, maxPixels: maxImagePixels) }
            }
            switch outcome {
            case .success(let image): decoded = image
            case .failure(let error): throw Self.failure(error, index: index, count: images.count)
            }
            sizes.append(.init(width: decoded.width, height: decoded.height))
            let (values, shape) = spec.preprocessor.tensor(for: decoded)
            requests.append(ImageRequest(values: values, shape: shape))
        }
        timings.tokenization = clock.now - decodeStart
        let rows: [ImageRow]
        do {
            let scheduled = try await scheduler.submitTimed(requests, deadline: deadline)
            timings.addScheduling(scheduled.timings, inputs: images.count, tokens: images.count)
            rows = try scheduled.outputs.map { try $0.get() }
        } catch {
            throw .fromSubmission(
                error,
                shuttingDown: InferenceError(
                    .shuttingDown, code: "unavailable", message: "model '\(name)' is not accepting requests"))
        }
        var predictions: [ImagePrediction] = []
        predictions.reserveCapacity(rows.count)
        for (row, size) in zip(rows, sizes) {
            predictions.append(try postprocess(row, size: size, topK: topK ?? spec.classify.topK))
        }
        return ImagePredictionResult(predictions: predictions, sizes: sizes, timings: timings)
    }

    /// Runs one small grey PNG through the whole pipeline (decode, preprocess, model, post-process), so the first
    /// request is not slow.
    public func warmUp() async throws(InferenceError) {
        let image: [UInt8]
        do { image = try ImageCodec.png(RGBImage(width: 64, height: 48, pixels: .init(repeating: 128, count: 64 * 48 * 3))) } catch {
            throw .backend(error)
        }
        _ = try await predict([image])
    }

    /// The model's totals since it loaded (KServe v2 statistics).
    public var statistics: ModelStatistics { recorder.snapshot }

    /// Answers everything accepted, then stops the engines.
    public func shutdown() async throws {
        try await scheduler.shutdown()
    }

    private func postprocess(_ row: ImageRow, size: ImagePreprocessor.Size, topK: Int) throws(InferenceError) -> ImagePrediction {
        switch spec.task {
        case .depth:
            // [H, W] or [1, H, W] per image: the last two dimensions are the map's.
            let height = row.shape.dropLast().last ?? 1
            let width = row.shape.last ?? 1
            guard width * height == row.values.count else {
                throw InferenceError(
                    .backend, code: "backend_error", message: "output '\(output.name)' has shape \(row.shape), not a map")
            }
            var map = DenseMap(width: width, height: height, values: row.values)
            if spec.dense.resizeBack { map = map.resized(to: size.width, size.height) }
            return .dense(map)
        case .classify:
            var scores = row.values
            switch spec.classify.activation {
            case .softmax:
                let top = scores.max() ?? 0
                var sum: Float = 0
                for i in scores.indices {
                    scores[i] = expf(scores[i] - top)
                    sum += scores[i]
                }
                for i in scores.indices { scores[i] /= sum }
            case .sigmoid:
                for i in scores.indices { scores[i] = 1 / (1 + expf(-scores[i])) }
            case .none:
                break
            }
            let order = scores.indices.sorted { scores[$0] > scores[$1] || (scores[$0] == scores[$1] && $0 < $1) }
            return .labels(
                order.prefix(topK).map { ImageLabel(label: spec.classify.label($0), index: $0, score: scores[$0]) })
        case .embed:
            var vector: [Float]
            if row.shape.count == 2 {
                // [tokens, width]
                let (tokens, width) = (row.shape[0], row.shape[1])
                switch spec.embed.pooling {
                case .cls:
                    vector = Array(row.values.prefix(width))
                case .mean:
                    vector = [Float](repeating: 0, count: width)
                    for t in 0..<tokens {
                        for d in 0..<width { vector[d] += row.values[t * width + d] }
                    }
                    for d in 0..<width { vector[d] /= Float(max(tokens, 1)) }
                }
            } else {
                vector = row.values
            }
            if spec.embed.normalize {
                let norm = vector.reduce(0) { $0 + $1 * $1 }.squareRoot()
                if norm > 0 { for i in vector.indices { vector[i] /= norm } }
            }
            return .embedding(vector)
        }
    }

    /// An image that cannot be decoded is the request's fault; which one is said when there are several.
    static func failure(_ error: ImageError, index: Int, count: Int) -> InferenceError {
        let which = count > 1 ? "image \(index): " : ""
        let parameter = count > 1 ? "images[\(index)]" : "image"
        switch error.kind {
        case .tooLarge:
            return InferenceError(.tooLarge, code: "image_too_large", message: which + error.message, parameter: parameter)
        case .unsupportedFormat:
            return InferenceError(
                .validation, code: "unsupported_image_format", message: which + error.message, parameter: parameter)
        case .empty:
            return InferenceError(.validation, code: "empty_image", message: which + error.message, parameter: parameter)
        case .unsupportedFeature, .corrupt:
            return InferenceError(.validation, code: "invalid_image", message: which + error.message, parameter: parameter)
        }
    }
}

/// One preprocessed image: its tensor without the batch dimension.
struct ImageRequest: Sendable {
    let values: [Float]
    let shape: [Int]
}

/// One image's row of the model's output, without the batch dimension.
struct ImageRow: Sendable {
    let values: [Float]
    let shape: [Int]
}

/// Runs preprocessed images: those of one shape in a batch run as one execution, stacked along a new first
/// dimension, and the output is split back by rows.
struct ImageExecutor: BatchExecutor {
    typealias Input = ImageRequest
    typealias Output = Result<ImageRow, InferenceError>

    let session: Session
    let input: String
    let output: String
    let type: ImageInputType
    let statistics: StatisticsRecorder

    func tokenCount(of input: ImageRequest) -> Int { 1 }

    func execute(_ batch: [ImageRequest], engine: Int) throws -> [Output] {
        var groups: [[Int]: [Int]] = [:]
        var order: [[Int]] = []
        for (index, request) in batch.enumerated() {
            if groups[request.shape] == nil { order.append(request.shape) }
            groups[request.shape, default: []].append(index)
        }
        var results = [Output](repeating: .failure(InferenceError(.backend, code: "backend_error", message: "no result")), count: batch.count)
        for shape in order {
            let members = groups[shape] ?? []
            let answers = run(members.map { batch[$0] }, shape: shape)
            for (index, answer) in zip(members, answers) { results[index] = answer }
        }
        return results
    }

    private func run(_ group: [ImageRequest], shape: [Int]) -> [Output] {
        do {
            let library = session.library
            let full = [group.count] + shape
            let perImage = shape.reduce(1, *)
            let tensor: Tensor
            switch type {
            case .float32:
                tensor = try Tensor(.float, shape: full, library: library)
                tensor.withUnsafeMutableBytes { buffer in
                    let target = buffer.bindMemory(to: Float.self)
                    for (member, request) in group.enumerated() {
                        request.values.withUnsafeBufferPointer { source in
                            _ = UnsafeMutableBufferPointer(rebasing: target[(member * perImage)..<((member + 1) * perImage)])
                                .initialize(from: source)
                        }
                    }
                }
            case .float16:
                tensor = try Tensor(.float16, shape: full, library: library)
                tensor.withUnsafeMutableBytes { buffer in
                    let target = buffer.bindMemory(to: UInt16.self)
                    for (member, request) in group.enumerated() {
                        for (i, value) in request.values.enumerated() { target[member * perImage + i] = Half.bits(value) }
                    }
                }
            case .uint8:
                tensor = try Tensor(.uint8, shape: full, library: library)
                tensor.withUnsafeMutableBytes { buffer in
                    for (member, request) in group.enumerated() {
                        for (i, value) in request.values.enumerated() {
                            buffer[member * perImage + i] = UInt8(max(0, min(255, value.rounded())))
                        }
                    }
                }
            }
            let clock = ContinuousClock()
            let started = clock.now
            let values = try session.run([input: tensor], outputNames: [output])
            statistics.update { statistics in
                statistics.executionCount += 1
                statistics.inferenceCount += group.count
                statistics.computeInfer.record(clock.now - started)
            }
            guard let value = values.first else {
                throw InferenceError(.backend, code: "backend_error", message: "the model returned no output")
            }
            let outShape = value.shape
            guard let rows = outShape.first, rows == group.count, value.elementCount % max(rows, 1) == 0 else {
                throw InferenceError(
                    .backend, code: "backend_error",
                    message: "output '\(output)' has shape \(outShape) for a batch of \(group.count) images")
            }
            let width = value.elementCount / rows
            let rowShape = Array(outShape.dropFirst())
            return try value.withUnsafeBufferPointer(as: Float.self) { floats in
                (0..<rows).map { row in
                    .success(ImageRow(values: Array(floats[(row * width)..<((row + 1) * width)]), shape: rowShape))
                }
            }
        } catch let error as InferenceError {
            return Array(repeating: .failure(error), count: group.count)
        } catch {
            return Array(repeating: .failure(.backend(error)), count: group.count)
        }
    }
}

/// IEEE 754 half precision from single precision, rounding to nearest even (no `Float16` type on every platform).
enum Half {
    static func bits(_ value: Float) -> UInt16 {
        let bits = value.bitPattern
        let sign = UInt16((bits >> 16) & 0x8000)
        let exponent = Int((bits >> 23) & 0xff) - 127 + 15
        var mantissa = bits & 0x7f_ffff
        if (bits >> 23) & 0xff == 0xff { return sign | 0x7c00 | (mantissa != 0 ? 0x200 : 0) }
        if exponent >= 31 { return sign | 0x7c00 }
        if exponent <= 0 {
            if exponent < -10 { return sign }
            mantissa |= 0x80_0000
            let shift = UInt32(14 - exponent)
            var half = mantissa >> shift
            let remainder = mantissa & ((1 << shift) - 1)
            let halfway = UInt32(1) << (shift - 1)
            if remainder > halfway || (remainder == halfway && half & 1 == 1) { half += 1 }
            return sign | UInt16(half)
        }
        var half = UInt32(exponent) << 10 | (mantissa >> 13)
        let remainder = mantissa & 0x1fff
        if remainder > 0x1000 || (remainder == 0x1000 && half & 1 == 1) { half += 1 }
        return sign | UInt16(half)
    }
}
