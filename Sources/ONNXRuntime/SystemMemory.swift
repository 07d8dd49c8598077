import Foundation

/// The C allocator under ONNX Runtime's CPU arena and everything else in the process.
public enum SystemMemory {
    /// Batches of at least this many padded tokens give their memory back when they end (the arena shrinks, then
    /// the heap is trimmed): their intermediate tensors (hundreds of megabytes for 64 inputs of 256 tokens)
    /// would otherwise stay with the process for good. Smaller batches keep reusing what the arena holds.
    public static let releaseAfterTokens = 8_192

    private typealias Trim = @convention(c) (Int) -> Int32
    private static let trim: Trim? = {
        #if os(Linux)
        dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim").map { unsafeBitCast($0, to: Trim.self) }  // RTLD_DEFAULT
        #else
        nil
        #endif
    }()

    /// Returns the heap's free pages to the kernel (glibc's `malloc_trim(0)`); a no-op elsewhere. A few
    /// milliseconds on a heap of hundreds of megabytes; call it after large work, not per request.
    public static func releaseFreePages() {
        _ = trim?(0)
    }
}
