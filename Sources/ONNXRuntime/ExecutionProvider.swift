/// The hardware backend a session runs on.
///
/// `cuda` and `coreml` are always accepted here; whether the loaded ONNX Runtime actually contains them is checked
/// when a ``Session`` is created, which fails with `ORTError.Code.providerUnavailable` if not.
public struct ExecutionProvider: Hashable, Sendable, CustomStringConvertible {
    enum Kind: Hashable, Sendable {
        case cpu
        case cuda
        case coreml
    }

    let kind: Kind
    /// The GPU to use, for providers that have devices (`cuda`); 0 otherwise.
    public let deviceID: Int

    private init(_ kind: Kind, deviceID: Int = 0) {
        self.kind = kind
        self.deviceID = deviceID
    }

    /// ONNX Runtime's built-in CPU provider; always available.
    public static let cpu = ExecutionProvider(.cpu)
    /// NVIDIA CUDA on device 0 (needs an onnxruntime-gpu build).
    public static let cuda = ExecutionProvider(.cuda)
    /// Apple Core ML (needs a macOS or iOS build of ONNX Runtime).
    public static let coreml = ExecutionProvider(.coreml)

    /// NVIDIA CUDA on the given device.
    public static func cuda(deviceID: Int) -> ExecutionProvider {
        ExecutionProvider(.cuda, deviceID: deviceID)
    }

    /// The names ``init(_:)`` accepts, for help texts.
    public static let names = ["cpu", "cuda", "cuda:<device>", "coreml"]

    /// Parses a provider name as given on the command line: `cpu`, `cuda`, `cuda:1`, `coreml`, or ONNX Runtime's
    /// own names (`CUDAExecutionProvider`); case-insensitive. Returns `nil` for anything else.
    public init?(_ name: String) {
        let lowered = name.lowercased()
        switch lowered {
        case "cpu", "cpuexecutionprovider":
            self = .cpu
        case "cuda", "cudaexecutionprovider":
            self = .cuda
        case "coreml", "coremlexecutionprovider":
            self = .coreml
        default:
            guard lowered.hasPrefix("cuda:"), let device = Int(lowered.dropFirst("cuda:".count)), device >= 0 else {
                return nil
            }
            self = .cuda(deviceID: device)
        }
    }

    /// The short name: `cpu`, `cuda`, `coreml`.
    public var name: String {
        switch kind {
        case .cpu: "cpu"
        case .cuda: "cuda"
        case .coreml: "coreml"
        }
    }

    /// The name ONNX Runtime lists in its available providers, e.g. `CUDAExecutionProvider`.
    public var ortName: String {
        switch kind {
        case .cpu: "CPUExecutionProvider"
        case .cuda: "CUDAExecutionProvider"
        case .coreml: "CoreMLExecutionProvider"
        }
    }

    /// `cpu`, `cuda`, `cuda:1`, `coreml`: the form ``init(_:)`` parses back.
    public var description: String {
        kind == .cuda && deviceID != 0 ? "cuda:\(deviceID)" : name
    }
}
