extension String {
    /// The Unicode scalar values, decoded straight from the UTF-8 storage (the string is valid UTF-8).
    var scalarValues: [UInt32] {
        var text = self
        return text.withUTF8 { utf8 in
            var scalars = [UInt32](repeating: 0, count: utf8.count)
            let count = scalars.withUnsafeMutableBufferPointer { buffer in
                var input = 0
                var output = 0
                while input < utf8.count {
                    let lead = UInt32(utf8[input])
                    if lead < 0x80 {
                        buffer[output] = lead
                        input += 1
                    } else if lead < 0xE0 {
                        buffer[output] = (lead & 0x1F) << 6 | UInt32(utf8[input + 1] & 0x3F)
                        input += 2
                    } else if lead < 0xF0 {
                        buffer[output] =
                            (lead & 0x0F) << 12 | UInt32(utf8[input + 1] & 0x3F) << 6 | UInt32(utf8[input + 2] & 0x3F)
                        input += 3
                    } else {
                        buffer[output] =
                            (lead & 0x07) << 18 | UInt32(utf8[input + 1] & 0x3F) << 12
                            | UInt32(utf8[input + 2] & 0x3F) << 6 | UInt32(utf8[input + 3] & 0x3F)
                        input += 4
                    }
                    output += 1
                }
                return output
            }
            scalars.removeSubrange(count...)
            return scalars
        }
    }
}
