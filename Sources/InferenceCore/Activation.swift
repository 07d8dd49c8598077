import Foundation

/// Turning logits into scores.
enum Activation {
    static func sigmoid(_ x: Float) -> Float { 1 / (1 + exp(-x)) }

    static func softmax(_ logits: [Float]) -> [Float] {
        guard let largest = logits.max() else { return [] }
        let exps = logits.map { exp($0 - largest) }
        let total = exps.reduce(0, +)
        return exps.map { $0 / total }
    }
}

/// How a classifier's logits become scores: the model's own choice (softmax, or a sigmoid per label for
/// multi-label models), or what a caller asks for (Hugging Face's `function_to_apply`).
public enum ScoreFunction: String, Sendable, Hashable {
    case softmax, sigmoid, none

    /// The scores of one input's logits.
    public func apply(_ logits: [Float]) -> [Float] {
        switch self {
        case .softmax: Activation.softmax(logits)
        case .sigmoid: logits.map(Activation.sigmoid)
        case .none: logits
        }
    }
}

/// Small vector operations used after pooling (and by routes that quantize vectors).
public enum VectorMath {
    /// Scales `vector` to unit L2 norm in place; a zero vector stays zero.
    public static func normalize(_ vector: inout [Float]) {
        var sum: Float = 0
        for value in vector { sum += value * value }
        guard sum > 0 else { return }
        let scale = 1 / sum.squareRoot()
        for i in vector.indices { vector[i] *= scale }
    }
}
