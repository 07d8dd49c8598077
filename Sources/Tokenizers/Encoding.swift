/// The model inputs produced for one text or one pair of texts.
public struct Encoding: Sendable, Equatable {
    /// Token ids, special tokens included.
    public var ids: [Int32]
    /// Segment ids: 0 for the first sequence, 1 for the second (as the post-processor assigns them).
    public var typeIds: [Int32]
    /// All 1: the tokenizer never pads.
    public var attentionMask: [Int32]
    /// 1 for the special tokens the post-processor added, 0 for tokens from the text.
    public var specialTokensMask: [Int32]
    /// Whether truncation removed tokens.
    public var wasTruncated: Bool
    /// For each token, the Unicode scalar offsets it covers in its own input text; `0..<0` for added special tokens.
    public var offsets: [Range<Int>]

    /// The number of tokens.
    public var count: Int { ids.count }

    /// Creates an encoding from its parts; all arrays must have the same length (`offsets` may be empty).
    public init(
        ids: [Int32],
        typeIds: [Int32],
        attentionMask: [Int32],
        specialTokensMask: [Int32],
        wasTruncated: Bool = false,
        offsets: [Range<Int>] = []
    ) {
        self.ids = ids
        self.typeIds = typeIds
        self.attentionMask = attentionMask
        self.specialTokensMask = specialTokensMask
        self.wasTruncated = wasTruncated
        self.offsets = offsets
    }
}
