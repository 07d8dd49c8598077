import CONNXRuntime
import Foundation
import Testing

@testable import ONNXRuntime

/// String tensors against the real library: CreateTensorAsOrtValue + FillStringTensor build them,
/// GetStringTensorDataLength + GetStringTensorContent read them back.
@Suite struct StringTensorTests {
    static let identityBytes = Fixtures.path("models/v2/identity_bytes/1/model.onnx")

    static let samples: [[UInt8]] = [Array("a".utf8), [], Array("ünï".utf8), Array(repeating: 0x78, count: 40), Array("b".utf8), Array("c".utf8)]

    @Test func createdStringTensorHoldsTheElementsORTReports() throws {
        let library = try Fixtures.library()
        let tensor = try Tensor(strings: Self.samples, shape: [2, 3], library: library)
        #expect(tensor.elementType == .string)
        #expect(tensor.elementCount == 6)
        #expect(tensor.byteCount == 0)
        // Read the OrtValue back with ORT's own calls: total length, then content and offsets.
        var total = 0
        try library.check(library.api.pointee.GetStringTensorDataLength(tensor.handle, &total))
        #expect(total == Self.samples.reduce(0) { $0 + $1.count })
        var content = [UInt8](repeating: 0, count: total)
        var offsets = [Int](repeating: 0, count: 6)
        try library.check(
            content.withUnsafeMutableBytes { bytes in
                offsets.withUnsafeMutableBufferPointer {
                    library.api.pointee.GetStringTensorContent(tensor.handle, bytes.baseAddress, total, $0.baseAddress, 6)
                }
            })
        #expect(content == Self.samples.flatMap { $0 })
        #expect(offsets == [0, 1, 1, 6, 46, 47])  // "ünï" is 5 UTF-8 bytes
    }

    @Test func stringTensorsRoundTripThroughARealModel() throws {
        let library = try Fixtures.library()
        #expect(FileManager.default.fileExists(atPath: Self.identityBytes), "run scripts/make-v2-test-models")
        let session = try Session(modelPath: Self.identityBytes, environment: Environment(library: library))
        #expect(session.inputs.first?.elementType == .string)
        let input = try Tensor(strings: Self.samples, shape: [2, 3], library: library)
        let outputs = try session.run(["INPUT0": input])
        #expect(outputs.count == 1)
        #expect(outputs[0].elementType == .string)
        #expect(outputs[0].shape == [2, 3])
        #expect(try outputs[0].strings() == Self.samples)
        // A string output has no flat buffer, and a numeric one is not a string tensor.
        #expect(throws: ORTError.self) { try outputs[0].withUnsafeBytes { _ in } }
    }

    @Test func emptyStringTensorRoundTrips() throws {
        let library = try Fixtures.library()
        let session = try Session(modelPath: Self.identityBytes, environment: Environment(library: library))
        let input = try Tensor(strings: [], shape: [0, 3], library: library)
        let outputs = try session.run(["INPUT0": input])
        #expect(try outputs[0].strings() == [])
        #expect(outputs[0].shape == [0, 3])
    }

    @Test func elementsWithNULOrTheWrongCountAreRefused() throws {
        let library = try Fixtures.library()
        let nul = #expect(throws: ORTError.self) { try Tensor(strings: [[0x61, 0, 0x62]], shape: [1], library: library) }
        #expect(nul?.code == .invalidArgument)
        #expect(nul?.message.contains("NUL") == true)
        let count = #expect(throws: ORTError.self) { try Tensor(strings: [[0x61]], shape: [2], library: library) }
        #expect(count?.code == .invalidArgument)
    }

    @Test func numericOutputsAreNotStringTensors() throws {
        let library = try Fixtures.library()
        let session = try Session(
            modelPath: Fixtures.path("models/v2/identity_fp32/1/model.onnx"), environment: Environment(library: library))
        let outputs = try session.run(["INPUT0": try Tensor([Float](repeating: 1, count: 3), shape: [1, 3], library: library)])
        #expect(throws: ORTError.self) { try outputs[0].strings() }
    }
}
