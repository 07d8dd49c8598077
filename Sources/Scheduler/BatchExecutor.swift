/// What a pipeline gives the scheduler: how big an input is, and how to compute a batch of them.
public protocol BatchExecutor: Sendable {
    associatedtype Input: Sendable
    associatedtype Output: Sendable

    /// The length this input takes in a padded batch (for text models, its token count).
    func tokenCount(of input: Input) -> Int

    /// Computes one batch, returning one output per input in order.
    ///
    /// Called on a scheduler engine thread, never on an event loop or the cooperative pool, so it may
    /// block for as long as the model runs.
    /// - Parameters:
    ///   - batch: the inputs, in batch order.
    ///   - engine: which engine runs it (0 ..< engines), for per-engine scratch state.
    func execute(_ batch: [Input], engine: Int) throws -> [Output]
}
