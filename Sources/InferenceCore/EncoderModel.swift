import Foundation
import Logging
import ONNXRuntime
import Scheduler
import Tokenizers

/// A tokenizer in front of a batched ONNX encoder: what every text pipeline runs on. Tokenizes (with
/// the request's truncation), submits to the scheduler, and turns scheduler failures into
/// `InferenceError`s.
final class EncoderModel: Sendable {
    let modelID: String
    /// Longest input in tokens, special tokens included.
    let maxLength: Int
    /// The server's default for over-long inputs.
    let truncatesByDefault: Bool
    /// Width of each backend output row (hidden size or label count).
    let outputWidth: Int
    let tokenizer: Tokenizer
    let scheduler: BatchScheduler<ONNXEncoderBackend>
    let batching: BatchingConfiguration
    /// Which weights were loaded, and how long that took.
    let weights: WeightsLoadReport
    /// Intra-op threads of the session (ONNX Runtime's choice when 0).
    let threads: Int
    /// What `--engines auto` / `--threads auto` measured; nil when the layout was given.
    let calibrationReport: EngineCalibrationReport?

    /// Loads the tokenizer and creates the session. Blocking: call it off the event loops.
    init(
        modelID: String,
        directory: ModelDirectory,
        configuration: PipelineConfiguration,
        environment: ONNXRuntime.Environment,
        head: ONNXEncoderBackend.Head,
        logger: Logger
    ) throws {
        let tokenizer: Tokenizer
        do { tokenizer = try Tokenizer(contentsOf: directory.tokenizerFile) } catch {
            throw ModelLoadError(path: directory.tokenizerFile.path, problem: "\(error)")
        }
        self.tokenizer = tokenizer
        if let problem = tokenizer.decoderProblem {
            logger.warning(
                "tokenizer decoder unsupported: /decode will fail for this model",
                metadata: ["model": "\(modelID)", "file": "\(directory.tokenizerFile.path)", "problem": "\(problem)"])
        }
        var batching = configuration.batching
        // Text batches pad (attention, and every layer of an ONNX file's graph): limit the padding by default.
        if batching.maxPaddingShare == nil { batching.maxPaddingShare = BatchingConfiguration.defaultMaxPaddingShare }
        let backend: ONNXEncoderBackend
        let make = { (threads: Int) throws -> ONNXEncoderBackend in
            var session = configuration.session
            session.intraOpThreads = threads
            return try ONNXEncoderBackend(
                weights: directory.weights, quantization: configuration.quantization, environment: environment,
                options: session, head: head, logger: logger)
        }
        if let calibration = configuration.calibration, calibration.candidates.count > 1,
            !configuration.session.executionProvider.isCUDA
        {
            let samples = EngineCalibration.sampleSentences
            let typical = samples.map { tokenizer.encode($0).count }.max() ?? 16
            let batchInputs = Swift.max(1, Swift.min(batching.maxBatchInputs, batching.maxBatchTokens / Swift.max(1, typical)))
            let (chosen, report) = try calibration.calibrate(
                make: { layout in try make(layout.threads) },
                run: { backend, engine in
                    var batch: [TokenizedInput] = []
                    batch.reserveCapacity(batchInputs)
                    for index in 0..<batchInputs {
                        let encoding = tokenizer.encode(samples[(index + engine) % samples.count])
                        batch.append(TokenizedInput(ids: encoding.ids, typeIds: encoding.typeIds))
                    }
                    return try backend.execute(batch, engine: engine).count
                },
                batchInputs: batchInputs)
            backend = chosen
            batching.engines = report.chosen.engines
            calibrationReport = report
            logger.info(
                "calibrated engines x threads",
                metadata: [
                    "model": "\(modelID)", "engines": "\(report.chosen.engines)", "threads": "\(report.chosen.threads)",
                    "batch_inputs": "\(batchInputs)",
                    "measured": "\(report.measurements.map { "\($0.layout.engines)x\($0.layout.threads): \(Int($0.inputsPerSecond.rounded()))/s" }.joined(separator: ", "))",
                    "milliseconds": "\(report.elapsed.wholeNanoseconds / 1_000_000)",
                ])
        } else {
            backend = try make(configuration.session.intraOpThreads)
            calibrationReport = nil
        }
        self.modelID = modelID
        self.maxLength = Swift.min(configuration.maxLength ?? directory.maxLength, directory.maxLength)
        self.truncatesByDefault = configuration.truncate
        self.outputWidth = backend.outputWidth
        self.weights = backend.load
        self.threads = backend.threads
        self.batching = batching
        self.scheduler = BatchScheduler(executor: backend, configuration: batching, logger: logger, model: modelID)
    }

