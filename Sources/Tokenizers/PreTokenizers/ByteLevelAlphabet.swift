/// GPT-2's reversible map from bytes to printable characters, so that any byte string is a string of visible
/// characters (`bytes_to_unicode`): printable Latin-1 bytes map to themselves, the rest to U+0100 onwards.
enum ByteLevelAlphabet {
    /// The character of each byte.
    static let scalarOfByte: [UInt32] = {
        var printable = Array(UInt32(0x21)...0x7E) + Array(UInt32(0xA1)...0xAC) + Array(UInt32(0xAE)...0xFF)
        var scalars = [UInt32](repeating: 0, count: 256)
        for byte in printable { scalars[Int(byte)] = byte }
        var next: UInt32 = 0x100
        for byte in 0..<256 where !printable.contains(UInt32(byte)) {
            scalars[byte] = next
            next += 1
        }
        printable.removeAll()
        return scalars
    }()

    /// The byte of each character below U+0144, or -1 for characters outside the alphabet.
    static let byteOfScalar: [Int16] = {
        var bytes = [Int16](repeating: -1, count: 0x144)
        for (byte, scalar) in scalarOfByte.enumerated() { bytes[Int(scalar)] = Int16(byte) }
        return bytes
    }()

    /// The byte a character stands for, or nil when it is not in the alphabet.
    @inline(__always)
    static func byte(of scalar: UInt32) -> UInt8? {
        guard scalar < 0x144 else { return nil }
        let byte = byteOfScalar[Int(scalar)]
        return byte < 0 ? nil : UInt8(byte)
    }
}
