/// The last stage of the pipeline: joins the sequences and adds special tokens (`post_processor`).
protocol PostProcessor: Sendable {
    /// How many special tokens ``process(_:_:addSpecialTokens:)`` adds, reserved when truncating.
    func addedTokenCount(isPair: Bool) -> Int

    /// Builds the final encoding: segment ids always, special tokens when `addSpecialTokens` is true.
    func process(_ first: TokenSequence, _ second: TokenSequence?, addSpecialTokens: Bool) -> Encoding
}

/// `Sequence` post-processor: ByteLevel offset trimming on each sequence, then the last processor joins them.
///
/// `tokenizers` runs each processor over the list of sequences and joins them at the end; the files that use a
/// Sequence (Llama 3 style) put ByteLevel first and a template last, which is the shape accepted at load.
struct PostProcessorSequence: PostProcessor {
    /// The trimming of each leading ByteLevel processor that trims.
    let trimmings: [OffsetTrimming]
    /// The processor that adds special tokens and joins the sequences.
    let last: any PostProcessor

    func addedTokenCount(isPair: Bool) -> Int { last.addedTokenCount(isPair: isPair) }

    func process(_ first: TokenSequence, _ second: TokenSequence?, addSpecialTokens: Bool) -> Encoding {
        var first = first
        var second = second
        for trimming in trimmings {
            first = trimming.trim(first)
            second = second.map { trimming.trim($0) }
        }
        return last.process(first, second, addSpecialTokens: addSpecialTokens)
    }
}

/// What `tokenizers` does without a post-processor: concatenate, segment ids 0 then 1, no special tokens.
struct SequenceConcatenation: PostProcessor {
    func addedTokenCount(isPair: Bool) -> Int { 0 }

    func process(_ first: TokenSequence, _ second: TokenSequence?, addSpecialTokens: Bool) -> Encoding {
        var encoding = Encoding(capacity: first.count + (second?.count ?? 0))
        encoding.append(first, typeId: 0)
        if let second { encoding.append(second, typeId: 1) }
        return encoding
    }
}

/// `ByteLevel` post-processor: concatenates like no post-processor at all, trimming offsets when asked to.
struct ByteLevelProcessing: PostProcessor {
    /// The trimming, or nil when `trim_offsets` is false.
    let trimming: OffsetTrimming?

    func addedTokenCount(isPair: Bool) -> Int { 0 }

    func process(_ first: TokenSequence, _ second: TokenSequence?, addSpecialTokens: Bool) -> Encoding {
        let first = trimming?.trim(first) ?? first
        let second = second.map { trimming?.trim($0) ?? $0 }
        return SequenceConcatenation().process(first, second, addSpecialTokens: addSpecialTokens)
    }
}

/// `BertProcessing`: `[CLS] A [SEP]` for one text, `[CLS] A [SEP] B [SEP]` for a pair (B and its `[SEP]`
/// in segment 1).
struct BertProcessing: PostProcessor {
    /// The classification token's id, placed first.
    let classificationId: Int32
    /// The separator token's id, placed after each sequence.
    let separatorId: Int32

    func addedTokenCount(isPair: Bool) -> Int { isPair ? 3 : 2 }

    func process(_ first: TokenSequence, _ second: TokenSequence?, addSpecialTokens: Bool) -> Encoding {
        var encoding = Encoding(capacity: first.count + (second?.count ?? 0) + 3)
        if addSpecialTokens { encoding.appendSpecial([classificationId], typeId: 0) }
        encoding.append(first, typeId: 0)
        if addSpecialTokens { encoding.appendSpecial([separatorId], typeId: 0) }
        if let second {
            encoding.append(second, typeId: 1)
            if addSpecialTokens { encoding.appendSpecial([separatorId], typeId: 1) }
        }
        return encoding
    }
}
