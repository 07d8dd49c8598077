"""Helpers for calling `/v1/embeddings` over raw HTTP and checking the response envelope."""

import numpy as np

import raw_http

DIMENSION = 384


def vectors_from(body: dict, count: int, dimension: int = DIMENSION) -> np.ndarray:
    """The `data[*].embedding` floats as [count, dimension] float32, after checking the OpenAI envelope."""
    assert body.get("object") == "list", body.get("object")
    data = body["data"]
    assert [item.get("index") for item in data] == list(range(count)), "data indices must be 0..n-1 in order"
    assert all(item.get("object") == "embedding" for item in data)
    assert all(len(item["embedding"]) == dimension for item in data), "wrong embedding length"
    return np.asarray([item["embedding"] for item in data], dtype=np.float64).astype(np.float32)


def embed(port: int, inputs, **fields) -> tuple[np.ndarray, dict]:
    """POSTs `input=inputs` (plus `fields`) with float encoding; returns (vectors, response body)."""
    payload = {"input": inputs, "model": "all-MiniLM-L6-v2", "encoding_format": "float", **fields}
    response = raw_http.post_json(port, payload)
    assert response.status == 200, f"status {response.status}: {response.body[:500]!r}"
    body = response.json()
    count = 1 if isinstance(inputs, str) or (inputs and isinstance(inputs[0], int)) else len(inputs)
    return vectors_from(body, count, fields.get("dimensions", DIMENSION)), body


def max_abs_diff(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.max(np.abs(a.astype(np.float64) - b.astype(np.float64))))
