import Foundation
import HummingbirdTesting
import InferenceCore
import Logging
import ONNXRuntime
import ServiceLifecycle
import ServiceLifecycleTestKit
@testable import Serving
import TernTestSupport
import Testing

@testable import TernServer

/// Runs the real application over the demo model in-process; `body` gets a router-level test client.
enum TestServer {
    static func loader() throws -> @Sendable () throws -> TextPipeline {
        let library = try ORTLibrary.load(path: RepositoryPaths.onnxRuntime())
        let directory = try ModelDirectory(url: RepositoryPaths.model())
        let environment = try Environment(library: library)
        return {
            try TextPipeline.load(
                modelID: "minilm",
                directory: directory,
                configuration: PipelineConfiguration(),
                environment: environment,
                logger: Logger(label: "test")
            )
        }
    }

    static func waitUntilReady(_ host: ModelHost) async throws {
        for _ in 0..<6000 where host.readyPipeline == nil {
            try await Task.sleep(for: .milliseconds(20))
        }
        try #require(host.readyPipeline != nil, "the model did not become ready")
    }

    /// Serves with `configuration`; the host is loaded and ready before `body` runs, and drained after.
    static func run(
        _ configuration: ServerConfiguration = ServerConfiguration(),
        _ body: @escaping @Sendable (any TestClientProtocol, ModelHost) async throws -> Void
    ) async throws {
        let host = ModelHost(modelID: "minilm", task: .embeddings, logger: Logger(label: "test"), load: try loader())
        let app = TernApplication.make(
            configuration: configuration, registry: ModelRegistry([host]), logger: Logger(label: "test"))
        try await testGracefulShutdown { trigger in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await host.run() }
                try await waitUntilReady(host)
                try await app.test(.router) { client in try await body(client, host) }
                trigger.triggerGracefulShutdown()
                try await group.waitForAll()
            }
        }
    }
}
