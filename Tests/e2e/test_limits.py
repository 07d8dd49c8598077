"""Every request limit, per API shape: just under passes, just over gets its status and error body.

| limit | OpenAI `/v1/*` | TEI | KServe v2 |
| --max-body-size | 413 body_too_large | 413 Validation | (its routes) |
| --max-inputs | 413 too_many_inputs | 413 Validation | |
| --max-input-chars | 413 input_too_long | 413 Validation | |
| --max-length + --no-truncate | 413 input_too_long | 413 Validation | |
| --max-header-size | 431 headers_too_large | 431 Validation | 431 {"error"} |
| headers over 2 x --max-header-size (min 80 KiB) | 400, empty body, closed (HTTP/1 parser) | same | same |
"""

import json
import socket

import pytest

import raw_http
from classifier_reference import CLASSIFIER, CROSS_ENCODER
from error_shape import assert_error
from reference import DEFAULT_MODEL_DIR
from tern_process import TernProcess

EMBEDDER = DEFAULT_MODEL_DIR.name
BODY_LIMIT = 4096
MAX_INPUTS = 4
MAX_CHARS = 50
MAX_LENGTH = 16
HEADER_LIMIT = 1024


@pytest.fixture(scope="module")
def limited():
    server = TernProcess(
        "--max-body-size", str(BODY_LIMIT), "--max-inputs", str(MAX_INPUTS), "--max-input-chars", str(MAX_CHARS),
        "--max-header-size", str(HEADER_LIMIT), models=[DEFAULT_MODEL_DIR, CROSS_ENCODER.directory, CLASSIFIER.directory],
    ).start()
    yield server
    assert server.stop() == 0


@pytest.fixture(scope="module")
def strict():
    server = TernProcess("--max-length", str(MAX_LENGTH), "--no-truncate").start()
    yield server
    assert server.stop() == 0


def assert_tei_error(response: raw_http.Response, status: int, error_type: str = "Validation") -> None:
    assert response.status == status, (response.status, response.body[:300])
    assert response.headers.get("content-type", "").startswith("application/json")
    body = response.json()
    assert set(body) == {"error", "error_type"} and body["error_type"] == error_type and body["error"]


# Each API's request with `texts` as its inputs.
def openai_embeddings(texts):
    return "/v1/embeddings", {"input": texts, "model": EMBEDDER}


def cohere_rerank(texts):
    return "/v1/rerank", {"query": "q", "documents": texts}


def tei_embed(texts):
    return "/embed", {"inputs": texts}


def tei_rerank(texts):
    return "/rerank", {"query": "q", "texts": texts}


def tei_predict(texts):
    return "/predict", {"inputs": [[text] for text in texts]}


OPENAI_SHAPED = [openai_embeddings, cohere_rerank]
TEI_SHAPED = [tei_embed, tei_rerank, tei_predict]


def _post(port, route, texts, pad_to: int | None = None):
    path, payload = route(texts)
    body = json.dumps(payload).encode()
    if pad_to is not None:
        assert len(body) <= pad_to
        body = body[:-1] + b" " * (pad_to - len(body)) + b"}"
    return raw_http.request(port, "POST", path, body)


def _assert_over(response, route, openai_code):
    if route in OPENAI_SHAPED:
        assert_error(response, 413, openai_code)
    else:
        assert_tei_error(response, 413)


@pytest.mark.parametrize("route", OPENAI_SHAPED + TEI_SHAPED, ids=lambda route: route.__name__)
def test_body_size(limited, route):
    assert _post(limited.port, route, ["hello"], pad_to=BODY_LIMIT).status == 200
    _assert_over(_post(limited.port, route, ["hello"], pad_to=BODY_LIMIT + 1), route, "body_too_large")


@pytest.mark.parametrize("route", OPENAI_SHAPED + TEI_SHAPED, ids=lambda route: route.__name__)
def test_inputs_per_request(limited, route):
    assert _post(limited.port, route, ["hello"] * MAX_INPUTS).status == 200
    _assert_over(_post(limited.port, route, ["hello"] * (MAX_INPUTS + 1)), route, "too_many_inputs")


@pytest.mark.parametrize("route", OPENAI_SHAPED + TEI_SHAPED, ids=lambda route: route.__name__)
@pytest.mark.parametrize("unit", ["a", "é", "🦜"], ids=["ascii", "two-byte", "four-byte"])
def test_characters_per_input(limited, route, unit):
    # Characters are Unicode scalars, as Python's len counts them; bytes do not matter.
    assert _post(limited.port, route, ["ok", unit * MAX_CHARS]).status == 200
    over = _post(limited.port, route, ["ok", unit * (MAX_CHARS + 1)])
    _assert_over(over, route, "input_too_long")
    assert f"[1] has {MAX_CHARS + 1} characters" in (over.json()["error"]["message"] if route in OPENAI_SHAPED
                                                     else over.json()["error"])


@pytest.mark.parametrize("route", [openai_embeddings, tei_embed], ids=lambda route: route.__name__)
def test_tokens_per_input_without_truncation(strict, route):
    # MiniLM's tokenizer: "word" is one token, plus [CLS] and [SEP].
    assert _post(strict.port, route, [" ".join(["word"] * (MAX_LENGTH - 2))]).status == 200
    _assert_over(_post(strict.port, route, [" ".join(["word"] * (MAX_LENGTH - 1))]), route, "input_too_long")


def _raw_get(port: int, path: str, header_bytes: int) -> raw_http.Response:
    """GET with header fields of exactly `header_bytes` (each counted as `name: value` plus CRLF)."""
    host = f"127.0.0.1:{port}"
    fixed = len("Host") + len(host) + 4 + len("X-Pad") + 4
    assert header_bytes >= fixed
    request = f"GET {path} HTTP/1.1\r\nHost: {host}\r\nX-Pad: {'p' * (header_bytes - fixed)}\r\n\r\n".encode()
    with socket.create_connection(("127.0.0.1", port), timeout=30) as connection:
        connection.sendall(request)
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = connection.recv(65536)
            if not chunk:
                break
            data += chunk
        head, _, body = data.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        headers = {name.lower(): value.strip() for name, _, value in (line.partition(":") for line in lines[1:])}
        length = int(headers.get("content-length", "0"))
        while len(body) < length:
            chunk = connection.recv(65536)
            if not chunk:
                break
            body += chunk
    return raw_http.Response(int(lines[0].split()[1]), headers, body)


@pytest.mark.parametrize(
    "path, shape", [("/v1/models", "openai"), ("/info", "tei"), ("/health", "tei"), ("/v2", "v2")]
)
def test_header_size(limited, path, shape):
    under = _raw_get(limited.port, path, HEADER_LIMIT)
    assert under.status != 431
    if path != "/v2":  # KServe v2 routes are another branch's; the limit applies to their paths already
        assert under.status == 200, under.body[:300]
    over = _raw_get(limited.port, path, HEADER_LIMIT + 1)
    assert over.status == 431, over.body[:300]
    body = over.json()
    if shape == "openai":
        assert_error(over, 431, "headers_too_large")
    elif shape == "tei":
        assert_tei_error(over, 431)
    else:
        assert set(body) == {"error"} and body["error"]


def test_header_block_over_the_http_parsers_own_bound_is_400(limited):
    # Over twice --max-header-size (at least 80 KiB) the HTTP/1 parser refuses the request before any handler
    # runs: 400 with an empty body, connection closed; the server stays up.
    response = _raw_get(limited.port, "/v1/models", 100 * 1024)
    assert response.status == 400 and response.body == b""
    assert raw_http.request(limited.port, "GET", "/v1/models").status == 200
