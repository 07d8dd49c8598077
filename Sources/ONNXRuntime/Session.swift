internal import CONNXRuntime

/// A model loaded into ONNX Runtime and ready to run.
///
/// Create sessions once and share them: ``run(_:outputNames:)`` may be called from several threads at the same
/// time on one session (ONNX Runtime guarantees `Run` is thread-safe, and nothing in a session changes after
/// creation). Each run blocks its calling thread until the model finishes, so call it from threads of your own,
/// never from an event loop.
public final class Session: @unchecked Sendable {
    // @unchecked Sendable: every stored property is immutable after init. The OrtSession is only used through
    // `Run`, which ONNX Runtime documents as safe to call concurrently, and through `ReleaseSession` in deinit,
    // which runs once no thread holds the session any more.

    /// The environment the session was created in; kept alive by the session.
    public let environment: Environment
    /// The model file the session was loaded from (external weights are read from beside it), or the name of
    /// the in-memory graph it was built from.
    public let modelPath: String
    /// The options the session was created with.
    public let options: SessionOptions
    /// The model's inputs, in the model's order.
    public let inputs: [ValueInfo]
    /// The model's outputs, in the model's order.
    public let outputs: [ValueInfo]

    let handle: OpaquePointer
    /// `inputs`' names as C strings, in the same order, for `Run`.
    let inputNames: CStringArray
    /// `outputs`' names as C strings, in the same order, for `Run`.
    let outputNames: CStringArray
    /// Position of each output by name.
    let outputIndex: [String: Int]
    /// What owns memory the session reads in place (a mapped checkpoint); released after the session.
    let lentMemory: [any Sendable & AnyObject]

    /// The library the session runs on.
    public var library: ORTLibrary { environment.library }

    /// Loads the model at `modelPath`.
    ///
    /// Weights stored as ONNX external data (e.g. `model.onnx_data`) are read from the model's directory.
    /// - Throws: ORT's error (`.noSuchFile` for a missing model, `.invalidProtobuf` for a corrupt one, ...),
    ///   `.providerUnavailable` when the execution provider is not in the loaded library, or `.invalidArgument`
    ///   for bad option values.
    public convenience init(modelPath: String, environment: Environment, options: SessionOptions = SessionOptions())
        throws(ORTError)
    {
        let library = environment.library
        let native = try NativeSessionOptions(options, environment: environment)
        var created: OpaquePointer?
        try library.check(library.api.pointee.CreateSession(environment.handle, modelPath, native.handle, &created))
        guard let handle = created else {
            throw ORTError(code: .fail, message: "CreateSession returned no session for \(modelPath)")
        }
        try self.init(handle: handle, name: modelPath, environment: environment, options: options, lentMemory: [])
    }

    /// Takes over a created session: reads its inputs and outputs, and releases it if that fails.
    init(
        handle: OpaquePointer, name: String, environment: Environment, options: SessionOptions,
        lentMemory: [any Sendable & AnyObject]
    ) throws(ORTError) {
        let library = environment.library
        do throws(ORTError) {
            inputs = try Self.describe(.input, of: handle, library: library)
            outputs = try Self.describe(.output, of: handle, library: library)
        } catch {
            library.api.pointee.ReleaseSession(handle)
            throw error
        }
        self.environment = environment
        self.modelPath = name
        self.options = options
        self.lentMemory = lentMemory
        self.handle = handle
        inputNames = CStringArray(inputs.map(\.name))
        outputNames = CStringArray(outputs.map(\.name))
        outputIndex = Dictionary(outputs.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { first, _ in first })
    }

    deinit {
        library.api.pointee.ReleaseSession(handle)
    }
}
