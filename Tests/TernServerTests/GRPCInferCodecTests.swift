import Foundation
import GRPCCore
@testable import InferenceCore
import KServeGRPC
import Testing

@testable import TernServer

/// The gRPC side of KServe v2 without a socket: protobuf requests through the same validation as HTTP, typed and
/// raw contents, the response layout, `grpc-timeout` values and the status table.
@Suite struct GRPCInferCodecTests {
    static func request(
        _ model: ModelSignature, datatype: String = "FP32", shape: [Int64] = [1, 3], raw: [Data] = [],
        fill: (inout Inference_InferTensorContents) -> Void = { _ in }
    ) -> Inference_ModelInferRequest {
        var request = Inference_ModelInferRequest()
        request.modelName = model.name
        request.id = "r1"
        for spec in model.inputs {
            var input = Inference_ModelInferRequest.InferInputTensor()
            input.name = spec.name
            input.datatype = datatype
            input.shape = shape
            if raw.isEmpty {
                var contents = Inference_InferTensorContents()
                fill(&contents)
                input.contents = contents
            }
            request.inputs.append(input)
        }
        request.rawInputContents = raw
        return request
    }

    static func failure(_ body: () throws(KServeError) -> InferRequest) -> String? {
        do {
            _ = try body()
            return nil
        } catch {
            #expect(error.status == .badRequest)
            return error.message
        }
    }

    @Test func typedFP32ContentsBecomeLittleEndianBytes() throws {
        let model = KServeTestSupport.identity(.fp32)
        let decoded = try GRPCInferCodec(model: model).decode(Self.request(model) { $0.fp32Contents = [1, -2, 0.5] })
        #expect(decoded.id == "r1")
        guard case .fixed(let bytes) = decoded.inputs[0].contents else { Issue.record("not fixed"); return }
        #expect(bytes == [Float(1), -2, 0.5].flatMap { value in withUnsafeBytes(of: value.bitPattern.littleEndian) { Array($0) } })
        #expect(decoded.outputs.map(\.name) == ["OUTPUT0"])
    }

    @Test func rawContentsUseTheBinaryTensorLayout() throws {
        let model = KServeTestSupport.identity(.bytes)
        let raw = Data([1, 0, 0, 0, 0x61, 0, 0, 0, 0, 2, 0, 0, 0, 0x62, 0x63])
        let decoded = try GRPCInferCodec(model: model).decode(Self.request(model, datatype: "BYTES", raw: [raw]))
        guard case .strings(let elements) = decoded.inputs[0].contents else { Issue.record("not strings"); return }
        #expect(elements == [[0x61], [], [0x62, 0x63]])
    }

    @Test func badRequestsNameWhatIsWrong() {
        let model = KServeTestSupport.identity(.int8)
        let codec = GRPCInferCodec(model: model)
        #expect(Self.failure { () throws(KServeError) in
            try codec.decode(Self.request(model, datatype: "INT8") { $0.intContents = [1, 200, 3] })
        }?.contains("200") == true)
        #expect(Self.failure { () throws(KServeError) in
            try codec.decode(Self.request(model, datatype: "INT8") { $0.intContents = [1, 2] })
        }?.contains("2 elements") == true)
        #expect(Self.failure { () throws(KServeError) in
            try codec.decode(Self.request(model, datatype: "INT8") { $0.int64Contents = [1, 2, 3] })
        }?.contains("int_contents") == true)
        #expect(Self.failure { () throws(KServeError) in
            try codec.decode(Self.request(model, datatype: "INT8", raw: [Data([1, 2])]))
        }?.contains("'INPUT0'") == true)
        let fp16 = KServeTestSupport.identity(.fp16)
        #expect(Self.failure { () throws(KServeError) in
            try GRPCInferCodec(model: fp16).decode(Self.request(fp16, datatype: "FP16") { $0.fp32Contents = [1, 2, 3] })
        }?.contains("raw_input_contents") == true)
        var twoRaw = Self.request(KServeTestSupport.addSub, shape: [1, 4], raw: [Data(count: 16), Data(count: 16)])
        twoRaw.rawInputContents.removeLast()
        #expect(Self.failure { () throws(KServeError) in
            try GRPCInferCodec(model: KServeTestSupport.addSub).decode(twoRaw)
        }?.contains("raw_input_contents") == true)
    }

    @Test func responsesCarryEveryRequestedOutputAsRawContents() {
        let tensor = HostTensor(name: "diff", datatype: .bytes, shape: [2], contents: .strings([[0x61], []]))
        let response = GRPCInferCodec.response(
            id: "x", model: "m", version: "3", outputs: [tensor], requested: [RequestedOutput(name: "diff", binary: true)])
        #expect(response.id == "x" && response.modelVersion == "3")
        #expect(response.outputs.map(\.shape) == [[2]])
        #expect(response.rawOutputContents == [Data([1, 0, 0, 0, 0x61, 0, 0, 0, 0])])
    }

    @Test func grpcTimeoutsParseEveryUnit() {
        #expect(GRPCCall.timeout("1m") == .milliseconds(1))
        #expect(GRPCCall.timeout("250u") == .microseconds(250))
        #expect(GRPCCall.timeout("2S") == .seconds(2))
        #expect(GRPCCall.timeout("1H") == .seconds(3600))
        #expect(GRPCCall.timeout("5n") == .nanoseconds(5))
        #expect(GRPCCall.timeout("10") == nil)
        #expect(GRPCCall.timeout("123456789S") == nil)  // more than 8 digits
        #expect(GRPCCall.timeout("-1S") == nil)
    }

    @Test func failuresGetTritonsCodes() {
        #expect(GRPCStatus.code(for: .badRequest) == .invalidArgument)
        #expect(GRPCStatus.code(for: .notFound) == .notFound)
        #expect(GRPCStatus.code(for: .serviceUnavailable) == .unavailable)
        #expect(GRPCStatus.code(for: .tooManyRequests) == .resourceExhausted)
        #expect(GRPCStatus.code(for: .gatewayTimeout) == .deadlineExceeded)
        #expect(GRPCStatus.code(for: .internalServerError) == .internalError)
        let overloaded = GRPCStatus.rpcError(InferenceError(.overloaded, code: "overloaded", message: "busy"))
        #expect(overloaded.code == .resourceExhausted && overloaded.message == "busy")
        #expect(GRPCStatus.name(nil) == "OK" && GRPCStatus.name(.notFound) == "NOT_FOUND")
        #expect(GRPCStatus.name(.unauthenticated) == "UNAUTHENTICATED")
    }
}
