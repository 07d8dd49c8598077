import Foundation
import InferenceCore
import Testing

@testable import TernServer

@Suite struct KServeJSONDecodingTests {
    typealias Support = KServeTestSupport

    private func decodeOne(_ datatype: TensorDatatype, data: String, shape: String = "[2,3]") throws -> HostTensor {
        let json = #"{"inputs":[{"name":"INPUT0","datatype":"\#(datatype.rawValue)","shape":\#(shape),"data":\#(data)}]}"#
        let request = try Support.decode(json, model: Support.identity(datatype))
        return try #require(request.inputs.first)
    }

    private func fixedBytes(_ tensor: HostTensor) -> [UInt8]? {
        if case .fixed(let bytes) = tensor.contents { return bytes }
        return nil
    }

    @Test func integersOfEveryWidthDecodeToLittleEndianBytes() throws {
        let data = "[0,1,2,3,4,5]"
        #expect(fixedBytes(try decodeOne(.uint8, data: data)) == Support.littleEndianBytes([0, 1, 2, 3, 4, 5] as [UInt8]))
        #expect(fixedBytes(try decodeOne(.uint16, data: "[0,1,2,3,4,65535]")) == Support.littleEndianBytes([0, 1, 2, 3, 4, 65535] as [UInt16]))
        #expect(fixedBytes(try decodeOne(.uint32, data: "[0,1,2,3,4,4294967295]")) == Support.littleEndianBytes([0, 1, 2, 3, 4, .max] as [UInt32]))
        #expect(fixedBytes(try decodeOne(.uint64, data: "[0,1,2,3,4,18446744073709551615]")) == Support.littleEndianBytes([0, 1, 2, 3, 4, .max] as [UInt64]))
        #expect(fixedBytes(try decodeOne(.int8, data: "[-128,1,2,3,4,127]")) == Support.littleEndianBytes([-128, 1, 2, 3, 4, 127] as [Int8]))
        #expect(fixedBytes(try decodeOne(.int16, data: "[-32768,1,2,3,4,32767]")) == Support.littleEndianBytes([.min, 1, 2, 3, 4, .max] as [Int16]))
        #expect(fixedBytes(try decodeOne(.int32, data: "[-2147483648,1,2,3,4,2147483647]")) == Support.littleEndianBytes([.min, 1, 2, 3, 4, .max] as [Int32]))
        #expect(fixedBytes(try decodeOne(.int64, data: "[-9223372036854775808,1,2,3,4,9223372036854775807]")) == Support.littleEndianBytes([.min, 1, 2, 3, 4, .max] as [Int64]))
    }

    @Test func floatsDecodeToIEEEBits() throws {
        let fp32 = try decodeOne(.fp32, data: "[0.1,-2.5,1e-3,3,NaN,-Infinity]")
        let floats: [Float] = [0.1, -2.5, 1e-3, 3]
        let bytes = try #require(fixedBytes(fp32))
        #expect(Array(bytes[0..<16]) == Support.littleEndianBytes(floats.map(\.bitPattern)))
        let fp64 = try #require(fixedBytes(try decodeOne(.fp64, data: "[0.1,-2.5,1e300,3,4,5]")))
        #expect(Array(fp64[0..<24]) == Support.littleEndianBytes(([0.1, -2.5, 1e300] as [Double]).map(\.bitPattern)))
        let fp16 = try #require(fixedBytes(try decodeOne(.fp16, data: "[0.5,-1,65504,0.1,0,1]")))
        let halves: [Float16] = [0.5, -1, 65504, Float16(Float(0.1)), 0, 1]
        #expect(fp16 == Support.littleEndianBytes(halves.map(\.bitPattern)))
    }

    @Test func boolsAndStrings() throws {
        #expect(fixedBytes(try decodeOne(.bool, data: "[true,false,true,false,false,true]")) == [1, 0, 1, 0, 0, 1])
        let strings = try decodeOne(.bytes, data: #"["a","","\u00fc\n\"","x","\ud83d\ude00","z"]"#)
        guard case .strings(let elements) = strings.contents else { Issue.record("not strings"); return }
        #expect(elements == [Array("a".utf8), [], Array("ü\n\"".utf8), Array("x".utf8), Array("😀".utf8), Array("z".utf8)])
    }

    @Test func nestedDataIsFlattenedRowMajor() throws {
        let tensor = try decodeOne(.int32, data: "[[1,2,3],[4,5,6]]")
        #expect(fixedBytes(tensor) == Support.littleEndianBytes([1, 2, 3, 4, 5, 6] as [Int32]))
        #expect(tensor.shape == [2, 3])
    }

    @Test func membersInAnyOrderAndUnknownMembersIgnored() throws {
        let json = #"{"model_name":"x","parameters":{"priority":1},"inputs":[{"data":[1,2,3],"shape":[1,3],"extra":{"a":[1]},"datatype":"INT64","name":"INPUT0"}],"id":"req-1"}"#
        let request = try Support.decode(json, model: Support.identity(.int64))
        #expect(request.id == "req-1")
        #expect(fixedBytes(try #require(request.inputs.first)) == Support.littleEndianBytes([1, 2, 3] as [Int64]))
        #expect(request.outputs == [RequestedOutput(name: "OUTPUT0", binary: false)])
    }

    @Test func valuesOutOfRangeOrOfTheWrongKindAreRefusedNamingTheInput() {
        let cases: [(TensorDatatype, String)] = [
            (.int8, "[128,0,0]"), (.uint8, "[-1,0,0]"), (.uint64, "[18446744073709551616,0,0]"),
            (.int32, "[1.5,0,0]"), (.bool, "[1,0,1]"), (.bytes, "[1,2,3]"), (.fp32, #"["1",2,3]"#),
        ]
        for (datatype, data) in cases {
            let json = #"{"inputs":[{"name":"INPUT0","datatype":"\#(datatype.rawValue)","shape":[1,3],"data":\#(data)}]}"#
            let message = Support.failure(json, model: Support.identity(datatype))
            #expect(message?.contains("input 'INPUT0'") == true, "\(datatype) \(data): \(message ?? "accepted")")
        }
    }

    @Test func malformedJSONIsA400() {
        for json in [
            "", "{", #"{"inputs":[}"#, #"{"inputs":[{"name":"INPUT0",}]}"#, #"{"inputs":[] "id":"a"}"#,
            #"{"inputs":[{"name":"INPUT0","datatype":"FP32","shape":[1,3],"data":[1,2,3]}]} x"#,
            #"{"inputs":[{"name":"INPUT0","datatype":"FP32","shape":[1,3],"data":[01,2,3]}]}"#,
            String(repeating: "[", count: 200),
        ] {
            let message = Support.failure(json, model: Support.identity(.fp32))
            #expect(message != nil && message?.hasPrefix("status") == false, "\(json): \(message ?? "accepted")")
        }
    }
}
