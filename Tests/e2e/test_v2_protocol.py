"""KServe v2 through the official `tritonclient.http` client: health, metadata, inference of every datatype as
JSON and as binary data, output subsets, versions, the raw binary body and statistics."""

import json
import struct
import time

import numpy as np
import pytest
import tritonclient.http as httpclient
from tritonclient.utils import InferenceServerException

import raw_http
from v2_support import DATATYPES, sample


def infer_identity(triton, datatype: str, binary_in: bool, binary_out: bool, rows: int = 2):
    data = sample(datatype, rows)
    inp = httpclient.InferInput("INPUT0", list(data.shape), datatype)
    inp.set_data_from_numpy(data, binary_data=binary_in)
    output = httpclient.InferRequestedOutput("OUTPUT0", binary_data=binary_out)
    result = triton.infer(f"identity_{datatype.lower()}", [inp], outputs=[output], request_id="req-7")
    return data, result


def test_server_is_live_ready_and_describes_itself(triton):
    assert triton.is_server_live()
    assert triton.is_server_ready()
    metadata = triton.get_server_metadata()
    assert metadata["name"] == "tern"
    assert {"binary_tensor_data", "model_repository", "statistics"} <= set(metadata["extensions"])


def test_model_metadata_has_inputs_outputs_and_dynamic_dims(triton):
    metadata = triton.get_model_metadata("add_sub")
    assert metadata["name"] == "add_sub"
    assert metadata["versions"] == ["1"]
    assert metadata["platform"] == "onnxruntime_onnx"
    assert metadata["inputs"] == [
        {"name": "a", "datatype": "FP32", "shape": [-1, 4]},
        {"name": "b", "datatype": "FP32", "shape": [-1, 4]},
    ]
    assert [o["name"] for o in metadata["outputs"]] == ["sum", "diff"]
    fixed = triton.get_model_metadata("fixed_fp32")
    assert fixed["inputs"] == [{"name": "INPUT0", "datatype": "FP32", "shape": [2, 3]}]
    for datatype in DATATYPES:
        identity = triton.get_model_metadata(f"identity_{datatype.lower()}")
        assert identity["inputs"] == [{"name": "INPUT0", "datatype": datatype, "shape": [-1, 3]}]


def test_model_readiness(triton):
    assert triton.is_model_ready("add_sub")
    assert triton.is_model_ready("versioned", "2")
    assert not triton.is_model_ready("versioned", "1")
    assert not triton.is_model_ready("no_such_model")


@pytest.mark.parametrize("datatype", list(DATATYPES))
@pytest.mark.parametrize("binary_in,binary_out", [(False, False), (True, True), (False, True), (True, False)])
def test_identity_returns_every_datatype_unchanged(triton, datatype, binary_in, binary_out):
    data, result = infer_identity(triton, datatype, binary_in, binary_out)
    got = result.as_numpy("OUTPUT0")
    response = result.get_response()
    assert response["model_name"] == f"identity_{datatype.lower()}"
    assert response["id"] == "req-7"
    assert got.shape == data.shape
    if datatype == "BYTES":
        decoded = [x if isinstance(x, bytes) else x.encode() for x in got.flatten()]
        assert decoded == list(data.flatten())
    else:
        assert got.dtype == data.dtype
        assert np.array_equal(got, data), f"{got} != {data}"


def test_fp16_json_numbers_become_ieee_half(triton):
    values = np.array([[0.1, 1e-5, 70000.0]], dtype=np.float64)
    inp = httpclient.InferInput("INPUT0", [1, 3], "FP16")
    inp._data = values.flatten().tolist()  # JSON numbers the client would not round to half itself
    result = triton.infer("identity_fp16", [inp], outputs=[httpclient.InferRequestedOutput("OUTPUT0")])
    with np.errstate(over="ignore"):  # 70000 is past half's range: it must come back as infinity
        expected = values.astype(np.float16)
    assert np.array_equal(result.as_numpy("OUTPUT0"), expected)


def test_several_inputs_and_output_subsets(triton):
    a = np.arange(8, dtype=np.float32).reshape(2, 4)
    b = np.full((2, 4), 0.5, dtype=np.float32)
    inputs = [httpclient.InferInput("a", [2, 4], "FP32"), httpclient.InferInput("b", [2, 4], "FP32")]
    inputs[0].set_data_from_numpy(a, binary_data=True)
    inputs[1].set_data_from_numpy(b, binary_data=False)
    everything = triton.infer("add_sub", inputs)
    assert np.array_equal(everything.as_numpy("sum"), a + b)
    assert np.array_equal(everything.as_numpy("diff"), a - b)
    only_diff = triton.infer("add_sub", inputs, outputs=[httpclient.InferRequestedOutput("diff", binary_data=False)])
    assert [o["name"] for o in only_diff.get_response()["outputs"]] == ["diff"]
    assert np.array_equal(only_diff.as_numpy("diff"), a - b)
    assert only_diff.as_numpy("sum") is None
    reordered = triton.infer(
        "add_sub", inputs,
        outputs=[httpclient.InferRequestedOutput("diff"), httpclient.InferRequestedOutput("sum", binary_data=False)])
    assert [o["name"] for o in reordered.get_response()["outputs"]] == ["diff", "sum"]
    assert np.array_equal(reordered.as_numpy("sum"), a + b)


