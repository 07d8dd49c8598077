/// Turns token strings back into text (`decoder` in tokenizer.json).
///
/// Decoders work as a chain, like `tokenizers`' `decode_chain`: each maps token strings to new strings, and
/// the final text is the concatenation of the last decoder's output.
protocol TokenDecoder: Sendable {
    /// Rewrites the token strings; the output may hold fewer or more strings than the input.
    func decodeChain(_ tokens: [String]) -> [String]
}

extension TokenDecoder {
    /// The text of the tokens.
    func decode(_ tokens: [String]) -> String {
        decodeChain(tokens).joined()
    }
}

/// `Sequence` decoder: runs each decoder's chain on the previous one's output.
struct DecoderSequence: TokenDecoder {
    let decoders: [any TokenDecoder]

    func decodeChain(_ tokens: [String]) -> [String] {
        decoders.reduce(tokens) { tokens, decoder in decoder.decodeChain(tokens) }
    }
}

/// `Fuse` decoder: joins all tokens into one string, so that later decoders see whole text.
struct FuseDecoder: TokenDecoder {
    func decodeChain(_ tokens: [String]) -> [String] { [tokens.joined()] }
}

/// `Replace` decoder with a string pattern: replaces every occurrence in each token (e.g. `▁` by a space).
struct ReplaceDecoder: TokenDecoder {
    let pattern: String
    let content: String

    func decodeChain(_ tokens: [String]) -> [String] {
        tokens.map { $0.replacingAll(pattern, with: content) }
    }
}

extension String {
    /// Replaces every non-overlapping occurrence of `pattern`, left to right, comparing UTF-8 bytes (as Rust's
    /// `str::replace` does, unlike `Character` comparison, which would not match inside a grapheme cluster).
    func replacingAll(_ pattern: String, with replacement: String) -> String {
        let source = Array(utf8)
        let needle = Array(pattern.utf8)
        guard !needle.isEmpty, source.count >= needle.count else { return self }
        var output: [UInt8] = []
        output.reserveCapacity(source.count)
        var index = 0
        while index < source.count {
            if index + needle.count <= source.count, source[index] == needle[0],
                source[index..<index + needle.count].elementsEqual(needle)
            {
                output.append(contentsOf: replacement.utf8)
                index += needle.count
            } else {
                output.append(source[index])
                index += 1
            }
        }
        return String(decoding: output, as: UTF8.self)
    }
}

/// `BPEDecoder`: replaces the end-of-word suffix (`</w>`) by a space, or by nothing in the last token.
struct BPEDecoder: TokenDecoder {
    let suffix: String

    func decodeChain(_ tokens: [String]) -> [String] {
        tokens.enumerated().map { index, token in
            token.replacingAll(suffix, with: index == tokens.count - 1 ? "" : " ")
        }
    }
}

/// `ByteLevel` decoder: maps ``ByteLevelAlphabet`` characters back to bytes and reads them as UTF-8, with
/// U+FFFD for invalid sequences. A token with a character outside the alphabet contributes its own UTF-8.
struct ByteLevelDecoder: TokenDecoder {
    func decodeChain(_ tokens: [String]) -> [String] {
        var bytes: [UInt8] = []
        for token in tokens {
            let mapped = token.unicodeScalars.map { ByteLevelAlphabet.byte(of: $0.value) }
            if mapped.allSatisfy({ $0 != nil }) {
                bytes.append(contentsOf: mapped.map { $0! })
            } else {
                bytes.append(contentsOf: token.utf8)
            }
        }
        return [String(decoding: bytes, as: UTF8.self)]
    }
}

/// `CTC` decoder: collapses repeated tokens, drops the pad token and turns the word delimiter into spaces.
struct CTCDecoder: TokenDecoder {
    let padToken: String
    let wordDelimiterToken: String
    let cleanup: Bool

    func decodeChain(_ tokens: [String]) -> [String] {
        var output: [String] = []
        var previous: String? = nil
        for token in tokens where token != previous {
            previous = token
            var text = token.replacingAll(padToken, with: "")
            if cleanup {
                text = WordPieceDecoder.cleanup(text).replacingAll(wordDelimiterToken, with: " ")
            }
            if !text.isEmpty { output.append(text) }
        }
        return output
    }
}

/// `Metaspace` decoder: turns the replacement character (`▁`) back into spaces, dropping it from the first
/// token when the pre-tokenizer prepended one.
struct MetaspaceDecoder: TokenDecoder {
    let replacement: Unicode.Scalar
    /// Whether the pre-tokenizer's `prepend_scheme` is other than `never`.
    let prependsSpace: Bool

    func decodeChain(_ tokens: [String]) -> [String] {
        tokens.enumerated().map { index, token in
            var text = String.UnicodeScalarView()
            for scalar in token.unicodeScalars {
                if scalar == replacement {
                    if !(index == 0 && prependsSpace) { text.append(" ") }
                } else {
                    text.append(scalar)
                }
            }
            return String(text)
        }
    }
}

/// `Strip` decoder: removes up to `start` leading and `stop` trailing occurrences of one character per token.
struct StripDecoder: TokenDecoder {
    let content: Unicode.Scalar
    let start: Int
    let stop: Int

    func decodeChain(_ tokens: [String]) -> [String] {
        tokens.map { token in
            let scalars = Array(token.unicodeScalars)
            var startCut = 0
            while startCut < min(start, scalars.count), scalars[startCut] == content { startCut += 1 }
            var stopCut = scalars.count
            while scalars.count - stopCut < stop, stopCut > startCut, scalars[stopCut - 1] == content {
                stopCut -= 1
            }
            var view = String.UnicodeScalarView()
            view.append(contentsOf: scalars[startCut..<stopCut])
            return String(view)
        }
    }
}
