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

    /// Whether the tensor exists (under the prefix unless `absolute`).
    func has(_ name: String, absolute: Bool = false) -> Bool {
        checkpoint.tensors[(absolute ? "" : prefix) + name] != nil
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
            guard [.f32, .f16, .bf16].contains(tensor.dtype) else {
                throw error(base + candidate, "dtype \(tensor.dtype.rawValue), expected F32, F16 or BF16")
            }
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

    static func initializer(_ tensor: CheckpointTensor) -> ModelGraph.Initializer {
        switch tensor.dtype {
        case .f16:
            return .writing(tensor.name, elementType: .float, shape: tensor.shape) { out in
                Self.widen(tensor.bytes, into: out, Self.halfToFloat)
            }
        case .bf16:
            return .writing(tensor.name, elementType: .float, shape: tensor.shape) { out in
                Self.widen(tensor.bytes, into: out) { Float(bitPattern: UInt32($0) << 16) }
            }
        default:
            return .borrowing(
                tensor.name, elementType: .float, shape: tensor.shape, bytes: tensor.bytes, owner: tensor.file)
        }
    }

    /// Reads 16-bit little-endian values from `bytes` and writes them as Floats into `out`.
    private static func widen(
        _ bytes: UnsafeRawBufferPointer, into out: UnsafeMutableRawBufferPointer, _ convert: (UInt16) -> Float
    ) {
        let count = Swift.min(bytes.count / 2, out.count / 4)
        let target = out.bindMemory(to: Float.self)
        for index in 0..<count {
            let bits = UInt16(bytes[2 * index]) | UInt16(bytes[2 * index + 1]) << 8
            target[index] = convert(bits)
        }
    }

    /// IEEE 754 half to single precision, subnormals, infinities and NaN included.
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
