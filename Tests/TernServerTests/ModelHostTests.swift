import Foundation
import Hummingbird
import InferenceCore
import HummingbirdTesting
import Logging
import ServiceLifecycle
import ServiceLifecycleTestKit
@testable import Serving
import Synchronization
import Testing

@testable import TernServer

@Suite struct ModelHostTests {
    @Test func healthIsUnavailableWhileLoadingAndInferenceRoutesSay503() async throws {
        let release = Mutex(false)
        let load = try TestServer.loader()
        let host = ModelHost(modelID: "m", task: .embeddings, logger: Logger(label: "test")) {
            while !release.withLock({ $0 }) { usleep(5_000) }
            return try load()
        }
        let app = TernApplication.make(
            configuration: ServerConfiguration(), registry: ModelRegistry([host]), logger: Logger(label: "test"))
        try await testGracefulShutdown { trigger in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await host.run() }
                try await app.test(.router) { client in
                    let loading = try await client.execute(uri: "/health", method: .get)
                    #expect(loading.status == .serviceUnavailable)
                    #expect(String(buffer: loading.body) == #"{"status":"loading"}"#)
                    let early = try await client.execute(uri: "/v1/embeddings", method: .post, body: ByteBuffer(string: #"{"input":"x"}"#))
                    #expect(early.status == .serviceUnavailable)
                    #expect(String(buffer: early.body).contains(#""code":"model_not_ready""#))
                    release.withLock { $0 = true }
                    try await TestServer.waitUntilReady(host)
                    #expect(try await client.execute(uri: "/health", method: .get).status == .ok)
                    trigger.triggerGracefulShutdown()
                    for _ in 0..<200 {
                        if case .draining = host.current { break }
                        try await Task.sleep(for: .milliseconds(10))
                    }
                    let draining = try await client.execute(uri: "/health", method: .get)
                    #expect(draining.status == .serviceUnavailable)
                    #expect(String(buffer: draining.body) == #"{"status":"draining"}"#)
                }
                try await group.waitForAll()
            }
        }
    }

    @Test func aModelThatFailsToLoadEndsTheHostWithItsError() async throws {
        struct Broken: Error {}
        let host = ModelHost(modelID: "m", task: .embeddings, logger: Logger(label: "test")) { throw Broken() }
        await #expect(throws: Broken.self) { try await host.run() }
    }

    @Test func stopAnswersRequestsInFlightThenEndsTheHost() async throws {
        let host = ModelHost(modelID: "m", task: .embeddings, logger: Logger(label: "test"), load: try TestServer.loader())
        let running = Task { try await host.run() }
        try await TestServer.waitUntilReady(host)
        guard case .embeddings(let pipeline) = try #require(host.readyPipeline) else {
            Issue.record("not an embedding model")
            return
        }
        let inFlight = (0..<8).map { index in Task { try await pipeline.embed([.text("sentence \(index)")]) } }
        await host.stop()
        try await running.value
        if case .draining = host.current {} else { Issue.record("a stopped host reports draining") }
        // Every request accepted before the stop is answered; none is lost.
        var answered = 0
        for task in inFlight {
            do {
                _ = try await task.value
                answered += 1
            } catch let error as InferenceError {
                #expect(error.kind == .shuttingDown, "only requests that arrived after the stop are refused")
            }
        }
        #expect(answered > 0)
        let late = await #expect(throws: InferenceError.self) { try await pipeline.embed([.text("late")]) }
        #expect(late?.kind == .shuttingDown)
    }
}
