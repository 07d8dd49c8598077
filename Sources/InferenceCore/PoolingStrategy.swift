/// How token vectors become one sentence vector (sentence-transformers' Pooling module).
public enum PoolingStrategy: String, Sendable, CaseIterable {
    /// Mean of the token vectors under the attention mask.
    case mean
    /// The first token's vector ([CLS]).
    case cls
    /// Per-dimension maximum over the token vectors under the attention mask.
    case max

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
        case .mean:
            for d in 0..<hidden { output[d] = 0 }
            for t in 0..<length {
                let base = t * hidden
                for d in 0..<hidden { output[d] += row[base + d] }
            }
            let scale = 1 / Float(Swift.max(length, 1))
            for d in 0..<hidden { output[d] *= scale }
        case .max:
            for d in 0..<hidden { output[d] = row[d] }
            for t in 1..<Swift.max(length, 1) {
                let base = t * hidden
                for d in 0..<hidden { output[d] = Swift.max(output[d], row[base + d]) }
            }
        }
    }
}
