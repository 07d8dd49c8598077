/// The sequence-classification settings of a `config.json`: whether the architecture is a classifier,
/// its labels in logit order, and whether labels are independent (multi-label).
struct ClassificationConfig {
    let task: ModelTask
    let labels: [String]

    /// Nil when the architecture is not a sequence classifier.
    init?(_ config: [String: Any], reader: ModelFileReader) throws(ModelLoadError) {
        let architectures = config["architectures"] as? [String] ?? []
        guard architectures.contains(where: { $0.hasSuffix("Classification") }) else { return nil }
        var labels: [String] = []
        if let id2label = config["id2label"] as? [String: Any] {
            var byID: [Int: String] = [:]
            for (key, value) in id2label {
                guard let id = Int(key), let name = value as? String else {
                    throw reader.error("config.json", "id2label must map integer ids to label names")
                }
                byID[id] = name
            }
            guard byID.keys.sorted() == Array(0..<byID.count) else {
                throw reader.error("config.json", "id2label ids must be 0 ..< \(byID.count)")
            }
            labels = (0..<byID.count).map { byID[$0]! }
        }
        if labels.isEmpty, let count = try reader.int(config, "num_labels", in: "config.json"), count > 0 {
            labels = (0..<count).map { "LABEL_\($0)" }
        }
        guard !labels.isEmpty else {
            throw reader.error("config.json", "a classification architecture needs id2label or num_labels")
        }
        self.labels = labels
        if labels.count == 1 {
            task = .rerank
        } else {
            task = .classify(multiLabel: config["problem_type"] as? String == "multi_label_classification")
        }
    }
}
