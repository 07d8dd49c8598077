import Foundation

/// The module list of a sentence-transformers model (`modules.json`): which stages follow the transformer.
struct SentenceTransformerModules {
    /// Directory of the Pooling module, relative to the model ("" for the root); nil when none is listed.
    var poolingPath: String?
    /// `Dense` modules after pooling, in order.
    var dense: [DenseLayer] = []
    /// Whether a Normalize module is listed.
    var normalize = false

    /// Reads `modules.json`; a model without one is a bare transformer with mean pooling.
    init(reader: ModelFileReader) throws(ModelLoadError) {
        guard let modules = try reader.array("modules.json", required: false) else {
            poolingPath = reader.exists("1_Pooling/config.json") ? "1_Pooling" : nil
            return
        }
        for case let module as [String: Any] in modules {
            guard let type = module["type"] as? String else {
                throw reader.error("modules.json", "every module needs a string 'type'")
            }
            switch type.split(separator: ".").last.map(String.init) ?? type {
            case "Transformer":
                continue
            case "Pooling":
                poolingPath = module["path"] as? String ?? ""
            case "Dense":
                guard poolingPath != nil, !normalize else {
                    throw reader.error("modules.json", "a Dense module must come after Pooling and before Normalize")
                }
                dense.append(try DenseLayer(reader: reader, path: module["path"] as? String ?? ""))
            case "Normalize":
                normalize = true
            default:
                throw reader.error(
                    "modules.json",
                    "module type '\(type)' is not supported (supported: Transformer, Pooling, Dense, Normalize)")
            }
        }
    }
}

/// A sentence-transformers `Dense` module: `activation(W · v + b)` on the pooled vector, read from its
/// directory's `config.json` and `model.safetensors` (validated like any checkpoint).
struct DenseLayer: Sendable {
    let inputs: Int
    let outputs: Int
    /// `[outputs, inputs]`, row-major.
    let weight: [Float]
    let bias: [Float]?
    let activation: Activation

    enum Activation: String, Sendable {
        case identity, tanh, relu, sigmoid, gelu
    }

    /// torch's class names for the activations.
    static let activations: [String: Activation] = [
        "Identity": .identity, "Tanh": .tanh, "ReLU": .relu, "Sigmoid": .sigmoid, "GELU": .gelu,
    ]

    init(reader: ModelFileReader, path: String) throws(ModelLoadError) {
        let configFile = path.isEmpty ? "config.json" : "\(path)/config.json"
        let config = try reader.object(configFile, required: true)!
        guard let inputs = try reader.int(config, "in_features", in: configFile), inputs > 0,
            let outputs = try reader.int(config, "out_features", in: configFile), outputs > 0
        else { throw reader.error(configFile, "in_features and out_features must be positive integers") }
        let name = (config["activation_function"] as? String) ?? "torch.nn.modules.linear.Identity"
        guard let activation = Self.activations[String(name.split(separator: ".").last ?? "")] else {
            throw reader.error(
                configFile,
                "activation_function '\(name)' is not supported (supported: "
                    + Self.activations.keys.sorted().joined(separator: ", ") + ")")
        }
        let hasBias = (config["bias"] as? Bool) ?? true
        let weightsPath = reader.directory.appendingPathComponent(path).appendingPathComponent("model.safetensors").path
        guard FileManager.default.fileExists(atPath: weightsPath) else {
            throw ModelLoadError(
                path: weightsPath, problem: "missing (a Dense module's weights must be saved as safetensors)")
        }
        let file = try SafetensorsFile(path: weightsPath)
        func floats(_ name: String, _ shape: [Int]) throws(ModelLoadError) -> [Float] {
            guard let tensor = file.tensors[name] else {
                throw ModelLoadError(path: weightsPath, problem: "tensor '\(name)': missing")
            }
            guard tensor.shape == shape else {
                throw ModelLoadError(
                    path: weightsPath, problem: "tensor '\(name)': shape \(tensor.shape), expected \(shape) from \(configFile)")
            }
            return try tensor.floats()
        }
        self.inputs = inputs
        self.outputs = outputs
        self.weight = try floats("linear.weight", [outputs, inputs])
        self.bias = hasBias ? try floats("linear.bias", [outputs]) : nil
        self.activation = activation
    }

    /// The module applied to one pooled vector of `inputs` floats.
    func apply(_ vector: [Float]) -> [Float] {
        var result = bias ?? [Float](repeating: 0, count: outputs)
        weight.withUnsafeBufferPointer { w in
            vector.withUnsafeBufferPointer { v in
                for row in 0..<outputs {
                    var sum: Float = 0
                    let base = row * inputs
                    for column in 0..<inputs { sum += w[base + column] * v[column] }
                    result[row] += sum
                }
            }
        }
        switch activation {
        case .identity: break
        case .tanh: for i in result.indices { result[i] = Foundation.tanh(result[i]) }
        case .relu: for i in result.indices { result[i] = Swift.max(result[i], 0) }
        case .sigmoid: for i in result.indices { result[i] = 1 / (1 + Foundation.exp(-result[i])) }
        case .gelu: for i in result.indices { result[i] = 0.5 * result[i] * (1 + Foundation.erf(result[i] / Float(2).squareRoot())) }
        }
        return result
    }
}
