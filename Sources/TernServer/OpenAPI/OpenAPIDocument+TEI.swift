extension OpenAPIDocument {
    /// text-embeddings-inference's routes, each also under `/models/{model}/`; errors in TEI's shape.
    static var teiPaths: [String: [String: OpenAPIOperation]] {
        var paths: [String: [String: OpenAPIOperation]] = [
            "/": [
                "post": OpenAPIOperation(
                    summary: "What the first model's task does: embed, rerank or predict", tag: "TEI",
                    request: "TEIAnyRequest", response: .json("TEIAnyResponse"), errorSchema: "TEIError",
                    errors: [400, 413, 422, 424, 429, 500, 503, 504])
            ],
            "/tokenize": [
                "post": OpenAPIOperation(
                    summary: "Tokenize inputs", tag: "TEI", request: "TokenizeRequest",
                    response: .json("TokenizeResponse"), errorSchema: "TEIError", errors: [400, 413, 422, 424, 503])
            ],
            "/decode": [
                "post": OpenAPIOperation(
                    summary: "Decode token ids to text", tag: "TEI", request: "DecodeRequest",
                    response: .json("DecodeResponse"), errorSchema: "TEIError", errors: [400, 413, 422, 424, 503])
            ],
        ]
        for prefix in ["", "/models/{model}"] {
            let parameters = prefix.isEmpty ? [] : ["model"]
            let notFound = prefix.isEmpty ? [] : [404]
            paths[prefix + "/embed"] = [
                "post": OpenAPIOperation(
                    summary: "Embed inputs", tag: "TEI", request: "TEIEmbedRequest", response: .json("TEIEmbedResponse"),
                    errorSchema: "TEIError", errors: [400, 413, 422, 424, 429, 500, 503, 504] + notFound,
                    parameters: parameters)
            ]
            paths[prefix + "/rerank"] = [
                "post": OpenAPIOperation(
                    summary: "Score texts against a query", tag: "TEI", request: "TEIRerankRequest",
                    response: .json("TEIRerankResponse"), errorSchema: "TEIError",
                    errors: [400, 413, 422, 424, 429, 500, 503, 504] + notFound, parameters: parameters)
            ]
            paths[prefix + "/predict"] = [
                "post": OpenAPIOperation(
                    summary: "Classify inputs or pairs", tag: "TEI", request: "TEIPredictRequest",
                    response: .json("TEIPredictResponse"), errorSchema: "TEIError",
                    errors: [400, 413, 422, 424, 429, 500, 503, 504] + notFound, parameters: parameters)
            ]
            paths[prefix + "/info"] = [
                "get": OpenAPIOperation(
                    summary: "The model and the server's limits", tag: "TEI", response: .json("TEIInfo"),
                    errorSchema: "TEIError", errors: [503] + notFound, parameters: parameters)
            ]
        }
        return paths
    }

    static let teiSchemas = #"""
        {
          "TEIError": {
            "type": "object", "required": ["error", "error_type"],
            "properties": {"error": {"type": "string"}, "error_type": {"type": "string",
              "enum": ["Unhealthy", "Backend", "Overloaded", "Validation", "Tokenizer", "Empty", "Timeout", "Unauthorized"]}}
          },
          "TruncationDirection": {"type": "string", "enum": ["Left", "Right", "left", "right"], "default": "Right"},
          "TEIEmbedRequest": {
            "type": "object", "required": ["inputs"],
            "properties": {
              "inputs": {"anyOf": [{"type": "string", "minLength": 1}, {"type": "array", "minItems": 1, "items": {"type": "string", "minLength": 1}}]},
              "normalize": {"type": "boolean"},
              "dimensions": {"type": "integer", "minimum": 1},
              "truncate": {"type": "boolean"},
              "truncation_direction": {"$ref": "#/components/schemas/TruncationDirection"}
            }
          },
          "TEIEmbedResponse": {"type": "array", "items": {"type": "array", "items": {"type": "number"}}},
          "TEIRerankRequest": {
            "type": "object", "required": ["query", "texts"],
            "properties": {
              "query": {"type": "string", "minLength": 1},
              "texts": {"type": "array", "minItems": 1, "items": {"type": "string", "minLength": 1}},
              "raw_scores": {"type": "boolean", "default": false},
              "return_text": {"type": "boolean", "default": false},
              "truncate": {"type": "boolean"},
              "truncation_direction": {"$ref": "#/components/schemas/TruncationDirection"}
            }
          },
          "TEIRerankResponse": {"type": "array", "items": {"type": "object", "required": ["index", "score"], "properties": {
            "index": {"type": "integer"}, "score": {"type": "number"}, "text": {"type": "string"}}}},
          "TEIPredictRequest": {
            "type": "object", "required": ["inputs"],
            "properties": {
              "inputs": {"anyOf": [
                {"type": "string", "minLength": 1},
                {"type": "array", "minItems": 1, "maxItems": 2, "items": {"type": "string", "minLength": 1}},
                {"type": "array", "minItems": 1, "items": {"type": "array", "minItems": 1, "maxItems": 2, "items": {"type": "string", "minLength": 1}}}]},
              "raw_scores": {"type": "boolean", "default": false},
              "truncate": {"type": "boolean"},
              "truncation_direction": {"$ref": "#/components/schemas/TruncationDirection"}
            }
          },
          "TEIPrediction": {"type": "array", "items": {"type": "object", "required": ["score", "label"], "properties": {
            "score": {"type": "number"}, "label": {"type": "string"}}}},
          "TEIPredictResponse": {"anyOf": [
            {"$ref": "#/components/schemas/TEIPrediction"},
            {"type": "array", "items": {"$ref": "#/components/schemas/TEIPrediction"}}]},
          "TEIAnyRequest": {"anyOf": [
            {"$ref": "#/components/schemas/TEIEmbedRequest"},
            {"$ref": "#/components/schemas/TEIRerankRequest"},
            {"$ref": "#/components/schemas/TEIPredictRequest"}]},
          "TEIAnyResponse": {"anyOf": [
            {"$ref": "#/components/schemas/TEIEmbedResponse"},
            {"$ref": "#/components/schemas/TEIRerankResponse"},
            {"$ref": "#/components/schemas/TEIPredictResponse"}]},
          "TEIInfo": {
            "type": "object",
            "required": ["model_id", "model_dtype", "model_type", "max_concurrent_requests", "max_input_length",
              "max_batch_tokens", "max_client_batch_size", "auto_truncate", "tokenization_workers", "version"],
            "properties": {
              "model_id": {"type": "string"}, "model_sha": {"type": ["string", "null"]}, "model_dtype": {"type": "string"},
              "model_type": {"type": "object", "description": "One of embedding {pooling}, classifier or reranker {id2label, label2id}"},
              "max_concurrent_requests": {"type": "integer"}, "max_input_length": {"type": "integer"},
              "max_batch_tokens": {"type": "integer"}, "max_batch_requests": {"type": ["integer", "null"]},
              "max_client_batch_size": {"type": "integer"}, "auto_truncate": {"type": "boolean"},
              "tokenization_workers": {"type": "integer"}, "version": {"type": "string"}
            }
          },
          "TokenizeRequest": {
            "type": "object", "required": ["inputs"],
            "properties": {
              "inputs": {"anyOf": [{"type": "string", "minLength": 1}, {"type": "array", "minItems": 1, "items": {"type": "string", "minLength": 1}}]},
              "add_special_tokens": {"type": "boolean", "default": true}
            }
          },
          "TokenizeResponse": {"type": "array", "items": {"type": "array", "items": {
            "type": "object", "required": ["id", "text", "special", "start", "stop"],
            "properties": {"id": {"type": "integer"}, "text": {"type": "string"}, "special": {"type": "boolean"},
              "start": {"type": ["integer", "null"]}, "stop": {"type": ["integer", "null"]}}}}},
          "DecodeRequest": {
            "type": "object", "required": ["ids"],
            "properties": {
              "ids": {"anyOf": [
                {"type": "array", "items": {"type": "integer", "minimum": 0}},
                {"type": "array", "items": {"type": "array", "items": {"type": "integer", "minimum": 0}}}]},
              "skip_special_tokens": {"type": "boolean", "default": true}
            }
          },
          "DecodeResponse": {"type": "array", "items": {"type": "string"}}
        }
        """#
}
