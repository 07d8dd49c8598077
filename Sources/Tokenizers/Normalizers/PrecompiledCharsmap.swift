import Foundation

/// SentencePiece's precompiled normalization map (`precompiled_charsmap`): a darts-clone double-array trie over
/// UTF-8 keys whose values index NUL-terminated replacement strings.
struct PrecompiledCharsmap: Sendable {
    private let units: [UInt32]
    private let replacements: [UInt8]

    /// Parses the base64 blob: a little-endian trie size in bytes, the trie, then the replacement strings.
    init?(base64: String) {
        guard let data = Data(base64Encoded: base64), data.count >= 4 else { return nil }
        let bytes = [UInt8](data)
        let trieSize = Int(bytes[0]) | Int(bytes[1]) << 8 | Int(bytes[2]) << 16 | Int(bytes[3]) << 24
        guard trieSize % 4 == 0, 4 + trieSize <= bytes.count else { return nil }
        units = stride(from: 4, to: 4 + trieSize, by: 4).map { index in
            UInt32(bytes[index]) | UInt32(bytes[index + 1]) << 8 | UInt32(bytes[index + 2]) << 16
                | UInt32(bytes[index + 3]) << 24
        }
        replacements = Array(bytes[(4 + trieSize)...])
    }

    /// The replacement of the shortest key that prefixes `key`, as `spm_precompiled`'s `transform` takes the first
    /// common-prefix result; nil when no key does.
    func replacement(_ key: [UInt8]) -> [UInt8]? {
        guard !units.isEmpty else { return nil }
        var position = Int(Self.offset(units[0]))
        for byte in key {
            if byte == 0 { break }
            position ^= Int(byte)
            guard position < units.count else { return nil }
            let unit = units[position]
            guard Self.label(unit) == UInt32(byte) else { return nil }
            position ^= Int(Self.offset(unit))
            if unit >> 8 & 1 == 1 {
                guard position < units.count else { return nil }
                let start = Int(units[position] & 0x7FFF_FFFF)
                guard start <= replacements.count else { return nil }
                let end = replacements[start...].firstIndex(of: 0) ?? replacements.count
                return Array(replacements[start..<end])
            }
        }
        return nil
    }

    private static func offset(_ unit: UInt32) -> UInt32 { (unit >> 10) << ((unit & (1 << 9)) >> 6) }

    private static func label(_ unit: UInt32) -> UInt32 { unit & (1 << 31 | 0xFF) }
}
