extension Encoding {
    /// An empty encoding with room for `capacity` tokens.
    init(capacity: Int) {
        self.init(ids: [], typeIds: [], attentionMask: [], specialTokensMask: [])
        ids.reserveCapacity(capacity)
        typeIds.reserveCapacity(capacity)
        attentionMask.reserveCapacity(capacity)
        specialTokensMask.reserveCapacity(capacity)
        offsets.reserveCapacity(capacity)
    }

    /// Appends the tokens of one input sequence with the given segment id.
    mutating func append(_ sequence: TokenSequence, typeId: Int32) {
        ids.append(contentsOf: sequence.ids)
        offsets.append(contentsOf: sequence.offsets)
        let count = sequence.ids.count
        typeIds.append(contentsOf: repeatElement(typeId, count: count))
        attentionMask.append(contentsOf: repeatElement(1, count: count))
        specialTokensMask.append(contentsOf: repeatElement(0, count: count))
    }

    /// Appends special tokens added by a post-processor.
    mutating func appendSpecial(_ specialIds: [Int32], typeId: Int32) {
        ids.append(contentsOf: specialIds)
        offsets.append(contentsOf: repeatElement(0..<0, count: specialIds.count))
        typeIds.append(contentsOf: repeatElement(typeId, count: specialIds.count))
        attentionMask.append(contentsOf: repeatElement(1, count: specialIds.count))
        specialTokensMask.append(contentsOf: repeatElement(1, count: specialIds.count))
    }
}
