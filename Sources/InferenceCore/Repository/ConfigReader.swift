/// Typed reads from a parsed `config.yaml`/`config.json`, with errors naming the file and key.
struct ConfigReader {
    let path: String

    func error(_ problem: String) -> ModelLoadError {
        ModelLoadError(path: path, problem: problem)
    }

    func string(_ dictionary: [String: Any], _ key: String) throws(ModelLoadError) -> String? {
        guard let value = dictionary[key] else { return nil }
        guard let string = value as? String else { throw error("'\(key)' must be a string") }
        return string
    }

    /// A string naming one of `T`'s cases; anything else is refused with the list of them.
    func choice<T: CaseIterable & RawRepresentable<String>>(_ dictionary: [String: Any], _ key: String, as _: T.Type)
        throws(ModelLoadError) -> T?
    {
        guard let name = try string(dictionary, key) else { return nil }
        guard let value = T(rawValue: name) else {
            throw error("\(key) '\(name)' is not one of: \(T.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return value
    }

    func int(_ dictionary: [String: Any], _ key: String, minimum: Int) throws(ModelLoadError) -> Int? {
        guard let value = dictionary[key] else { return nil }
        guard !(value is Bool), let number = value as? Int, number >= minimum else {
            throw error("'\(key)' must be an integer of at least \(minimum)")
        }
        return number
    }

    func double(_ dictionary: [String: Any], _ key: String, minimum: Double) throws(ModelLoadError) -> Double? {
        guard let value = dictionary[key] else { return nil }
        let number = (value as? Int).map(Double.init) ?? (value as? Double)
        guard !(value is Bool), let number, number >= minimum, number <= 10_000 else {
            throw error("'\(key)' must be a number between \(Int(minimum)) and 10000")
        }
        return number
    }

    func bool(_ dictionary: [String: Any], _ key: String) throws(ModelLoadError) -> Bool? {
        guard let value = dictionary[key] else { return nil }
        guard let flag = value as? Bool else { throw error("'\(key)' must be true or false") }
        return flag
    }

    /// `inputs`: a list of `{name, datatype?, shape?}`.
    func inputs(_ value: Any?) throws(ModelLoadError) -> [RawPipelineConfiguration.InputOverride] {
        guard let value else { return [] }
        guard let list = value as? [Any] else { throw error("'inputs' must be a list of {name, datatype, shape}") }
        let keys = ["name", "datatype", "shape"]
        var result: [RawPipelineConfiguration.InputOverride] = []
        for (index, item) in list.enumerated() {
            guard let entry = item as? [String: Any] else { throw error("inputs[\(index)] must be a mapping") }
            if let unknown = entry.keys.sorted().first(where: { !keys.contains($0) }) {
                throw error("unknown key 'inputs[\(index)].\(unknown)'; the keys are: \(keys.joined(separator: ", "))")
            }
            guard let name = entry["name"] as? String, !name.isEmpty else {
                throw error("inputs[\(index)] needs a 'name'")
            }
            var override = RawPipelineConfiguration.InputOverride(name: name)
            if let datatype = entry["datatype"] {
                guard let text = datatype as? String, let known = TensorDatatype(rawValue: text.uppercased()) else {
                    throw error(
                        "inputs[\(index)].datatype must be one of: "
                            + TensorDatatype.allCases.map(\.rawValue).joined(separator: ", "))
                }
                override.datatype = known
            }
            if let shape = entry["shape"] {
                guard let dimensions = shape as? [Any] else { throw error("inputs[\(index)].shape must be a list") }
                var parsed: [Int] = []
                for dimension in dimensions {
                    guard !(dimension is Bool), let size = dimension as? Int, size >= -1 else {
                        throw error("inputs[\(index)].shape must hold integers of at least -1 (dynamic)")
                    }
                    parsed.append(size)
                }
                override.shape = parsed
            }
            result.append(override)
        }
        return result
    }
}
