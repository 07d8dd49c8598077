/// The module list of a sentence-transformers model (`modules.json`): which stages follow the transformer.
struct SentenceTransformerModules {
    /// Directory of the Pooling module, relative to the model ("" for the root); nil when none is listed.
    var poolingPath: String?
    /// Whether a Normalize module is listed.
    var normalize = false

    /// Reads `modules.json`; a model without one is a bare transformer with mean pooling.
    init(reader: ModelFileReader) throws(ModelLoadError) {
        guard let modules = try reader.array("modules.json", required: false) else {
            poolingPath = reader.exists("1_Pooling/config.json") ? "1_Pooling" : nil
            return
        }
        for case let module as [String: Any] in modules {
            guard let type = module["type"] as? String else {
                throw reader.error("modules.json", "every module needs a string 'type'")
            }
            switch type.split(separator: ".").last.map(String.init) ?? type {
            case "Transformer":
                continue
            case "Pooling":
                poolingPath = module["path"] as? String ?? ""
            case "Normalize":
                normalize = true
            default:
                throw reader.error("modules.json", "module type '\(type)' is not supported")
            }
        }
    }
}
