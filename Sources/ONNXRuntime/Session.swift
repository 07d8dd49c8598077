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
    /// The provider the session runs on: ``SessionOptions/executionProvider``, or the first of its fallbacks
    /// that started.
    public let executionProvider: ExecutionProvider
    /// Why each provider before ``executionProvider`` could not start, in order (empty when the first did).
    public let providerFailures: [String]
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
        let created = try Self.create(options: options, environment: environment) { (native) throws(ORTError) in
            var created: OpaquePointer?
            try library.check(library.api.pointee.CreateSession(environment.handle, modelPath, native.handle, &created))
            guard let handle = created else {
                throw ORTError(code: .fail, message: "CreateSession returned no session for \(modelPath)")
            }
            return handle
        }
        try self.init(created: created, name: modelPath, environment: environment, options: options, lentMemory: [])
    }

    /// A created session and the provider it runs on.
    struct Created {
        let handle: OpaquePointer
        let provider: ExecutionProvider
        let failures: [String]
    }

    /// Creates a session with the preferred provider, then each fallback in turn, until one starts.
    /// - Throws: the last provider's error when none starts; with one provider, its error unchanged.
    static func create(
        options: SessionOptions, environment: Environment,
        _ make: (NativeSessionOptions) throws(ORTError) -> OpaquePointer
    ) throws(ORTError) -> Created {
        let providers = [options.executionProvider] + options.fallbackProviders
        var failures: [String] = []
        for (index, provider) in providers.enumerated() {
            var attempt = options
            attempt.executionProvider = provider
            do throws(ORTError) {
                let native = try NativeSessionOptions(attempt, environment: environment)
                return Created(handle: try make(native), provider: provider, failures: failures)
            } catch {
                guard index < providers.count - 1 else {
                    guard !failures.isEmpty else { throw error }
                    throw ORTError(
                        code: error.code,
                        message: error.message + " (after " + failures.joined(separator: "; ") + ")")
                }
                failures.append("\(provider): \(error.message)")
            }
        }
        preconditionFailure("a provider list is never empty")
    }

    /// Takes over a created session: reads its inputs and outputs, and releases it if that fails.
    init(
        created: Created, name: String, environment: Environment, options: SessionOptions,
        lentMemory: [any Sendable & AnyObject]
    ) throws(ORTError) {
        let library = environment.library
        let handle = created.handle
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
        self.executionProvider = created.provider
        self.providerFailures = created.failures
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
