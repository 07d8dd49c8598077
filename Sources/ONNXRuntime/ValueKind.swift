internal import CONNXRuntime

/// What kind of value a model input or output is; only tensors carry an element type and shape.
public enum ValueKind: String, Hashable, Sendable {
    /// A dense tensor: the usual case, and the only kind ``Value`` can read.
    case tensor
    /// A sparse tensor.
    case sparseTensor
    /// A sequence of values (e.g. `seq(map(int64, float))` from classic ML converters).
    case sequence
    /// A map from keys to values.
    case map
    /// An optional value.
    case optional
    /// A custom opaque type.
    case opaque
    /// A kind this binding does not know.
    case unknown

    init(_ ortValue: ONNXType) {
        switch ortValue {
        case ONNX_TYPE_TENSOR: self = .tensor
        case ONNX_TYPE_SPARSETENSOR: self = .sparseTensor
        case ONNX_TYPE_SEQUENCE: self = .sequence
        case ONNX_TYPE_MAP: self = .map
        case ONNX_TYPE_OPTIONAL: self = .optional
        case ONNX_TYPE_OPAQUE: self = .opaque
        default: self = .unknown
        }
    }
}
