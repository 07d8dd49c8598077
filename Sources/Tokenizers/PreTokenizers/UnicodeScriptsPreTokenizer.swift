/// `UnicodeScripts` pre-tokenizer: splits where the script changes, as SentencePiece does.
///
/// Hiragana, Katakana and U+30FC count as Han; spaces and unassigned scalars belong to any script, never start a
/// word and never change the current script. As in `tokenizers`, such scalars before the first scalar of a known
/// script are dropped with the split.
struct UnicodeScriptsPreTokenizer: PreTokenizer {
    func preTokenize(_ text: inout PreTokenizedText) {
        let tables = NormalizationTables.shared
        var words: [Range<Int>] = []
        words.reserveCapacity(text.words.count * 2)
        var starts: [Int] = []
        for piece in text.words where !piece.isEmpty {
            starts.removeAll(keepingCapacity: true)
            var lastScript: UInt8 = 0
            for index in piece {
                let scalar = text.text.scalars[index]
                let script = scalar == 0x20 ? 0 : tables.script(scalar)
                if script != 0, script != lastScript { starts.append(index) }
                if script != 0 { lastScript = script }
            }
            starts.append(piece.upperBound)
            for (start, end) in zip(starts, starts.dropFirst()) where start < end {
                words.append(start..<end)
            }
        }
        text.words = words
    }
}
