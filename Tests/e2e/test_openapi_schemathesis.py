"""`GET /openapi.json` describes the real server: schemathesis generates requests from the document for a
bounded number of examples per operation and checks that no response is a 5xx, every status is documented,
and every body and content type conforms to the document."""

import re
import sys
from pathlib import Path

import pytest

import raw_http
from tern_process import TernProcess

# Path parameters schemathesis cannot guess, per group of routes: the text routes take a served text model,
# the KServe v2 model routes a model of the repository (`add_sub`, version 1). Repository load/unload are left to
# the tritonclient tests (test_v2_repository.py): unloading the one model mid-run would turn the rest into 404s.
V2_MODEL_ROUTES = r"^/v2/(models|repository/models)/"
GROUPS = {
    "text": (["--exclude-path-regex", V2_MODEL_ROUTES], '"path.model" = "all-MiniLM-L6-v2"'),
    "v2": (["--include-path-regex", r"^/v2/models/"], '"path.model" = "add_sub"\n"path.version" = "1"'),
}
CHECKS = "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance"
EXAMPLES_PER_OPERATION = "50"


@pytest.fixture(scope="module")
def served():
    from classifier_reference import CLASSIFIER, CROSS_ENCODER
    from reference import DEFAULT_MODEL_DIR

    # One model of every task, so every route has a model that serves it.
    from tern_process import REPO_ROOT

    server = TernProcess(
        models=[DEFAULT_MODEL_DIR, CROSS_ENCODER.directory, CLASSIFIER.directory], repository=REPO_ROOT / "models/v2"
    ).start()
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


@pytest.mark.parametrize("group", sorted(GROUPS))
@pytest.mark.parametrize("mode", ["positive", "negative"])
def test_schemathesis_finds_no_violation(served, tmp_path, measure, mode, group):
    """Positive: requests the document allows; negative: requests it forbids, which must get a documented 4xx."""
    import subprocess

    paths, parameters = GROUPS[group]
    config = tmp_path / "schemathesis.toml"
    config.write_text(f"[parameters]\n{parameters}\n")
    command = [
        str(Path(sys.executable).parent / "schemathesis"), "--config-file", str(config), "run", f"{served.base_url}/openapi.json",
        "--checks", CHECKS, *paths, "--mode", mode,
        "--max-examples", EXAMPLES_PER_OPERATION, "--seed", "6", "--workers", "2", "--no-color",
        "--generation-database", "none", "--request-timeout", "60", "--suppress-health-check", "all",
        "--report-dir", str(tmp_path),
    ]
    # In tmp_path: schemathesis writes a crash cache (.schemathesis/) into its working directory.
    result = subprocess.run(command, capture_output=True, text=True, timeout=240, cwd=tmp_path)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-6000:]
    generated = re.search(r"(\d+) generated, (\d+) passed", output)
    assert generated and generated.group(1) == generated.group(2) and int(generated.group(1)) >= 100, output[-3000:]
    measure(f"schemathesis ({group}, {mode}): {generated.group(1)} generated requests, all conforming")
