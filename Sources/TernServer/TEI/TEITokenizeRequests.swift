import Foundation

/// `/tokenize`: one string or a list, and whether to add special tokens (TEI's default: yes).
struct TEITokenizeRequest: Decodable {
    let inputs: [String]
    let addSpecialTokens: Bool

    private enum CodingKeys: String, CodingKey {
        case inputs
        case addSpecialTokens = "add_special_tokens"
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        inputs = try TEIInputs.strings(container, forKey: .inputs)
        addSpecialTokens = try container.decodeIfPresent(Bool.self, forKey: .addSpecialTokens) ?? true
    }
}

/// `/decode`: one list of ids or a list of lists, and whether to drop special tokens (TEI's default: yes).
struct TEIDecodeRequest: Decodable {
    let ids: [[Int]]
    let skipSpecialTokens: Bool

    private enum CodingKeys: String, CodingKey {
        case ids
        case skipSpecialTokens = "skip_special_tokens"
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        if let single = try? container.decode([Int].self, forKey: .ids), !single.isEmpty {
            ids = [single]
        } else {
            ids = try container.decode([[Int]].self, forKey: .ids)
        }
        skipSpecialTokens = try container.decodeIfPresent(Bool.self, forKey: .skipSpecialTokens) ?? true
    }
}
