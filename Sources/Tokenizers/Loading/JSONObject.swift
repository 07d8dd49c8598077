/// The members of a JSON object, in document order, with keys exactly as written.
///
/// Swift's `String` equality is canonical equivalence, so a `[String: JSONValue]` would merge vocabulary entries
/// such as precomposed `각` and the jamo sequence `각`, which `tokenizers` keeps apart. Members keep every key;
/// lookup by key (for component fields) finds the last member with a canonically equivalent key.
struct JSONObject: Sendable, Equatable, Sequence {
    typealias Element = (key: String, value: JSONValue)

    private let keys: [String]
    private let values: [JSONValue]
    private let index: [String: Int]

    init(keys: [String], values: [JSONValue]) {
        self.keys = keys
        self.values = values
        var index: [String: Int] = [:]
        index.reserveCapacity(keys.count)
        for (position, key) in keys.enumerated() { index[key] = position }
        self.index = index
    }

    /// The number of members, duplicates included.
    var count: Int { keys.count }

    /// The first member, if any.
    var first: Element? { keys.isEmpty ? nil : (keys[0], values[0]) }

    /// The value of the member `key`, or nil.
    subscript(key: String) -> JSONValue? {
        index[key].map { values[$0] }
    }

    func makeIterator() -> some IteratorProtocol<Element> {
        zip(keys, values).lazy.map { (key: $0, value: $1) }.makeIterator()
    }

    static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        lhs.keys.count == rhs.keys.count && lhs.values == rhs.values
            && zip(lhs.keys, rhs.keys).allSatisfy { $0.utf8.elementsEqual($1.utf8) }
    }
}
