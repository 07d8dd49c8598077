import Foundation
import ONNXRuntime
import Testing

/// Graphs built in memory with the Model Editor API run on the real ONNX Runtime, and lent weights are read in
/// place: these calls fail (or crash) if any declared slot of OrtApi or OrtModelEditorApi sits at the wrong index.
@Suite struct ModelGraphTests {
    /// Memory a test lends to a session, as a mapped checkpoint would.
    final class Lender: @unchecked Sendable {
        // @unchecked Sendable: written once in init, read-only afterwards.
        let pointer: UnsafeMutableRawBufferPointer

        init(_ values: [Float]) {
            pointer = .allocate(byteCount: values.count * 4, alignment: 64)
            values.withUnsafeBytes { pointer.copyMemory(from: $0) }
        }

        deinit { pointer.deallocate() }
    }

    /// y = relu(x · W + b) * 2, with W lent (48 floats, over the 128-byte minimum) and b and 2 written.
    static func graph(lending weights: Lender) -> ModelGraph {
        var graph = ModelGraph(name: "test-linear")
        graph.inputs = [.init(name: "x", elementType: .float, shape: [.named("batch"), .fixed(4)])]
        graph.outputs = [.init(name: "y", elementType: .float, shape: [.named("batch"), .fixed(12)])]
        let w = graph.add(
            .borrowing(
                "W", elementType: .float, shape: [4, 12], bytes: UnsafeRawBufferPointer(weights.pointer),
                owner: weights))
        let b = graph.add(.floats("b", (0..<12).map { Float($0) - 6 }, shape: [12]))
        let product = graph.node("MatMul", ["x", w])
        let shifted = graph.node("Add", [product, b])
        let relu = graph.node("Relu", [shifted])
        graph.node("Mul", [relu, graph.constant(2)], outputs: ["y"])
        return graph
    }

    @Test func aBuiltGraphComputesWhatItDescribes() throws {
        let library = try Fixtures.library()
        let environment = try Environment(library: library)
        let weights = (0..<48).map { Float($0 % 7) * 0.25 - 0.5 }
        let session = try Session(graph: Self.graph(lending: Lender(weights)), environment: environment)
        #expect(session.inputs.map(\.name) == ["x"])
        #expect(session.outputs.map(\.name) == ["y"])
        #expect(session.modelPath == "test-linear")
        let x: [Float] = [1, 2, 3, 4, -1, 0, 0.5, 2]
        let output = try session.run(["x": Tensor(x, shape: [2, 4], library: library)])[0]
        let y = try output.toArray(of: Float.self)
        for row in 0..<2 {
            for column in 0..<12 {
                var sum = Float(column) - 6
                for k in 0..<4 { sum += x[row * 4 + k] * weights[k * 12 + column] }
                #expect(abs(y[row * 12 + column] - max(sum, 0) * 2) < 1e-5)
            }
        }
    }

    @Test func theSessionKeepsLentMemoryAlive() throws {
        let library = try Fixtures.library()
        let environment = try Environment(library: library)
        weak var lender: Lender?
        var session: Session?
        do {
            let owned = Lender((0..<48).map { Float($0) })
            lender = owned
            session = try Session(graph: Self.graph(lending: owned), environment: environment)
        }
        #expect(lender != nil)
        _ = try session?.run(["x": Tensor([Float](repeating: 1, count: 4), shape: [1, 4], library: library)])
        session = nil
        #expect(lender == nil)
    }

    @Test func anInvalidGraphIsAnErrorNamingIt() throws {
        let library = try Fixtures.library()
        let environment = try Environment(library: library)
        var graph = ModelGraph(name: "broken")
        graph.inputs = [.init(name: "x", elementType: .float, shape: [.fixed(2)])]
        graph.outputs = [.init(name: "y", elementType: .float, shape: [.fixed(2)])]
        graph.node("NoSuchOperator", ["x"], outputs: ["y"])
        let error = #expect(throws: ORTError.self) { try Session(graph: graph, environment: environment) }
        #expect(error?.message.contains("NoSuchOperator") == true)
    }

    @Test func lentBytesThatDisagreeWithTheShapeAreRefused() throws {
        let library = try Fixtures.library()
        let environment = try Environment(library: library)
        let lender = Lender([Float](repeating: 0, count: 48))
        var graph = ModelGraph(name: "short")
        graph.inputs = [.init(name: "x", elementType: .float, shape: [.fixed(1), .fixed(4)])]
        graph.outputs = [.init(name: "y", elementType: .float, shape: [.fixed(1), .fixed(64)])]
        let w = graph.add(
            .borrowing(
                "W", elementType: .float, shape: [4, 64], bytes: UnsafeRawBufferPointer(lender.pointer), owner: lender))
        graph.node("MatMul", ["x", w], outputs: ["y"])
        let error = #expect(throws: ORTError.self) { try Session(graph: graph, environment: environment) }
        #expect(error?.code == .invalidArgument)
        #expect(error?.message.contains("'W'") == true)
    }
}
