/// The configured API keys, checked in time that depends only on the length of the presented key: every
/// configured key is compared over every presented byte, with no early exit, so neither a key's content
/// nor its length leaks through response times.
struct APIKeySet: Sendable {
    private let keys: [[UInt8]]

    /// - Parameter keys: the keys; empty ones are ignored (startup refuses them).
    init(_ keys: [String]) {
        self.keys = keys.map { Array($0.utf8) }.filter { !$0.isEmpty }
    }

    /// Whether `presented` is one of the keys.
    func contains(_ presented: some Collection<UInt8>) -> Bool {
        let presented = Array(presented)
        var found = 0
        for key in keys {
            var difference = presented.count ^ key.count
            for (index, byte) in presented.enumerated() {
                difference |= Int(byte ^ key[index % key.count])
            }
            found |= difference == 0 ? 1 : 0
        }
        return found == 1
    }
}
