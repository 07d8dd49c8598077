/// A string key compared and hashed by its UTF-8 bytes, as Rust's `String` is.
///
/// Swift's `String` equality is canonical equivalence, under which vocabulary entries such as precomposed `각` and
/// the jamo sequence `각` are one key; `tokenizers` gives them separate ids.
struct ExactString: Hashable, Sendable {
    let string: String

    init(_ string: String) {
        self.string = string
    }

    static func == (lhs: ExactString, rhs: ExactString) -> Bool {
        lhs.string.utf8.elementsEqual(rhs.string.utf8)
    }

    func hash(into hasher: inout Hasher) {
        for byte in string.utf8 { hasher.combine(byte) }
    }
}
