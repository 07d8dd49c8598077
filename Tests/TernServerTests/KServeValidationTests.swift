import InferenceCore
import Testing

@testable import TernServer

@Suite struct KServeValidationTests {
    typealias Support = KServeTestSupport

    private func input(_ name: String, _ datatype: String = "FP32", shape: String = "[1,4]", data: String = "[1,2,3,4]")
        -> String
    {
        #"{"name":"\#(name)","datatype":"\#(datatype)","shape":\#(shape),"data":\#(data)}"#
    }

    private func failure(_ inputs: [String], outputs: String = "") -> String {
        let json = #"{"inputs":[\#(inputs.joined(separator: ","))]\#(outputs)}"#
        return Support.failure(json, model: Support.addSub) ?? "accepted"
    }

    @Test func aValidRequestPassesInTheModelsInputOrder() throws {
        let json = #"{"inputs":[\#(input("b")),\#(input("a"))]}"#
        let request = try Support.decode(json, model: Support.addSub)
        #expect(request.inputs.map(\.name) == ["a", "b"])
        #expect(request.outputs.map(\.name) == ["sum", "diff"])
    }

    @Test func unknownInput() {
        #expect(failure([input("a"), input("b"), input("c")]) == "unexpected inference input 'c' for model 'add_sub'")
    }

    @Test func missingInput() {
        #expect(failure([input("a")]).contains("missing input 'b'"))
    }

    @Test func duplicateInput() {
        #expect(failure([input("a"), input("a"), input("b")]).contains("input 'a' is given more than once"))
    }

    @Test func wrongDatatype() {
        #expect(
            failure([input("a", "FP64"), input("b")])
                == "inference input 'a' data-type is 'FP64', but model 'add_sub' expects 'FP32'")
        #expect(failure([input("a", "FLOAT"), input("b")]).contains("input 'a' has datatype 'FLOAT'"))
    }

    @Test func shapeRankAndDimensionsRespectDynamicDims() {
        #expect(failure([input("a", shape: "[4]"), input("b")]).contains("unexpected shape for input 'a'"))
        #expect(failure([input("a", shape: "[1,5]", data: "[1,2,3,4,5]"), input("b")]).contains("Expected [-1,4], got [1,5]"))
        #expect(failure([input("a", shape: "[-1,4]"), input("b")]).contains("unexpected shape for input 'a'"))
        #expect(failure([input("a", shape: "[2,4]", data: "[[1,2,3,4],[5,6,7,8]]"), input("b", shape: "[2,4]", data: "[1,2,3,4,5,6,7,8]")]) == "accepted")
    }

    @Test func elementCountAgainstShape() {
        #expect(failure([input("a", data: "[1,2,3]"), input("b")]).contains("input 'a' has 3 elements in its data but its shape holds 4"))
        #expect(failure([input("a", data: "[1,2,3,4,5]"), input("b")]).contains("input 'a' has more elements"))
        #expect(failure([input("a", shape: "[4611686018427387904,4]"), input("b")]).contains("input 'a'"))
    }

    @Test func missingMembers() {
        #expect(failure([#"{"datatype":"FP32","shape":[1,4],"data":[1,2,3,4]}"#, input("b")]).contains("inputs[0] has no 'name'"))
        #expect(failure([#"{"name":"a","shape":[1,4],"data":[1,2,3,4]}"#, input("b")]).contains("input 'a' has no 'datatype'"))
        #expect(failure([#"{"name":"a","datatype":"FP32","data":[1,2,3,4]}"#, input("b")]).contains("input 'a' has no 'shape'"))
        #expect(failure([#"{"name":"a","datatype":"FP32","shape":[1,4]}"#, input("b")]).contains("input 'a' has neither"))
        #expect(Support.failure(#"{"id":"x"}"#, model: Support.addSub) == "the request has no 'inputs'")
    }

    @Test func requestedOutputs() throws {
        let unknown = failure([input("a"), input("b")], outputs: #","outputs":[{"name":"product"}]"#)
        #expect(unknown == "unexpected inference output 'product' for model 'add_sub'")
        let twice = failure([input("a"), input("b")], outputs: #","outputs":[{"name":"sum"},{"name":"sum"}]"#)
        #expect(twice.contains("output 'sum' is requested more than once"))
        let classification = failure([input("a"), input("b")], outputs: #","outputs":[{"name":"sum","parameters":{"classification":2}}]"#)
        #expect(classification.contains("classification"))
        let json = #"{"inputs":[\#(input("a")),\#(input("b"))],"parameters":{"binary_data_output":true},"outputs":[{"name":"diff"},{"name":"sum","parameters":{"binary_data":false}}]}"#
        let request = try Support.decode(json, model: Support.addSub)
        #expect(request.outputs == [RequestedOutput(name: "diff", binary: true), RequestedOutput(name: "sum", binary: false)])
    }

    @Test func noOutputsListedMeansAllInTheRequestsDefaultForm() throws {
        let json = #"{"inputs":[\#(input("a")),\#(input("b"))],"parameters":{"binary_data_output":true}}"#
        let request = try Support.decode(json, model: Support.addSub)
        #expect(request.outputs == [RequestedOutput(name: "sum", binary: true), RequestedOutput(name: "diff", binary: true)])
    }
}
