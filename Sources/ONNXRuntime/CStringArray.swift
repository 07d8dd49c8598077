#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// NUL-terminated copies of Swift strings in a C array (`const char *const *`), freed when this object goes away.
final class CStringArray {
    let count: Int
    private let storage: UnsafeMutablePointer<UnsafePointer<CChar>>

    init(_ strings: [String]) {
        count = strings.count
        storage = .allocate(capacity: max(strings.count, 1))
        for (index, string) in strings.enumerated() {
            guard let copy = strdup(string) else { fatalError("strdup: out of memory") }
            (storage + index).initialize(to: UnsafePointer(copy))
        }
    }

    deinit {
        for index in 0..<count {
            free(UnsafeMutablePointer(mutating: storage[index]))
        }
        storage.deinitialize(count: count)
        storage.deallocate()
    }

    /// The array for ORT calls; `nil` when empty. Valid while this object is alive.
    var baseAddress: UnsafePointer<UnsafePointer<CChar>>? {
        count == 0 ? nil : UnsafePointer(storage)
    }

    /// The C string at `index`. Valid while this object is alive.
    subscript(index: Int) -> UnsafePointer<CChar> {
        storage[index]
    }
}
