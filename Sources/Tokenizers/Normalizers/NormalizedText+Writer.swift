extension NormalizedText {
    /// Appends to preallocated storage without the per-element checks of `Array.append`.
    struct Writer {
        private let scalars: UnsafeMutablePointer<UInt32>
        private let origins: UnsafeMutablePointer<Int32>
        /// How many scalars have been written.
        private(set) var count = 0

        @inline(__always)
        mutating func append(_ scalar: UInt32, origin: Int32) {
            scalars[count] = scalar
            origins[count] = origin
            count += 1
        }

        fileprivate init(_ scalars: UnsafeMutablePointer<UInt32>, _ origins: UnsafeMutablePointer<Int32>) {
            self.scalars = scalars
            self.origins = origins
        }
    }

    /// Builds a text of at most `capacity` scalars by writing it directly into its storage.
    ///
    /// The writer does not check bounds: `body` must never write more than `capacity` scalars.
    init(capacity: Int, writing body: (inout Writer) -> Void) {
        // Zero-filled arrays rather than `init(unsafeUninitializedCapacity:)`, whose unspecialized path looks up
        // generic metadata on every call.
        var scalars = [UInt32](repeating: 0, count: capacity)
        var origins = [Int32](repeating: 0, count: capacity)
        let count = scalars.withUnsafeMutableBufferPointer { scalarBuffer in
            origins.withUnsafeMutableBufferPointer { originBuffer in
                var writer = Writer(scalarBuffer.baseAddress!, originBuffer.baseAddress!)
                body(&writer)
                assert(writer.count <= capacity, "a normalizer wrote past the capacity it computed")
                return writer.count
            }
        }
        scalars.removeSubrange(count...)
        origins.removeSubrange(count...)
        self.scalars = scalars
        self.origins = origins
    }
}
