internal import CONNXRuntime

/// A model input or output as the model declares it.
public struct ValueInfo: Hashable, Sendable, CustomStringConvertible {
    /// The name to pass to (or expect from) ``Session/run(_:outputNames:)``.
    public let name: String
    /// Tensor, sequence, map, ...
    public let kind: ValueKind
    /// The tensor's element type; `nil` unless ``kind`` is `.tensor`.
    public let elementType: ElementType?
    /// The tensor's dimensions, -1 where the model leaves one dynamic (e.g. batch, sequence); empty for a scalar
    /// or a non-tensor.
    public let shape: [Int]

    /// Describes a value; sessions build these from the model.
    public init(name: String, kind: ValueKind, elementType: ElementType?, shape: [Int]) {
        self.name = name
        self.kind = kind
        self.elementType = elementType
        self.shape = shape
    }

    /// `input_ids: int64[-1, -1]`, or `probabilities: sequence` for non-tensors.
    public var description: String {
        guard let elementType else { return "\(name): \(kind.rawValue)" }
        return "\(name): \(elementType)\(shape)"
    }
}

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
