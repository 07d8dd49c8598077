"""`GET /openapi.json` describes the real server: schemathesis generates requests from the document for a
bounded number of examples per operation and checks that no response is a 5xx, every status is documented,
and every body and content type conforms to the document."""

import re
import sys
from pathlib import Path

import pytest

import raw_http
from tern_process import TernProcess

# Routes other branches add (tokenize/decode, KServe v2): excluded until they are merged.
NOT_IN_THIS_BUILD = r"^$"
CHECKS = "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance"
EXAMPLES_PER_OPERATION = "50"


@pytest.fixture(scope="module")
def served():
    from classifier_reference import CLASSIFIER, CROSS_ENCODER
    from reference import DEFAULT_MODEL_DIR

    # One model of every task, so every route has a model that serves it.
    server = TernProcess(models=[DEFAULT_MODEL_DIR, CROSS_ENCODER.directory, CLASSIFIER.directory]).start()
    yield server
    assert server.stop() == 0


def test_document_names_every_route(served):
    document = raw_http.request(served.port, "GET", "/openapi.json").json()
    assert document["openapi"].startswith("3.1")
    expected = {
        "/v1/embeddings", "/v1/models", "/v1/rerank", "/", "/embed", "/rerank", "/predict", "/info",
        "/models/{model}/embed", "/models/{model}/rerank", "/models/{model}/predict", "/models/{model}/info",
        "/tokenize", "/decode", "/health", "/metrics", "/openapi.json", "/v2", "/v2/health/live",
        "/v2/health/ready", "/v2/models/{model}", "/v2/models/{model}/versions/{version}",
        "/v2/models/{model}/ready", "/v2/models/{model}/infer", "/v2/models/{model}/stats",
        "/v2/models/{model}/versions/{version}/infer", "/v2/repository/index",
        "/v2/repository/models/{model}/load", "/v2/repository/models/{model}/unload",
    }
    assert expected <= set(document["paths"])
    assert document["components"]["securitySchemes"]["bearerAuth"] == {"type": "http", "scheme": "bearer"}


@pytest.mark.parametrize("mode", ["positive", "negative"])
def test_schemathesis_finds_no_violation(served, tmp_path, measure, mode):
    """Positive: requests the document allows; negative: requests it forbids, which must get a documented 4xx."""
    import subprocess

    # Path parameters schemathesis cannot guess: a served model's name.
    config = tmp_path / "schemathesis.toml"
    config.write_text('[parameters]\n"path.model" = "all-MiniLM-L6-v2"\n')
    command = [
        str(Path(sys.executable).parent / "schemathesis"), "--config-file", str(config), "run", f"{served.base_url}/openapi.json",
        "--checks", CHECKS, "--exclude-path-regex", NOT_IN_THIS_BUILD, "--mode", mode,
        "--max-examples", EXAMPLES_PER_OPERATION, "--seed", "6", "--workers", "2", "--no-color",
        "--generation-database", "none", "--request-timeout", "60", "--suppress-health-check", "all",
        "--report-dir", str(tmp_path),
    ]
    # In tmp_path: schemathesis writes a crash cache (.schemathesis/) into its working directory.
    result = subprocess.run(command, capture_output=True, text=True, timeout=240, cwd=tmp_path)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-6000:]
    generated = re.search(r"(\d+) generated, (\d+) passed", output)
    assert generated and generated.group(1) == generated.group(2) and int(generated.group(1)) >= 300, output[-3000:]
    measure(f"schemathesis ({mode}): {generated.group(1)} generated requests, all conforming")
