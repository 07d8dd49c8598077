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
