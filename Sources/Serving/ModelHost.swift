import Foundation
import InferenceCore
import Logging
import Metrics
import ONNXRuntime
import Scheduler
import ServiceLifecycle
import Synchronization

/// What a host serves: a pipeline that warms up before it reports ready and drains on shutdown.
public protocol HostedPipeline: Sendable {
    /// What the model does, known from its directory before it loads.
    associatedtype Task: Sendable
    /// The name clients use.
    var modelID: String { get }
    /// The execution provider its session runs on.
    var executionProvider: ExecutionProvider { get }
    func warmUp() async throws(InferenceError)
    func shutdown() async throws
}

extension TextPipeline: HostedPipeline {
    public typealias Task = ModelTask
}

extension ImagePipeline: HostedPipeline {
    public typealias Task = ImageTask
    public var modelID: String { name }
}

/// Why a host has no pipeline to serve a request.
public enum HostUnavailable: Error, Sendable {
    case loading
    case draining
}

/// A `--model` text model's host.
public typealias ModelHost = PipelineHost<TextPipeline>
/// A `--model` image model's host.
public typealias ImageModelHost = PipelineHost<ImagePipeline>

/// Owns one served model's life: loads it off the event loops after the server is listening, warms it
/// up, reports ready, and on graceful shutdown drains it. A `Service` in the process's `ServiceGroup`.
public final class PipelineHost<Pipeline: HostedPipeline>: Service {
    /// Where the model is in its life, as `/health` reports it.
    public enum Phase: Sendable {
        case loading
        case ready(Pipeline)
        case draining
    }

    /// The name clients use for the model.
    public let modelID: String
    /// What the model does, known from its directory before it loads.
    public let task: Pipeline.Task
    private let phase = Mutex<Phase>(.loading)
    private let load: @Sendable () throws -> Pipeline
    private let logger: Logger
    private let stopRequested = Latch()
    private let finished = Latch()

    /// - Parameters:
    ///   - modelID: the name clients use.
    ///   - task: what the model does.
    ///   - logger: receives load and warm-up times.
    ///   - load: builds the pipeline; blocking, run on a thread of its own.
    public init(
        modelID: String,
        task: Pipeline.Task,
        logger: Logger,
        load: @escaping @Sendable () throws -> Pipeline
    ) {
        self.modelID = modelID
        self.task = task
        self.logger = logger
        self.load = load
    }

    /// The current phase.
    public var current: Phase { phase.withLock { $0 } }

    /// The pipeline when it is ready to take requests.
    public var readyPipeline: Pipeline? {
        if case .ready(let pipeline) = current { return pipeline }
        return nil
    }

    /// The pipeline, or why there is none.
    public func requirePipeline() throws(HostUnavailable) -> Pipeline {
        switch current {
        case .ready(let pipeline): return pipeline
        case .loading: throw .loading
        case .draining: throw .draining
        }
    }

    public func run() async throws {
        defer { finished.open() }
        let clock = ContinuousClock()
        let loadStart = clock.now
        let pipeline = try await LoadThread.run(load)
        let loaded = clock.now
        Gauge(label: "tern_model_load_seconds", dimensions: [("model", modelID)])
            .record(Double((loaded - loadStart).wholeNanoseconds) / 1e9)
        ExecutionProviderGauge.record(model: modelID, provider: pipeline.executionProvider)
        logger.info(
            "model loaded",
            metadata: [
                "model": "\(pipeline.modelID)", "seconds": "\(seconds(loaded - loadStart))",
                "execution_provider": "\(pipeline.executionProvider)",
            ])
        try await pipeline.warmUp()
        logger.info(
            "model warmed up",
            metadata: ["model": "\(pipeline.modelID)", "seconds": "\(seconds(clock.now - loaded))"]
        )
        phase.withLock { $0 = .ready(pipeline) }
        await stopRequested.waitUntilStopped()
        phase.withLock { $0 = .draining }
        try await pipeline.shutdown()
        logger.info("model drained", metadata: ["model": "\(pipeline.modelID)"])
    }

    /// Stops taking requests (the model reports draining) and returns once those in flight are answered
    /// and the engines stopped; used when the model is unloaded or replaced.
    func stop() async {
        phase.withLock { if case .ready = $0 { $0 = .draining } }
        stopRequested.open()
        await finished.wait()
    }

    private func seconds(_ duration: Duration) -> String {
        let (whole, attoseconds) = duration.components
        return String(format: "%.3f", Double(whole) + Double(attoseconds) / 1e18)
    }
}

/// Runs one blocking model load on a thread of its own: loads are rare and long, and must not queue behind
/// (or hold up) the work of a shared thread pool.
enum LoadThread {
    static func run<Result: Sendable>(_ work: @escaping @Sendable () throws -> Result) async throws -> Result {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread {
                continuation.resume(with: Swift.Result { try work() })
            }
            thread.name = "tern-model-load"
            thread.start()
        }
    }
}

/// A one-way gate: tasks wait until it opens; once open it stays open.
final class Latch: Sendable {
    private struct State {
        var isOpen = false
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Mutex(State())

    /// Whether the latch has opened.
    var isOpen: Bool { state.withLock { $0.isOpen } }

    /// Opens the latch and releases every waiter; later calls do nothing.
    func open() {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            if state.isOpen { return [] }
            state.isOpen = true
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Returns once the latch is open.
    func wait() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let resumeNow = state.withLock { state -> Bool in
                if state.isOpen { return true }
                state.waiters.append(continuation)
                return false
            }
            if resumeNow { continuation.resume() }
        }
    }
}

extension Latch {
    /// Returns once the latch opens, the task is cancelled, or graceful shutdown begins (each opens it): how a
    /// hosted model serves until it is stopped.
    func waitUntilStopped() async {
        await withGracefulShutdownHandler {
            await withTaskCancellationHandler {
                await wait()
            } onCancel: {
                open()
            }
        } onGracefulShutdown: {
            self.open()
        }
    }
}

/// `tern_model_execution_provider{model, provider}`: 1 for the provider each loaded model runs on, so dashboards
/// and alerts see a model that fell back from `cuda` to `cpu`.
enum ExecutionProviderGauge {
    static func record(model: String, provider: ExecutionProvider) {
        Gauge(label: "tern_model_execution_provider", dimensions: [("model", model), ("provider", "\(provider)")])
            .record(1)
    }
}
