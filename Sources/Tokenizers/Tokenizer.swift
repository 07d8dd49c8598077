import Foundation

/// A Hugging Face `tokenizer.json` tokenizer that encodes text into model inputs, matching `tokenizers` exactly.
///
/// Supported components: those `docs/quickstart.md#tokenizers` lists. Loading a file with any other encoding
/// component fails with an error naming it; an unsupported decoder is reported by ``decoderProblem`` at load
/// (encoding does not need it) and makes ``decode(_:skipSpecialTokens:)`` throw. The padding and truncation
/// settings stored in the file are ignored: callers pass their own.
public struct Tokenizer: Sendable {
    let normalizer: (any Normalizer)?
    let preTokenizer: (any PreTokenizer)?
    let model: any TokenizationModel
    let postProcessor: any PostProcessor
    let addedVocabulary: AddedVocabulary
    let decoder: Result<(any TokenDecoder)?, TokenizerError>

    /// Why the file's decoder cannot be used, naming it; `nil` when decoding works.
    public var decoderProblem: TokenizerError? {
        if case .failure(let error) = decoder { return error }
        return nil
    }

    /// The number of ids: one more than the largest id of the model vocabulary and the added tokens.
    public let vocabularySize: Int

    /// The id of `[PAD]` (or `<pad>`), or 0 when the vocabulary has neither.
    public let paddingTokenId: Int32

    /// Loads a tokenizer from a `tokenizer.json` file.
    /// - Throws: ``TokenizerError`` when the file is unreadable, not JSON, or uses an unsupported component.
    public init(contentsOf url: URL) throws {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw TokenizerError.fileUnreadable(url.path, error.localizedDescription)
        }
        try self.init(data: data)
    }

    /// Loads a tokenizer from the contents of a `tokenizer.json` file.
    /// - Throws: ``TokenizerError`` when the data is not JSON or uses an unsupported component.
    public init(data: Data) throws {
        let components = try TokenizerLoader.components(from: data)
        normalizer = components.normalizer
        preTokenizer = components.preTokenizer
        model = components.model
        postProcessor = components.postProcessor
        addedVocabulary = components.addedVocabulary
        decoder = components.decoder
        vocabularySize = Int(max(model.vocabulary.maxId, addedVocabulary.maxId)) + 1
        let lookup = { (token: String) in
            components.addedVocabulary.id(forToken: token) ?? components.model.vocabulary.id(forToken: token)
        }
        paddingTokenId = lookup("[PAD]") ?? lookup("<pad>") ?? 0
    }

    /// The id of a token string, looking at added tokens first, then the model vocabulary.
    public func id(forToken token: String) -> Int32? {
        addedVocabulary.id(forToken: token) ?? model.vocabulary.id(forToken: token)
    }

    /// The token string of an id, looking at added tokens first, then the model vocabulary.
    public func token(forId id: Int32) -> String? {
        addedVocabulary.token(forId: id) ?? model.vocabulary.token(forId: id)
    }
}

extension Tokenizer {
    /// Turns ids back into text with the file's decoder (tokens joined by spaces when it has none).
    /// - Parameters:
    ///   - ids: Token ids; ids outside the vocabulary are skipped.
    ///   - skipSpecialTokens: Whether to leave out special added tokens such as `<|endoftext|>` or `[CLS]`.
    /// - Throws: ``TokenizerError`` when the file's decoder type is not supported.
    public func decode(_ ids: [Int32], skipSpecialTokens: Bool = true) throws(TokenizerError) -> String {
        let tokens = ids.compactMap { id -> String? in
            guard let token = token(forId: id) else { return nil }
            if skipSpecialTokens && addedVocabulary.isSpecial(token) { return nil }
            return token
        }
        guard let decoder = try decoder.get() else { return tokens.joined(separator: " ") }
        return decoder.decode(tokens)
    }
}
