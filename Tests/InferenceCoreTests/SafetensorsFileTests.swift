import Foundation
import Testing

@testable import InferenceCore

/// The safetensors reader checks everything a header says against the file before handing out a tensor.
@Suite struct SafetensorsFileTests {
    /// Writes a file with `header` (JSON) and `data`, returning its path.
    static func file(_ header: String, data: [UInt8] = [], rawLength: UInt64? = nil) throws -> String {
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("tern-st-\(UUID().uuidString).safetensors").path
        var bytes: [UInt8] = []
        let headerBytes = Array(header.utf8)
        var length = rawLength ?? UInt64(headerBytes.count)
        for _ in 0..<8 {
            bytes.append(UInt8(length & 0xFF))
            length >>= 8
        }
        bytes += headerBytes + data
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    static func problem(_ header: String, data: [UInt8] = [], rawLength: UInt64? = nil) throws -> String {
        let path = try file(header, data: data, rawLength: rawLength)
        defer { try? FileManager.default.removeItem(atPath: path) }
        do {
            _ = try SafetensorsFile(path: path)
            return "no error"
        } catch {
            #expect(error.path == path)
            return error.problem
        }
    }

    @Test func readsTensorsInPlace() throws {
        let floats: [Float] = [1, 2, 3, 4, 5, 6]
        let data = floats.withUnsafeBytes { Array($0) } + [7, 0, 0, 0, 0, 0, 0, 0]
        let path = try Self.file(
            #"{"__metadata__":{"format":"pt"},"w":{"dtype":"F32","shape":[2,3],"data_offsets":[0,24]},"#
                + #""ids":{"dtype":"I64","shape":[1],"data_offsets":[24,32]}}"#, data: data)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let file = try SafetensorsFile(path: path)
        #expect(file.metadata == ["format": "pt"])
        let w = try #require(file.tensors["w"])
        #expect(w.dtype == .f32 && w.shape == [2, 3] && w.elementCount == 6)
        #expect(Array(w.bytes.bindMemory(to: Float.self)) == floats)
        #expect(file.tensors["ids"]?.bytes.count == 8)
    }

    @Test func everyLieIsCaughtWithTheTensorNamed() throws {
        let data = [UInt8](repeating: 0, count: 16)
        #expect(try Self.problem("{}", rawLength: 1_000).contains("runs past the end of the file"))
        #expect(try Self.problem("{oops").contains("not valid JSON"))
        #expect(try Self.problem("[1, 2]").contains("not a JSON object"))
        #expect(
            try Self.problem(#"{"a":{"dtype":"F32","shape":[4],"data_offsets":[0,32]}}"#, data: data)
                .contains("tensor 'a': data_offsets [0, 32] run past the end of the data (16 bytes)"))
        #expect(
            try Self.problem(#"{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,16]}}"#, data: data)
                .contains("tensor 'a': shape [3] of F32 needs 12 bytes, but data_offsets give 16"))
        #expect(
            try Self.problem(#"{"a":{"dtype":"F8_E4M3","shape":[4],"data_offsets":[0,4]}}"#, data: data)
                .contains("tensor 'a': unknown dtype 'F8_E4M3'"))
        #expect(
            try Self.problem(
                #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}"#,
                data: data
            ).contains("overlap"))
        #expect(
            try Self.problem(#"{"a":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}"#, data: data)
                .contains("not a list of non-negative integers"))
        #expect(
            try Self.problem(#"{"a":{"dtype":"F32","shape":[true],"data_offsets":[0,4]}}"#, data: data)
                .contains("not a list of non-negative integers"))
        #expect(
            try Self.problem(#"{"a":{"dtype":"F32","shape":[1],"data_offsets":[8,4]}}"#, data: data)
                .contains("not an ordered range"))
        #expect(
            try Self.problem(
                #"{"a":{"dtype":"F32","shape":[3000000000000000,4000],"data_offsets":[0,4]}}"#, data: data
            ).contains("too large"))
        #expect(try Self.problem("", rawLength: UInt64.max).contains("over the"))
    }

    @Test func aFileShorterThanItsLengthFieldIsRefused() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("tern-st-short").path
        try Data([1, 2, 3]).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(throws: ModelLoadError.self) { try SafetensorsFile(path: path) }
    }

    @Test func halfPrecisionWidensExactly() {
        #expect(CheckpointWeights.halfToFloat(0x3C00) == 1)
        #expect(CheckpointWeights.halfToFloat(0xC000) == -2)
        #expect(CheckpointWeights.halfToFloat(0x7BFF) == 65504)
        #expect(CheckpointWeights.halfToFloat(0x0001) == Float(bitPattern: 0x3380_0000))  // smallest subnormal
        #expect(CheckpointWeights.halfToFloat(0x8000) == 0 && CheckpointWeights.halfToFloat(0x8000).sign == .minus)
        #expect(CheckpointWeights.halfToFloat(0x7C00) == .infinity)
        #expect(CheckpointWeights.halfToFloat(0x7E00).isNaN)
        for bits in stride(from: UInt16(0), to: 0x7C00, by: 97) {
            #expect(CheckpointWeights.halfToFloat(bits) == Float(Float16(bitPattern: bits)))
        }
    }

    @Test func int8WeightsArePerOutputChannelSymmetricAndTransposed() throws {
        // [out 2, in 3]: row 0 has largest |w| 2 (scale 2/127), row 1 is all zeros (scale 1).
        let q = try #require(Int8Weights([1, -2, 0.5, 0, 0, 0], outputs: 2, inputs: 3))
        #expect(q.scales == [2 / 127, 1])
        // [in 3, out 2]: 1 / (2/127) = 63.5 rounds to even 64; -2 is -127; 0.5 -> 31.75 -> 32.
        #expect(q.values == [64, 0, -127, 0, 32, 0])
    }

    @Test func int8WeightsStayWithinHalfAStepOfTheFloats() throws {
        let outputs = 8, inputs = 37
        let weight = (0..<outputs * inputs).map { Float(sin(Double($0) * 0.37)) * Float($0 % 5 + 1) }
        let q = try #require(Int8Weights(weight, outputs: outputs, inputs: inputs))
        for row in 0..<outputs {
            for column in 0..<inputs {
                let restored = Float(q.values[column * outputs + row]) * q.scales[row]
                #expect(abs(restored - weight[row * inputs + column]) <= q.scales[row] / 2 * 1.0001)
            }
            #expect(q.values.enumerated().contains { $0.offset % outputs == row && abs(Int($0.element)) == 127 })
        }
    }

    @Test func int8WeightsRefuseNonFiniteValues() {
        #expect(Int8Weights([1, .nan, 0, 0], outputs: 2, inputs: 2) == nil)
        #expect(Int8Weights([1, 0, 0, -.infinity], outputs: 2, inputs: 2) == nil)
    }
}
