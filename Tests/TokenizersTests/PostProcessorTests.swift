import Foundation
import Testing

@testable import Tokenizers

@Suite struct PostProcessorTests {
    let first = TokenSequence(ids: [10, 11], offsets: [0..<1, 1..<2])
    let second = TokenSequence(ids: [20], offsets: [0..<3])

    @Test func bertTemplateForOneText() throws {
        let encoding = try TinyTokenizer.tokenizer().encode("hello world")
        #expect(encoding.ids == TinyTokenizer.ids("[CLS]", "hello", "world", "[SEP]"))
        #expect(encoding.typeIds == [0, 0, 0, 0])
        #expect(encoding.specialTokensMask == [1, 0, 0, 1])
        #expect(encoding.attentionMask == [1, 1, 1, 1])
        #expect(encoding.offsets == [0..<0, 0..<5, 6..<11, 0..<0])
    }

    @Test func bertTemplateForAPair() throws {
        let encoding = try TinyTokenizer.tokenizer().encode(pair: "hello", "world !")
        #expect(encoding.ids == TinyTokenizer.ids("[CLS]", "hello", "[SEP]", "world", "!", "[SEP]"))
        #expect(encoding.typeIds == [0, 0, 0, 1, 1, 1])
        #expect(encoding.specialTokensMask == [1, 0, 1, 0, 0, 1])
    }

    @Test func withoutSpecialTokensTheTemplateStillSetsSegments() throws {
        let encoding = try TinyTokenizer.tokenizer().encode(pair: "hello", "world", addSpecialTokens: false)
        #expect(encoding.ids == TinyTokenizer.ids("hello", "world"))
        #expect(encoding.typeIds == [0, 1])
        #expect(encoding.specialTokensMask == [0, 0])
    }

    @Test func templatePiecesCanReorderAndCarryMultipleIds() {
        let template = TemplateProcessing(
            single: [.specialToken(ids: [1, 2], typeId: 0), .sequence(isFirst: true, typeId: 0)],
            pair: [
                .sequence(isFirst: false, typeId: 1), .specialToken(ids: [3], typeId: 1),
                .sequence(isFirst: true, typeId: 0), .specialToken(ids: [4], typeId: 2),
            ]
        )
        #expect(template.addedTokenCount(isPair: false) == 2)
        #expect(template.addedTokenCount(isPair: true) == 2)
        let single = template.process(first, nil, addSpecialTokens: true)
        #expect(single.ids == [1, 2, 10, 11])
        #expect(single.specialTokensMask == [1, 1, 0, 0])
        let pair = template.process(first, second, addSpecialTokens: true)
        #expect(pair.ids == [20, 3, 10, 11, 4])
        #expect(pair.typeIds == [1, 1, 0, 0, 2])
        #expect(pair.offsets == [0..<3, 0..<0, 0..<1, 1..<2, 0..<0])
    }

    @Test func bertProcessingLayout() {
        let processor = BertProcessing(classificationId: 101, separatorId: 102)
        #expect(processor.addedTokenCount(isPair: false) == 2)
        #expect(processor.addedTokenCount(isPair: true) == 3)
        let pair = processor.process(first, second, addSpecialTokens: true)
        #expect(pair.ids == [101, 10, 11, 102, 20, 102])
        #expect(pair.typeIds == [0, 0, 0, 0, 1, 1])
        #expect(pair.specialTokensMask == [1, 0, 0, 1, 0, 1])
        #expect(processor.process(first, second, addSpecialTokens: false).typeIds == [0, 0, 1])
    }

    @Test func withoutPostProcessorSequencesAreConcatenated() throws {
        let tokenizer = try TinyTokenizer.tokenizer(["post_processor": NSNull()])
        let encoding = tokenizer.encode(pair: "hello", "world")
        #expect(encoding.ids == TinyTokenizer.ids("hello", "world"))
        #expect(encoding.typeIds == [0, 1])
    }
}

extension TokenSequence {
    init(ids: [Int32], offsets: [Range<Int>]) {
        self.init()
        self.ids = ids
        self.offsets = offsets
    }
}
