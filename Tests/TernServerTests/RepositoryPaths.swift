import Foundation
import Testing

/// Paths of the artefacts `make setup` fetches; a missing one fails the test with the command to run.
enum RepositoryPaths {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static func model(_ name: String = "all-MiniLM-L6-v2") throws -> URL {
        let url = root.appendingPathComponent("models/\(name)")
        try #require(
            FileManager.default.fileExists(atPath: url.path),
            "\(url.path) is missing: run scripts/fetch-models"
        )
        return url
    }

    static func onnxRuntime() throws -> String {
        let path = root.appendingPathComponent(".onnxruntime/libonnxruntime.so").path
        try #require(FileManager.default.fileExists(atPath: path), "\(path) is missing: run scripts/setup-onnxruntime")
        return path
    }
}
