import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Finds and preloads what ONNX Runtime's CUDA provider needs before the provider is appended, so that a machine
/// with only the NVIDIA driver (the CUDA libraries from `scripts/setup-onnxruntime --gpu --cuda-libraries` or from
/// the `nvidia-*` Python packages) serves on the GPU, and so that whatever is missing is reported in one message
/// that says what was looked for, where, and what `dlopen` said.
///
/// The checks, in order: the provider libraries beside the loaded ONNX Runtime (`libonnxruntime_providers_cuda.so`,
/// `libonnxruntime_providers_shared.so`), the driver (`libcuda.so.1`, from the system only), then each CUDA library
/// of ``libraries`` in that order (each before the ones that depend on it), from the first place that has it:
///  1. `cuda/` beside the loaded ONNX Runtime (what `--cuda-libraries` lays out), then its own directory;
///  2. the directories of `$TERN_CUDA_LIBRARY_PATH` (colon-separated);
///  3. the `nvidia` Python packages: beside an ONNX Runtime that lives in a Python `site-packages`, under
///     `$VIRTUAL_ENV`, then wherever `python3` imports `nvidia` from (`nvidia/cu13/lib`, `nvidia/cudnn/lib`);
///  4. the system loader (`dlopen` of the bare name: `LD_LIBRARY_PATH`, `ld.so.cache`).
/// Each library is loaded with `RTLD_GLOBAL`, so the provider's own `dlopen` of the same names finds them.
///
/// Linux only: on macOS CUDA does not exist and ``prepare()`` fails at once.
public struct CUDALibraryLocator: Sendable {
    /// One NVIDIA library the CUDA provider loads.
    public struct Library: Sendable, Hashable {
        /// The file name (soname), e.g. `libcublas.so.13`.
        public let fileName: String
        /// What it is, for messages: `cuBLAS`.
        public let what: String
        /// Whether the provider cannot start without it (cuFFT and NVRTC are used by a few operators only).
        public let required: Bool
    }

    /// The CUDA 13 libraries of onnxruntime-gpu 1.31 (its `libonnxruntime_providers_cuda.so` links cudart,
    /// cublasLt, cublas and curand and loads cuDNN at session start), in load order.
    public static let cuda13: [Library] = [
        Library(fileName: "libcudart.so.13", what: "the CUDA runtime", required: true),
        Library(fileName: "libcublasLt.so.13", what: "cuBLASLt", required: true),
        Library(fileName: "libcublas.so.13", what: "cuBLAS", required: true),
        Library(fileName: "libcurand.so.10", what: "cuRAND", required: true),
        Library(fileName: "libcufft.so.12", what: "cuFFT", required: false),
        Library(fileName: "libnvrtc.so.13", what: "NVRTC", required: false),
        Library(fileName: "libcudnn.so.9", what: "cuDNN 9", required: true),
    ]
    /// The NVIDIA driver's user-space library; it comes with the driver, never from a package of ours.
    public static let driverLibrary = "libcuda.so.1"
    /// The provider libraries that must sit beside `libonnxruntime.so`.
    public static let providerLibraries = ["libonnxruntime_providers_shared.so", "libonnxruntime_providers_cuda.so"]
    /// Extra directories to search, colon-separated.
    public static let environmentVariable = "TERN_CUDA_LIBRARY_PATH"
    /// The sub-directories of a `site-packages/nvidia` folder that hold CUDA 13's and cuDNN's libraries.
    static let nvidiaPackageDirectories = ["cu13/lib", "cudnn/lib"]

    /// The loaded ONNX Runtime library's path (its directory holds the provider libraries).
    public var onnxruntimePath: String
    /// The libraries to load, in order.
    public var libraries: [Library]
    /// The environment to read `TERN_CUDA_LIBRARY_PATH` and `VIRTUAL_ENV` from.
    public var environment: [String: String]
    /// Python interpreters asked where the `nvidia` namespace package lives.
    public var pythonCommands: [String]
    /// Opens a library: a path or a bare name for the system loader; returns `nil` or `dlopen`'s error.
    public var open: @Sendable (String) -> String?

