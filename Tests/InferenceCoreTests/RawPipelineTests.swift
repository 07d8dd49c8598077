import Foundation
import Scheduler
import Testing

@testable import InferenceCore

@Suite struct RawPipelineTests {
    static func tensor(_ name: String, rows: Int, start: Float, width: Int = 3) -> HostTensor {
        HostTensor(
            name: name, datatype: .fp32, shape: [rows, width],
            contents: V2TestModels.floats((0..<(rows * width)).map { start + Float($0) }))
    }

    @Test func metadataComesFromTheGraph() async throws {
        let pipeline = try V2TestModels.pipeline("add_sub")
        #expect(pipeline.inputs == [TensorSpec(name: "a", datatype: .fp32, shape: [-1, 4]), TensorSpec(name: "b", datatype: .fp32, shape: [-1, 4])])
        #expect(pipeline.outputs.map(\.name) == ["sum", "diff"])
        #expect(pipeline.maxBatchSize == 64)
        try await pipeline.shutdown()
        let fixed = try V2TestModels.pipeline("fixed_fp32")
        #expect(fixed.inputs == [TensorSpec(name: "INPUT0", datatype: .fp32, shape: [2, 3])])
        #expect(fixed.maxBatchSize == 0)
        try await fixed.shutdown()
    }

