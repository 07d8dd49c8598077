/// Character classes that normalizers and pre-tokenizers test, as `tokenizers` defines them.
struct ScalarProperties: OptionSet, Sendable {
    let rawValue: UInt16

    /// Dropped by `BertNormalizer`'s clean_text: NUL, U+FFFD and categories Cc, Cf, Co (tab, LF, CR excepted).
    static let removedByCleanText = Self(rawValue: 1 << 0)
    /// Replaced by a space by `BertNormalizer`'s clean_text.
    static let cleanTextWhitespace = Self(rawValue: 1 << 1)
    /// A CJK ideograph that `BertNormalizer`'s handle_chinese_chars surrounds with spaces.
    static let chinese = Self(rawValue: 1 << 2)
    /// Rust's `char::is_whitespace` (the Unicode White_Space property).
    static let whitespace = Self(rawValue: 1 << 3)
    /// ASCII punctuation or a Unicode P* category, as `BertPreTokenizer` isolates it.
    static let punctuation = Self(rawValue: 1 << 4)
    /// General category Mn, dropped when accents are stripped.
    static let nonspacingMark = Self(rawValue: 1 << 5)
    /// Has a canonical decomposition (other than a Hangul syllable).
    static let decomposes = Self(rawValue: 1 << 6)
    /// A precomposed Hangul syllable, decomposed algorithmically.
    static let hangulSyllable = Self(rawValue: 1 << 7)
    /// Has a non-zero canonical combining class.
    static let combining = Self(rawValue: 1 << 8)
    /// Changes under Rust's `char::to_lowercase`.
    static let lowercases = Self(rawValue: 1 << 9)
}