    /// A locator for the library at `onnxruntimePath`, searching this process's standard places.
    public init(onnxruntimePath: String) {
        self.onnxruntimePath = onnxruntimePath
        self.libraries = Self.cuda13
        self.environment = ProcessInfo.processInfo.environment
        self.pythonCommands = ["python3"]
        self.open = Self.dlopenGlobal
    }

    /// One library and where it was loaded from.
    public struct Loaded: Sendable, Hashable, CustomStringConvertible {
        public let fileName: String
        /// The path, or the bare name when the system loader found it.
        public let path: String
        public var description: String { path == fileName ? "\(fileName) (system loader)" : path }
    }

    /// Checks the provider libraries and the driver, and loads every CUDA library in order.
    /// - Returns: what was loaded and from where (optional libraries that were not found are left out).
    /// - Throws: `ORTError` with code `.providerUnavailable` and a message naming the first thing missing, every
    ///   place it was looked for, and `dlopen`'s error.
    public func prepare() throws(ORTError) -> [Loaded] {
        #if !os(Linux)
            throw ORTError(
                code: .providerUnavailable, message: "CUDA cannot be used: CUDA exists on Linux and Windows only")
        #else
            let directory = Self.directory(of: onnxruntimePath)
            let missingProvider = Self.providerLibraries.first {
                !ORTLibraryLocator.isFile(ORTLibraryLocator.join(directory, $0))
            }
            if let provider = missingProvider {
                throw ORTError(
                    code: .providerUnavailable,
                    message: "CUDA cannot be used: \(provider) is not beside the loaded ONNX Runtime "
                        + "(\(onnxruntimePath)); looked in \(directory). The CPU-only onnxruntime wheel has no CUDA "
                        + "provider: run scripts/setup-onnxruntime --gpu and pass --onnxruntime-library "
                        + ".onnxruntime-gpu/libonnxruntime.so")
            }
            if let failure = open(Self.driverLibrary) {
                throw ORTError(
                    code: .providerUnavailable,
                    message: "CUDA cannot be used: the NVIDIA driver library \(Self.driverLibrary) did not load "
                        + "(\(failure)); this needs a machine with an NVIDIA GPU and its driver installed")
            }
            let places = searchPlaces()
            var loaded: [Loaded] = []
            for library in libraries {
                var tried: [String] = []
                var found: Loaded?
                for place in places {
                    let path = ORTLibraryLocator.join(place.directory, library.fileName)
                    guard ORTLibraryLocator.isFile(path) else {
                        tried.append("\(place.name) \(place.directory): no such file")
                        continue
                    }
                    if let failure = open(path) {
                        tried.append("\(place.name) \(path): dlopen failed: \(failure)")
                        continue
                    }
                    found = Loaded(fileName: library.fileName, path: path)
                    break
                }
                if found == nil {
                    if let failure = open(library.fileName) {
                        tried.append("the system loader: \(failure)")
                    } else {
                        found = Loaded(fileName: library.fileName, path: library.fileName)
                    }
                }
                if let found {
                    loaded.append(found)
                } else if library.required {
                    throw ORTError(
                        code: .providerUnavailable,
                        message: "CUDA cannot be used: \(library.fileName) (\(library.what)) was not found; looked in, "
                            + "in order:\n" + tried.map { "  - \($0)" }.joined(separator: "\n")
                            + "\nRun scripts/setup-onnxruntime --gpu --cuda-libraries, install NVIDIA's CUDA 13 Python "
                            + "packages (pip install 'onnxruntime-gpu[cuda,cudnn]'), or set \(Self.environmentVariable)")
                }
            }
            return loaded
        #endif
    }

    /// A directory searched for the CUDA libraries and the name it has in messages.
    struct Place: Hashable {
        let name: String
        let directory: String
    }

