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

extension ModelSignature {
    /// Each request input's position by name, checked against the model: every name known, none twice, none of
    /// the model's inputs missing. The one check both protocols run.
    func inputPositions(_ names: [String]) throws(KServeError) -> [String: Int] {
        var byName: [String: Int] = [:]
        for (position, name) in names.enumerated() {
            guard inputs.contains(where: { $0.name == name }) else {
                throw .badRequest("unexpected inference input '\(name)' for model '\(self.name)'")
            }
            guard byName.updateValue(position, forKey: name) == nil else {
                throw .badRequest("input '\(name)' is given more than once")
            }
        }
        let missing = inputs.filter { byName[$0.name] == nil }.map(\.name)
        if !missing.isEmpty {
            throw .badRequest(
                "expected \(inputs.count) inputs but got \(names.count) for model '\(self.name)': missing input "
                    + missing.map { "'\($0)'" }.joined(separator: ", "))
        }
        return byName
    }

    /// The outputs a response holds: `requested` (name, binary) in that order, each known and asked for once, or
    /// every output of the model (as `binary`) when none is requested.
    func requestedOutputs(_ requested: [(name: String, binary: Bool)]?, binary: Bool) throws(KServeError)
        -> [RequestedOutput]
    {
        guard let requested else { return outputs.map { RequestedOutput(name: $0.name, binary: binary) } }
        var seen: Set<String> = []
        var chosen: [RequestedOutput] = []
        for output in requested {
            guard outputs.contains(where: { $0.name == output.name }) else {
                throw .badRequest("unexpected inference output '\(output.name)' for model '\(name)'")
            }
            guard seen.insert(output.name).inserted else {
                throw .badRequest("output '\(output.name)' is requested more than once")
            }
            chosen.append(RequestedOutput(name: output.name, binary: output.binary))
        }
        return chosen
    }
}
