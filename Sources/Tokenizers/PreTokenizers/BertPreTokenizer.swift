/// `BertPreTokenizer`: splits on whitespace (dropped) and makes every punctuation character its own word.
struct BertPreTokenizer: PreTokenizer {
    private enum ScalarClass: UInt8 {
        case word, whitespace, punctuation
    }

    private let asciiClasses: [ScalarClass]

    init() {
        let tables = UnicodeTables.shared
        asciiClasses = (UInt32(0)..<128).map { Self.classify(tables.properties($0)) }
    }

    @inline(__always)
    private static func classify(_ properties: ScalarProperties) -> ScalarClass {
        if properties.contains(.whitespace) { return .whitespace }
        if properties.contains(.punctuation) { return .punctuation }
        return .word
    }

    func preTokenize(_ text: inout PreTokenizedText) {
        let tables = UnicodeTables.shared
        var words: [Range<Int>] = []
        words.reserveCapacity(text.text.count / 4 + 1)
        text.text.scalars.withUnsafeBufferPointer { scalars in
            asciiClasses.withUnsafeBufferPointer { ascii in
                for piece in text.words {
                    var wordStart = -1
                    for index in piece {
                        let scalar = scalars[index]
                        let scalarClass = scalar < 0x80 ? ascii[Int(scalar)] : Self.classify(tables.properties(scalar))
                        switch scalarClass {
                        case .word:
                            if wordStart < 0 { wordStart = index }
                        case .whitespace:
                            if wordStart >= 0 { words.append(wordStart..<index) }
                            wordStart = -1
                        case .punctuation:
                            if wordStart >= 0 { words.append(wordStart..<index) }
                            wordStart = -1
                            words.append(index..<index + 1)
                        }
                    }
                    if wordStart >= 0 { words.append(wordStart..<piece.upperBound) }
                }
            }
        }
        text.words = words
    }
}
