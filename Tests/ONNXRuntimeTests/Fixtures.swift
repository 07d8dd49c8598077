import Foundation
import ONNXRuntime
import Testing

/// Paths and objects the tests share. Everything comes from the repository checkout; when a prerequisite is
/// missing the test fails with the setup command to run (never skips).
enum Fixtures {
    /// The repository root: the nearest ancestor of this file (symlinks resolved) that has scripts/setup-onnxruntime.
    static let repositoryRoot: URL = {
        let here = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath().deletingLastPathComponent()
        var candidate = here
        while candidate.path != "/" {
            if FileManager.default.fileExists(
                atPath: candidate.appendingPathComponent("scripts/setup-onnxruntime").path
            ) {
                return candidate
            }
            candidate.deleteLastPathComponent()
        }
        // Tests/ONNXRuntimeTests/ -> repository root, for the error messages below.
        return here.deletingLastPathComponent().deletingLastPathComponent()
    }()

    static func path(_ relative: String) -> String {
        repositoryRoot.appendingPathComponent(relative).path
    }

    static let libraryPath = path(".onnxruntime/\(ORTLibraryLocator.libraryFileName)")
    static let miniLMPath = path("models/all-MiniLM-L6-v2/onnx/model.onnx")
    static let miniLMInt8Path = path("models/all-MiniLM-L6-v2-int8/model.onnx")

    /// The repository's ONNX Runtime (.onnxruntime/, from scripts/setup-onnxruntime).
    static func library() throws -> ORTLibrary {
        try #require(
            FileManager.default.fileExists(atPath: libraryPath),
            "ONNX Runtime is missing at \(libraryPath): run scripts/setup-onnxruntime"
        )
        return try ORTLibrary.load(path: libraryPath)
    }

    /// ORT's process-wide environment, at fatal level so the failures the tests provoke stay quiet.
    static func environment() throws -> Environment {
        try Environment(library: try library(), logLevel: .fatal, logID: "tern-tests")
    }

    /// A model under models/ (from scripts/fetch-models).
    static func model(_ path: String) throws -> String {
        try #require(
            FileManager.default.fileExists(atPath: path),
            "model missing at \(path): run scripts/fetch-models"
        )
        return path
    }

    static func miniLM(_ options: SessionOptions = SessionOptions()) throws -> Session {
        try Session(modelPath: try model(miniLMPath), environment: try environment(), options: options)
    }

    static func miniLMInt8(_ options: SessionOptions = SessionOptions()) throws -> Session {
        try Session(modelPath: try model(miniLMInt8Path), environment: try environment(), options: options)
    }
}