    @Test func concurrentRequestsAreBatchedAndEachGetsItsOwnRows() async throws {
        var configuration = RawPipelineConfiguration()
        configuration.batching = BatchingConfiguration(maxBatchTokens: 64, maxBatchInputs: 64, maxBatchWait: .milliseconds(50))
        let pipeline = try V2TestModels.pipeline("identity_fp32", configuration: configuration)
        let requests = 24
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<requests {
                group.addTask {
                    let rows = index % 4 + 1
                    let input = Self.tensor("INPUT0", rows: rows, start: Float(index * 100))
                    let outputs = try await pipeline.infer([input], outputs: nil, deadline: nil).outputs
                    #expect(outputs.count == 1)
                    #expect(outputs[0].name == "OUTPUT0")
                    #expect(outputs[0].shape == [rows, 3])
                    #expect(V2TestModels.floats(of: outputs[0]) == V2TestModels.floats(of: input))
                }
            }
            try await group.waitForAll()
        }
        let statistics = pipeline.statistics
        #expect(statistics.success.count == requests)
        #expect(statistics.fail.count == 0)
        #expect(statistics.inferenceCount == (0..<requests).reduce(0) { $0 + $1 % 4 + 1 })
        #expect(statistics.executionCount < requests, "requests were not batched: \(statistics.executionCount) executions")
        #expect(statistics.queue.count == requests)
        #expect(statistics.computeInfer.count == requests)
        #expect(statistics.computeInfer.nanoseconds > 0)
        #expect(statistics.lastInference > 0)
        try await pipeline.shutdown()
    }

    @Test func stringRequestsAreBatchedToo() async throws {
        var configuration = RawPipelineConfiguration()
        configuration.batching = BatchingConfiguration(maxBatchTokens: 64, maxBatchInputs: 64, maxBatchWait: .milliseconds(50))
        let pipeline = try V2TestModels.pipeline("identity_bytes", configuration: configuration)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<8 {
                group.addTask {
                    let rows = index % 3 + 1
                    let strings = (0..<(rows * 3)).map { Array("r\(index)-\($0)".utf8) }
                    let input = HostTensor(name: "INPUT0", datatype: .bytes, shape: [rows, 3], contents: .strings(strings))
                    let outputs = try await pipeline.infer([input], outputs: nil, deadline: nil).outputs
                    guard case .strings(let got) = outputs[0].contents else {
                        Issue.record("not strings")
                        return
                    }
                    #expect(got == strings)
                    #expect(outputs[0].datatype == .bytes)
                }
            }
            try await group.waitForAll()
        }
        #expect(pipeline.statistics.executionCount < 8)
        try await pipeline.shutdown()
    }

    @Test func outputsAreTheSubsetAskedForInThatOrder() async throws {
        let pipeline = try V2TestModels.pipeline("add_sub")
        let a = Self.tensor("a", rows: 2, start: 1, width: 4)
        let b = HostTensor(name: "b", datatype: .fp32, shape: [2, 4], contents: V2TestModels.floats(Array(repeating: 1, count: 8)))
        let outputs = try await pipeline.infer([b, a], outputs: ["diff"], deadline: nil).outputs
        #expect(outputs.map(\.name) == ["diff"])
        #expect(V2TestModels.floats(of: outputs[0]) == (0..<8).map { Float($0) })
        let both = try await pipeline.infer([a, b], outputs: ["diff", "sum"], deadline: nil).outputs
        #expect(both.map(\.name) == ["diff", "sum"])
        try await pipeline.shutdown()
    }

    @Test func badRequestsAreValidationErrorsNamingTheInput() async throws {
        let pipeline = try V2TestModels.pipeline("add_sub")
        let a = Self.tensor("a", rows: 1, start: 0, width: 4)
        let b = Self.tensor("b", rows: 1, start: 0, width: 4)
        let cases: [(inputs: [HostTensor], outputs: [String]?, names: String)] = [
            ([a], nil, "b"),  // missing
            ([a, b, Self.tensor("c", rows: 1, start: 0, width: 4)], nil, "c"),  // unknown
            ([a, HostTensor(name: "b", datatype: .fp64, shape: [1, 4], contents: .fixed(Array(repeating: 0, count: 32)))], nil, "b"),
            ([a, Self.tensor("b", rows: 1, start: 0, width: 3)], nil, "b"),  // shape
            ([a, HostTensor(name: "b", datatype: .fp32, shape: [1, 4], contents: .fixed([1, 2, 3]))], nil, "b"),  // length
            ([a, HostTensor(name: "b", datatype: .fp32, shape: [1, 4], contents: .strings([]))], nil, "b"),
            ([a, Self.tensor("b", rows: 2, start: 0, width: 4)], nil, "b"),  // rows disagree
            ([a, b], ["nope"], "nope"),
            ([Self.tensor("a", rows: 65, start: 0, width: 4), Self.tensor("b", rows: 65, start: 0, width: 4)], nil, "a"),
        ]
        for (index, bad) in cases.enumerated() {
            let error = await #expect(throws: InferenceError.self, "case \(index)") {
                try await pipeline.infer(bad.inputs, outputs: bad.outputs, deadline: nil).outputs
            }
            #expect(error?.kind == .validation, "case \(index)")
            #expect(error?.message.contains("'\(bad.names)'") == true, "case \(index): \(error?.message ?? "")")
        }
        #expect(pipeline.statistics.fail.count == cases.count)
        let strings = try V2TestModels.pipeline("identity_bytes")
        let nul = HostTensor(name: "INPUT0", datatype: .bytes, shape: [1, 3], contents: .strings([[0], [1], [2]]))
        let error = await #expect(throws: InferenceError.self) { try await strings.infer([nul], outputs: nil, deadline: nil).outputs }
        #expect(error?.message.contains("NUL") == true)
        try await strings.shutdown()
        try await pipeline.shutdown()
    }

    @Test func aPassedDeadlineTimesOutAndShutdownRefuses() async throws {
        let pipeline = try V2TestModels.pipeline("identity_fp32")
        let input = Self.tensor("INPUT0", rows: 1, start: 0)
        let late = await #expect(throws: InferenceError.self) {
            try await pipeline.infer([input], outputs: nil, deadline: .now - .seconds(1)).outputs
        }
        #expect(late?.kind == .timeout)
        try await pipeline.shutdown()
        let closed = await #expect(throws: InferenceError.self) { try await pipeline.infer([input], outputs: nil, deadline: nil).outputs }
        #expect(closed?.kind == .shuttingDown)
    }

    @Test func configurationOverridesAreCheckedAgainstTheGraph() async throws {
        var good = RawPipelineConfiguration()
        good.inputs = [.init(name: "INPUT0", datatype: .fp32, shape: [2, 3])]
        let fixed = try V2TestModels.pipeline("identity_fp32", configuration: good)
        #expect(fixed.inputs[0].shape == [2, 3])
        #expect(fixed.maxBatchSize == 0, "a fixed first dimension turns batching off")
        try await fixed.shutdown()
        let bad: [RawPipelineConfiguration.InputOverride] = [
            .init(name: "missing"), .init(name: "INPUT0", datatype: .int64), .init(name: "INPUT0", shape: [1, 4]),
            .init(name: "INPUT0", shape: [1]),
        ]
        for override in bad {
            var configuration = RawPipelineConfiguration()
            configuration.inputs = [override]
            #expect(throws: ModelLoadError.self, "\(override)") {
                try V2TestModels.pipeline("identity_fp32", configuration: configuration)
            }
        }
    }

    @Test func everyV2DatatypeRoundTrips() async throws {
        for datatype in TensorDatatype.allCases where datatype != .bytes {
            let pipeline = try V2TestModels.pipeline("identity_\(datatype.rawValue.lowercased())")
            #expect(pipeline.inputs[0].datatype == datatype)
            let width = datatype.byteWidth ?? 1
            let bytes = (0..<(6 * width)).map { UInt8(datatype == .bool ? ($0 / width) % 2 : $0 % 251) }
            let input = HostTensor(name: "INPUT0", datatype: datatype, shape: [2, 3], contents: .fixed(bytes))
            let outputs = try await pipeline.infer([input], outputs: nil, deadline: nil).outputs
            guard case .fixed(let got) = outputs[0].contents else {
                Issue.record("\(datatype) came back as strings")
                continue
            }
            #expect(got == bytes, "\(datatype)")
            #expect(outputs[0].datatype == datatype)
            try await pipeline.shutdown()
        }
    }

    @Test func requestsWithDifferentTrailingDimensionsInOneBatchRunSeparately() async throws {
        var configuration = RawPipelineConfiguration()
        configuration.batching = BatchingConfiguration(maxBatchTokens: 64, maxBatchInputs: 64, maxBatchWait: .milliseconds(50))
        let pipeline = try V2TestModels.pipeline("identity_int64", configuration: configuration)
        // identity_int64 is [-1, 3]: a width other than 3 is refused before batching.
        let wrong = HostTensor(name: "INPUT0", datatype: .int64, shape: [1, 4], contents: .fixed(Array(repeating: 0, count: 32)))
        await #expect(throws: InferenceError.self) { try await pipeline.infer([wrong], outputs: nil, deadline: nil).outputs }
        // Zero-row requests batch with others and come back empty.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for rows in [0, 2, 0, 1] {
                group.addTask {
                    let bytes = (0..<(rows * 3 * 8)).map { UInt8($0 % 256) }
                    let input = HostTensor(name: "INPUT0", datatype: .int64, shape: [rows, 3], contents: .fixed(bytes))
                    let outputs = try await pipeline.infer([input], outputs: nil, deadline: nil).outputs
                    #expect(outputs[0].shape == [rows, 3])
                    guard case .fixed(let got) = outputs[0].contents else { return }
                    #expect(got == bytes)
                }
            }
            try await group.waitForAll()
        }
        try await pipeline.shutdown()
    }

    @Test func aGraphWithATypeV2CannotNameFailsToLoadNamingTheTensor() async throws {
        // A float32 identity loads, so the hand-written model itself is sound.
        let float = try HandWrittenONNX.write(elementType: 1)
        let loaded = try RawPipeline(
            name: "f", version: "1", modelFile: float, configuration: RawPipelineConfiguration(),
            environment: V2TestModels.environment(), logger: .init(label: "test"))
        #expect(loaded.inputs == [TensorSpec(name: "x", datatype: .fp32, shape: [1])])
        try await loaded.shutdown()
        let bfloat16 = try HandWrittenONNX.write(elementType: 16)
        let error = #expect(throws: ModelLoadError.self) {
            try RawPipeline(
                name: "b", version: "1", modelFile: bfloat16, configuration: RawPipelineConfiguration(),
                environment: V2TestModels.environment(), logger: .init(label: "test"))
        }
        #expect(error?.problem.contains("'x'") == true, "\(error?.problem ?? "")")
        #expect(error?.problem.contains("bfloat16") == true, "\(error?.problem ?? "")")
        let missing = #expect(throws: ModelLoadError.self) {
            try RawPipeline(
                name: "m", version: "1", modelFile: URL(fileURLWithPath: "/nonexistent/model.onnx"),
                configuration: RawPipelineConfiguration(), environment: V2TestModels.environment(),
                logger: .init(label: "test"))
        }
        #expect(missing?.path == "/nonexistent/model.onnx")
    }

    @Test func withBatchingOffEachRequestRunsAlone() async throws {
        var configuration = RawPipelineConfiguration()
        configuration.dynamicBatching = false
        configuration.batching = BatchingConfiguration(maxBatchTokens: 64, maxBatchInputs: 64, maxBatchWait: .milliseconds(50))
        let pipeline = try V2TestModels.pipeline("identity_fp32", configuration: configuration)
        #expect(pipeline.maxBatchSize == 0)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<8 {
                group.addTask {
                    let input = Self.tensor("INPUT0", rows: index % 3 + 1, start: Float(index))
                    let outputs = try await pipeline.infer([input], outputs: nil, deadline: nil).outputs
                    #expect(V2TestModels.floats(of: outputs[0]) == V2TestModels.floats(of: input))
                }
            }
            try await group.waitForAll()
        }
        #expect(pipeline.statistics.executionCount == 8)
        try await pipeline.shutdown()
    }
}
