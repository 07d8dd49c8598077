import Foundation
import Imaging
import InferenceCore
import NIOCore
import Testing

@testable import TernServer

@Suite struct ImageRequestFormTests {
    @Test func contentTypesChooseTheForm() throws {
        #expect(try ImagePredictRequest.form(of: "image/jpeg") == .raw)
        #expect(try ImagePredictRequest.form(of: "IMAGE/PNG; charset=binary") == .raw)
        #expect(try ImagePredictRequest.form(of: "application/octet-stream") == .raw)
        #expect(try ImagePredictRequest.form(of: nil) == .raw)
        #expect(try ImagePredictRequest.form(of: "application/json; charset=utf-8") == .json)
        #expect(try ImagePredictRequest.form(of: #"multipart/form-data; boundary="a b""#) == .multipart(boundary: "a b"))
        #expect(try ImagePredictRequest.form(of: "text/plain") == nil)
    }

    @Test func otherImageTypesAre415AndAFormWithoutBoundaryIs400() {
        for type in ["image/gif", "image/bmp", "image/tiff"] {
            let failure = #expect(throws: ServingFailure.self) { try ImagePredictRequest.form(of: type) }
            #expect(failure?.kind == .http(.unsupportedMediaType))
        }
        let failure = #expect(throws: ServingFailure.self) { try ImagePredictRequest.form(of: "multipart/form-data") }
        #expect(failure?.kind == .http(.badRequest))
    }