def test_fixed_shape_model(triton):
    x = np.arange(6, dtype=np.float32).reshape(2, 3)
    inp = httpclient.InferInput("INPUT0", [2, 3], "FP32")
    inp.set_data_from_numpy(x)
    assert np.array_equal(triton.infer("fixed_fp32", [inp]).as_numpy("OUTPUT0"), 2 * x)


def test_versions(triton):
    x = np.array([[1.0], [10.0]], dtype=np.float32)
    inp = httpclient.InferInput("INPUT0", [2, 1], "FP32")
    inp.set_data_from_numpy(x)
    latest = triton.infer("versioned", [inp])
    assert np.array_equal(latest.as_numpy("OUTPUT0"), x + 2)
    assert latest.get_response()["model_version"] == "2"
    assert np.array_equal(triton.infer("versioned", [inp], model_version="2").as_numpy("OUTPUT0"), x + 2)
    with pytest.raises(InferenceServerException) as error:
        triton.infer("versioned", [inp], model_version="1")
    assert error.value.status() == "404"
    assert "'1'" in error.value.message()


def test_raw_binary_body_for_a_single_input_model(v2_server):
    data = np.arange(9, dtype=np.int32)
    response = raw_http.request(
        v2_server.port, "POST", "/v2/models/identity_int32/infer", data.tobytes(),
        headers={"Inference-Header-Content-Length": "0", "Content-Type": "application/octet-stream"})
    assert response.status == 200, response.body
    header_length = int(response.headers["inference-header-content-length"])
    header = json.loads(response.body[:header_length])
    output = header["outputs"][0]
    assert output["shape"] == [3, 3] and output["datatype"] == "INT32"
    assert output["parameters"]["binary_data_size"] == 36
    assert np.array_equal(np.frombuffer(response.body[header_length:], dtype=np.int32), data)


def test_binary_response_headers(v2_server):
    body = json.dumps({"inputs": [{"name": "INPUT0", "datatype": "BYTES", "shape": [1, 3], "data": ["a", "bc", ""]}],
                       "outputs": [{"name": "OUTPUT0", "parameters": {"binary_data": True}}]}).encode()
    response = raw_http.request(v2_server.port, "POST", "/v2/models/identity_bytes/infer", body)
    assert response.status == 200
    assert response.headers["content-type"] == "application/octet-stream"
    header_length = int(response.headers["inference-header-content-length"])
    tail = response.body[header_length:]
    assert tail == struct.pack("<I", 1) + b"a" + struct.pack("<I", 2) + b"bc" + struct.pack("<I", 0)


def test_statistics_count_inferences(triton):
    x = np.ones((3, 1), dtype=np.float32)
    inp = httpclient.InferInput("INPUT0", [3, 1], "FP32")
    inp.set_data_from_numpy(x)
    before = triton.get_inference_statistics("versioned")["model_stats"][0]
    for _ in range(2):
        triton.infer("versioned", [inp])
    stats = triton.get_inference_statistics("versioned")["model_stats"][0]
    assert stats["name"] == "versioned" and stats["version"] == "2"
    assert stats["inference_count"] - before["inference_count"] == 6
    assert stats["execution_count"] - before["execution_count"] in (1, 2)
    success = stats["inference_stats"]["success"]
    assert success["count"] - before["inference_stats"]["success"]["count"] == 2
    assert success["ns"] > before["inference_stats"]["success"]["ns"]
    for key in ("fail", "queue", "compute_input", "compute_infer", "compute_output"):
        assert set(stats["inference_stats"][key]) == {"count", "ns"}
    assert stats["inference_stats"]["compute_infer"]["ns"] > 0
    assert stats["last_inference"] > 0
    every = triton.get_inference_statistics()["model_stats"]
    assert "add_sub" in {entry["name"] for entry in every}


@pytest.mark.parametrize("binary", [False, True])
def test_large_tensor_round_trips(triton, binary, measure):
    """60,000 FP32 values (about 700 KB as JSON, 240 KB binary) come back bit for bit; the time is recorded."""
    rng = np.random.default_rng(5)
    data = rng.standard_normal((200, 300)).astype(np.float32)
    inp = httpclient.InferInput("INPUT0", list(data.shape), "FP32")
    inp.set_data_from_numpy(data, binary_data=binary)
    output = httpclient.InferRequestedOutput("OUTPUT0", binary_data=binary)
    triton.infer("wide_fp32", [inp], outputs=[output])  # warm
    timings = []
    for _ in range(5):
        start = time.perf_counter()
        result = triton.infer("wide_fp32", [inp], outputs=[output])
        timings.append(time.perf_counter() - start)
    assert np.array_equal(result.as_numpy("OUTPUT0"), data)
    measure(f"v2 wide_fp32 [200,300] {'binary' if binary else 'JSON'} round trip: "
            f"median {sorted(timings)[2] * 1000:.1f} ms (client encode/decode included)")
