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
