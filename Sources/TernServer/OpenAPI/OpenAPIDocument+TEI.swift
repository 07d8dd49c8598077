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
            "/invocations": [
                "post": OpenAPIOperation(
                    summary: "SageMaker's name for POST /", tag: "TEI", request: "TEIAnyRequest",
                    response: .json("TEIAnyResponse"), errorSchema: "TEIError",
                    errors: [400, 413, 422, 424, 429, 500, 503, 504])
            ],
            "/vertex": [
                "post": OpenAPIOperation(
                    summary: "Vertex AI prediction: each instance is a body of POST /", tag: "TEI",
                    request: "TEIVertexRequest", response: .json("TEIVertexResponse"), errorSchema: "TEIError",
                    errors: [400, 413, 422, 424, 429, 500, 503, 504])
            ],
            "/ping": [
                "get": OpenAPIOperation(
                    summary: "Liveness (SageMaker, TEI)", tag: "TEI", response: .empty, errorSchema: "TEIError",
                    errors: [401], secured: false)
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
                    summary: "Classify inputs or pairs; for an image model: an image in (the file itself, a form "
                        + "upload or JSON base64), a depth PNG, labels or a vector out",
                    tag: "TEI", request: "PredictRequest",
                    response: .json("PredictResponse"), errorSchema: "TEIError",
                    errors: [400, 406, 413, 415, 422, 424, 429, 500, 503, 504] + notFound, parameters: parameters,
                    requestAlternatives: Self.imageUploads, responseAlternatives: Self.imageAnswers)
            ]
            paths[prefix + "/similarity"] = [
                "post": OpenAPIOperation(
                    summary: "Cosine similarity of sentences to a source sentence", tag: "TEI",
                    request: "TEISimilarityRequest", response: .json("TEISimilarityResponse"), errorSchema: "TEIError",
                    errors: [400, 413, 422, 424, 429, 500, 503, 504] + notFound, parameters: parameters)
            ]
            paths[prefix + "/embed_all"] = [
                "post": OpenAPIOperation(
                    summary: "Every token's vector of each input, before pooling", tag: "TEI",
                    request: "TEIEmbedRequest", response: .json("TEIEmbedAllResponse"), errorSchema: "TEIError",
                    errors: [400, 413, 422, 424, 429, 500, 503, 504] + notFound, parameters: parameters)
            ]
            paths[prefix + "/embed_sparse"] = [
                "post": OpenAPIOperation(
                    summary: "Sparse embeddings: 424, no served model has a sparse (SPLADE) head", tag: "TEI",
                    request: "TEIEmbedRequest", response: .json("TEIEmbedResponse"), errorSchema: "TEIError",
                    errors: [424, 503] + notFound, parameters: parameters)
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
              "inputs": {"anyOf": [{"type": "string", "minLength": 1}, {"type": "array", "minItems": 1, "items": {"type": "string", "minLength": 1}},
                {"$ref": "#/components/schemas/TEISimilarityInputs"}]},
              "normalize": {"type": "boolean"},
              "dimensions": {"type": "integer", "minimum": 1},
              "prompt_name": {"type": "string", "description": "One of the model's prompts (config_sentence_transformers.json), prepended to every input; 400 for another name"},
              "truncate": {"type": "boolean"},
              "truncation_direction": {"$ref": "#/components/schemas/TruncationDirection"}
            }
          },
          "TEIEmbedAllResponse": {"type": "array", "items": {"type": "array", "items": {"type": "array", "items": {"type": "number"}}}},
          "TEIEmbedResponse": {"anyOf": [
            {"type": "array", "items": {"type": "array", "items": {"type": "number"}}},
            {"$ref": "#/components/schemas/TEISimilarityResponse"}]},
          "TEISimilarityInputs": {
            "type": "object", "required": ["source_sentence", "sentences"],
            "properties": {
              "source_sentence": {"type": "string", "minLength": 1},
              "sentences": {"type": "array", "minItems": 1, "items": {"type": "string", "minLength": 1}}
            }
          },
          "TEISimilarityRequest": {
            "type": "object", "required": ["inputs"],
            "properties": {
              "inputs": {"$ref": "#/components/schemas/TEISimilarityInputs"},
              "truncate": {"type": "boolean"},
              "truncation_direction": {"$ref": "#/components/schemas/TruncationDirection"}
            }
          },
          "TEISimilarityResponse": {"type": "array", "items": {"type": "number"}},
          "TEIVertexRequest": {
            "type": "object", "required": ["instances"],
            "properties": {"instances": {"type": "array", "minItems": 1, "items": {"$ref": "#/components/schemas/TEIAnyRequest"}}}
          },
          "TEIVertexResponse": {
            "type": "object", "required": ["predictions"],
            "properties": {"predictions": {"type": "array", "items": {"$ref": "#/components/schemas/TEIAnyResponse"}}}
          },
          "TEIRerankRequest": {
            "type": "object", "required": ["query"],
            "description": "TEI's shape (texts) or Cohere's and Jina's (documents, answered in CohereRerankResponse's shape)",
            "properties": {
              "query": {"type": "string", "minLength": 1},
              "texts": {"type": "array", "minItems": 1, "items": {"type": "string", "minLength": 1}},
              "documents": {"type": "array", "minItems": 1, "items": {"anyOf": [
                {"type": "string", "minLength": 1},
                {"type": "object", "required": ["text"], "properties": {"text": {"type": "string", "minLength": 1}}}]}},
              "top_n": {"type": "integer", "minimum": 1},
              "model": {"type": "string"},
              "return_documents": {"type": "boolean", "default": false},
              "raw_scores": {"type": "boolean", "default": false},
              "return_text": {"type": "boolean", "default": false},
              "truncate": {"type": "boolean"},
              "truncation_direction": {"$ref": "#/components/schemas/TruncationDirection"}
            }
          },
          "TEIRerankResponse": {"anyOf": [
            {"type": "array", "items": {"type": "object", "required": ["index", "score"], "properties": {
              "index": {"type": "integer"}, "score": {"type": "number"}, "text": {"type": "string"}}}},
            {"$ref": "#/components/schemas/CohereRerankResponse"}]},
          "TEIPredictRequest": {
            "type": "object", "required": ["inputs"],
            "properties": {
              "inputs": {"anyOf": [
                {"type": "string", "minLength": 1},
                {"type": "array", "minItems": 1, "items": {"type": "string", "minLength": 1},
                  "description": "Two strings are one pair; one, or three and more, are single texts"},
                {"type": "array", "minItems": 1, "items": {"type": "array", "minItems": 1, "maxItems": 2, "items": {"type": "string", "minLength": 1}}}]},
              "parameters": {"type": "object", "description": "Hugging Face's: the answer is then a list of lists",
                "properties": {"top_k": {"type": "integer", "minimum": 1},
                  "function_to_apply": {"type": "string", "enum": ["softmax", "sigmoid", "none"]}}},
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
              "tokenization_workers": {"type": "integer"}, "version": {"type": "string"},
              "weights": {
                "type": "object", "description": "Tern's extension: which weights are served and how long they took to load",
                "required": ["format", "file", "build_ms", "session_ms"],
                "properties": {
                  "format": {"type": "string", "enum": ["onnx", "safetensors"]}, "file": {"type": "string"},
                  "quantization": {"type": "string", "enum": ["none", "int8"], "description": "how a graph built from a checkpoint computes its linear layers (--quantize)"},
                  "build_ms": {"type": "integer", "description": "reading the checkpoint and building its graph"},
                  "session_ms": {"type": "integer", "description": "ONNX Runtime creating the session"}
                }
              },
              "engines": {
                "type": "object", "description": "Tern's extension: engines running batches, threads per engine, and what --engines auto / --threads auto measured",
                "required": ["engines", "threads", "calibrated", "candidates"],
                "properties": {
                  "engines": {"type": "integer"}, "threads": {"type": "integer", "description": "ONNX Runtime intra-op threads per engine (0: its own choice)"},
                  "calibrated": {"type": "boolean", "description": "whether the layout was measured at load"},
                  "batch_inputs": {"type": ["integer", "null"], "description": "inputs per batch in the measurement"},
                  "candidates": {"type": "array", "items": {"type": "object", "required": ["engines", "threads", "inputs_per_second"],
                    "properties": {"engines": {"type": "integer"}, "threads": {"type": "integer"}, "inputs_per_second": {"type": "number"}}}}
                }
              }
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
          "DecodeResponse": {"type": "array", "items": {"type": "string"}},
          "PredictRequest": {"anyOf": [
            {"$ref": "#/components/schemas/TEIPredictRequest"},
            {"$ref": "#/components/schemas/ImagePredictRequest"}]},
          "PredictResponse": {"anyOf": [
            {"$ref": "#/components/schemas/TEIPredictResponse"},
            {"$ref": "#/components/schemas/ImagePredictResponse"}]},
          "ImagePredictRequest": {
            "type": "object",
            "description": "An image model's input as JSON: one image or several, each base64 or a data URI",
            "properties": {
              "image": {"type": "string", "description": "base64, or data:image/...;base64,..."},
              "images": {"type": "array", "items": {"type": "string"}},
              "top_k": {"type": "integer", "minimum": 1}
            }
          },
          "ImagePrediction": {
            "type": "object",
            "properties": {
              "labels": {"type": "array", "items": {"type": "object", "required": ["label", "index", "score"],
                "properties": {"label": {"type": "string"}, "index": {"type": "integer"}, "score": {"type": "number"}}}},
              "embedding": {"type": "array", "items": {"type": "number"}},
              "width": {"type": "integer"}, "height": {"type": "integer"},
              "min": {"type": "number"}, "max": {"type": "number"},
              "content_type": {"type": "string"},
              "image": {"type": "string", "description": "the map's PNG, base64"}
            }
          },
          "ImagePredictResponse": {
            "allOf": [{"$ref": "#/components/schemas/ImagePrediction"}],
            "type": "object", "required": ["model"],
            "properties": {
              "model": {"type": "string"},
              "predictions": {"type": "array", "items": {"$ref": "#/components/schemas/ImagePrediction"}}
            }
          }
        }
        """#

    /// The image itself as a `/predict` body, or a form upload.
    static let imageUploads: [(media: String, schema: String)] =
        ["image/jpeg", "image/png", "image/webp", "application/octet-stream"].map {
            ($0, #"{"type": "string", "format": "binary"}"#)
        } + [
            (
                "multipart/form-data",
                #"{"type": "object", "properties": {"image": {"type": "string", "format": "binary"}, "#
                    + #""file": {"type": "string", "format": "binary"}, "top_k": {"type": "integer", "minimum": 1}}}"#
            )
        ]

    /// A dense map as a PNG (the default for depth models) or float32 bytes (shape in `x-tern-shape`).
    static let imageAnswers: [(media: String, schema: String)] = [
        ("image/png", #"{"type": "string", "format": "binary"}"#),
        ("application/octet-stream", #"{"type": "string", "format": "binary"}"#),
    ]
}
