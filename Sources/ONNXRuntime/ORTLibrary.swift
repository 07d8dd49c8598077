internal import CONNXRuntime

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A loaded ONNX Runtime shared library and its C API table.
///
/// The library is opened with `dlopen` and never closed: ONNX Runtime keeps thread pools and static state that do
/// not survive being unloaded, so one load lasts for the life of the process (loading the same path again is cheap,
/// the dynamic loader hands back the same image).
public final class ORTLibrary: @unchecked Sendable {
    // @unchecked Sendable: every stored property is immutable after init. `api` points at a constant table inside
    // the library, which is never unloaded; `cpuMemoryInfo` is an immutable ORT object that ORT only reads (it is
    // copied into each tensor), which ORT allows from any thread.

    /// The OrtApi version requested from `OrtGetApiBase()->GetApi`: the lowest one that has every slot Tern calls.
    public static let apiVersion = Int(CONNX_ORT_API_VERSION)

    /// Where the library was loaded from: a file path, or the bare name handed to the system loader.
    public let path: String
    /// The library's release as it reports it, e.g. `1.31.1`.
    public let version: String

    let api: UnsafePointer<OrtApi>
    /// The entry point, for requesting the newer table the Model Editor API needs.
    let base: UnsafePointer<OrtApiBase>
    /// Describes CPU memory owned by Tern, for tensors created over Swift-allocated buffers.
    let cpuMemoryInfo: OpaquePointer

    private init(
        path: String, version: String, api: UnsafePointer<OrtApi>, base: UnsafePointer<OrtApiBase>,
        cpuMemoryInfo: OpaquePointer
    ) {
        self.path = path
        self.version = version
        self.api = api
        self.base = base
        self.cpuMemoryInfo = cpuMemoryInfo
    }

    /// The Model Editor API, from the table of API version 22 (ONNX Runtime 1.22 and later): slots past 216 are
    /// read only from a table the library says it has.
    /// - Throws: `.notImplemented` naming the library's version when it is older or a minimal build.
    func modelEditorAPI() throws(ORTError) -> (api: UnsafePointer<OrtApi>, editor: UnsafePointer<OrtModelEditorApi>) {
        guard let table = base.pointee.GetApi(UInt32(CONNX_ORT_EDITOR_API_VERSION)),
            let editor = table.pointee.GetModelEditorApi()
        else {
            throw ORTError(
                code: .notImplemented,
                message: "ONNX Runtime \(version) at \(path) has no Model Editor API (building a model from a "
                    + "checkpoint needs ONNX Runtime 1.\(CONNX_ORT_EDITOR_API_VERSION) or later, not a minimal build)")
        }
        return (table, editor)
    }

    deinit {
        api.pointee.ReleaseMemoryInfo(cpuMemoryInfo)
    }

    /// Loads the ONNX Runtime library at `path` (or, for a bare file name, wherever the system loader finds it).
    ///
    /// - Throws: `ORTError` with code `.libraryNotLoaded` saying whether the file is missing, `dlopen` failed,
    ///   the `OrtGetApiBase` symbol is missing, or the library is older than API version ``apiVersion``.
    public static func load(path: String) throws(ORTError) -> ORTLibrary {
        switch open(path) {
        case .success(let library):
            return library
        case .failure(let failure):
            throw ORTError(code: .libraryNotLoaded, message: "cannot load ONNX Runtime from \(path): \(failure)")
        }
    }

    /// Why a candidate library could not be used; the locator reports one of these per place it looked.
    enum LoadFailure: Error, CustomStringConvertible {
        case notFound
        case dlopenFailed(String)
        case missingSymbol(String)
        case unsupportedAPIVersion(libraryVersion: String)
        case initializationFailed(ORTError)

        var description: String {
            switch self {
            case .notFound:
                return "not found"
            case .dlopenFailed(let reason):
                return "dlopen failed: \(reason)"
            case .missingSymbol(let symbol):
                return "missing symbol \(symbol) (not an ONNX Runtime library?)"
            case .unsupportedAPIVersion(let libraryVersion):
                return "ONNX Runtime \(libraryVersion) does not support API version \(ORTLibrary.apiVersion) "
                    + "(need ONNX Runtime 1.\(ORTLibrary.apiVersion) or later)"
            case .initializationFailed(let error):
                return "initialisation failed: \(error)"
            }
        }
    }