    /// The directories of steps 1-3 in search order, without repeats.
    func searchPlaces() -> [Place] {
        let directory = Self.directory(of: onnxruntimePath)
        var places = [
            Place(name: "cuda/ beside ONNX Runtime:", directory: ORTLibraryLocator.join(directory, "cuda")),
            Place(name: "ONNX Runtime's directory:", directory: directory),
        ]
        for entry in (environment[Self.environmentVariable] ?? "").split(separator: ":") where !entry.isEmpty {
            places.append(Place(name: "$\(Self.environmentVariable):", directory: String(entry)))
        }
        var nvidiaRoots: [(String, String)] = []
        // onnxruntime/capi/libonnxruntime.so* inside site-packages: nvidia/ is its sibling.
        let capi = URL(fileURLWithPath: directory)
        if capi.lastPathComponent == "capi", capi.deletingLastPathComponent().lastPathComponent == "onnxruntime" {
            let sitePackages = capi.deletingLastPathComponent().deletingLastPathComponent().path
            nvidiaRoots.append(("nvidia package beside onnxruntime:", ORTLibraryLocator.join(sitePackages, "nvidia")))
        }
        if let virtualEnv = environment["VIRTUAL_ENV"], !virtualEnv.isEmpty {
            let lib = ORTLibraryLocator.join(virtualEnv, "lib")
            for python in ORTLibraryLocator.contents(of: lib).sorted() where python.hasPrefix("python") {
                let root = ORTLibraryLocator.join(lib, python, "site-packages", "nvidia")
                nvidiaRoots.append(("$VIRTUAL_ENV's nvidia package:", root))
            }
        }
        for command in pythonCommands {
            for root in Self.pythonNvidiaRoots(command: command) {
                nvidiaRoots.append(("\(command)'s nvidia package:", root))
            }
        }
        for (name, root) in nvidiaRoots {
            for sub in Self.nvidiaPackageDirectories {
                places.append(Place(name: name, directory: ORTLibraryLocator.join(root, sub)))
            }
        }
        var seen = Set<String>()
        return places.filter { seen.insert(URL(fileURLWithPath: $0.directory).standardizedFileURL.path).inserted }
    }

    /// Where `command` imports the `nvidia` namespace package from (none when it has no such package, or takes
    /// longer than 5 seconds to say).
    static func pythonNvidiaRoots(command: String) -> [String] {
        let script = "import nvidia; print('\\n'.join(nvidia.__path__))"
        guard case .success(let output) = ORTLibraryLocator.runPython(command, script, timeout: .seconds(5)) else {
            return []
        }
        return output.split(whereSeparator: \.isNewline).map(String.init)
    }

    /// `dlopen(RTLD_NOW | RTLD_GLOBAL)`, never closed: the provider resolves these names against loaded images.
    @Sendable static func dlopenGlobal(_ path: String) -> String? {
        if dlopen(path, RTLD_NOW | RTLD_GLOBAL) != nil { return nil }
        return dlerror().map { String(cString: $0) } ?? "unknown error"
    }

    static func directory(of path: String) -> String {
        URL(fileURLWithPath: path).deletingLastPathComponent().path
    }
}

/// The outcome of preparing CUDA once per process and ONNX Runtime library: later sessions reuse it.
enum CUDAPreparation {
    private static let results = Mutex<[String: Result<[CUDALibraryLocator.Loaded], ORTError>]>([:])

    /// Prepares CUDA for `library` the first time, and returns the same result afterwards.
    static func prepare(for library: ORTLibrary) throws(ORTError) -> [CUDALibraryLocator.Loaded] {
        let result = results.withLock { results in
            if let known = results[library.path] { return known }
            let result: Result<[CUDALibraryLocator.Loaded], ORTError>
            do throws(ORTError) {
                result = .success(try CUDALibraryLocator(onnxruntimePath: library.path).prepare())
            } catch {
                result = .failure(error)
            }
            results[library.path] = result
            return result
        }
        return try result.get()
    }
}
