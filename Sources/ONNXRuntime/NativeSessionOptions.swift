internal import CONNXRuntime

/// The `OrtSessionOptions` built from a ``SessionOptions`` value; lives only while a session is being created.
///
/// It holds the environment because appending an execution provider logs through the environment's logger,
/// which ONNX Runtime refuses to do (an ORT_FAIL about "DefaultLogger") when no environment exists.
final class NativeSessionOptions {
    let environment: Environment
    let handle: OpaquePointer

    var library: ORTLibrary { environment.library }

    /// Empty options: ONNX Runtime's defaults.
    init(environment: Environment) throws(ORTError) {
        let library = environment.library
        var handle: OpaquePointer?
        try library.check(library.api.pointee.CreateSessionOptions(&handle))
        guard let handle else {
            throw ORTError(code: .fail, message: "CreateSessionOptions returned no options")
        }
        self.environment = environment
        self.handle = handle
    }

    /// Options carrying every setting of `options`.
    /// - Throws: `.invalidArgument` for negative or oversized thread counts, `.providerUnavailable` when the
    ///   library lacks the execution provider, or ORT's own error.
    convenience init(_ options: SessionOptions, environment: Environment) throws(ORTError) {
        try self.init(environment: environment)
        let api = library.api.pointee
        try library.check(api.SetIntraOpNumThreads(handle, Self.threadCount(options.intraOpThreads, "intraOpThreads")))
        try library.check(api.SetInterOpNumThreads(handle, Self.threadCount(options.interOpThreads, "interOpThreads")))
        try library.check(api.SetSessionGraphOptimizationLevel(handle, options.graphOptimizationLevel.ortValue))
        if !options.cpuMemoryArena { try library.check(api.DisableCpuMemArena(handle)) }
        for (key, value) in options.configEntries.sorted(by: { $0.key < $1.key }) {
            try library.check(api.AddSessionConfigEntry(handle, key, value))
        }
        try appendExecutionProvider(options.executionProvider, cuda: options.cuda)
    }

    deinit {
        library.api.pointee.ReleaseSessionOptions(handle)
    }

    private static func threadCount(_ count: Int, _ name: String) throws(ORTError) -> Int32 {
        guard let value = Int32(exactly: count), value >= 0 else {
            throw ORTError(code: .invalidArgument, message: "\(name) must be between 0 and \(Int32.max), got \(count)")
        }
        return value
    }

    /// Registers `provider` after checking that the loaded library has it.
    func appendExecutionProvider(_ provider: ExecutionProvider, cuda: CUDASettings) throws(ORTError) {
        guard provider.kind != .cpu else { return }
        let available = try library.availableProviders()
        guard available.contains(provider.ortName) else {
            throw ORTError(
                code: .providerUnavailable,
                message: "execution provider '\(provider.name)' is not available in the loaded ONNX Runtime "
                    + "\(library.version) at \(library.path) (available: \(available.joined(separator: ", ")))"
            )
        }
        switch provider.kind {
        case .cpu:
            return
        case .cuda:
            _ = try CUDAPreparation.prepare(for: library)
            do throws(ORTError) {
                try appendCUDA(cuda.providerOptions(device: provider.deviceID))
            } catch {
                throw ORTError(
                    code: .providerUnavailable,
                    message: "CUDA cannot be used: ONNX Runtime could not start its CUDA provider on device "
                        + "\(provider.deviceID): \(error.message)")
            }
        case .coreml:
            try appendProvider(named: "CoreML")
        }
    }

    /// Appends CUDA through `SessionOptionsAppendExecutionProvider_CUDA_V2` with `settings` (ORT's keys).
    func appendCUDA(_ settings: [(key: String, value: String)]) throws(ORTError) {
        let cuda = try CUDAProviderOptions(library: library)
        try cuda.update(settings)
        try library.check(library.api.pointee.SessionOptionsAppendExecutionProvider_CUDA_V2(handle, cuda.handle))
    }

    /// Appends a provider through the generic, name-keyed `SessionOptionsAppendExecutionProvider` (e.g. "CoreML").
    func appendProvider(named name: String, settings: [(key: String, value: String)] = []) throws(ORTError) {
        let keys = CStringArray(settings.map(\.key))
        let values = CStringArray(settings.map(\.value))
        try library.check(
            library.api.pointee.SessionOptionsAppendExecutionProvider(
                handle,
                name,
                keys.baseAddress,
                values.baseAddress,
                settings.count
            )
        )
    }
}
