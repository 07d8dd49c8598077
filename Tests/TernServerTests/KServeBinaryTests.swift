import InferenceCore
import Testing

@testable import TernServer

@Suite struct KServeBinaryTests {
    typealias Support = KServeTestSupport

    private func binaryInput(_ datatype: TensorDatatype, size: Int, shape: String = "[2,3]") -> String {
        #"{"inputs":[{"name":"INPUT0","datatype":"\#(datatype.rawValue)","shape":\#(shape),"parameters":{"binary_data_size":\#(size)}}]}"#
    }

    @Test func everyFixedWidthDatatypeIsTakenAsIs() throws {
        for datatype in TensorDatatype.allCases {
            guard let width = datatype.byteWidth else { continue }
            let payload = (0..<6 * width).map { datatype == .bool ? UInt8($0 % 2) : UInt8($0 & 0xFF) }
            let request = try Support.decode(binaryInput(datatype, size: payload.count), binary: payload, model: Support.identity(datatype))
            let tensor = try #require(request.inputs.first)
            guard case .fixed(let bytes) = tensor.contents else { Issue.record("\(datatype) not fixed"); continue }
            #expect(bytes == payload, "\(datatype)")
            #expect(tensor.shape == [2, 3] && tensor.datatype == datatype)
        }
    }

    @Test func bytesElementsAreLengthPrefixed() throws {
        let strings: [[UInt8]] = [Array("a".utf8), [], [0, 255, 7], Array("hello".utf8), Array("ü".utf8), [1]]
        let payload = Support.framed(strings)
        let request = try Support.decode(binaryInput(.bytes, size: payload.count), binary: payload, model: Support.identity(.bytes))
        guard case .strings(let elements) = try #require(request.inputs.first).contents else { Issue.record("not strings"); return }
        #expect(elements == strings)
    }

    @Test func bytesFramingErrorsNameTheInput() {
        let model = Support.identity(.bytes)
        let six = Support.framed(Array(repeating: Array("ab".utf8), count: 6))
        let truncatedPrefix = Array(six.dropLast(6)) + [1, 0]
        let pastEnd = Array(six.dropLast(6)) + Support.littleEndianBytes([UInt32(100)]) + [1, 2]
        let five = Support.framed(Array(repeating: Array("ab".utf8), count: 5))
        let seven = Support.framed(Array(repeating: Array("ab".utf8), count: 7))
        for (payload, expected) in [
            (truncatedPrefix, "truncated BYTES length prefix"), (pastEnd, "past the end"),
            (five, "has 5 BYTES elements"), (seven, "more BYTES elements"),
        ] {
            let message = Support.failure(binaryInput(.bytes, size: payload.count), binary: payload, model: model)
            #expect(message?.contains("input 'INPUT0'") == true && message?.contains(expected) == true, "\(message ?? "accepted")")
        }
    }

    @Test func sizeMustMatchTheShape() {
        let message = Support.failure(binaryInput(.fp32, size: 20), binary: Array(repeating: 0, count: 20), model: Support.identity(.fp32))
        #expect(message == "input 'INPUT0' has 20 bytes of binary data but its shape of 6 FP32 elements needs 24")
    }

    @Test func boolBytesMustBeZeroOrOne() {
        let message = Support.failure(binaryInput(.bool, size: 6), binary: [0, 1, 2, 0, 0, 0], model: Support.identity(.bool))
        #expect(message?.contains("BOOL elements are 0 or 1") == true)
    }

    @Test func sectionsMustAddUpToTheBody() {
        let model = Support.identity(.uint8)
        #expect(Support.failure(binaryInput(.uint8, size: 6), binary: [1, 2, 3, 4, 5, 6, 7], model: model)?.contains("add up to 6") == true)
        #expect(Support.failure(binaryInput(.uint8, size: 6), binary: [1, 2, 3], model: model)?.contains("only 3 bytes") == true)
        #expect(Support.failure(binaryInput(.uint8, size: 6), binary: [1, 2, 3, 4, 5, 6], headerLength: 10_000, model: model)?.contains("Inference-Header-Content-Length is 10000") == true)
        let noHeader = Support.failure(binaryInput(.uint8, size: 6), model: model)
        #expect(noHeader?.contains("no Inference-Header-Content-Length") == true)
    }

    @Test func binarySectionsFollowTheHeaderInTheOrderInputsAreListed() throws {
        let json = #"{"inputs":[{"name":"b","datatype":"FP32","shape":[1,4],"parameters":{"binary_data_size":16}},{"name":"a","datatype":"FP32","shape":[1,4],"data":[1,2,3,4]}]}"#
        let b = Support.littleEndianBytes(([5, 6, 7, 8] as [Float]).map(\.bitPattern))
        let request = try Support.decode(json, binary: b, model: Support.addSub)
        #expect(request.inputs.map(\.name) == ["a", "b"])
        guard case .fixed(let bytes) = request.inputs[1].contents else { Issue.record("not fixed"); return }
        #expect(bytes == b)
    }

    @Test func aRawBodyIsTheSingleInputWithItsDynamicDimensionWorkedOut() throws {
        let payload = Support.littleEndianBytes(([1, 2, 3, 4, 5, 6] as [Int32]))
        let request = try Support.decode("", binary: payload, headerLength: 0, model: Support.identity(.int32))
        #expect(request.inputs.first?.shape == [2, 3])
        #expect(request.outputs == [RequestedOutput(name: "OUTPUT0", binary: true)])
        let strings = Support.framed([[1], [2], [3]])
        let text = try Support.decode("", binary: strings, headerLength: 0, model: Support.identity(.bytes))
        #expect(text.inputs.first?.shape == [1, 3])
        #expect(Support.failure("", binary: [1, 2, 3, 4, 5], headerLength: 0, model: Support.identity(.int32))?.contains("whole number") == true)
        #expect(Support.failure("", binary: Array(repeating: 0, count: 16), headerLength: 0, model: Support.identity(.int32))?.contains("do not fill") == true)
        #expect(Support.failure("", binary: payload, headerLength: 0, model: Support.addSub)?.contains("needs a model with one input") == true)
    }
}
