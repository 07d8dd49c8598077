/// A two-way map between token strings and ids.
struct Vocabulary: Sendable {
    /// Keys compare by bytes (``ExactString``), so canonically equivalent tokens keep their own ids.
    private let ids: [ExactString: Int32]
    private let tokens: [Int32: String]

    /// Creates a vocabulary; when a token appears twice, the later id wins the string lookup.
    init(_ entries: [(token: String, id: Int32)]) {
        var ids: [ExactString: Int32] = [:]
        var tokens: [Int32: String] = [:]
        ids.reserveCapacity(entries.count)
        tokens.reserveCapacity(entries.count)
        for (token, id) in entries {
            ids[ExactString(token)] = id
            tokens[id] = token
        }
        self.ids = ids
        self.tokens = tokens
    }

    /// The number of tokens.
    var count: Int { ids.count }

    /// The largest id, or -1 when empty.
    var maxId: Int32 { tokens.keys.max() ?? -1 }

    /// All entries, in no particular order.
    var entries: some Sequence<(key: String, value: Int32)> { ids.lazy.map { (key: $0.key.string, value: $0.value) } }

    func id(forToken token: String) -> Int32? { ids[ExactString(token)] }

    func token(forId id: Int32) -> String? { tokens[id] }
}
