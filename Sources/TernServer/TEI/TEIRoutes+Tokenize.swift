import Hummingbird
import InferenceCore

extension TEIRoutes {
    /// `POST /tokenize`: each input's tokens with the text and Unicode-scalar span each covers.
    func tokenize(_ request: Request, _ context: TernRequestContext) async throws -> Response {
        let pipeline = try host(for: nil, context).requirePipeline()
        let (parsed, _) = try await prepare(request, as: TEITokenizeRequest.self)
        try preamble.checkCount(parsed.inputs.count, field: "inputs")
        try preamble.checkLength(parsed.inputs, field: "inputs")
        let tokenized = pipeline.tokenize(parsed.inputs, addSpecialTokens: parsed.addSpecialTokens)
        var buffer = ByteBuffer()
        buffer.writeStaticString("[")
        for (item, tokens) in tokenized.enumerated() {
            if item > 0 { buffer.writeStaticString(",") }
            buffer.writeStaticString("[")
            for (position, token) in tokens.enumerated() {
                if position > 0 { buffer.writeStaticString(",") }
                Self.write(token, to: &buffer)
            }
            buffer.writeStaticString("]")
        }
        buffer.writeStaticString("]")
        return JSONBody.response(.ok, buffer: buffer)
    }

    /// `POST /decode`: the text of each list of ids.
    func decode(_ request: Request, _ context: TernRequestContext) async throws -> Response {
        let pipeline = try host(for: nil, context).requirePipeline()
        let (parsed, _) = try await prepare(request, as: TEIDecodeRequest.self)
        try preamble.checkCount(parsed.ids.count, field: "ids")
        let texts = try pipeline.decode(parsed.ids, skipSpecialTokens: parsed.skipSpecialTokens)
        var buffer = ByteBuffer()
        buffer.writeStaticString("[")
        for (index, text) in texts.enumerated() {
            if index > 0 { buffer.writeStaticString(",") }
            JSONString.write(text, to: &buffer)
        }
        buffer.writeStaticString("]")
        return JSONBody.response(.ok, buffer: buffer)
    }

    /// `{"id":..,"text":..,"special":..,"start":..,"stop":..}`, TEI's `SimpleToken`.
    private static func write(_ token: TokenView, to buffer: inout ByteBuffer) {
        buffer.writeStaticString(#"{"id":"#)
        JSONNumbers.write(Int(token.id), to: &buffer)
        buffer.writeStaticString(#","text":"#)
        JSONString.write(token.text, to: &buffer)
        buffer.writeStaticString(token.special ? #","special":true,"start":"# : #","special":false,"start":"#)
        if let span = token.span {
            JSONNumbers.write(span.lowerBound, to: &buffer)
            buffer.writeStaticString(#","stop":"#)
            JSONNumbers.write(span.upperBound, to: &buffer)
        } else {
            buffer.writeStaticString(#"null,"stop":null"#)
        }
        buffer.writeStaticString("}")
    }
}
