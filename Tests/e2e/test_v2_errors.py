"""Every bad request to the v2 routes fails with Triton's status and `{"error": "..."}` naming what is wrong, as
the official client reports it (`InferenceServerException.status()` / `.message()`)."""

import json
import struct

import numpy as np
import pytest
import tritonclient.http as httpclient
from tritonclient.utils import InferenceServerException

import raw_http


def fp32_input(name: str, shape, datatype: str = "FP32", binary: bool = False):
    inp = httpclient.InferInput(name, list(shape), datatype)
    inp.set_data_from_numpy(np.ones(shape, dtype=np.float64 if datatype == "FP64" else np.float32), binary_data=binary)
    return inp


def failure(call) -> InferenceServerException:
    with pytest.raises(InferenceServerException) as error:
        call()
    return error.value


def check(error: InferenceServerException, status: str, *fragments: str) -> None:
    assert error.status() == status, error.message()
    for fragment in fragments:
        assert fragment in error.message(), error.message()


@pytest.mark.parametrize("binary", [False, True])
def test_unknown_input(triton, binary):
    inputs = [fp32_input("a", [1, 4], binary=binary), fp32_input("b", [1, 4], binary=binary),
              fp32_input("c", [1, 4], binary=binary)]
    check(failure(lambda: triton.infer("add_sub", inputs)), "400", "'c'", "add_sub")


def test_missing_input(triton):
    check(failure(lambda: triton.infer("add_sub", [fp32_input("a", [1, 4])])), "400", "missing input 'b'")


@pytest.mark.parametrize("binary", [False, True])
def test_wrong_datatype(triton, binary):
    error = failure(lambda: triton.infer("identity_fp32", [fp32_input("INPUT0", [1, 3], "FP64", binary)]))
    check(error, "400", "'INPUT0'", "FP64", "FP32")


@pytest.mark.parametrize("shape", [[1, 4], [3], [1, 1, 3]])
def test_shape_mismatch_respects_dynamic_dims(triton, shape):
    error = failure(lambda: triton.infer("identity_fp32", [fp32_input("INPUT0", shape)]))
    check(error, "400", "unexpected shape for input 'INPUT0'", "[-1,3]")
    fixed = failure(lambda: triton.infer("fixed_fp32", [fp32_input("INPUT0", [1, 3])]))
    check(fixed, "400", "'INPUT0'", "[2,3]")


def test_json_data_length_against_shape(triton):
    inp = httpclient.InferInput("INPUT0", [2, 3], "FP32")
    inp._data = [1.0, 2.0, 3.0, 4.0]  # the client checks shapes itself; send what a buggy client would
    check(failure(lambda: triton.infer("identity_fp32", [inp])), "400", "input 'INPUT0' has 4 elements", "6")


def test_binary_data_length_against_shape(triton):
    inp = httpclient.InferInput("INPUT0", [2, 3], "FP32")
    inp.set_data_from_numpy(np.ones((2, 3), dtype=np.float32), binary_data=True)
    inp._raw_data = inp._raw_data[:20]
    inp._parameters["binary_data_size"] = 20
    check(failure(lambda: triton.infer("identity_fp32", [inp])), "400", "input 'INPUT0' has 20 bytes", "24")


def test_bytes_framing(triton):
    inp = httpclient.InferInput("INPUT0", [1, 3], "BYTES")
    inp.set_data_from_numpy(np.array([[b"a", b"b", b"c"]], dtype=np.object_), binary_data=True)
    inp._raw_data = struct.pack("<I", 1) + b"a" + struct.pack("<I", 50) + b"b"
    inp._parameters["binary_data_size"] = len(inp._raw_data)
    check(failure(lambda: triton.infer("identity_bytes", [inp])), "400", "input 'INPUT0'", "BYTES element of 50 bytes")


def test_value_out_of_range(triton):
    inp = httpclient.InferInput("INPUT0", [1, 3], "INT8")
    inp._data = [1, 2, 300]
    check(failure(lambda: triton.infer("identity_int8", [inp])), "400", "input 'INPUT0'", "300", "INT8")


def test_unknown_output(triton):
    inputs = [fp32_input("a", [1, 4]), fp32_input("b", [1, 4])]
    outputs = [httpclient.InferRequestedOutput("product")]
    check(failure(lambda: triton.infer("add_sub", inputs, outputs=outputs)), "400", "'product'")


def test_unknown_model_and_version_are_404(triton):
    check(failure(lambda: triton.infer("no_such_model", [fp32_input("INPUT0", [1, 3])])), "404", "no_such_model")
    check(failure(lambda: triton.get_model_metadata("no_such_model")), "404", "no_such_model")
    check(failure(lambda: triton.get_model_metadata("versioned", "7")), "404", "'7'")
    check(failure(lambda: triton.infer("versioned", [fp32_input("INPUT0", [1, 1])], model_version="1")), "404")


def test_malformed_json_and_bad_binary_header(v2_server):
    for body, headers, fragment in [
        (b'{"inputs": [', {}, "malformed JSON"),
        (b'{"inputs": []} trailing', {}, "malformed JSON"),
        (b'{"inputs": []}', {"Inference-Header-Content-Length": "500"}, "Inference-Header-Content-Length is 500"),
        (b'{"inputs": []}', {"Inference-Header-Content-Length": "ten"}, "Inference-Header-Content-Length"),
        (b"\x01\x02\x03", {"Inference-Header-Content-Length": "0"}, "whole number"),
    ]:
        response = raw_http.request(v2_server.port, "POST", "/v2/models/identity_fp32/infer", body, headers=headers)
        assert response.status == 400, (body, response.body)
        assert fragment in response.json()["error"], response.body


def test_body_over_the_limit_is_400_in_the_v2_shape(v2_server):
    body = json.dumps({"inputs": [{"name": "INPUT0", "datatype": "FP32", "shape": [300000, 3],
                                   "data": [0.5] * 900000}]}).encode()
    response = raw_http.request(v2_server.port, "POST", "/v2/models/identity_fp32/infer", body)
    assert response.status == 400
    assert "larger than the limit" in response.json()["error"]


def test_unknown_route_is_404_in_the_v2_shape(v2_server):
    response = raw_http.request(v2_server.port, "GET", "/v2/models/add_sub/nonsense")
    assert response.status == 404
    assert set(response.json()) == {"error"}


def test_rows_over_the_models_max_batch_size_name_the_input(triton):
    inp = httpclient.InferInput("INPUT0", [65, 3], "FP32")  # the default max_batch_size is 64 rows
    inp.set_data_from_numpy(np.ones((65, 3), dtype=np.float32), binary_data=True)
    check(failure(lambda: triton.infer("identity_fp32", [inp])), "400", "'INPUT0'", "64")
