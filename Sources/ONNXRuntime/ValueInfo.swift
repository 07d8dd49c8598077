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
