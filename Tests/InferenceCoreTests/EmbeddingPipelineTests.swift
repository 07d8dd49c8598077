import Foundation
import Logging
import ONNXRuntime
import Scheduler
import TernTestSupport
import Testing

@testable import InferenceCore

@Suite struct EmbeddingPipelineTests {
    private func withPipeline(
        _ configuration: PipelineConfiguration = PipelineConfiguration(),
        _ body: (EmbeddingPipeline) async throws -> Void
    ) async throws {
        let library = try ORTLibrary.load(path: RepositoryPaths.onnxRuntime())
        let pipeline = try EmbeddingPipeline(
            modelID: "minilm",
            directory: ModelDirectory(url: RepositoryPaths.model()),
            configuration: configuration,
            environment: Environment(library: library),
            logger: Logger(label: "test")
        )
        do {
            try await body(pipeline)
        } catch {
            try await TextPipeline.embeddings(pipeline).shutdown()
            throw error
        }
        try await TextPipeline.embeddings(pipeline).shutdown()
    }

    private func maxDifference(_ a: [Float], _ b: [Float]) -> Float {
        zip(a, b).map { abs($0 - $1) }.max() ?? .infinity
    }

    private func norm(_ v: [Float]) -> Float { v.map { $0 * $0 }.reduce(0, +).squareRoot() }

    @Test func embedsToUnitVectorsOfTheModelsWidth() async throws {
        try await withPipeline { pipeline in
            let result = try await pipeline.embed([.text("hello"), .text("world")])
            #expect(result.embeddings.count == 2)
            #expect(result.embeddings.allSatisfy { $0.count == 384 })
            #expect(result.embeddings.allSatisfy { abs(norm($0) - 1) < 1e-5 })
            #expect(result.promptTokens == 6)
            // The timings come back with the result: the model, what was computed and when.
            #expect(result.timings.modelID == pipeline.modelID)
            #expect(result.timings.inputs == 2)
            #expect(result.timings.tokens == 6)
            #expect(result.timings.tokenizationStart != nil)
            let scheduling = try #require(result.timings.scheduling)
            #expect(scheduling.enqueued <= scheduling.started && scheduling.started <= scheduling.finished)
        }
    }

    @Test func timingsOfTwoRunsMergeIntoOneSpan() {
        let clock = ContinuousClock.now
        var first = RequestTimings(modelID: "m")
        first.addScheduling(
            SchedulerTimings(enqueued: clock, started: clock + .milliseconds(2), finished: clock + .milliseconds(5)),
            inputs: 1, tokens: 4)
        var second = RequestTimings(modelID: "m")
        second.addTokenization(from: clock - .milliseconds(1), to: clock)
        second.addScheduling(
            SchedulerTimings(
                enqueued: clock + .milliseconds(1), started: clock + .milliseconds(3), finished: clock + .milliseconds(9)),
            inputs: 2, tokens: 6)
        first.merge(second)
        #expect(first.inputs == 3 && first.tokens == 10)
        #expect(first.tokenization == .milliseconds(1))
        #expect(first.scheduling?.queueWait == .milliseconds(2))
        #expect(first.scheduling?.inference == .milliseconds(7))
    }

    @Test func tokenIdsWithSpecialTokensGiveTheTextsVector() async throws {
        try await withPipeline { pipeline in
            let text = try await pipeline.embed([.text("hello world")]).embeddings[0]
            // [CLS] hello world [SEP] in the MiniLM vocabulary.
            let ids = try await pipeline.embed([.tokens([101, 7592, 2088, 102])]).embeddings[0]
            #expect(maxDifference(text, ids) < 1e-5)
        }
    }

    @Test func aBatchEqualsEachInputAlone() async throws {
        try await withPipeline { pipeline in
            let texts = ["a", "a somewhat longer sentence about nothing much", "Grüße aus Köln", "東京は晴れ"]
            let together = try await pipeline.embed(texts.map(EmbeddingInput.text)).embeddings
            for (index, text) in texts.enumerated() {
                let alone = try await pipeline.embed([.text(text)]).embeddings[0]
                #expect(maxDifference(together[index], alone) < 1e-5, "input \(index)")
            }
        }
    }

    @Test func longInputsAreTruncatedToTheMaxLength() async throws {
        try await withPipeline { pipeline in
            let long = Array(repeating: "word", count: 1000).joined(separator: " ")
            let text = try await pipeline.embed([.text(long)])
            let ids = try await pipeline.embed([.tokens(Array(repeating: 2773, count: 300))])
            #expect(text.promptTokens == 256)
            #expect(ids.promptTokens == 256)
        }
    }

