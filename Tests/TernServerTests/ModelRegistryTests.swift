import Foundation
import InferenceCore
import Logging
import ONNXRuntime
@testable import Serving
import TernTestSupport
import Testing

@testable import TernServer

/// The dynamic registry over a scratch copy of the tiny v2 models (`scripts/make-v2-test-models`).
@Suite struct ModelRegistryTests {
    /// A scratch repository holding copies of `models` from models/v2 (and `broken` from models/v2-broken).
    static func repository(_ models: [String], configs: [String: String] = [:]) throws -> URL {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("tern-registry-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        for model in models {
            let source =
                model == "broken"
                ? try RepositoryPaths.model("v2-broken").appendingPathComponent(model)
                : try RepositoryPaths.model("v2").appendingPathComponent(model)
            try FileManager.default.copyItem(at: source, to: root.appendingPathComponent(model))
        }
        for (model, config) in configs {
            try Data(config.utf8).write(to: root.appendingPathComponent("\(model)/config.yaml"))
        }
        return root
    }

    /// Runs a registry over `root` for the duration of `body`, then stops it.
    static func withRegistry(_ root: URL, _ body: (ModelRegistry) async throws -> Void) async throws {
        let environment = try Environment(library: ORTLibrary.load(path: RepositoryPaths.onnxRuntime()))
        let factory = PipelineFactory(environment: environment, base: PipelineConfiguration(), logger: Logger(label: "test"))
        let source = RepositorySource(repository: try ModelRepository(root: root), factory: factory)
        let registry = ModelRegistry([], repository: source, logger: Logger(label: "test"))
        let running = Task { try await registry.run() }
        // Generous: the whole suite runs in parallel on small CI machines.
        for _ in 0..<6000 where !registry.isReady { try await Task.sleep(for: .milliseconds(10)) }
        #expect(registry.isReady)
        do { try await body(registry) } catch {
            running.cancel()
            try? await running.value
            throw error
        }
        running.cancel()
        try await running.value
    }

    static func request(_ value: Float) -> [HostTensor] {
        let values: [Float] = [value, value, value]
        return [HostTensor(name: "INPUT0", datatype: .fp32, shape: [1, 3], contents: .fixed(values.withUnsafeBytes { Array($0) }))]
    }

    @Test func everyModelIsLoadedAtStartAndListed() async throws {
        try await Self.withRegistry(try Self.repository(["identity_fp32", "add_sub", "versioned"])) { registry in
            let index = registry.repositoryIndex()
            #expect(index.map(\.name) == ["add_sub", "identity_fp32", "versioned"])
            #expect(index.allSatisfy { $0.state == .ready })
            #expect(index.first { $0.name == "versioned" }?.version == "2")
            let pipeline = try registry.rawPipeline(named: "versioned", version: nil)
            #expect(pipeline.version == "2")
            #expect(throws: ModelLookupError.self) { try registry.rawPipeline(named: "versioned", version: "1") }
            let unknown = #expect(throws: ModelLookupError.self) { try registry.rawPipeline(named: "nope", version: nil) }
            #expect(unknown?.kind == .notFound)
            #expect(registry.hosts.isEmpty)
            #expect(throws: ModelLookupError.self) { try registry.defaultHost }
        }
    }

    @Test func unloadLetsInFlightRequestsFinishThenRemovesTheModel() async throws {
        // A long batch wait keeps requests queued while the unload starts.
        let root = try Self.repository(["identity_fp32"], configs: ["identity_fp32": "task: raw\nmax_batch_wait_ms: 300\n"])
        try await Self.withRegistry(root) { registry in
            let pipeline = try registry.rawPipeline(named: "identity_fp32", version: nil)
            let inFlight = (0..<6).map { index in
                Task { try await pipeline.infer(Self.request(Float(index)), outputs: nil, deadline: nil) }
            }
            try await Task.sleep(for: .milliseconds(50))
            try await registry.unload("identity_fp32")
            for task in inFlight { #expect(try await task.value.outputs.count == 1) }
            let gone = #expect(throws: ModelLookupError.self) { try registry.rawPipeline(named: "identity_fp32", version: nil) }
            #expect(gone?.kind == .notFound)
            let entry = registry.repositoryIndex().first { $0.name == "identity_fp32" }
            #expect(entry?.state == .unavailable)
            #expect(entry?.reason == "unloaded")
            // The old pipeline refuses new work; loading again serves it again.
            let refused = await #expect(throws: InferenceError.self) {
                try await pipeline.infer(Self.request(1), outputs: nil, deadline: nil)
            }
            #expect(refused?.kind == .shuttingDown)
            try await registry.load("identity_fp32")
            #expect(try await registry.rawPipeline(named: "identity_fp32", version: nil).infer(Self.request(2), outputs: nil, deadline: nil).outputs.count == 1)
        }
    }

