extension OpenAPIDocument {
    /// `/v1/embeddings`, `/v1/models` (OpenAI) and `/v1/rerank` (Cohere and Jina); errors in OpenAI's shape.
    static let openAIPaths: [String: [String: OpenAPIOperation]] = [
        "/v1/embeddings": [
            "post": OpenAPIOperation(
                summary: "Embed text or token ids (OpenAI embeddings API)", tag: "OpenAI", request: "EmbeddingsRequest",
                response: .json("EmbeddingsResponse"), errorSchema: "OpenAIError",
                errors: [400, 404, 413, 429, 500, 503, 504])
        ],
        "/v1/models": [
            "get": OpenAPIOperation(
                summary: "The served models (OpenAI models API)", tag: "OpenAI", response: .json("ModelList"),
                errorSchema: "OpenAIError", errors: [])
        ],
        "/embeddings": [
            "post": OpenAPIOperation(
                summary: "Embed text or token ids (OpenAI's body at the path TEI and Infinity serve it)", tag: "OpenAI",
                request: "EmbeddingsRequest", response: .json("EmbeddingsResponse"), errorSchema: "OpenAIError",
                errors: [400, 404, 413, 429, 500, 503, 504])
        ],
        "/v1/models/{id}": [
            "get": OpenAPIOperation(
                summary: "One served model (OpenAI models API)", tag: "OpenAI", response: .json("Model"),
                errorSchema: "OpenAIError", errors: [404], parameters: ["id"])
        ],
        "/v1/rerank": [
            "post": OpenAPIOperation(
                summary: "Rank documents against a query (Cohere and Jina rerank API)", tag: "Cohere",
                request: "CohereRerankRequest", response: .json("CohereRerankResponse"), errorSchema: "OpenAIError",
                errors: [400, 404, 413, 429, 500, 503, 504])
        ],
        "/v2/rerank": [
            "post": OpenAPIOperation(
                summary: "Rank documents against a query (Cohere v2 rerank API)", tag: "Cohere",
                request: "CohereRerankRequest", response: .json("CohereRerankResponse"), errorSchema: "OpenAIError",
                errors: [400, 404, 413, 429, 500, 503, 504])
        ],
        "/v1/embed": [
            "post": OpenAPIOperation(
                summary: "Embed texts (Cohere v1 embed API)", tag: "Cohere", request: "CohereEmbedRequest",
                response: .json("CohereEmbedResponse"), errorSchema: "OpenAIError",
                errors: [400, 404, 413, 429, 500, 503, 504])
        ],
        "/v2/embed": [
            "post": OpenAPIOperation(
                summary: "Embed texts (Cohere v2 embed API)", tag: "Cohere", request: "CohereEmbedRequest",
                response: .json("CohereEmbedResponse"), errorSchema: "OpenAIError",
                errors: [400, 404, 413, 429, 500, 503, 504])
        ],
    ]

