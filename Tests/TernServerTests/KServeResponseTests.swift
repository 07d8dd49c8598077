import Foundation
import InferenceCore
import NIOCore
import Testing

@testable import TernServer

@Suite struct KServeResponseTests {
    typealias Support = KServeTestSupport

    private func encode(_ tensors: [HostTensor], binary: [Bool], id: String? = nil) -> (json: [String: Any], tail: [UInt8], headerLength: Int?) {
        let requested = zip(tensors, binary).map { RequestedOutput(name: $0.name, binary: $1) }
        let (buffer, headerLength) = InferResponseEncoder(model: "m", version: "2").encode(id: id, outputs: tensors, requested: requested)
        let bytes = Array(buffer.readableBytesView)
        let jsonBytes = Array(bytes[0..<(headerLength ?? bytes.count)])
        let json = (try? JSONSerialization.jsonObject(with: Data(jsonBytes), options: [.fragmentsAllowed])) as? [String: Any] ?? [:]
        return (json, Array(bytes[(headerLength ?? bytes.count)...]), headerLength)
    }

    /// Every datatype survives JSON request -> tensor -> JSON response unchanged.
    @Test func everyDatatypeRoundTripsThroughJSON() throws {
        let samples: [TensorDatatype: String] = [
            .bool: "[true,false,true]", .uint8: "[0,7,255]", .uint16: "[0,7,65535]", .uint32: "[0,7,4294967295]",
            .uint64: "[0,7,18446744073709551615]", .int8: "[-128,0,127]", .int16: "[-32768,0,32767]",
            .int32: "[-2147483648,0,2147483647]", .int64: "[-9223372036854775808,0,9223372036854775807]",
            .fp16: "[0.5,-2.0,65504.0]", .fp32: "[0.1,-2.5,1e-07]", .fp64: "[0.1,-2.5,1e+300]",
            .bytes: #"["a","ü\"\\",""]"#,
        ]
        for datatype in TensorDatatype.allCases {
            let data = try #require(samples[datatype])
            let json = #"{"inputs":[{"name":"INPUT0","datatype":"\#(datatype.rawValue)","shape":[1,3],"data":\#(data)}]}"#
            let request = try Support.decode(json, model: Support.identity(datatype))
            var tensor = try #require(request.inputs.first)
            tensor.name = "OUTPUT0"
            var buffer = ByteBuffer()
            TensorJSONWriter.write(tensor, to: &buffer)
            let written = String(buffer: buffer)
            let original = try JSONSerialization.jsonObject(with: Data(data.utf8)) as? NSArray
            let decoded = try JSONSerialization.jsonObject(with: Data(written.utf8)) as? NSArray
            #expect(original == decoded, "\(datatype): \(data) came back as \(written)")
        }
    }

    @Test func jsonOutputsCarryNameDatatypeShapeAndData() throws {
        let tensor = HostTensor(
            name: "OUTPUT0", datatype: .int32, shape: [1, 2], contents: .fixed(Support.littleEndianBytes([3, -4] as [Int32])))
        let (json, tail, headerLength) = encode([tensor], binary: [false], id: "req")
        #expect(headerLength == nil && tail.isEmpty)
        #expect(json["model_name"] as? String == "m" && json["model_version"] as? String == "2" && json["id"] as? String == "req")
        let output = try #require((json["outputs"] as? [[String: Any]])?.first)
        #expect(output["name"] as? String == "OUTPUT0" && output["datatype"] as? String == "INT32")
        #expect(output["shape"] as? [Int] == [1, 2] && output["data"] as? [Int] == [3, -4])
    }

    @Test func binaryOutputsFollowTheHeaderInOrderWithTheirSizes() throws {
        let floats = HostTensor(name: "sum", datatype: .fp32, shape: [1, 2], contents: .fixed(Support.littleEndianBytes(([1, 2] as [Float]).map(\.bitPattern))))
        let strings = HostTensor(name: "s", datatype: .bytes, shape: [2], contents: .strings([Array("ab".utf8), []]))
        let json = HostTensor(name: "j", datatype: .bool, shape: [1], contents: .fixed([1]))
        let (header, tail, headerLength) = encode([floats, json, strings], binary: [true, false, true])
        #expect(headerLength != nil)
        let outputs = try #require(header["outputs"] as? [[String: Any]])
        #expect((outputs[0]["parameters"] as? [String: Int])?["binary_data_size"] == 8)
        #expect(outputs[1]["data"] as? [Bool] == [true])
        #expect((outputs[2]["parameters"] as? [String: Int])?["binary_data_size"] == 10)
        #expect(tail == floats.fixedBytes + Support.framed([Array("ab".utf8), []]))
    }

    @Test func nonFiniteFloatsAreWrittenAsPythonReadsThem() {
        let tensor = HostTensor(
            name: "o", datatype: .fp32, shape: [3],
            contents: .fixed(Support.littleEndianBytes(([.nan, .infinity, -.infinity] as [Float]).map(\.bitPattern))))
        var buffer = ByteBuffer()
        TensorJSONWriter.write(tensor, to: &buffer)
        #expect(String(buffer: buffer) == "[NaN,Infinity,-Infinity]")
    }
}

extension HostTensor {
    fileprivate var fixedBytes: [UInt8] {
        if case .fixed(let bytes) = contents { return bytes }
        return []
    }
}
