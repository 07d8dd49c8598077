import InferenceCore
import Serving

/// A decoded and validated `POST .../infer` request: what the model runs and what the response holds.
struct InferRequest: Sendable {
    /// The client's request id, echoed in the response.
    var id: String?
    /// One tensor per model input, in the model's input order.
    var inputs: [HostTensor]
    /// The outputs to return, in response order.
    var outputs: [RequestedOutput]
}

/// One output of the response and how it is sent.
struct RequestedOutput: Sendable, Equatable {
    var name: String
    /// Sent as binary data after the JSON header rather than as JSON `data`.
    var binary: Bool
}

/// What a request is validated against: the model's name and its tensors (a `TensorModel`'s view).
struct ModelSignature: Sendable {
    var name: String
    var inputs: [TensorSpec]
    var outputs: [TensorSpec]
}

extension ModelSignature {
    init(_ pipeline: TensorModel) {
        self.init(name: pipeline.name, inputs: pipeline.inputs, outputs: pipeline.outputs)
    }
}