    @Test func jsonTakesBase64AndDataURIs() throws {
        let bytes: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 1, 2, 3]
        let text = Data(bytes).base64EncodedString()
        let body = ByteBuffer(string: #"{"images": ["\#(text)", "data:image/png;base64,\#(text)"], "top_k": 2}"#)
        let request = try ImagePredictRequest(body: body, form: .json, query: nil)
        #expect(request.images.count == 2)
        #expect(request.topK == 2)
        for image in request.images { #expect(image.withUnsafeBytes { Array($0) } == bytes) }
    }

    @Test func badJSONFormsName400s() {
        let cases = [
            #"{"image": "%%%"}"#, #"{}"#, #"{"image": "a", "images": ["a"]}"#, #"[1]"#,
            #"{"image": "data:image/png,abc"}"#, #"{"image": "aGVsbG8=", "top_k": 0}"#,
        ]
        for text in cases {
            let failure = #expect(throws: ServingFailure.self, "\(text)") {
                try ImagePredictRequest(body: ByteBuffer(string: text), form: .json, query: nil)
            }
            #expect(failure?.kind == .http(.badRequest), "\(text)")
        }
        let gif = #expect(throws: ServingFailure.self) {
            try ImagePredictRequest(body: ByteBuffer(string: #"{"image": "data:image/gif;base64,R0lG"}"#), form: .json, query: nil)
        }
        #expect(gif?.kind == .http(.unsupportedMediaType))
    }

    @Test func multipartFindsTheImagePartsAndTopK() throws {
        let image: [UInt8] = [0xFF, 0xD8, 0xFF, 0x0D, 0x0A, 0x2D, 0x2D, 0x00, 0xFF]  // holds CRLF and "--"
        var body = ByteBuffer()
        body.writeString("preamble\r\n--XyZ\r\nContent-Disposition: form-data; name=\"top_k\"\r\n\r\n3\r\n")
        body.writeString("--XyZ\r\nContent-Disposition: form-data; name=\"image\"; filename=\"a.jpg\"\r\n")
        body.writeString("Content-Type: image/jpeg\r\n\r\n")
        body.writeBytes(image)
        body.writeString("\r\n--XyZ\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\n")
        body.writeBytes(image)
        body.writeString("\r\n--XyZ--\r\n")
        let request = try ImagePredictRequest(body: body, form: .multipart(boundary: "XyZ"), query: nil)
        #expect(request.topK == 3)
        #expect(request.images.count == 2)
        for part in request.images { #expect(part.withUnsafeBytes { Array($0) } == image) }
    }

    @Test func multipartTakesTheOneFileWhateverItsName() throws {
        let body = ByteBuffer(
            string: "--b\r\nContent-Disposition: form-data; name=\"upload\"; filename=\"x.png\"\r\n\r\nPNG\r\n--b--")
        let request = try ImagePredictRequest(body: body, form: .multipart(boundary: "b"), query: "1")
        #expect(request.images.map { $0.withUnsafeBytes { Array($0) } } == [Array("PNG".utf8)])
        #expect(request.topK == 1)
    }

    @Test func malformedMultipartBodiesAre400() {
        let bodies = [
            "no boundary here", "--b\r\nContent-Disposition: form-data; name=\"image\"\r\n\r\nunterminated",
            "--b\r\nContent-Disposition: form-data; name=\"image\"", "--bX", "--b\r\n\r\n\r\n--b--",
            "--b\r\nContent-Disposition: form-data; name=\"other\"\r\n\r\nx\r\n--b--",
        ]
        for text in bodies {
            let failure = #expect(throws: ServingFailure.self, "\(text)") {
                try ImagePredictRequest(body: ByteBuffer(string: text), form: .multipart(boundary: "b"), query: nil)
            }
            #expect(failure?.kind == .http(.badRequest), "\(text)")
        }
    }

    @Test func aSliceOfABufferWithAMovedReaderIndexReadsItsOwnBytes() {
        var buffer = ByteBuffer(string: "xxhello")
        buffer.moveReaderIndex(forwardBy: 2)
        let view = buffer.readableBytesView
        let slice = ImageBytes(buffer, range: (view.startIndex + 1)..<(view.startIndex + 4))
        #expect(slice.withUnsafeBytes { Array($0) } == Array("ell".utf8))
        #expect(slice.count == 3)
    }
}

@Suite struct ImageAnswerTests {
    @Test func depthMapsArePNGByDefaultAndFollowAccept() throws {
        func answer(_ accept: String?, images: Int = 1, encoding: DenseOutput.Encoding = .png8) throws -> ImageAnswer {
            try ImageAnswer.negotiate(accept: accept, task: .depth, encoding: encoding, images: images)
        }
        #expect(try answer(nil) == .png)
        #expect(try answer("*/*") == .png)
        #expect(try answer("application/json") == .json)
        #expect(try answer("application/octet-stream") == .raw)
        #expect(try answer("image/*;q=0.5, application/json;q=0.9") == .json)
        #expect(try answer("application/*") == .json)
        #expect(try answer("image/png;q=0, */*") == .json)
        #expect(try answer(nil, encoding: .float32) == .raw)
        #expect(try answer(nil, images: 3) == .json)
        let refused = #expect(throws: ServingFailure.self) { try answer("image/png", images: 2) }
        #expect(refused?.kind == .http(.notAcceptable))
        #expect(throws: ServingFailure.self) { try answer("text/html") }
    }

    @Test func labelsAreJSONAndVectorsJSONOrRaw() throws {
        #expect(try ImageAnswer.negotiate(accept: nil, task: .classify, encoding: .png8, images: 1) == .json)
        #expect(throws: ServingFailure.self) {
            try ImageAnswer.negotiate(accept: "image/png", task: .classify, encoding: .png8, images: 1)
        }
        #expect(try ImageAnswer.negotiate(accept: "application/octet-stream", task: .embed, encoding: .png8, images: 1) == .raw)
    }

    @Test func qualityTakesTheMostSpecificRange() {
        #expect(ImageAnswer.quality(of: "image/png", in: "image/*;q=0.2, image/png;q=0.7") == 0.7)
        #expect(ImageAnswer.quality(of: "image/png", in: "text/*") == 0)
        #expect(ImageAnswer.quality(of: "image/png", in: "*/*;q=0.1") == 0.1)
    }

    @Test func colourMapsComeFromTheTables() {
        let map = DenseMap(width: 2, height: 1, values: [0, 1])
        let image = map.coloured(.inferno)
        let table = Colormap.inferno.table
        #expect(Array(image.pixels[0..<3]) == Array(table[0..<3]))
        #expect(Array(image.pixels[3..<6]) == Array(table[765..<768]))
        #expect(Colormap.allCases.allSatisfy { $0.table.count == 768 })
    }
}
