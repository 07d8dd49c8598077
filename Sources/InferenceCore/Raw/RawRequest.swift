/// One request's tensors as the raw executor runs them: validated, in the model's input order.
struct RawRequest: Sendable {
    /// One tensor per model input, in the graph's order.
    let tensors: [HostTensor]
    /// Rows along dim 0 when requests are batched together; 1 otherwise.
    let rows: Int
    /// Positions in the model's outputs of the tensors to return, in the order to return them.
    let outputs: [Int]
    /// When the request was handed to the scheduler, for queue time.
    let enqueued: ContinuousClock.Instant
}

/// What the executor answers for one request: its tensors, or why it failed (one failing group of a batch
/// does not fail the others).
typealias RawResult = Result<[HostTensor], InferenceError>
