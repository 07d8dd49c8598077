import Foundation

/// Reads the JSON files of a model directory, turning every problem into a `ModelLoadError` that names
/// the file.
struct ModelFileReader {
    let directory: URL

    func error(_ file: String, _ problem: String) -> ModelLoadError {
        ModelLoadError(path: directory.appendingPathComponent(file).path, problem: problem)
    }

    func requireDirectory() throws(ModelLoadError) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory) else {
            throw ModelLoadError(path: directory.path, problem: "no such directory")
        }
        guard isDirectory.boolValue else {
            throw ModelLoadError(path: directory.path, problem: "not a directory")
        }
    }

    func exists(_ file: String) -> Bool {
        FileManager.default.fileExists(atPath: directory.appendingPathComponent(file).path)
    }

    func firstExisting(_ candidates: [String], what: String) throws(ModelLoadError) -> URL {
        for candidate in candidates {
            let url = directory.appendingPathComponent(candidate)
            if FileManager.default.isReadableFile(atPath: url.path) { return url }
        }
        throw ModelLoadError(
            path: directory.path,
            problem: "no \(what) file (looked for \(candidates.joined(separator: ", ")))"
        )
    }

    /// The file's top-level JSON object, or nil when it is absent and not required.
    func object(_ file: String, required: Bool) throws(ModelLoadError) -> [String: Any]? {
        guard let value = try json(file, required: required) else { return nil }
        guard let object = value as? [String: Any] else { throw error(file, "expected a JSON object at the top level") }
        return object
    }

    /// The file's top-level JSON array, or nil when it is absent and not required.
    func array(_ file: String, required: Bool) throws(ModelLoadError) -> [Any]? {
        guard let value = try json(file, required: required) else { return nil }
        guard let array = value as? [Any] else { throw error(file, "expected a JSON array at the top level") }
        return array
    }

    func int(_ object: [String: Any], _ key: String, in file: String) throws(ModelLoadError) -> Int? {
        guard let value = object[key], !(value is NSNull) else { return nil }
        guard let number = Self.integer(value) else { throw error(file, "'\(key)' must be an integer") }
        return number
    }

    private func json(_ file: String, required: Bool) throws(ModelLoadError) -> Any? {
        let url = directory.appendingPathComponent(file)
        guard FileManager.default.fileExists(atPath: url.path) else {
            if required { throw error(file, "missing") }
            return nil
        }
        let data: Data
        do { data = try Data(contentsOf: url) } catch { throw self.error(file, "unreadable: \(error.localizedDescription)") }
        do { return try JSONSerialization.jsonObject(with: data) } catch {
            throw self.error(file, "malformed JSON")
        }
    }
}

extension ModelFileReader {
    /// A JSON value as an integer: a number with no fraction that fits an `Int`, never `true`/`false`
    /// (Foundation hands JSON booleans back as NSNumbers, which `is Bool` cannot tell from 0 and 1).
    static func integer(_ value: Any) -> Int? {
        guard let number = value as? NSNumber, String(cString: number.objCType) != "c" else { return nil }
        let double = number.doubleValue
        guard double == double.rounded(), abs(double) < 9e15 else { return nil }
        return number.intValue
    }
}
