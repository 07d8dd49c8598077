import Foundation
import Testing

@testable import ONNXRuntime

@Suite struct SessionRunTests {
    static func expectMatches(_ value: Value, _ probes: [ReferenceValues.Probe], sum: Double) throws {
        #expect(value.name == "last_hidden_state")
        #expect(value.kind == .tensor)
        #expect(value.elementType == .float)
        #expect(value.shape == [2, 8, 384])
        #expect(value.elementCount == 2 * 8 * 384)
        #expect(value.byteCount == 2 * 8 * 384 * 4)
        try value.withUnsafeBufferPointer(as: Float.self) { hidden in
            #expect(hidden.count == 2 * 8 * 384)
            for probe in probes {
                #expect(abs(hidden[probe.flatIndex] - probe.value) <= 1e-5, "\(probe)")
            }
            let total = hidden.reduce(0.0) { $0 + Double($1) }
            #expect(abs(total - sum) <= 1e-3)
        }
    }

    @Test func miniLMMatchesPythonOnnxruntime() throws {
        let session = try Fixtures.miniLM()
        let outputs = try session.run(
            ReferenceValues.inputs(library: session.library),
            outputNames: ["last_hidden_state"]
        )
        #expect(outputs.count == 1)
        try Self.expectMatches(outputs[0], ReferenceValues.fp32Probes, sum: ReferenceValues.fp32Sum)
    }

    @Test func int8MiniLMMatchesPythonOnnxruntime() throws {
        let session = try Fixtures.miniLMInt8()
        let outputs = try session.run(ReferenceValues.inputs(library: session.library))
        try Self.expectMatches(outputs[0], ReferenceValues.int8Probes, sum: ReferenceValues.int8Sum)
    }

    @Test func concurrentRunsOnOneSessionAgree() async throws {
        let session = try Fixtures.miniLM(SessionOptions(intraOpThreads: 1))
        let inputs = try ReferenceValues.inputs(library: session.library)
        let reference = try session.run(inputs)[0].toArray(of: Float.self)
        // Eight runs at once, on plain threads as the server's model threads will be, sharing the input tensors.
        let results = try await withThrowingTaskGroup(of: [Float].self) { group in
            for _ in 0..<8 {
                group.addTask {
                    try await withCheckedThrowingContinuation { continuation in
                        Thread.detachNewThread {
                            continuation.resume(with: Result { try session.run(inputs)[0].toArray(of: Float.self) })
                        }
                    }
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(results.count == 8)
        #expect(results.allSatisfy { $0 == reference })
    }

    @Test(arguments: [true, false])
    func anOutputWrittenIntoATernTensorEqualsTheReturnedOne(arena: Bool) throws {
        // With and without the CPU arena: shrinking is asked for either way and must not fail the run.
        let session = try Fixtures.miniLM(SessionOptions(cpuMemoryArena: arena))
        let inputs = try ReferenceValues.inputs(library: session.library)
        let returned = try session.run(inputs, shrinkingArena: true)[0].toArray(of: Float.self)
        let target = try Tensor(.float, shape: [2, 8, 384], library: session.library)
        try session.run(inputs, into: ["last_hidden_state": target], shrinkingArena: true)
        #expect(try target.withUnsafeBufferPointer(as: Float.self) { Array($0) } == returned)
        let total = returned.reduce(0.0) { $0 + Double($1) }
        #expect(abs(total - ReferenceValues.fp32Sum) <= 1e-3)
    }

    @Test func anOutputTensorOfTheWrongShapeIsRefused() throws {
        let session = try Fixtures.miniLM()
        let inputs = try ReferenceValues.inputs(library: session.library)
        let target = try Tensor(.float, shape: [2, 7, 384], library: session.library)
        #expect(throws: ORTError.self) { try session.run(inputs, into: ["last_hidden_state": target]) }
        let unknown = try Tensor(.float, shape: [1], library: session.library)
        #expect(throws: ORTError.self) { try session.run(inputs, into: ["pooled": unknown]) }
    }

    @Test func outputsFollowTheRequestedOrder() throws {
        let session = try Fixtures.miniLM()
        let inputs = try ReferenceValues.inputs(library: session.library)
        let twice = try session.run(inputs, outputNames: ["last_hidden_state", "last_hidden_state"])
        #expect(twice.map(\.name) == ["last_hidden_state", "last_hidden_state"])
        #expect(try twice[0].toArray(of: Float.self) == twice[1].toArray(of: Float.self))
    }

    @Test func anUnknownInputNameIsRejectedWithTheModelsInputs() throws {
        let session = try Fixtures.miniLM()
        var inputs = try ReferenceValues.inputs(library: session.library)
        inputs["input_idz"] = inputs.removeValue(forKey: "input_ids")
        let error = #expect(throws: ORTError.self) { try session.run(inputs) }
        #expect(error?.code == .invalidArgument)
        #expect(
            error?.message
                == "unknown input 'input_idz'; the model's inputs are: input_ids, attention_mask, token_type_ids"
        )
    }

    @Test func aMissingInputIsRejected() throws {
        let session = try Fixtures.miniLM()
        var inputs = try ReferenceValues.inputs(library: session.library)
        inputs["token_type_ids"] = nil
        let error = #expect(throws: ORTError.self) { try session.run(inputs) }
        #expect(error?.code == .invalidArgument)
        #expect(error?.message.hasPrefix("missing input 'token_type_ids'") == true)
    }

    @Test func anUnknownOutputNameIsRejected() throws {
        let session = try Fixtures.miniLM()
        let inputs = try ReferenceValues.inputs(library: session.library)
        let error = #expect(throws: ORTError.self) { try session.run(inputs, outputNames: ["pooler_output"]) }
        #expect(error?.code == .invalidArgument)
        #expect(error?.message == "unknown output 'pooler_output'; the model's outputs are: last_hidden_state")
        #expect(throws: ORTError.self) { try session.run(inputs, outputNames: []) }
    }

    @Test func aWrongElementTypeIsRejectedWithTheInputsName() throws {
        let session = try Fixtures.miniLM()
        var inputs = try ReferenceValues.inputs(library: session.library)
        inputs["input_ids"] = try Tensor(.int32, shape: [2, 8], library: session.library)
        let error = #expect(throws: ORTError.self) { try session.run(inputs) }
        #expect(error?.code == .invalidArgument)
        #expect(error?.message == "input 'input_ids' has element type int32; the model expects int64")
    }

    @Test func mismatchedShapesAreReportedByORT() throws {
        let session = try Fixtures.miniLM()
        var inputs = try ReferenceValues.inputs(library: session.library)
        inputs["attention_mask"] = try Tensor(.int64, shape: [2, 7], library: session.library)
        let error = #expect(throws: ORTError.self) { try session.run(inputs) }
        #expect(error?.code.ortRawValue != nil, "ORT's own error")
    }

    @Test func outputsCannotBeReadAsTheWrongType() throws {
        let session = try Fixtures.miniLM()
        let output = try session.run(ReferenceValues.inputs(library: session.library))[0]
        let error = #expect(throws: ORTError.self) { try output.withUnsafeBufferPointer(as: Int32.self) { _ in } }
        #expect(error?.code == .invalidArgument)
        #expect(error?.message == "a tensor of element type float cannot be viewed as Int32")
        #expect(try output.withUnsafeBytes { $0.count } == output.byteCount)
    }
}
