import Foundation

/// Finds and loads an ONNX Runtime shared library, trying a fixed list of places in order.
///
/// The order is: the explicit path (`--onnxruntime-library`), `$TERN_ONNXRUNTIME_LIBRARY`, the repository-local
/// `.onnxruntime/` folder that `scripts/setup-onnxruntime` fills (under the current directory, then under each
/// ancestor of the running executable's directory), the `onnxruntime` Python package (under `$VIRTUAL_ENV`, then
/// wherever `python3` imports it from), and finally the system loader's search path. The first library that loads
/// wins, so a broken explicit path falls through to the next place; compare ``ORTLibrary/path`` with the path you
/// asked for to warn about that. When nothing loads, one `ORTError` (`.libraryNotLoaded`) lists every place tried
/// and why each failed.
///
/// Every input of the search is a property, so tests (and unusual deployments) can point it elsewhere.
public struct ORTLibraryLocator: Sendable {
    /// The environment variable consulted after the explicit path.
    public static let environmentVariable = "TERN_ONNXRUNTIME_LIBRARY"

    /// The library's file name inside `.onnxruntime/` and the one the system loader is asked for first.
    #if os(macOS)
        public static let libraryFileName = "libonnxruntime.dylib"
    #else
        public static let libraryFileName = "libonnxruntime.so"
    #endif

    /// A path given on the command line; tried first.
    public var explicitPath: String?
    /// The environment to read `TERN_ONNXRUNTIME_LIBRARY` and `VIRTUAL_ENV` from.
    public var environment: [String: String]
    /// The directory whose `.onnxruntime/` folder is tried.
    public var currentDirectory: String
    /// The running executable's directory; it and its ancestors are searched for `.onnxruntime/` folders.
    public var executableDirectory: String?
    /// Python interpreters asked where the `onnxruntime` package lives, looked up on `PATH`.
    public var pythonCommands: [String]
    /// How long each Python interpreter may take before it is killed and skipped.
    public var pythonTimeout: Duration
    /// Names handed to the system loader (`dlopen` without a path) as the last resort.
    public var systemLibraryNames: [String]

    /// A locator that searches the standard places for this process.
    /// - Parameter explicitPath: a library path given by the user, tried before anything else.
    public init(explicitPath: String? = nil) {
        self.explicitPath = explicitPath
        self.environment = ProcessInfo.processInfo.environment
        self.currentDirectory = FileManager.default.currentDirectoryPath
        self.executableDirectory = Bundle.main.executableURL?.resolvingSymlinksInPath().deletingLastPathComponent().path
        self.pythonCommands = ["python3"]
        self.pythonTimeout = .seconds(5)
        #if os(macOS)
            self.systemLibraryNames = [Self.libraryFileName]
        #else
            self.systemLibraryNames = [Self.libraryFileName, "libonnxruntime.so.1"]
        #endif
    }

    /// Loads the first library that works.
    /// - Throws: `ORTError` with code `.libraryNotLoaded` whose message lists every place tried and why it failed.
    public func locate() throws(ORTError) -> ORTLibrary {
        var search = Search()
        if let library = searchExplicit(&search) ?? searchRepositoryFolders(&search) ?? searchPython(&search)
            ?? searchSystem(&search)
        {
            return library
        }
        throw ORTError(code: .libraryNotLoaded, message: search.report())
    }
}

extension ORTLibraryLocator {
    /// The places tried so far and why each failed.
    struct Search {
        private(set) var failures: [String] = []

        mutating func note(_ place: String, _ reason: String) {
            failures.append("\(place): \(reason)")
        }

        /// Loads `path`, or records why it could not.
        mutating func load(_ place: String, _ path: String) -> ORTLibrary? {
            switch ORTLibrary.open(path) {
            case .success(let library):
                return library
            case .failure(let failure):
                note("\(place) \(path)", failure.description)
                return nil
            }
        }

        func report() -> String {
            "no usable ONNX Runtime library found; looked in, in order:\n"
                + failures.map { "  - \($0)" }.joined(separator: "\n")
                + "\nRun scripts/setup-onnxruntime, or pass --onnxruntime-library / set "
                + "\(ORTLibraryLocator.environmentVariable) to the path of \(ORTLibraryLocator.libraryFileName)."
        }
    }
}

/// File-system helpers for the locator.
extension ORTLibraryLocator {
    /// `capi/libonnxruntime.so*` (or `.dylib`) inside an `onnxruntime` Python package, shortest name first.
    static func packagedLibraries(in package: String) -> [String] {
        let capi = join(package, "capi")
        #if os(macOS)
            let matches = contents(of: capi).filter { $0.hasPrefix("libonnxruntime.") && $0.hasSuffix(".dylib") }
        #else
            let matches = contents(of: capi).filter { $0.hasPrefix(libraryFileName) }
        #endif
        return matches.sorted { ($0.count, $0) < ($1.count, $1) }.map { join(capi, $0) }
    }

    static func join(_ first: String, _ rest: String...) -> String {
        rest.reduce(first) { $0.hasSuffix("/") ? $0 + $1 : $0 + "/" + $1 }
    }

    static func ancestors(of directory: String) -> [String] {
        var result: [String] = []
        var url = URL(fileURLWithPath: directory).standardizedFileURL
        while true {
            result.append(url.path)
            let parent = url.deletingLastPathComponent().standardizedFileURL
            if parent.path == url.path { return result }
            url = parent
        }
    }

    static func standardized(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.path
    }

    static func isDirectory(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
    }

    static func isFile(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && !isDirectory.boolValue
    }

    static func contents(of directory: String) -> [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
    }
}
