extension TokenizerLoader {
    /// The `pre_tokenizer`, or nil when it is absent or null.
    static func preTokenizer(_ json: JSONValue?, component: String) throws(TokenizerError) -> (any PreTokenizer)? {
        guard let json, !json.isNull else { return nil }
        let fields = try ComponentFields(json, component: component)
        let type = try fields.type()
        switch type {
        case "BertPreTokenizer":
            return BertPreTokenizer()
        case "Sequence":
            var preTokenizers: [any PreTokenizer] = []
            for (index, element) in try fields.array("pretokenizers").enumerated() {
                if let preTokenizer = try preTokenizer(element, component: "\(component).pretokenizers[\(index)]") {
                    preTokenizers.append(preTokenizer)
                }
            }
            return PreTokenizerSequence(preTokenizers: preTokenizers)
        default:
            throw .unsupported(component, type: type)
        }
    }
}
