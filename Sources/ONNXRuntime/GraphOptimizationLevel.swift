internal import CONNXRuntime

/// How much ONNX Runtime rewrites the model's graph when a session loads it.
public enum GraphOptimizationLevel: String, Sendable, CaseIterable {
    /// No rewriting: run the graph as stored.
    case disabled
    /// Semantics-preserving clean-ups such as constant folding and redundant-node removal.
    case basic
    /// `basic` plus operator fusions (e.g. attention, layer norm, GELU).
    case extended
    /// Everything, including layout optimisations; ONNX Runtime's default.
    case all

    var ortValue: CONNXRuntime.GraphOptimizationLevel {
        switch self {
        case .disabled: ORT_DISABLE_ALL
        case .basic: ORT_ENABLE_BASIC
        case .extended: ORT_ENABLE_EXTENDED
        case .all: ORT_ENABLE_ALL
        }
    }
}
