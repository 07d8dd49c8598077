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
    /// Describes CPU memory owned by Tern, for tensors created over Swift-allocated buffers.
    let cpuMemoryInfo: OpaquePointer

    private init(path: String, version: String, api: UnsafePointer<OrtApi>, cpuMemoryInfo: OpaquePointer) {
        self.path = path
        self.version = version
        self.api = api
        self.cpuMemoryInfo = cpuMemoryInfo
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
        return .success(ORTLibrary(path: path, version: version, api: api, cpuMemoryInfo: memoryInfo))
    }
}
