import Foundation

/// Paths of the artefacts `make setup` fetches, shared by the test targets that need a real model.
/// A missing one throws an error naming the command to run, so the test fails rather than skips.
public enum RepositoryPaths {
    /// The repository's root, found from this file's location.
    public static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// An artefact that is not there yet.
    public struct Missing: Error, CustomStringConvertible {
        public let path: String
        public let command: String

        public var description: String { "\(path) is missing: run \(command)" }
    }

    /// A model directory under `models/`.
    public static func model(_ name: String = "all-MiniLM-L6-v2") throws -> URL {
        let url = root.appendingPathComponent("models/\(name)")
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw Missing(path: url.path, command: "scripts/fetch-models")
        }
        return url
    }

    /// The ONNX Runtime library `scripts/setup-onnxruntime` extracts.
    public static func onnxRuntime() throws -> String {
        let path = root.appendingPathComponent(".onnxruntime/libonnxruntime.so").path
        guard FileManager.default.fileExists(atPath: path) else {
            throw Missing(path: path, command: "scripts/setup-onnxruntime")
        }
        return path
    }
}
