import Foundation

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
    /// What ``list(_:)`` accepts, for messages: "cpu, cuda, ... or a comma-separated list ...".
    public static let listSyntax =
        names.joined(separator: ", ") + " or a comma-separated list of them without repeats (e.g. cuda,cpu)"

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

    /// Whether this is CUDA, on any device.
    public var isCUDA: Bool { kind == .cuda }

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

    /// Parses a comma-separated preference list such as `cuda,cpu`: the first provider that starts is used, the
    /// others are fallbacks tried in order. Returns `nil` for an empty list, an unknown name or a repeat.
    public static func list(_ text: String) -> [ExecutionProvider]? {
        let names = text.split(separator: ",", omittingEmptySubsequences: false).map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        var providers: [ExecutionProvider] = []
        for name in names {
            guard let provider = ExecutionProvider(name), !providers.contains(provider) else { return nil }
            providers.append(provider)
        }
        return providers.isEmpty ? nil : providers
    }
}

/// Settings of ONNX Runtime's CUDA provider (`OrtCUDAProviderOptionsV2`), used when a session runs on CUDA.
public struct CUDASettings: Hashable, Sendable {
    /// How the provider's memory arena grows when it needs more.
    public enum ArenaExtendStrategy: String, Sendable, CaseIterable {
        /// Double the arena each time (ONNX Runtime's default): few allocations, more memory held.
        case nextPowerOfTwo = "next-power-of-two"
        /// Grow by exactly what is asked: the least memory, more allocations while shapes vary.
        case sameAsRequested = "same-as-requested"

        var ortValue: String {
            switch self {
            case .nextPowerOfTwo: "kNextPowerOfTwo"
            case .sameAsRequested: "kSameAsRequested"
            }
        }
    }

    /// How cuDNN picks convolution algorithms (image models).
    public enum ConvolutionAlgorithmSearch: String, Sendable, CaseIterable {
        /// Benchmark every algorithm once per shape (ONNX Runtime's default): the fastest kernels, a slower first run.
        case exhaustive
        /// cuDNN's heuristics: no benchmark.
        case heuristic
        /// cuDNN's default algorithm.
        case `default`

        var ortValue: String { rawValue.uppercased() }
    }

    /// The most GPU memory the provider's arena may hold, in bytes; `nil` for no limit.
    public var memoryLimit: Int?
    public var arenaExtendStrategy: ArenaExtendStrategy
    public var convolutionAlgorithmSearch: ConvolutionAlgorithmSearch

    public init(
        memoryLimit: Int? = nil, arenaExtendStrategy: ArenaExtendStrategy = .nextPowerOfTwo,
        convolutionAlgorithmSearch: ConvolutionAlgorithmSearch = .exhaustive
    ) {
        self.memoryLimit = memoryLimit
        self.arenaExtendStrategy = arenaExtendStrategy
        self.convolutionAlgorithmSearch = convolutionAlgorithmSearch
    }

    /// The provider options, by ONNX Runtime's keys, for `device`.
    func providerOptions(device: Int) -> [(key: String, value: String)] {
        var options = [
            (key: "device_id", value: String(device)),
            (key: "arena_extend_strategy", value: arenaExtendStrategy.ortValue),
            (key: "cudnn_conv_algo_search", value: convolutionAlgorithmSearch.ortValue),
        ]
        if let memoryLimit { options.append((key: "gpu_mem_limit", value: String(memoryLimit))) }
        return options
    }
}
