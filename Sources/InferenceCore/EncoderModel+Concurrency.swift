import Foundation

extension EncoderModel {
    /// Requests with at least this many inputs are tokenized on several cores.
    static let concurrentEncodingThreshold = 64
    /// The fewest inputs one concurrent chunk gets, so that a task is worth starting.
    static let minimumChunkSize = 16

    /// Encodes inputs `0..<count` with `encodeOne`, in input order.
    ///
    /// Small requests are encoded one after another on the caller's task. Large ones are cut into contiguous
    /// chunks encoded by child tasks on the global concurrent executor (never on the NIO event loops), one chunk
    /// per core. Each chunk stops at its first failure; the failure of the lowest index is thrown, exactly as the
    /// sequential loop would.
    func encodeAll(
        count: Int,
        _ encodeOne: @escaping @Sendable (Int) throws(InferenceError) -> TokenizedInput
    ) async throws(InferenceError) -> [TokenizedInput] {
        let chunkCount = Swift.min(
            ProcessInfo.processInfo.activeProcessorCount, Swift.max(1, count / Self.minimumChunkSize))
        guard count >= Self.concurrentEncodingThreshold, chunkCount > 1 else {
            return try Self.encode(0..<count, encodeOne).get()
        }
        let chunkSize = (count + chunkCount - 1) / chunkCount
        let chunks = stride(from: 0, to: count, by: chunkSize).map { $0..<Swift.min(count, $0 + chunkSize) }
        let results = await withTaskGroup(of: (Int, Result<[TokenizedInput], InferenceError>).self) { group in
            for (number, range) in chunks.enumerated() {
                group.addTask { (number, Self.encode(range, encodeOne)) }
            }
            var results = [Result<[TokenizedInput], InferenceError>?](repeating: nil, count: chunks.count)
            for await (number, result) in group { results[number] = result }
            return results
        }
        var encoded: [TokenizedInput] = []
        encoded.reserveCapacity(count)
        for result in results {
            // Chunks are in input order, so the first failure met is the one at the lowest index.
            guard let result else { continue }
            encoded += try result.get()
        }
        return encoded
    }

    /// Encodes `range` in order, stopping at the first failure.
    private static func encode(
        _ range: Range<Int>,
        _ encodeOne: (Int) throws(InferenceError) -> TokenizedInput
    ) -> Result<[TokenizedInput], InferenceError> {
        var encoded: [TokenizedInput] = []
        encoded.reserveCapacity(range.count)
        for index in range {
            do { encoded.append(try encodeOne(index)) } catch { return .failure(error) }
        }
        return .success(encoded)
    }
}