    @Test func withoutTruncationLongInputsAreRefused() async throws {
        try await withPipeline(PipelineConfiguration(truncate: false)) { pipeline in
            let long = Array(repeating: "word", count: 300).joined(separator: " ")
            let error = await #expect(throws: InferenceError.self) { try await pipeline.embed([.text("ok"), .text(long)]) }
            #expect(error?.code == "input_too_long")
            #expect(error?.kind == .tooLarge)
            #expect(error?.message.hasPrefix("input[1] has 302 tokens") == true)
        }
    }

    @Test func dimensionsKeepAPrefixAndRenormalise() async throws {
        try await withPipeline { pipeline in
            let full = try await pipeline.embed([.text("hello")]).embeddings[0]
            let short = try await pipeline.embed([.text("hello")], dimensions: 8).embeddings[0]
            #expect(short.count == 8)
            #expect(abs(norm(short) - 1) < 1e-5)
            let scale = norm(Array(full.prefix(8)))
            #expect(maxDifference(short, full.prefix(8).map { $0 / scale }) < 1e-6)
        }
    }

    @Test(arguments: [0, -1, 385])
    func dimensionsOutsideTheModelAreRefused(dimensions: Int) async throws {
        try await withPipeline { pipeline in
            let error = await #expect(throws: InferenceError.self) { try await pipeline.embed([.text("x")], dimensions: dimensions) }
            #expect(error?.code == "invalid_dimensions")
        }
    }

    /// Requests of at least `EncoderModel.concurrentEncodingThreshold` inputs are tokenized in concurrent chunks.
    @Test func aLargeRequestKeepsInputOrder() async throws {
        try await withPipeline { pipeline in
            let texts = (0..<200).map { "sentence number \($0) about \(["cats", "Köln", "東京", "rivers"][$0 % 4])" }
            let together = try await pipeline.embed(texts.map(EmbeddingInput.text)).embeddings
            #expect(together.count == texts.count)
            for index in [0, 63, 99, 100, 137, 199] {
                let alone = try await pipeline.embed([.text(texts[index])]).embeddings[0]
                #expect(maxDifference(together[index], alone) < 1e-5, "input \(index)")
            }
        }
    }

    @Test func aLargeRequestReportsTheLowestBadIndex() async throws {
        try await withPipeline { pipeline in
            var inputs = (0..<300).map { EmbeddingInput.text("text \($0)") }
            inputs[250] = .text("")
            inputs[130] = .tokens([])
            inputs[290] = .tokens([-1])
            let error = await #expect(throws: InferenceError.self) { try await pipeline.embed(inputs) }
            #expect(error?.code == "empty_input")
            #expect(error?.message == "input[130] is empty")
        }
    }

    @Test func badInputsAreRefusedWithTheirIndex() async throws {
        try await withPipeline { pipeline in
            let empty = await #expect(throws: InferenceError.self) { try await pipeline.embed([.text("x"), .text("")]) }
            #expect(empty?.code == "empty_input")
            #expect(empty?.message == "input[1] is empty")
            let emptyIds = await #expect(throws: InferenceError.self) { try await pipeline.embed([.tokens([])]) }
            #expect(emptyIds?.code == "empty_input")
            let badID = await #expect(throws: InferenceError.self) { try await pipeline.embed([.tokens([101, 30522])]) }
            #expect(badID?.code == "invalid_token_id")
            let negative = await #expect(throws: InferenceError.self) { try await pipeline.embed([.tokens([-1])]) }
            #expect(negative?.code == "invalid_token_id")
        }
    }

    @Test func normalisationCanBeTurnedOff() async throws {
        try await withPipeline(PipelineConfiguration(normalize: false)) { pipeline in
            let vector = try await pipeline.embed([.text("hello")]).embeddings[0]
            #expect(abs(norm(vector) - 1) > 0.01)
        }
    }

    @Test func afterShutdownRequestsAreRefused() async throws {
        let library = try ORTLibrary.load(path: RepositoryPaths.onnxRuntime())
        let pipeline = try EmbeddingPipeline(
            modelID: "minilm",
            directory: ModelDirectory(url: RepositoryPaths.model()),
            configuration: PipelineConfiguration(),
            environment: Environment(library: library),
            logger: Logger(label: "test")
        )
        try await TextPipeline.embeddings(pipeline).shutdown()
        let error = await #expect(throws: InferenceError.self) { try await pipeline.embed([.text("late")]) }
        #expect(error?.kind == .shuttingDown)
    }
}
