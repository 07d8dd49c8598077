/// The last stage of the pipeline: joins the sequences and adds special tokens (`post_processor`).
protocol PostProcessor: Sendable {
    /// How many special tokens ``process(_:_:addSpecialTokens:)`` adds, reserved when truncating.
    func addedTokenCount(isPair: Bool) -> Int

    /// Builds the final encoding: segment ids always, special tokens when `addSpecialTokens` is true.
    func process(_ first: TokenSequence, _ second: TokenSequence?, addSpecialTokens: Bool) -> Encoding
}
