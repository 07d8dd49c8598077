import ONNXRuntime

/// A checkpoint's tensors as graph initializers, looked up under the model's prefix (`bert.`, `roberta.`, ...)
/// with their shapes checked against what the architecture expects. fp32 tensors are lent to ONNX Runtime in
/// place from the mapped file; F16 and BF16 ones are widened to fp32 once, straight into ONNX Runtime's buffer.
struct CheckpointWeights {
    let checkpoint: Checkpoint
    /// Prepended to every name looked up (found once from the embedding table's name).
    let prefix: String

    /// - Parameter prefixes: candidates tried in order; the first under which `probe` exists is used.
    init(_ checkpoint: Checkpoint, probe: String, prefixes: [String]) throws(ModelLoadError) {
        self.checkpoint = checkpoint
        guard let prefix = prefixes.first(where: { checkpoint.tensors[$0 + probe] != nil }) else {
            throw ModelLoadError(
                path: checkpoint.path,
                problem: "tensor '\(probe)' is missing (looked for it under the prefixes "
                    + prefixes.map { "'\($0)'" }.joined(separator: ", ") + ")")
        }
        self.prefix = prefix
    }

    func error(_ name: String, _ problem: String) -> ModelLoadError {
        ModelLoadError(path: checkpoint.path, problem: "tensor '\(name)': \(problem)")
    }

    /// The tensor `name` (under the prefix unless `absolute`; `alternatives` are older spellings such as
    /// `LayerNorm.gamma`), which must have `shape`.
    func tensor(_ name: String, shape: [Int], absolute: Bool = false, alternatives: [String] = []) throws(ModelLoadError)
        -> CheckpointTensor
    {
        let base = absolute ? "" : prefix
        for candidate in [name] + alternatives {
            guard let tensor = checkpoint.tensors[base + candidate] else { continue }
            guard tensor.shape == shape else {
                throw error(base + candidate, "shape \(tensor.shape), expected \(shape) from config.json")
            }
            try tensor.requireFloatingPoint()
            return tensor
        }
        throw error(base + name, "missing")
    }

    /// The tensor as an fp32 initializer named as in the checkpoint.
    func initializer(_ name: String, shape: [Int], absolute: Bool = false, alternatives: [String] = [])
        throws(ModelLoadError) -> ModelGraph.Initializer
    {
        Self.initializer(try tensor(name, shape: shape, absolute: absolute, alternatives: alternatives))
    }

    /// fp32 tensors are lent in place; F16 and BF16 ones are widened into ONNX Runtime's buffer.
    static func initializer(_ tensor: CheckpointTensor) -> ModelGraph.Initializer {
        guard tensor.dtype == .f32 else {
            return .writing(tensor.name, elementType: .float, shape: tensor.shape) { tensor.writeFloats(into: $0) }
        }
        return .borrowing(
            tensor.name, elementType: .float, shape: tensor.shape, bytes: tensor.bytes, owner: tensor.file)
    }

    /// Reads 16-bit little-endian values from `bytes` and writes them as Floats into `out`.
    fileprivate static func widen(
        _ bytes: UnsafeRawBufferPointer, into out: UnsafeMutableRawBufferPointer, _ convert: (UInt16) -> Float
    ) {
        let count = Swift.min(bytes.count / 2, out.count / 4)
        let target = out.bindMemory(to: Float.self)
        for index in 0..<count {
            let bits = UInt16(bytes[2 * index]) | UInt16(bytes[2 * index + 1]) << 8
            target[index] = convert(bits)
        }
    }

    /// IEEE 754 half to single precision, subnormals, infinities and NaN included (Swift's `Float16` is not
    /// available on x86-64 macOS).
    static func halfToFloat(_ bits: UInt16) -> Float {
        let sign = UInt32(bits & 0x8000) << 16
        let exponent = Int(bits >> 10 & 0x1F)
        let mantissa = UInt32(bits & 0x3FF)
        switch exponent {
        case 0:
            // Zero or subnormal: mantissa x 2^-24.
            let value = Float(mantissa) * Float(bitPattern: 0x3380_0000)
            return sign == 0 ? value : -value
        case 31:
            return Float(bitPattern: sign | 0x7F80_0000 | mantissa << 13)
        default:
            return Float(bitPattern: sign | UInt32(exponent + 112) << 23 | mantissa << 13)
        }
    }
}

extension CheckpointTensor {
    /// Refuses tensors that are not F32, F16 or BF16, naming the file and the tensor.
    func requireFloatingPoint() throws(ModelLoadError) {
        guard [.f32, .f16, .bf16].contains(dtype) else {
            throw ModelLoadError(
                path: file.path, problem: "tensor '\(name)': dtype \(dtype.rawValue), expected F32, F16 or BF16")
        }
    }

    /// Writes the values as fp32 into `out` (`elementCount * 4` bytes); F32, F16 or BF16 only.
    func writeFloats(into out: UnsafeMutableRawBufferPointer) {
        switch dtype {
        case .f16: CheckpointWeights.widen(bytes, into: out, CheckpointWeights.halfToFloat)
        case .bf16: CheckpointWeights.widen(bytes, into: out) { Float(bitPattern: UInt32($0) << 16) }
        default: out.copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes.prefix(out.count)))
        }
    }

    /// A copy of the values as fp32 (small tensors, such as a Dense module's).
    func floats() throws(ModelLoadError) -> [Float] {
        try requireFloatingPoint()
        var values = [Float](repeating: 0, count: elementCount)
        values.withUnsafeMutableBytes { writeFloats(into: $0) }
        return values
    }
}

/// A linear layer's `[out, in]` weight quantised to int8 for `DynamicQuantizeMatMul`: symmetric per output channel
/// (zero point 0, `scale[n]` = the row's largest |w| / 127, a row of zeros gets scale 1), values rounded to
/// nearest and stored transposed, `[in, out]` row-major.
struct Int8Weights: Sendable {
    /// `[in, out]`: `values[k * out + n]` is `w[n][k] / scale[n]`, rounded, in -127...127.
    let values: [Int8]
    /// One per output channel.
    let scales: [Float]

    /// Nil when a value is NaN or infinite (a broken checkpoint; quantising it would be meaningless).
    /// - Precondition: `weight.count == outputs * inputs`.
    init?(_ weight: [Float], outputs: Int, inputs: Int) {
        precondition(weight.count == outputs * inputs, "weight of \(weight.count) values is not [\(outputs), \(inputs)]")
        var scales = [Float](repeating: 1, count: outputs)
        var values = [Int8](repeating: 0, count: outputs * inputs)
        for row in 0..<outputs {
            var largest: Float = 0
            for column in 0..<inputs {
                let value = weight[row * inputs + column]
                guard value.isFinite else { return nil }
                largest = Swift.max(largest, abs(value))
            }
            let scale = largest > 0 ? largest / 127 : 1
            scales[row] = scale
            for column in 0..<inputs {
                let step = (weight[row * inputs + column] / scale).rounded(.toNearestOrEven)
                values[column * outputs + row] = Int8(Swift.max(-127, Swift.min(127, step)))
            }
        }
        self.values = values
        self.scales = scales
    }
}
