/// A token of a word being merged: its id and the scalars of the word it covers.
struct BPESymbol: Sendable, Equatable {
    var id: Int32
    /// The first scalar, relative to the word.
    var start: Int32
    /// One past the last scalar, relative to the word.
    var end: Int32
}
