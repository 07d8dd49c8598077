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
