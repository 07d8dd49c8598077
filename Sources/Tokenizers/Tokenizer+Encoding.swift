extension Tokenizer {
    /// Encodes one text.
    /// - Parameters:
    ///   - text: The input.
    ///   - addSpecialTokens: Whether the post-processor adds its special tokens (e.g. `[CLS]` and `[SEP]`).
    ///   - truncation: Settings that cap the length, special tokens included; `nil` means no truncation.
    public func encode(_ text: String, addSpecialTokens: Bool = true, truncation: Truncation? = nil) -> Encoding {
        var first = tokenize(text)
        var second: TokenSequence? = nil
        return postProcess(&first, &second, addSpecialTokens: addSpecialTokens, truncation: truncation)
    }

    /// Encodes a pair of texts, such as a query and a passage for a cross-encoder.
    /// - Parameters:
    ///   - first: The first text (segment 0 with BERT templates).
    ///   - second: The second text (segment 1 with BERT templates).
    ///   - addSpecialTokens: Whether the post-processor adds its special tokens.
    ///   - truncation: Settings that cap the combined length, special tokens included; `nil` means none.
    public func encode(
        pair first: String,
        _ second: String,
        addSpecialTokens: Bool = true,
        truncation: Truncation? = nil
    ) -> Encoding {
        var firstTokens = tokenize(first)
        var secondTokens: TokenSequence? = tokenize(second)
        return postProcess(&firstTokens, &secondTokens, addSpecialTokens: addSpecialTokens, truncation: truncation)
    }

    private func postProcess(
        _ first: inout TokenSequence,
        _ second: inout TokenSequence?,
        addSpecialTokens: Bool,
        truncation: Truncation?
    ) -> Encoding {
        var wasTruncated = false
        if let truncation {
            let reserved = addSpecialTokens ? postProcessor.addedTokenCount(isPair: second != nil) : 0
            wasTruncated = truncation.apply(to: &first, &second, reserved: reserved)
        }
        var encoding = postProcessor.process(first, second, addSpecialTokens: addSpecialTokens)
        encoding.wasTruncated = wasTruncated
        return encoding
    }

    /// Runs one text through added-token matching, the normalizer, the pre-tokenizer and the model.
    func tokenize(_ text: String) -> TokenSequence {
        let scalars = text.scalarValues
        var tokens = TokenSequence(capacity: scalars.count / 3 + 2)
        addedVocabulary.segment(scalars, 0..<scalars.count, normalized: false) { segment in
            switch segment {
            case .token(let id, let range):
                tokens.appendAddedToken(id, matched: scalars, range, offsets: range)
            case .text(let range):
                tokenizeUnmatched(scalars, range, into: &tokens)
            }
        }
        return tokens
    }

    /// Normalizes a stretch of text free of raw added tokens, then tokenizes it around normalized added tokens.
    private func tokenizeUnmatched(_ scalars: [UInt32], _ range: Range<Int>, into tokens: inout TokenSequence) {
        let text = normalizer?.normalized(scalars, range: range) ?? NormalizedText(scalars, range: range)
        addedVocabulary.segment(text.scalars, 0..<text.count, normalized: true) { segment in
            switch segment {
            case .token(let id, let range):
                tokens.appendAddedToken(id, matched: text.scalars, range, offsets: text.originalOffsets(range))
            case .text(let range):
                var words = PreTokenizedText(text: text, words: [range])
                preTokenizer?.preTokenize(&words)
                for word in words.words where !word.isEmpty {
                    model.tokenize(word, of: words.text, into: &tokens)
                }
            }
        }
    }
}
