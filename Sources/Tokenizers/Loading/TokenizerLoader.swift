import Foundation

/// Builds a tokenizer's components from tokenizer.json, one stage at a time by each component's `type`.
///
/// To support a new component, implement its protocol and add its `type` to the matching
/// `TokenizerLoader+Stage.swift` switch; anything not listed there fails with an error naming the type.
enum TokenizerLoader {
    /// Everything a ``Tokenizer`` is made of.
    struct Components: Sendable {
        var normalizer: (any Normalizer)?
        var preTokenizer: (any PreTokenizer)?
        var model: any TokenizationModel
        var postProcessor: any PostProcessor
        var addedVocabulary: AddedVocabulary
        /// The decoder, nil when the file has none, or the error that names an unsupported one.
        var decoder: Result<(any TokenDecoder)?, TokenizerError>
    }

    static func components(from data: Data) throws(TokenizerError) -> Components {
        let json: JSONValue
        do {
            json = try JSONParser.parse(data)
        } catch {
            throw .malformedJSON(error.message)
        }
        guard json.objectValue != nil else {
            throw .malformedJSON("the top level must be an object, found \(json.kindName)")
        }
        guard let modelJSON = json["model"], !modelJSON.isNull else {
            throw .malformedJSON("missing field 'model'")
        }
        let normalizer = try normalizer(json["normalizer"], component: "normalizer")
        let preTokenizer = try preTokenizer(json["pre_tokenizer"], component: "pre_tokenizer")
        let model = try model(modelJSON)
        let addedTokens = try addedTokens(json["added_tokens"])
        let addedVocabulary = AddedVocabulary(addedTokens, normalizer: normalizer)
        let postProcessor = try postProcessor(
            json["post_processor"],
            idCount: Int(max(model.vocabulary.maxId, addedVocabulary.maxId)) + 1,
            tokenText: { addedVocabulary.token(forId: $0) ?? model.vocabulary.token(forId: $0) }
        )
        return Components(
            normalizer: normalizer,
            preTokenizer: preTokenizer,
            model: model,
            postProcessor: postProcessor ?? SequenceConcatenation(),
            addedVocabulary: addedVocabulary,
            decoder: decoder(json["decoder"], component: "decoder")
        )
    }
}