    // MARK: Tokenization

    private func truncation(_ options: TruncationOptions) -> Truncation? {
        (options.truncate ?? truncatesByDefault) ? Truncation(maxLength: maxLength, direction: options.direction) : nil
    }

    /// Encodes one text, after `prompt` when there is one (an empty text is refused either way); `index`
    /// names it in errors.
    func encode(_ text: String, prompt: String? = nil, at index: Int?, options: TruncationOptions)
        throws(InferenceError) -> TokenizedInput
    {
        if text.isEmpty { throw .emptyInput(at: index) }
        let input = prompt.map { $0 + text } ?? text
        return try checked(tokenizer.encode(input, truncation: truncation(options)), at: index)
    }

    /// Encodes a sentence pair (for cross-encoders and pair classifiers).
    func encode(pair first: String, _ second: String, at index: Int?, options: TruncationOptions) throws(InferenceError)
        -> TokenizedInput
    {
        if first.isEmpty || second.isEmpty { throw .emptyInput(at: index) }
        return try checked(tokenizer.encode(pair: first, second, truncation: truncation(options)), at: index)
    }

    /// Token ids used exactly as given, cut to the maximum length when truncating.
    func encode(ids: [Int], at index: Int?, options: TruncationOptions) throws(InferenceError) -> TokenizedInput {
        if ids.isEmpty { throw .emptyInput(at: index) }
        if let bad = ids.first(where: { $0 < 0 || $0 >= tokenizer.vocabularySize }) {
            throw .invalidTokenID(bad, at: index ?? 0, vocabularySize: tokenizer.vocabularySize)
        }
        if ids.count > maxLength, truncation(options) == nil {
            throw .inputTooLong(at: index ?? 0, tokens: ids.count, maxLength: maxLength)
        }
        let kept = options.direction == .right ? Array(ids.prefix(maxLength)) : Array(ids.suffix(maxLength))
        return TokenizedInput(ids: kept.map { Int32($0) }, typeIds: Array(repeating: 0, count: kept.count))
    }

    private func checked(_ encoding: Encoding, at index: Int?) throws(InferenceError) -> TokenizedInput {
        if encoding.count > maxLength {
            throw .inputTooLong(at: index ?? 0, tokens: encoding.count, maxLength: maxLength)
        }
        return TokenizedInput(ids: encoding.ids, typeIds: encoding.typeIds)
    }

    // MARK: Running

    /// Tokenizes inputs `0..<count` with `encodeOne` (see `encodeAll`) and starts the request's timings.
    func tokenize(
        count: Int,
        _ encodeOne: @escaping @Sendable (Int) throws(InferenceError) -> TokenizedInput
    ) async throws(InferenceError) -> (inputs: [TokenizedInput], timings: RequestTimings) {
        var timings = RequestTimings(modelID: modelID)
        let start = ContinuousClock.now
        let inputs = try await encodeAll(count: count, encodeOne)
        timings.addTokenization(from: start, to: .now)
        return (inputs, timings)
    }

    /// Computes every input in batches shared with other requests; rows come back in input order, and the
    /// queue wait and inference time are added to `timings`.
    func run(_ inputs: [TokenizedInput], timings: inout RequestTimings, deadline: ContinuousClock.Instant?)
        async throws(InferenceError) -> [[Float]]
    {
        do {
            let scheduled = try await scheduler.submitTimed(inputs, deadline: deadline)
            timings.addScheduling(scheduled.timings, inputs: inputs.count, tokens: inputs.reduce(0) { $0 + $1.count })
            return scheduled.outputs
        } catch {
            throw .fromSubmission(error)
        }
    }
}
