import Foundation

/// A model repository in Triton's layout: `root/<model>/<version>/model.onnx`, with an optional
/// `root/<model>/config.yaml` (or `.json`). Versions are positive integers; the highest is served.
public struct ModelRepository: Sendable {
    /// The repository's directory.
    public let root: URL

    /// - Throws: `ModelLoadError` when `root` is not a directory.
    public init(root: URL) throws(ModelLoadError) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ModelLoadError(path: root.path, problem: "is not a directory (expected a model repository)")
        }
        self.root = root.standardizedFileURL
    }

    /// Whether `name` can name a model: `[A-Za-z0-9_.-]+`, not `.` or `..`, so it never leaves the repository.
    public static func isValidName(_ name: String) -> Bool {
        guard !name.isEmpty, name != ".", name != "..", name.utf8.count <= 255 else { return false }
        return name.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == 0x5F || byte == 0x2E || byte == 0x2D
        }
    }

    /// The models in the repository: its subdirectories with valid names, sorted.
    public func modelNames() -> [String] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
        return entries.filter { Self.isValidName($0) && isDirectory(root.appendingPathComponent($0)) }.sorted()
    }

    /// Whether the repository has a model called `name` (false for invalid names).
    public func contains(_ name: String) -> Bool {
        Self.isValidName(name) && isDirectory(root.appendingPathComponent(name))
    }

    /// Resolves `name` to the version to serve and reads its configuration.
    /// - Throws: `ModelLoadError` for an invalid name, a missing model, no version, no model file or a bad
    ///   configuration.
    public func model(named name: String) throws(ModelLoadError) -> RepositoryModel {
        guard Self.isValidName(name) else {
            throw ModelLoadError(path: name, problem: "is not a valid model name ([A-Za-z0-9_.-]+)")
        }
        let directory = root.appendingPathComponent(name)
        guard isDirectory(directory) else {
            throw ModelLoadError(path: directory.path, problem: "no such model in the repository")
        }
        let config = try ModelConfig.load(modelDirectory: directory)
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        let versions = entries.compactMap { entry -> Int? in
            guard let number = Int(entry), number > 0, String(number) == entry,
                isDirectory(directory.appendingPathComponent(entry))
            else { return nil }
            return number
        }
        guard let highest = versions.max() else {
            throw ModelLoadError(path: directory.path, problem: "has no version directory (1/, 2/, ...)")
        }
        let versionDirectory = directory.appendingPathComponent(String(highest))
        let isTextDirectory = ["tokenizer.json", "config.json"].allSatisfy {
            FileManager.default.fileExists(atPath: versionDirectory.appendingPathComponent($0).path)
        }
        // A text model may bring a safetensors checkpoint instead of an ONNX file; a raw model needs the graph.
        let candidates = (ModelDirectory.onnxCandidates + (isTextDirectory ? ModelDirectory.checkpointCandidates : []))
            .map { versionDirectory.appendingPathComponent($0) }
        guard let modelFile = candidates.first(where: { FileManager.default.fileExists(atPath: $0.path) }) else {
            throw ModelLoadError(
                path: versionDirectory.path,
                problem: isTextDirectory
                    ? "has no model.onnx and no model.safetensors" : "has no model.onnx")
        }
        return RepositoryModel(
            name: name, version: String(highest), directory: versionDirectory, modelFile: modelFile, config: config,
            configFile: ModelConfig.file(in: directory),
            task: config.task ?? ImageModelSpec.task(of: versionDirectory).map(RepositoryTask.init)
                ?? (isTextDirectory ? .embeddings : .raw))
    }

    private func isDirectory(_ url: URL) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) && isDirectory.boolValue
    }
}
