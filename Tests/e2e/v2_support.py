"""Shared pieces of the KServe v2 end-to-end tests: the test repository (`scripts/make-v2-test-models`), servers
over a private copy of it, the official `tritonclient.http` client, and sample tensors for every datatype."""

import os
import shutil
import time
from pathlib import Path

import numpy as np
import pytest
import tritonclient.http as httpclient

import raw_http
from reference import MODELS_DIR
from tern_process import TernProcess, TernStartupError

REPOSITORY = MODELS_DIR / "v2"
BROKEN = MODELS_DIR / "v2-broken" / "broken"
MAKE_HINT = "run scripts/make-v2-test-models from the repository root"

# v2 datatype -> numpy dtype (BYTES: object arrays of bytes)
DATATYPES = {
    "BOOL": np.bool_,
    "UINT8": np.uint8,
    "UINT16": np.uint16,
    "UINT32": np.uint32,
    "UINT64": np.uint64,
    "INT8": np.int8,
    "INT16": np.int16,
    "INT32": np.int32,
    "INT64": np.int64,
    "FP16": np.float16,
    "FP32": np.float32,
    "FP64": np.float64,
    "BYTES": np.object_,
}


def sample(datatype: str, rows: int = 2) -> np.ndarray:
    """A [rows, 3] tensor of `datatype` whose values reach the type's extremes."""
    dtype = DATATYPES[datatype]
    if datatype == "BYTES":
        words = [b"alpha", b"", "\u00fcn\u00efc\u00f6d\u00e9".encode(), b"x" * 300, b'quote " back \\', b"z"]
        return np.array([words[(row * 3 + col) % len(words)] for row in range(rows) for col in range(3)],
                        dtype=np.object_).reshape(rows, 3)
    if datatype == "BOOL":
        return (np.arange(rows * 3).reshape(rows, 3) % 2 == 0)
    if datatype.startswith("FP"):
        values = np.array([0.5, -1.25, 3.0e-3, 65504.0, -0.0, 1.0 / 3.0], dtype=np.float64)
        return np.resize(values, rows * 3).astype(dtype).reshape(rows, 3)
    info = np.iinfo(dtype)
    values = np.array([info.min, info.max, 0, 1, info.max // 3, info.min // 7 if info.min else 7], dtype=object)
    return np.resize(values, rows * 3).astype(dtype).reshape(rows, 3)


def copy_repository(destination: Path) -> Path:
    """A private copy of the test repository (tests load, unload and break models in it); MiniLM's files are
    linked, not copied."""
    if not (REPOSITORY / ".complete").is_file():
        pytest.fail(f"the v2 test repository {REPOSITORY} is missing: {MAKE_HINT}", pytrace=False)
    shutil.copytree(REPOSITORY, destination, ignore=shutil.ignore_patterns("minilm"))
    minilm = destination / "minilm" / "1"
    minilm.mkdir(parents=True)
    shutil.copy(REPOSITORY / "minilm" / "config.yaml", destination / "minilm" / "config.yaml")
    for name in ("model.onnx", "model.onnx_data"):
        os.symlink((REPOSITORY / "minilm" / "1" / name).resolve(), minilm / name)
    return destination


def start(repository: Path, *flags: str, timeout: float = 120.0) -> TernProcess:
    """A server over `repository`, once `/v2/health/ready` says every model is loaded."""
    try:
        server = TernProcess(*flags, repository=repository).start()
    except TernStartupError as error:
        pytest.fail(str(error), pytrace=False)
    deadline = time.monotonic() + timeout
    while raw_http.request(server.port, "GET", "/v2/health/ready").status != 200:
        if time.monotonic() > deadline:
            server.stop()
            pytest.fail(f"/v2/health/ready never answered 200\n{server.stderr_tail()}", pytrace=False)
        time.sleep(0.05)
    return server


def stop(server: TernProcess) -> None:
    status = server.stop()
    assert status == 0, f"tern exited with {status} after SIGTERM\n{server.stderr_tail()}"


def client(server: TernProcess) -> httpclient.InferenceServerClient:
    return httpclient.InferenceServerClient(f"127.0.0.1:{server.port}", network_timeout=120, connection_timeout=30)


@pytest.fixture(scope="session")
def v2_server(tmp_path_factory) -> TernProcess:
    """tern over a private copy of models/v2, shared by the v2 tests that do not change the repository."""
    server = start(copy_repository(tmp_path_factory.mktemp("v2") / "repository"))
    yield server
    stop(server)


@pytest.fixture(scope="session")
def triton(v2_server: TernProcess) -> httpclient.InferenceServerClient:
    with client(v2_server) as triton:
        yield triton
