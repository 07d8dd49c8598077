import Foundation

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

    static func contents(of directory: String) -> [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
    }
}
