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
