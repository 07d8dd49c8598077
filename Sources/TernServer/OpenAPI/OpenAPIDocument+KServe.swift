extension OpenAPIDocument {
    /// KServe v2 (Open Inference Protocol) REST routes, with Triton's repository and statistics extensions;
    /// errors as `{"error": "..."}`. Health probes are open like `/health`.
    static var kservePaths: [String: [String: OpenAPIOperation]] {
        func operation(
            _ summary: String, request: String? = nil, response: OpenAPIOperation.Response, errors: [Int],
            secured: Bool = true, parameters: [String] = []
        ) -> OpenAPIOperation {
            OpenAPIOperation(
                summary: summary, tag: "KServe v2", request: request, response: response, errorSchema: "KServeError",
                errors: errors, secured: secured, parameters: parameters)
        }
        let readiness = "Readiness: 200 once every model is ready"
        var paths: [String: [String: OpenAPIOperation]] = [
            "/v2": ["get": operation("Server metadata", response: .json("KServeServerMetadata"), errors: [])],
            "/v2/health/live": ["get": operation("Liveness", response: .empty, errors: [], secured: false)],
            "/v2/health/ready": ["get": operation(readiness, response: .empty, errors: [503], secured: false)],
            "/v2/repository/index": [
                "post": operation(
                    "The model repository's models and their states", request: "KServeRepositoryIndexRequest",
                    response: .json("KServeRepositoryIndex"), errors: [400])
            ],
            "/v2/repository/models/{model}/load": [
                "post": operation(
                    "Load a model from the repository", response: .empty, errors: [400, 404, 500],
                    parameters: ["model"])
            ],
            "/v2/repository/models/{model}/unload": [
                "post": operation("Unload a model", response: .empty, errors: [400, 404], parameters: ["model"])
            ],
        ]
        for version in ["", "/versions/{version}"] {
            let base = "/v2/models/{model}" + version
            let parameters = version.isEmpty ? ["model"] : ["model", "version"]
            paths[base] = [
                "get": operation(
                    "Model metadata", response: .json("KServeModelMetadata"), errors: [404], parameters: parameters)
            ]
            paths[base + "/config"] = [
                "get": operation(
                    "The model's configuration in Triton's JSON shape", response: .json("KServeModelConfig"),
                    errors: [404, 503], parameters: parameters)
            ]
            paths[base + "/ready"] = [
                "get": operation("Model readiness", response: .empty, errors: [404, 503], parameters: parameters)
            ]
            paths[base + "/infer"] = [
                "post": operation(
                    "Run the model on tensors", request: "KServeInferRequest", response: .json("KServeInferResponse"),
                    errors: [400, 404, 413, 429, 500, 503, 504], parameters: parameters)
            ]
            paths[base + "/stats"] = [
                "get": operation(
                    "Inference statistics", response: .json("KServeModelStats"), errors: [404], parameters: parameters)
            ]
        }
        return paths
    }

    static let kserveSchemas = #"""
        {
          "KServeError": {"type": "object", "required": ["error"], "properties": {"error": {"type": "string"}}},
          "KServeServerMetadata": {"type": "object", "required": ["name", "version", "extensions"], "properties": {
            "name": {"type": "string"}, "version": {"type": "string"}, "extensions": {"type": "array", "items": {"type": "string"}}}},
          "KServeTensorMetadata": {"type": "object", "required": ["name", "datatype", "shape"], "properties": {
            "name": {"type": "string"}, "datatype": {"type": "string"}, "shape": {"type": "array", "items": {"type": "integer"}}}},
          "KServeModelMetadata": {"type": "object", "required": ["name", "platform", "inputs", "outputs"], "properties": {
            "name": {"type": "string"}, "versions": {"type": "array", "items": {"type": "string"}}, "platform": {"type": "string"},
            "inputs": {"type": "array", "items": {"$ref": "#/components/schemas/KServeTensorMetadata"}},
            "outputs": {"type": "array", "items": {"$ref": "#/components/schemas/KServeTensorMetadata"}}}},
          "KServeTensor": {"type": "object", "required": ["name", "shape", "datatype", "data"], "properties": {
            "name": {"type": "string"}, "shape": {"type": "array", "items": {"type": "integer", "minimum": 0}},
            "datatype": {"type": "string", "enum": ["BOOL", "UINT8", "UINT16", "UINT32", "UINT64", "INT8", "INT16", "INT32", "INT64",
              "FP16", "FP32", "FP64", "BYTES"]},
            "parameters": {"type": "object"}, "data": {"type": "array"}}},
          "KServeInferRequest": {"type": "object", "required": ["inputs"], "properties": {
            "id": {"type": "string"}, "parameters": {"type": "object"},
            "inputs": {"type": "array", "items": {"$ref": "#/components/schemas/KServeTensor"}},
            "outputs": {"type": "array", "items": {"type": "object", "required": ["name"], "properties": {
              "name": {"type": "string"}, "parameters": {"type": "object"}}}}}},
          "KServeInferResponse": {"type": "object", "required": ["model_name", "outputs"], "properties": {
            "model_name": {"type": "string"}, "model_version": {"type": "string"}, "id": {"type": "string"},
            "parameters": {"type": "object"},
            "outputs": {"type": "array", "items": {"$ref": "#/components/schemas/KServeTensor"}}}},
          "KServeModelStats": {"type": "object", "required": ["model_stats"], "properties": {
            "model_stats": {"type": "array", "items": {"type": "object"}}}},
          "KServeModelConfig": {"type": "object", "required": ["name", "platform", "max_batch_size", "input", "output"],
            "properties": {"name": {"type": "string"}, "platform": {"type": "string"}, "backend": {"type": "string"},
              "max_batch_size": {"type": "integer"}, "version_policy": {"type": "object"},
              "dynamic_batching": {"type": "object"},
              "input": {"type": "array", "items": {"$ref": "#/components/schemas/KServeConfigTensor"}},
              "output": {"type": "array", "items": {"$ref": "#/components/schemas/KServeConfigTensor"}}}},
          "KServeConfigTensor": {"type": "object", "required": ["name", "data_type", "dims"], "properties": {
            "name": {"type": "string"}, "data_type": {"type": "string"}, "dims": {"type": "array", "items": {"type": "integer"}}}},
          "KServeRepositoryIndexRequest": {"type": "object", "properties": {"ready": {"type": "boolean"}}},
          "KServeRepositoryIndex": {"type": "array", "items": {"type": "object", "required": ["name"], "properties": {
            "name": {"type": "string"}, "version": {"type": "string"}, "state": {"type": "string"}, "reason": {"type": "string"}}}}
        }
        """#
}
