#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#else
import Darwin
#endif

/// Reads number tokens that `JSONByteReader` found, without making strings of them.
enum JSONNumberParser {
    /// The token's value when it is an integer (no fraction, no exponent) within ±2^64; nil otherwise.
    static func integer(_ bytes: UnsafeRawBufferPointer, _ token: Range<Int>) -> Int128? {
        var index = token.lowerBound
        guard index < token.upperBound else { return nil }
        let negative = bytes[index] == UInt8(ascii: "-")
        if negative { index += 1 }
        guard index < token.upperBound else { return nil }
        var magnitude: UInt64 = 0
        while index < token.upperBound {
            let digit = bytes[index] &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            let (times10, overflow1) = magnitude.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times10.addingReportingOverflow(UInt64(digit))
            if overflow1 || overflow2 { return nil }
            magnitude = sum
            index += 1
        }
        return negative ? -Int128(magnitude) : Int128(magnitude)
    }

    /// The token as the nearest Double (`NaN`, `Infinity`, `-Infinity` included).
    static func double(_ bytes: UnsafeRawBufferPointer, _ token: Range<Int>) -> Double? {
        withTerminatedCopy(bytes, token) { text, end in strtod(text, end) }
    }

    /// The token as the nearest Float, rounded once from the decimal text.
    static func float(_ bytes: UnsafeRawBufferPointer, _ token: Range<Int>) -> Float? {
        withTerminatedCopy(bytes, token) { text, end in strtof(text, end) }
    }

    /// Runs a C parser on a NUL-terminated copy of the token on the stack; nil unless it reads every byte.
    private static func withTerminatedCopy<T>(
        _ bytes: UnsafeRawBufferPointer,
        _ token: Range<Int>,
        _ parse: (UnsafePointer<CChar>, UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> T
    ) -> T? {
        guard !token.isEmpty else { return nil }
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: token.count + 1) { scratch in
            guard let base = scratch.baseAddress, let source = bytes.baseAddress else { return nil }
            UnsafeMutableRawPointer(base).copyMemory(from: source + token.lowerBound, byteCount: token.count)
            scratch[token.count] = 0
            var end: UnsafeMutablePointer<CChar>? = nil
            let value = parse(base, &end)
            guard let end, end - base == token.count else { return nil }
            return value
        }
    }
}
