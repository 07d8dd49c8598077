"""API keys: `Authorization: Bearer KEY` on every inference route group, 401 with `WWW-Authenticate: Bearer` in
each API's error shape, probes and scrapes open unless `--auth-health` / `--auth-metrics`; keys never logged."""

import json
import time

import openai
import pytest
from openai import OpenAI

import raw_http
from conftest import MODEL_ID
from tern_process import TernProcess

KEY = "tern-test-key-0123456789"
FILE_KEY = "tern-file-key-abcdef"
EMBED = {"input": "hello"}

# (method, path, body, shape): one route of every group that needs a key.
GUARDED = [
    ("POST", "/v1/embeddings", EMBED, "openai"),
    ("GET", "/v1/models", None, "openai"),
    ("POST", "/v1/rerank", {"query": "q", "documents": ["d"]}, "openai"),
    ("POST", "/embed", {"inputs": "hello"}, "tei"),
    ("POST", "/", {"inputs": "hello"}, "tei"),
    ("GET", "/info", None, "tei"),
    ("POST", f"/models/{MODEL_ID}/embed", {"inputs": "hello"}, "tei"),
    ("POST", "/rerank", {"query": "q", "texts": ["d"]}, "tei"),
    ("POST", "/predict", {"inputs": "hello"}, "tei"),
    ("POST", "/tokenize", {"inputs": "hello"}, "tei"),
    ("POST", "/decode", {"ids": [101]}, "tei"),
    ("GET", "/v2", None, "v2"),
    ("GET", f"/v2/models/{MODEL_ID}", None, "v2"),
    ("POST", f"/v2/models/{MODEL_ID}/infer", {"inputs": []}, "v2"),
    ("POST", "/v2/repository/index", {}, "v2"),
]
OPEN = [("GET", "/health"), ("GET", "/metrics"), ("GET", "/openapi.json"), ("GET", "/v2/health/live"),
        ("GET", "/v2/health/ready")]


class KeyedTernProcess(TernProcess):
    """A server whose `/health` needs the key: waits for readiness with it."""

    def _wait_healthy(self, deadline: float) -> None:
        while time.monotonic() < deadline:
            response = raw_http.request(self.port, "GET", "/health", headers={"Authorization": f"Bearer {KEY}"})
            if response.status == 200:
                return
            time.sleep(0.1)
        self._fail("/health did not report ok within the timeout")


@pytest.fixture(scope="module")
def key_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("keys") / "keys.txt"
    path.write_text(f"# deploy keys\n\n{FILE_KEY}\n")
    return path


@pytest.fixture(scope="module")
def keyed(key_file):
    server = TernProcess("--api-key", KEY, "--api-key-file", str(key_file)).start()
    yield server
    assert server.stop() == 0


@pytest.fixture(scope="module")
def locked(key_file):
    server = KeyedTernProcess("--api-key", KEY, "--auth-health", "--auth-metrics").start()
    yield server
    assert server.stop() == 0


def _send(port: int, method: str, path: str, body, authorization: str | None) -> raw_http.Response:
    headers = {"Authorization": authorization} if authorization is not None else {}
    payload = None if body is None else json.dumps(body).encode()
    return raw_http.request(port, method, path, payload, headers=headers)


def assert_unauthorized(response: raw_http.Response, shape: str) -> None:
    assert response.status == 401, (response.status, response.body[:300])
    assert response.headers.get("www-authenticate") == "Bearer"
    assert response.headers.get("content-type", "").startswith("application/json")
    body = response.json()
    if shape == "openai":
        assert set(body) == {"error"} and set(body["error"]) == {"message", "type", "param", "code"}
        assert body["error"]["type"] == "invalid_request_error" and body["error"]["code"] == "invalid_api_key"
    elif shape == "tei":
        assert set(body) == {"error", "error_type"} and body["error_type"] == "Unauthorized"
    else:
        assert set(body) == {"error"} and isinstance(body["error"], str) and body["error"]


@pytest.mark.parametrize("method, path, body, shape", GUARDED)
@pytest.mark.parametrize("authorization", [None, "Bearer wrong-key", f"Bearer {KEY}x", f"Basic {KEY}", "Bearer "])
def test_missing_or_wrong_key_is_401_in_the_apis_shape(keyed, method, path, body, shape, authorization):
    assert_unauthorized(_send(keyed.port, method, path, body, authorization), shape)


@pytest.mark.parametrize("method, path, body, shape", GUARDED)
@pytest.mark.parametrize("authorization", [f"Bearer {KEY}", f"bearer {FILE_KEY}"])
def test_right_key_passes(keyed, method, path, body, shape, authorization):
    response = _send(keyed.port, method, path, body, authorization)
    assert response.status != 401, response.body[:300]
    if path in ("/v1/embeddings", "/v1/models", "/embed", "/", "/info") or path.endswith("/embed"):
        assert response.status == 200, response.body[:300]


@pytest.mark.parametrize("method, path", OPEN)
def test_probes_scrapes_and_the_spec_are_open_by_default(keyed, method, path):
    response = _send(keyed.port, method, path, None, None)
    assert response.status != 401
    if path in ("/health", "/metrics", "/openapi.json"):
        assert response.status == 200


@pytest.mark.parametrize("path", ["/health", "/metrics", "/v2/health/ready", "/v2/health/live"])
def test_auth_health_and_auth_metrics_guard_them(locked, path):
    shape = "v2" if path.startswith("/v2") else "tei"
    assert_unauthorized(_send(locked.port, "GET", path, None, None), shape)
    assert _send(locked.port, "GET", path, None, f"Bearer {KEY}").status != 401
    assert _send(locked.port, "GET", "/openapi.json", None, None).status == 200


def test_official_client(keyed):
    good = OpenAI(base_url=f"{keyed.base_url}/v1", api_key=KEY, max_retries=0)
    assert len(good.embeddings.create(model=MODEL_ID, input="hi").data[0].embedding) == 384
    bad = OpenAI(base_url=f"{keyed.base_url}/v1", api_key="nope", max_retries=0)
    with pytest.raises(openai.AuthenticationError) as raised:
        bad.embeddings.create(model=MODEL_ID, input="hi")
    assert raised.value.code == "invalid_api_key"


def test_unauthorized_request_is_refused_before_its_body_is_read(keyed):
    # A body far over --max-body-size: without a key the answer is 401, not 413.
    response = raw_http.request(keyed.port, "POST", "/v1/embeddings", b"x" * (8 * 1024 * 1024))
    assert_unauthorized(response, "openai")


def test_keys_are_never_logged(keyed):
    _send(keyed.port, "POST", "/v1/embeddings", EMBED, f"Bearer {KEY}")
    _send(keyed.port, "POST", "/embed", {"inputs": "x"}, "Bearer guessed-key-123")
    log = keyed.stderr_tail(lines=100000)
    assert KEY not in log and FILE_KEY not in log and "guessed-key-123" not in log


def test_a_key_file_without_keys_stops_startup(tmp_path):
    import subprocess
    from tern_process import binary_path

    empty = tmp_path / "empty.txt"
    empty.write_text("# nothing here\n")
    result = subprocess.run([str(binary_path()), "serve", "--model", "models/all-MiniLM-L6-v2", "--api-key-file",
                             str(empty)], capture_output=True, text=True, timeout=60)
    assert result.returncode != 0 and "holds no key" in result.stderr