    @Test func aBrokenModelFailsItsLoadAndTheOthersKeepServing() async throws {
        try await Self.withRegistry(try Self.repository(["identity_fp32", "broken"])) { registry in
            let entry = registry.repositoryIndex().first { $0.name == "broken" }
            #expect(entry?.state == .unavailable)
            #expect(entry?.reason.isEmpty == false)
            let error = await #expect(throws: RepositoryError.self) { try await registry.load("broken") }
            #expect(error?.kind == .loadFailed)
            #expect(error?.message.contains("broken") == true)
            let notReady = #expect(throws: ModelLookupError.self) { try registry.rawPipeline(named: "broken", version: nil) }
            #expect(notReady?.kind == .notReady)
            let pipeline = try registry.rawPipeline(named: "identity_fp32", version: nil)
            #expect(try await pipeline.infer(Self.request(3), outputs: nil, deadline: nil).outputs.count == 1)
        }
    }

    @Test func namesAreValidatedAndUnknownModelsAreNotFound() async throws {
        try await Self.withRegistry(try Self.repository(["identity_fp32"])) { registry in
            for bad in ["..", "../identity_fp32", "a/b", ""] {
                let load = await #expect(throws: RepositoryError.self) { try await registry.load(bad) }
                #expect(load?.kind == .invalidName, "\(bad)")
                let unload = await #expect(throws: RepositoryError.self) { try await registry.unload(bad) }
                #expect(unload?.kind == .invalidName, "\(bad)")
            }
            let missing = await #expect(throws: RepositoryError.self) { try await registry.load("nope") }
            #expect(missing?.kind == .notFound)
        }
    }

    @Test func reloadPicksUpANewVersionWithoutFailingConcurrentRequests() async throws {
        let root = try Self.repository(["versioned", "identity_fp32"])
        let version2 = root.appendingPathComponent("versioned/2")
        let parked = root.deletingLastPathComponent().appendingPathComponent("\(root.lastPathComponent)-parked")
        try FileManager.default.moveItem(at: version2, to: parked)
        try await Self.withRegistry(root) { registry in
            #expect(try registry.rawPipeline(named: "versioned", version: nil).version == "1")
            let traffic = Task {
                var answered = 0
                for index in 0..<200 {
                    let other = try registry.rawPipeline(named: "identity_fp32", version: nil)
                    _ = try await other.infer(Self.request(Float(index)), outputs: nil, deadline: nil)
                    answered += 1
                }
                return answered
            }
            try FileManager.default.moveItem(at: parked, to: version2)
            try await registry.load("versioned")
            #expect(try registry.rawPipeline(named: "versioned", version: nil).version == "2")
            try await registry.unload("versioned")
            try await registry.load("versioned")
            #expect(try await traffic.value == 200)
        }
    }

    @Test func aSentenceTransformersVersionDirectoryIsServedOnTheTextRoutes() async throws {
        let root = try Self.repository(["identity_fp32"])
        try FileManager.default.createDirectory(at: root.appendingPathComponent("st"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(
            at: root.appendingPathComponent("st/1"), withDestinationURL: try RepositoryPaths.model())
        try await Self.withRegistry(root) { registry in
            let host = try #require(registry.host(named: "st"))
            #expect(host.task == .embeddings)
            #expect(host.readyPipeline != nil, "isReady waits for text models to warm up")
            #expect(registry.hosts.map(\.modelID) == ["st"])
            #expect(try registry.defaultHost.modelID == "st")
            #expect(registry.repositoryIndex().first { $0.name == "st" } == RepositoryEntry(name: "st", version: "1", state: .ready))
            let raw = #expect(throws: ModelLookupError.self) { try registry.rawPipeline(named: "st", version: nil) }
            #expect(raw?.kind == .notFound)
            try await registry.unload("st")
            #expect(registry.host(named: "st") == nil)
            #expect(registry.hosts.isEmpty)
            if case .draining = host.current {} else { Issue.record("an unloaded text model reports draining") }
        }
    }
}