    /// Opens `path`, resolves the entry point and requests the API table; never throws, for the locator's sake.
    static func open(_ path: String) -> Result<ORTLibrary, LoadFailure> {
        if path.contains("/") && access(path, F_OK) != 0 {
            return .failure(.notFound)
        }
        guard let handle = dlopen(path, RTLD_NOW | RTLD_LOCAL) else {
            return .failure(.dlopenFailed(dlerror().map { String(cString: $0) } ?? "unknown error"))
        }
        guard let symbol = dlsym(handle, CONNX_ORT_ENTRY_POINT) else {
            dlclose(handle)  // Not ONNX Runtime, so nothing of ours is running inside it yet.
            return .failure(.missingSymbol(CONNX_ORT_ENTRY_POINT))
        }
        let getApiBase = unsafeBitCast(symbol, to: OrtGetApiBaseFunction.self)
        guard let base = getApiBase() else {
            return .failure(.missingSymbol("\(CONNX_ORT_ENTRY_POINT)() returned NULL"))
        }
        let version = String(cString: base.pointee.GetVersionString())
        guard let api = base.pointee.GetApi(UInt32(CONNX_ORT_API_VERSION)) else {
            return .failure(.unsupportedAPIVersion(libraryVersion: version))
        }
        var memoryInfo: OpaquePointer?
        if let status = api.pointee.CreateCpuMemoryInfo(OrtArenaAllocator, OrtMemTypeDefault, &memoryInfo) {
            return .failure(.initializationFailed(ORTError(consuming: status, api: api)))
        }
        guard let memoryInfo else {
            return .failure(.initializationFailed(ORTError(code: .fail, message: "CreateCpuMemoryInfo returned NULL")))
        }
        return .success(ORTLibrary(path: path, version: version, api: api, base: base, cpuMemoryInfo: memoryInfo))
    }
}

extension ORTLibrary {
    /// Loads ONNX Runtime from the first place that works, in the order ``ORTLibraryLocator`` documents.
    /// - Parameter explicitPath: the `--onnxruntime-library` value, tried first when given.
    /// - Throws: `ORTError` with code `.libraryNotLoaded` listing every place tried and why each failed.
    public static func locate(explicitPath: String?) throws(ORTError) -> ORTLibrary {
        try ORTLibraryLocator(explicitPath: explicitPath).locate()
    }
}

extension ORTLibrary {
    /// Reads the element type and dimensions out of an `OrtTensorTypeAndShapeInfo` (dynamic dimensions are -1).
    func elementTypeAndShape(of info: OpaquePointer) throws(ORTError) -> (ElementType, [Int]) {
        var type = ONNX_TENSOR_ELEMENT_DATA_TYPE_UNDEFINED
        try check(api.pointee.GetTensorElementType(info, &type))
        var rank = 0
        try check(api.pointee.GetDimensionsCount(info, &rank))
        var dimensions = [Int64](repeating: 0, count: rank)
        let status = dimensions.withUnsafeMutableBufferPointer {
            api.pointee.GetDimensions(info, $0.baseAddress, rank)
        }
        try check(status)
        return (ElementType(type), dimensions.map { Int($0) })
    }
}

extension ORTLibrary {
    /// The execution providers compiled into this library, in ONNX Runtime's own names and order
    /// (e.g. `["AzureExecutionProvider", "CPUExecutionProvider"]` for the CPU wheel).
    ///
    /// A provider being listed does not guarantee it can start: CUDA, for one, still needs its driver and
    /// libraries at session creation.
    public func availableProviders() throws(ORTError) -> [String] {
        var names: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
        var count: Int32 = 0
        try check(api.pointee.GetAvailableProviders(&names, &count))
        defer {
            // Documented never to fail; release a status anyway rather than leak one.
            if let status = api.pointee.ReleaseAvailableProviders(names, count) {
                api.pointee.ReleaseStatus(status)
            }
        }
        guard let names else { return [] }
        return (0..<Int(count)).compactMap { names[$0].map { String(cString: $0) } }
    }
}