    static let openAISchemas = #"""
        {
          "OpenAIError": {
            "type": "object", "required": ["error"],
            "properties": {"error": {"type": "object", "required": ["message", "type", "param", "code"], "properties": {
              "message": {"type": "string"}, "type": {"type": "string"},
              "param": {"type": ["string", "null"]}, "code": {"type": ["string", "null"]}}}}
          },
          "EmbeddingsRequest": {
            "type": "object", "required": ["input"],
            "properties": {
              "input": {"anyOf": [
                {"type": "string", "minLength": 1},
                {"type": "array", "minItems": 1, "items": {"type": "string", "minLength": 1}},
                {"type": "array", "minItems": 1, "items": {"type": "integer", "minimum": 0}},
                {"type": "array", "minItems": 1, "items": {"type": "array", "minItems": 1, "items": {"type": "integer", "minimum": 0}}}]},
              "model": {"type": "string", "description": "With one model served, any name is accepted"},
              "encoding_format": {"type": "string", "enum": ["float", "base64"], "default": "float"},
              "dimensions": {"type": "integer", "minimum": 1, "description": "Matryoshka truncation, at most the model's embedding size (400 otherwise)"},
              "prompt_name": {"type": "string", "description": "Tern's extension: one of the model's prompts (config_sentence_transformers.json), prepended to every text; 400 for another name"},
              "user": {"type": "string"}
            }
          },
          "EmbeddingsResponse": {
            "type": "object", "required": ["object", "data", "model", "usage"],
            "properties": {
              "object": {"const": "list"},
              "data": {"type": "array", "items": {"type": "object", "required": ["object", "index", "embedding"], "properties": {
                "object": {"const": "embedding"}, "index": {"type": "integer"},
                "embedding": {"anyOf": [{"type": "array", "items": {"type": "number"}}, {"type": "string", "contentEncoding": "base64"}]}}}},
              "model": {"type": "string"},
              "usage": {"type": "object", "required": ["prompt_tokens", "total_tokens"], "properties": {
                "prompt_tokens": {"type": "integer"}, "total_tokens": {"type": "integer"}}}
            }
          },
          "ModelList": {
            "type": "object", "required": ["object", "data"],
            "properties": {
              "object": {"const": "list"},
              "data": {"type": "array", "items": {"type": "object", "required": ["id", "object", "created", "owned_by"], "properties": {
                "id": {"type": "string"}, "object": {"const": "model"}, "created": {"type": "integer"}, "owned_by": {"type": "string"}}}}
            }
          },
          "CohereRerankRequest": {
            "type": "object", "required": ["query", "documents"],
            "properties": {
              "model": {"type": "string"},
              "query": {"type": "string", "minLength": 1},
              "documents": {"type": "array", "minItems": 1, "items": {"anyOf": [
                {"type": "string", "minLength": 1},
                {"type": "object", "required": ["text"], "properties": {"text": {"type": "string", "minLength": 1}}}]}},
              "top_n": {"type": "integer", "minimum": 1},
              "return_documents": {"type": "boolean", "default": false}
            }
          },
          "CohereRerankResponse": {
            "type": "object", "required": ["model", "results", "usage"],
            "properties": {
              "model": {"type": "string"},
              "results": {"type": "array", "items": {"type": "object", "required": ["index", "relevance_score"], "properties": {
                "index": {"type": "integer"}, "relevance_score": {"type": "number"},
                "document": {"type": "object", "required": ["text"], "properties": {"text": {"type": "string"}}}}}},
              "usage": {"type": "object", "required": ["total_tokens"], "properties": {"total_tokens": {"type": "integer"}}}
            }
          },
          "Model": {
            "type": "object", "required": ["id", "object", "created", "owned_by"],
            "properties": {"id": {"type": "string"}, "object": {"const": "model"}, "created": {"type": "integer"},
              "owned_by": {"type": "string"}}
          },
          "CohereEmbedRequest": {
            "type": "object", "required": ["texts"],
            "properties": {
              "texts": {"type": "array", "minItems": 1, "items": {"type": "string", "minLength": 1}},
              "model": {"type": "string"},
              "input_type": {"type": "string", "enum": ["search_document", "search_query", "classification", "clustering"]},
              "embedding_types": {"type": "array", "minItems": 1, "items": {"type": "string",
                "enum": ["float", "int8", "uint8", "binary", "ubinary", "base64"]}},
              "output_dimension": {"type": "integer", "minimum": 1},
              "truncate": {"type": "string", "enum": ["NONE", "START", "END"], "default": "END"}
            }
          },
          "CohereEmbedResponse": {
            "type": "object", "required": ["id", "response_type", "embeddings", "texts"],
            "properties": {
              "id": {"type": "string"},
              "response_type": {"type": "string", "enum": ["embeddings_floats", "embeddings_by_type"]},
              "embeddings": {"anyOf": [
                {"type": "array", "items": {"type": "array", "items": {"type": "number"}}},
                {"type": "object", "additionalProperties": {"type": "array"}}]},
              "texts": {"type": "array", "items": {"type": "string"}},
              "meta": {"type": "object"}
            }
          }
        }
        """#
}
