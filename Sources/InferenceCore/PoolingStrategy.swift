/// How token vectors become one sentence vector (sentence-transformers' Pooling module).
public enum PoolingStrategy: String, Sendable, CaseIterable {
    /// Mean of the token vectors under the attention mask.
    case mean
    /// The first token's vector ([CLS]).
    case cls
    /// Per-dimension maximum over the token vectors under the attention mask.
    case max
    /// The last real token's vector (decoder-style embedding models).
    case lasttoken
    /// The sum of the token vectors over the square root of their count.
    case meanSqrtLength = "mean_sqrt_len"

    /// Pools one row of `[tokens x hidden]` floats whose first `length` tokens are real.
    /// - Parameters:
    ///   - row: the row's token vectors, `tokens x hidden` contiguous floats.
    ///   - length: how many leading tokens are real (not padding); at least 1.
    ///   - hidden: the vector width.
    ///   - output: where the `hidden` pooled values go.
    func pool(
        row: UnsafeBufferPointer<Float>,
        length: Int,
        hidden: Int,
        into output: UnsafeMutableBufferPointer<Float>
    ) {
        switch self {
        case .cls:
            for d in 0..<hidden { output[d] = row[d] }
        case .mean, .meanSqrtLength:
            for d in 0..<hidden { output[d] = 0 }
            for t in 0..<length {
                let base = t * hidden
                for d in 0..<hidden { output[d] += row[base + d] }
            }
            let count = Float(Swift.max(length, 1))
            let scale = self == .mean ? 1 / count : 1 / count.squareRoot()
            for d in 0..<hidden { output[d] *= scale }
        case .lasttoken:
            let base = (Swift.max(length, 1) - 1) * hidden
            for d in 0..<hidden { output[d] = row[base + d] }
        case .max:
            for d in 0..<hidden { output[d] = row[d] }
            for t in 1..<Swift.max(length, 1) {
                let base = t * hidden
                for d in 0..<hidden { output[d] = Swift.max(output[d], row[base + d]) }
            }
        }
    }
}
