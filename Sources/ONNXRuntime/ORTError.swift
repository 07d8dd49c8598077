internal import CONNXRuntime

/// An error from ONNX Runtime, or from Tern's binding before it reached ONNX Runtime.
///
/// Errors that come from an `OrtStatus` carry ONNX Runtime's own code and message unchanged. Checks the binding
/// makes itself (an unknown input name, a wrong element type) reuse ONNX Runtime's closest code, so callers can
/// map one set of codes; only failures with no ORT equivalent (loading the library, a missing execution provider)
/// have codes of their own.
public struct ORTError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure this is; compare with the static members, e.g. `error.code == .noSuchFile`.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: Hashable, Sendable {
            case ort(Int32)
            case libraryNotLoaded
            case providerUnavailable
        }

        private let base: Base

        private init(_ base: Base) {
            self.base = base
        }

        /// The code for a raw `OrtErrorCode` value reported by the library.
        public init(ortRawValue: Int32) {
            self.init(.ort(ortRawValue))
        }

        /// `ORT_FAIL`: a generic failure.
        public static let fail = Code(ortRawValue: 1)
        /// `ORT_INVALID_ARGUMENT`: a bad argument, including unknown input or output names.
        public static let invalidArgument = Code(ortRawValue: 2)
        /// `ORT_NO_SUCHFILE`: a file (usually the model) does not exist.
        public static let noSuchFile = Code(ortRawValue: 3)
        /// `ORT_NO_MODEL`: no model was loaded.
        public static let noModel = Code(ortRawValue: 4)
        /// `ORT_ENGINE_ERROR`: an internal engine failure.
        public static let engineError = Code(ortRawValue: 5)
        /// `ORT_RUNTIME_EXCEPTION`: a failure while running the model, e.g. mismatched shapes.
        public static let runtimeException = Code(ortRawValue: 6)
        /// `ORT_INVALID_PROTOBUF`: the model file is not a valid ONNX protobuf.
        public static let invalidProtobuf = Code(ortRawValue: 7)
        /// `ORT_MODEL_LOADED`: a model was already loaded.
        public static let modelLoaded = Code(ortRawValue: 8)
        /// `ORT_NOT_IMPLEMENTED`: the operation, type or operator is not implemented.
        public static let notImplemented = Code(ortRawValue: 9)
        /// `ORT_INVALID_GRAPH`: the model's graph is invalid.
        public static let invalidGraph = Code(ortRawValue: 10)
        /// `ORT_EP_FAIL`: an execution provider failed.
        public static let executionProviderFailure = Code(ortRawValue: 11)
        /// `ORT_MODEL_LOAD_CANCELED`: loading was cancelled.
        public static let modelLoadCanceled = Code(ortRawValue: 12)
        /// `ORT_MODEL_REQUIRES_COMPILATION`: the model needs compiling by an execution provider.
        public static let modelRequiresCompilation = Code(ortRawValue: 13)
        /// `ORT_NOT_FOUND`: a requested resource was not found.
        public static let notFound = Code(ortRawValue: 14)
        /// `ORT_DEVICE_RESET`: the execution provider's device was reset; the session must be recreated.
        public static let deviceReset = Code(ortRawValue: 15)
        /// No ONNX Runtime shared library could be loaded (not found, not loadable, or too old).
        public static let libraryNotLoaded = Code(.libraryNotLoaded)
        /// The requested execution provider is not compiled into the loaded ONNX Runtime.
        public static let providerUnavailable = Code(.providerUnavailable)

        /// ONNX Runtime's numeric `OrtErrorCode`, or `nil` for codes the binding defines itself.
        public var ortRawValue: Int32? {
            if case .ort(let raw) = base { return raw }
            return nil
        }

        /// The code's name: ONNX Runtime's enumerator (`ORT_NO_SUCHFILE`) or the binding's own (`LIBRARY_NOT_LOADED`).
        public var name: String {
            switch base {
            case .ort(let raw):
                let names = [
                    "ORT_OK", "ORT_FAIL", "ORT_INVALID_ARGUMENT", "ORT_NO_SUCHFILE", "ORT_NO_MODEL", "ORT_ENGINE_ERROR",
                    "ORT_RUNTIME_EXCEPTION", "ORT_INVALID_PROTOBUF", "ORT_MODEL_LOADED", "ORT_NOT_IMPLEMENTED",
                    "ORT_INVALID_GRAPH", "ORT_EP_FAIL", "ORT_MODEL_LOAD_CANCELED", "ORT_MODEL_REQUIRES_COMPILATION",
                    "ORT_NOT_FOUND", "ORT_DEVICE_RESET",
                ]
                return names.indices.contains(Int(raw)) ? names[Int(raw)] : "ORT_ERROR_\(raw)"
            case .libraryNotLoaded:
                return "LIBRARY_NOT_LOADED"
            case .providerUnavailable:
                return "PROVIDER_UNAVAILABLE"
            }
        }

        /// The name, followed by ORT's number when there is one: `ORT_NO_SUCHFILE (3)`.
        public var description: String {
            ortRawValue.map { "\(name) (\($0))" } ?? name
        }
    }

    /// What kind of failure this is.
    public let code: Code
    /// ONNX Runtime's message, or the binding's explanation.
    public let message: String

    /// Creates an error; the binding uses this for checks it makes before calling ONNX Runtime.
    public init(code: Code, message: String) {
        self.code = code
        self.message = message
    }

    /// `ORT_INVALID_ARGUMENT (2): unknown input 'x'`.
    public var description: String {
        "\(code): \(message)"
    }
}

extension ORTError {
    /// Reads ONNX Runtime's code and message out of `status`, then releases it.
    init(consuming status: OpaquePointer, api: UnsafePointer<OrtApi>) {
        defer { api.pointee.ReleaseStatus(status) }
        let code = api.pointee.GetErrorCode(status)
        self.init(
            code: Code(ortRawValue: Int32(bitPattern: code.rawValue)),
            message: String(cString: api.pointee.GetErrorMessage(status))
        )
    }
}

extension ORTLibrary {
    /// Throws the `ORTError` an ORT call returned, releasing its status; does nothing on success (NULL).
    func check(_ status: OpaquePointer?) throws(ORTError) {
        if let status {
            throw ORTError(consuming: status, api: api)
        }
    }
}
