import InferenceCore
import Logging
import ServiceLifecycle
import Synchronization

/// One loaded raw-tensor model in the registry: serves until it is unloaded or the server shuts down,
/// then stops accepting, answers what it accepted and frees the session.
public final class RawModelHost: Sendable {
    /// The loaded model.
    public let pipeline: RawPipeline
    private let accepting = Atomic<Bool>(true)
    private let stopRequested = Latch()
    private let finished = Latch()
    private let logger: Logger

    init(pipeline: RawPipeline, logger: Logger) {
        self.pipeline = pipeline
        self.logger = logger
    }

    /// Whether new requests are taken.
    public var isAccepting: Bool { accepting.load(ordering: .acquiring) }

    /// Serves until ``stop()`` or graceful shutdown, then drains.
    func run() async {
        await stopRequested.waitUntilStopped()
        accepting.store(false, ordering: .releasing)
        do { try await pipeline.shutdown() } catch {
            logger.error("model failed to drain", metadata: ["model": "\(pipeline.name)", "error": "\(error)"])
        }
        logger.info("model drained", metadata: ["model": "\(pipeline.name)", "version": "\(pipeline.version)"])
        finished.open()
    }

    /// Stops taking requests and returns once those in flight are answered and the engines stopped.
    func stop() async {
        accepting.store(false, ordering: .releasing)
        stopRequested.open()
        await finished.wait()
    }
}
