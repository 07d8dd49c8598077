"""The model repository extension through `tritonclient.http`: index, load, unload and reload while the server
runs, a failing load that leaves everything else serving, name validation, and load/unload of one model under
concurrent traffic to another with no failed request."""

import shutil
import threading
import time

import numpy as np
import pytest
import tritonclient.http as httpclient
from tritonclient.utils import InferenceServerException

import raw_http
from v2_support import BROKEN, client, copy_repository, start, stop


@pytest.fixture(scope="module")
def repository(tmp_path_factory):
    return copy_repository(tmp_path_factory.mktemp("v2-repository") / "repository")


@pytest.fixture(scope="module")
def server(repository):
    process = start(repository)
    yield process
    stop(process)


@pytest.fixture(scope="module")
def triton(server):
    with client(server) as triton:
        yield triton


def identity_fp32(triton, model: str = "identity_fp32", **kwargs):
    x = np.arange(6, dtype=np.float32).reshape(2, 3)
    inp = httpclient.InferInput("INPUT0", [2, 3], "FP32")
    inp.set_data_from_numpy(x)
    return x, triton.infer(model, [inp], **kwargs)


def index(triton) -> dict[str, dict]:
    return {entry["name"]: entry for entry in triton.get_model_repository_index()}


def test_index_lists_every_model_ready_with_its_version(triton):
    entries = index(triton)
    assert {"add_sub", "fixed_fp32", "identity_bytes", "minilm", "versioned"} <= set(entries)
    assert entries["versioned"] == {"name": "versioned", "version": "2", "state": "READY", "reason": ""}
    assert all(entry["state"] == "READY" for entry in entries.values())


def test_unload_then_load(triton):
    triton.unload_model("identity_int16")
    entry = index(triton)["identity_int16"]
    assert entry["state"] == "UNAVAILABLE" and entry["reason"]
    assert not triton.is_model_ready("identity_int16")
    inp = httpclient.InferInput("INPUT0", [1, 3], "INT16")
    inp.set_data_from_numpy(np.ones((1, 3), dtype=np.int16))
    with pytest.raises(InferenceServerException) as error:
        triton.infer("identity_int16", [inp])
    assert error.value.status() in ("404", "503")
    assert "identity_int16" in error.value.message()
    triton.load_model("identity_int16")
    assert triton.is_model_ready("identity_int16")
    assert np.array_equal(triton.infer("identity_int16", [inp]).as_numpy("OUTPUT0"), np.ones((1, 3), dtype=np.int16))


def test_reload_picks_up_a_new_version(triton, repository):
    shutil.copytree(repository / "versioned" / "1", repository / "versioned" / "3")  # version 3 adds 1
    try:
        triton.load_model("versioned")
        x = np.array([[5.0]], dtype=np.float32)
        inp = httpclient.InferInput("INPUT0", [1, 1], "FP32")
        inp.set_data_from_numpy(x)
        result = triton.infer("versioned", [inp])
        assert result.get_response()["model_version"] == "3"
        assert np.array_equal(result.as_numpy("OUTPUT0"), x + 1)
    finally:
        shutil.rmtree(repository / "versioned" / "3")
        triton.load_model("versioned")
    assert index(triton)["versioned"]["version"] == "2"


def test_a_failing_load_reports_why_and_leaves_the_rest_serving(triton, repository):
    shutil.copytree(BROKEN, repository / "broken")
    with pytest.raises(InferenceServerException) as error:
        triton.load_model("broken")
    assert error.value.status() == "400"
    assert "broken" in error.value.message()
    entry = index(triton)["broken"]
    assert entry["state"] == "UNAVAILABLE" and entry["reason"]
    assert not triton.is_model_ready("broken")
    assert triton.is_server_live()
    x, result = identity_fp32(triton)
    assert np.array_equal(result.as_numpy("OUTPUT0"), x)


def test_names_are_validated_and_unknown_models_are_404(triton, server):
    with pytest.raises(InferenceServerException) as error:
        triton.load_model("no_such_model")
    assert error.value.status() == "404"
    for name in ("..", "..%2F..%2Fetc", "%2Fetc"):
        response = raw_http.request(server.port, "POST", f"/v2/repository/models/{name}/load", b"")
        assert response.status in (400, 404), (name, response.body)
        assert set(response.json()) == {"error"}
    with pytest.raises(InferenceServerException) as error:
        triton.load_model("versioned", config='{"backend": "onnxruntime"}')
    assert error.value.status() == "400" and "config" in error.value.message()


def test_load_and_unload_under_traffic_to_another_model(triton, server, measure):
    """Threads hammer add_sub while identity_fp32 is unloaded and loaded again five times: no add_sub request
    fails, and identity_fp32's own requests either succeed or get 404/503, never anything else."""
    a = np.arange(8, dtype=np.float32).reshape(2, 4)
    body = (
        '{"inputs":[{"name":"a","datatype":"FP32","shape":[2,4],"data":%s},'
        '{"name":"b","datatype":"FP32","shape":[2,4],"data":%s}]}' % (a.flatten().tolist(), a.flatten().tolist())
    ).encode()
    other = b'{"inputs":[{"name":"INPUT0","datatype":"FP32","shape":[1,3],"data":[1,2,3]}]}'
    stop_flag = threading.Event()
    results: dict[str, list] = {"a_ok": [], "a_failed": [], "b_statuses": []}
    lock = threading.Lock()

    def hammer_a():
        while not stop_flag.is_set():
            response = raw_http.request(server.port, "POST", "/v2/models/add_sub/infer", body, timeout=30)
            ok = response.status == 200 and response.json()["outputs"][0]["data"] == (2 * a).flatten().tolist()
            with lock:
                (results["a_ok"] if ok else results["a_failed"]).append((response.status, response.body[:200]))

    def hammer_b():
        while not stop_flag.is_set():
            response = raw_http.request(server.port, "POST", "/v2/models/identity_fp32/infer", other, timeout=30)
            with lock:
                results["b_statuses"].append(response.status)

    threads = [threading.Thread(target=hammer_a) for _ in range(4)] + [threading.Thread(target=hammer_b)]
    for thread in threads:
        thread.start()
    try:
        for _ in range(5):
            time.sleep(0.1)
            triton.unload_model("identity_fp32")
            time.sleep(0.1)
            triton.load_model("identity_fp32")
        time.sleep(0.1)
    finally:
        stop_flag.set()
        for thread in threads:
            thread.join(timeout=60)
    b = results["b_statuses"]
    measure(
        f"v2 load/unload x5 under traffic: add_sub {len(results['a_ok'])} ok, {len(results['a_failed'])} failed; "
        f"identity_fp32 {b.count(200)} ok, {b.count(503)} 503, {b.count(404)} 404")
    assert results["a_failed"] == []
    assert len(results["a_ok"]) > 50
    assert set(results["b_statuses"]) <= {200, 404, 503}
    assert 200 in results["b_statuses"]
    x, result = identity_fp32(triton)
    assert np.array_equal(result.as_numpy("OUTPUT0"), x)
