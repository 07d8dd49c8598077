internal import CONNXRuntime

/// ONNX Runtime's process-wide environment: its logger and global state. Every ``Session`` needs one.
///
/// ONNX Runtime keeps a single environment per process and reference-counts it: creating a second `Environment`
/// returns the same underlying object and ignores the second log level and identifier. Create one at start-up and
/// hand it to every session; sessions keep it alive for as long as they exist.
public final class Environment: @unchecked Sendable {
    // @unchecked Sendable: the stored properties never change after init, and ONNX Runtime's environment is
    // designed to be shared by sessions running on many threads.

    /// The library this environment belongs to.
    public let library: ORTLibrary
    /// The log level the environment was created with (ignored by ORT if another environment already existed).
    public let logLevel: LogLevel
    /// The identifier ORT prefixes its log lines with.
    public let logID: String

    let handle: OpaquePointer

    /// Creates (or joins) ONNX Runtime's environment.
    /// - Parameters:
    ///   - library: the loaded ONNX Runtime.
    ///   - logLevel: the least severe message ONNX Runtime prints to standard error.
    ///   - logID: the identifier in ONNX Runtime's log lines.
    public init(library: ORTLibrary, logLevel: LogLevel = .warning, logID: String = "tern") throws(ORTError) {
        var handle: OpaquePointer?
        try library.check(library.api.pointee.CreateEnv(logLevel.ortValue, logID, &handle))
        guard let handle else {
            throw ORTError(code: .fail, message: "CreateEnv returned no environment")
        }
        self.library = library
        self.logLevel = logLevel
        self.logID = logID
        self.handle = handle
    }

    deinit {
        library.api.pointee.ReleaseEnv(handle)
    }
}
