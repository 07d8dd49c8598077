"""KServe v2 over gRPC (`--grpc-port`) through the official `tritonclient.grpc` client, the same cases as the HTTP
v2 suite: health, metadata and configuration, every datatype as raw contents in both directions and as typed
contents, output subsets, versions, statistics, the repository (load, unload, reload while other calls run),
streaming with 100 requests in flight, every bad input with its gRPC status, deadlines that never reach the model,
a cancelled stream that leaves no work behind, API keys as `authorization` metadata, and grpc.health.v1."""

import queue
import socket
import threading
import time

import grpc
import numpy as np
import pytest
import tritonclient.grpc as grpcclient
from tritonclient.grpc import service_pb2, service_pb2_grpc
from tritonclient.utils import InferenceServerException

import metrics
import raw_http
from v2_support import DATATYPES, copy_repository, sample, start, stop


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """(server, gRPC port) over a private copy of models/v2."""
    grpc_port = free_port()
    # One engine per model: the deadline and cancellation tests keep it busy and need later calls to queue
    # behind it (with the CPU default of two engines a second one would take them at once).
    server = start(copy_repository(tmp_path_factory.mktemp("v2-grpc") / "repository"), "--grpc-port", str(grpc_port),
                   "--engines", "1")
    yield server, grpc_port
    stop(server)


@pytest.fixture(scope="module")
def triton(served):
    client = grpcclient.InferenceServerClient(f"127.0.0.1:{served[1]}")
    yield client
    client.close()


@pytest.fixture(scope="module")
def stub(served):
    channel = grpc.insecure_channel(f"127.0.0.1:{served[1]}")
    yield service_pb2_grpc.GRPCInferenceServiceStub(channel)
    channel.close()


def status_of(call) -> tuple[str, str]:
    with pytest.raises(InferenceServerException) as error:
        call()
    return error.value.status(), error.value.message()


def identity(triton, datatype: str, rows: int = 2, **kwargs):
    data = sample(datatype, rows)
    inp = grpcclient.InferInput("INPUT0", list(data.shape), datatype)
    inp.set_data_from_numpy(data)
    return data, triton.infer(f"identity_{datatype.lower()}", [inp], **kwargs)


# --- health, metadata, configuration -------------------------------------------------------------------------

def test_server_is_live_ready_and_describes_itself(triton):
    assert triton.is_server_live()
    assert triton.is_server_ready()
    metadata = triton.get_server_metadata()
    assert metadata.name == "tern"
    assert {"binary_tensor_data", "model_repository", "statistics"} <= set(metadata.extensions)


def test_model_metadata_and_readiness(triton):
    metadata = triton.get_model_metadata("add_sub")
    assert metadata.name == "add_sub" and list(metadata.versions) == ["1"]
    assert metadata.platform == "onnxruntime_onnx"
    assert [(t.name, t.datatype, list(t.shape)) for t in metadata.inputs] == [("a", "FP32", [-1, 4]), ("b", "FP32", [-1, 4])]
    assert [t.name for t in metadata.outputs] == ["sum", "diff"]
    for datatype in DATATYPES:
        entry = triton.get_model_metadata(f"identity_{datatype.lower()}").inputs[0]
        assert (entry.datatype, list(entry.shape)) == (datatype, [-1, 3])
    assert triton.is_model_ready("add_sub")
    assert triton.is_model_ready("versioned", "2")
    assert not triton.is_model_ready("versioned", "1")
    assert not triton.is_model_ready("no_such_model")


def test_model_config_leaves_out_the_batch_dimension(triton):
    config = triton.get_model_config("identity_fp32").config
    assert config.name == "identity_fp32" and config.max_batch_size == 64
    assert config.platform == "onnxruntime_onnx" and config.backend == "onnxruntime"
    assert [(i.name, i.data_type, list(i.dims)) for i in config.input] == [("INPUT0", 11, [3])]  # TYPE_FP32
    fixed = triton.get_model_config("fixed_fp32").config
    assert fixed.max_batch_size == 0 and list(fixed.input[0].dims) == [2, 3]


# --- inference -----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("datatype", list(DATATYPES))
def test_identity_returns_every_datatype_unchanged_as_raw_contents(triton, datatype):
    data, result = identity(triton, datatype, request_id="req-7")
    got = result.as_numpy("OUTPUT0")
    response = result.get_response()
    assert response.model_name == f"identity_{datatype.lower()}" and response.model_version == "1"
    assert response.id == "req-7"
    assert got.shape == data.shape
    if datatype == "BYTES":
        assert list(got.flatten()) == list(data.flatten())
    else:
        assert got.dtype == data.dtype and np.array_equal(got, data)


TYPED = {  # datatype -> the InferTensorContents field that carries it
    "BOOL": "bool_contents", "INT8": "int_contents", "INT16": "int_contents", "INT32": "int_contents",
    "INT64": "int64_contents", "UINT8": "uint_contents", "UINT16": "uint_contents", "UINT32": "uint_contents",
    "UINT64": "uint64_contents", "FP32": "fp32_contents", "FP64": "fp64_contents", "BYTES": "bytes_contents",
}


def typed_request(datatype: str, values, shape, field: str | None = None) -> service_pb2.ModelInferRequest:
    request = service_pb2.ModelInferRequest(model_name=f"identity_{datatype.lower()}", id="typed")
    tensor = request.inputs.add(name="INPUT0", datatype=datatype, shape=shape)
    getattr(tensor.contents, field or TYPED[datatype]).extend(values)
    return request


@pytest.mark.parametrize("datatype", list(TYPED))
def test_typed_contents_of_every_datatype(stub, datatype):
    data = sample(datatype)
    values = [bool(v) for v in data.flatten()] if datatype == "BOOL" else data.flatten().tolist()
    response = stub.ModelInfer(typed_request(datatype, values, list(data.shape)), timeout=60)
    assert response.id == "typed" and len(response.raw_output_contents) == 1
    output = response.outputs[0]
    assert (output.name, output.datatype, list(output.shape)) == ("OUTPUT0", datatype, [2, 3])
    raw = response.raw_output_contents[0]
    if datatype == "BYTES":
        elements, offset = [], 0
        while offset < len(raw):
            length = int.from_bytes(raw[offset:offset + 4], "little")
            elements.append(raw[offset + 4:offset + 4 + length])
            offset += 4 + length
        assert elements == list(data.flatten())
    else:
        assert np.array_equal(np.frombuffer(raw, dtype=DATATYPES[datatype]).reshape(2, 3), data)


def test_output_subsets_and_versions(triton):
    a = np.arange(8, dtype=np.float32).reshape(2, 4)
    b = np.ones((2, 4), dtype=np.float32)
    inputs = [grpcclient.InferInput("a", [2, 4], "FP32"), grpcclient.InferInput("b", [2, 4], "FP32")]
    inputs[0].set_data_from_numpy(a)
    inputs[1].set_data_from_numpy(b)
    result = triton.infer("add_sub", inputs, outputs=[grpcclient.InferRequestedOutput("diff")])
    assert [o.name for o in result.get_response().outputs] == ["diff"]
    assert np.array_equal(result.as_numpy("diff"), a - b) and result.as_numpy("sum") is None
    both = triton.infer("add_sub", inputs)
    assert np.array_equal(both.as_numpy("sum"), a + b)
    x = np.ones((1, 1), dtype=np.float32)
    inp = grpcclient.InferInput("INPUT0", [1, 1], "FP32")
    inp.set_data_from_numpy(x)
    served = triton.infer("versioned", [inp])
    assert served.get_response().model_version == "2"
    assert triton.infer("versioned", [inp], model_version="2").get_response().model_version == "2"
    assert status_of(lambda: triton.infer("versioned", [inp], model_version="1"))[0] == "StatusCode.NOT_FOUND"


def test_statistics_count_inferences(triton):
    before = triton.get_inference_statistics("identity_int32").model_stats[0]
    identity(triton, "INT32")
    after = triton.get_inference_statistics("identity_int32").model_stats[0]
    assert after.name == "identity_int32" and after.version == "1"
    assert after.inference_stats.success.count == before.inference_stats.success.count + 1
    assert after.inference_count >= before.inference_count + 2  # rows
    assert after.execution_count == before.execution_count + 1
    assert after.last_inference > 0
    everything = triton.get_inference_statistics().model_stats
    assert "identity_int32" in {entry.name for entry in everything}


# --- bad input -----------------------------------------------------------------------------------------------

def fp32_input(name="INPUT0", shape=(1, 3), datatype="FP32", data=None):
    inp = grpcclient.InferInput(name, list(shape), datatype)
    inp.set_data_from_numpy(np.ones(shape, dtype=np.float32) if data is None else data)
    return inp


BAD = {
    "unknown model": (lambda t: t.infer("no_such_model", [fp32_input()]), "NOT_FOUND", "no_such_model"),
    "unknown version": (lambda t: t.infer("identity_fp32", [fp32_input()], model_version="9"), "NOT_FOUND", "9"),
    "unknown input": (lambda t: t.infer("identity_fp32", [fp32_input("nope")]), "INVALID_ARGUMENT", "'nope'"),
    "missing input": (lambda t: t.infer("add_sub", [fp32_input("a", (1, 4))]), "INVALID_ARGUMENT", "'b'"),
    "duplicate input": (lambda t: t.infer("identity_fp32", [fp32_input(), fp32_input()]), "INVALID_ARGUMENT",
                        "more than once"),
    "wrong datatype": (lambda t: t.infer("identity_fp32", [fp32_input(datatype="FP64",
                                                                      data=np.ones((1, 3)))]),
                       "INVALID_ARGUMENT", "FP64"),
    "shape mismatch": (lambda t: t.infer("identity_fp32", [fp32_input(shape=(1, 4))]), "INVALID_ARGUMENT",
                       "'INPUT0'"),
    "rows over max_batch_size": (lambda t: t.infer("identity_fp32", [fp32_input(shape=(65, 3))]),
                                 "INVALID_ARGUMENT", "64"),
    "unknown output": (lambda t: t.infer("identity_fp32", [fp32_input()],
                                         outputs=[grpcclient.InferRequestedOutput("nope")]),
                       "INVALID_ARGUMENT", "'nope'"),
    "classification": (lambda t: t.infer("identity_fp32", [fp32_input()],
                                         outputs=[grpcclient.InferRequestedOutput("OUTPUT0", class_count=2)]),
                       "INVALID_ARGUMENT", "classification"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_input_gets_its_grpc_status(triton, case):
    call, code, fragment = BAD[case]
    status, message = status_of(lambda: call(triton))
    assert status == f"StatusCode.{code}", message
    assert fragment in message


def raw_request(model: str, datatype: str, shape, raw: bytes) -> service_pb2.ModelInferRequest:
    request = service_pb2.ModelInferRequest(model_name=model)
    request.inputs.add(name="INPUT0", datatype=datatype, shape=shape)
    request.raw_input_contents.append(raw)
    return request


RAW_BAD = {
    "raw bytes short of the shape": (raw_request("identity_fp32", "FP32", [1, 3], b"\0" * 8), "12"),
    "BYTES length past the end": (raw_request("identity_bytes", "BYTES", [1, 3], b"\x01\0\0\0a\xff\0\0\0ab"),
                                  "past the end"),
    "BYTES truncated length": (raw_request("identity_bytes", "BYTES", [1, 3], b"\x01\0\0\0a\x01\0"), "truncated"),
    "BYTES fewer elements than the shape": (raw_request("identity_bytes", "BYTES", [1, 3], b"\x01\0\0\0a"),
                                            "shape holds 3"),
    "BOOL byte not 0 or 1": (raw_request("identity_bool", "BOOL", [1, 3], b"\x00\x01\x07"), "0 or 1"),
    "typed value out of range": (typed_request("INT8", [1, 300, 2], [1, 3]), "300"),
    "typed count against shape": (typed_request("FP32", [1.0, 2.0], [1, 3]), "2 elements"),
    "typed contents in another field": (typed_request("FP32", [1, 2, 3], [1, 3], "int_contents"), "fp32_contents"),
    "FP16 as typed contents": (typed_request("FP16", [1.0, 2.0, 3.0], [1, 3], "fp32_contents"), "raw_input_contents"),
    "no contents": (service_pb2.ModelInferRequest(
        model_name="identity_fp32", inputs=[service_pb2.ModelInferRequest.InferInputTensor(
            name="INPUT0", datatype="FP32", shape=[1, 3])]), "no contents"),
    "no model name": (service_pb2.ModelInferRequest(), "names no model"),
}


@pytest.mark.parametrize("case", sorted(RAW_BAD))
def test_malformed_contents_are_invalid_argument(stub, case):
    request, fragment = RAW_BAD[case]
    with pytest.raises(grpc.RpcError) as error:
        stub.ModelInfer(request, timeout=30)
    assert error.value.code() == grpc.StatusCode.INVALID_ARGUMENT, error.value.details()
    assert fragment in error.value.details()


def test_a_message_over_the_body_limit_is_resource_exhausted(stub, triton):
    """--max-body-size (2 MiB) bounds a message: one over it is refused with RESOURCE_EXHAUSTED (as Triton refuses
    one over its limit) before it is decoded, unary or streamed; one over twice the limit is reset by the transport
    (CANCELLED). The server goes on serving."""
    big = raw_request("identity_uint8", "UINT8", [1, 3], b"\0" * (3 * 1024 * 1024))
    with pytest.raises(grpc.RpcError) as error:
        stub.ModelInfer(big, timeout=30)
    assert error.value.code() == grpc.StatusCode.RESOURCE_EXHAUSTED, error.value.details()
    assert "exceeds the limit of 2097152" in error.value.details()
    with pytest.raises(grpc.RpcError) as error:
        list(stub.ModelStreamInfer(iter([big]), timeout=30))
    assert error.value.code() == grpc.StatusCode.RESOURCE_EXHAUSTED, error.value.details()
    huge = raw_request("identity_uint8", "UINT8", [1, 3], b"\0" * (5 * 1024 * 1024))
    with pytest.raises(grpc.RpcError) as error:
        stub.ModelInfer(huge, timeout=30)
    assert error.value.code() in (grpc.StatusCode.RESOURCE_EXHAUSTED, grpc.StatusCode.CANCELLED)
    just_under = raw_request("identity_uint8", "UINT8", [1, 3], b"\0" * 3)
    assert stub.ModelInfer(just_under, timeout=30).raw_output_contents
    data, result = identity(triton, "UINT8")
    assert np.array_equal(result.as_numpy("OUTPUT0"), data)


def test_unserved_extensions_are_unimplemented(triton):
    status, message = status_of(lambda: triton.get_system_shared_memory_status())
    assert status == "StatusCode.UNIMPLEMENTED" and "shared memory" in message


# --- streaming -----------------------------------------------------------------------------------------------

def test_a_stream_answers_100_requests_in_flight_each_with_its_id(triton):
    answers: queue.Queue = queue.Queue()
    triton.start_stream(callback=lambda result, error: answers.put((result, error)))
    try:
        sent = {}
        for index in range(100):
            x = np.full((1, 3), index, dtype=np.float32)
            inp = grpcclient.InferInput("INPUT0", [1, 3], "FP32")
            inp.set_data_from_numpy(x)
            sent[f"r{index}"] = x
            triton.async_stream_infer("identity_fp32", [inp], request_id=f"r{index}")
        bad = grpcclient.InferInput("INPUT0", [1, 4], "FP32")  # a failing request does not end the stream
        bad.set_data_from_numpy(np.ones((1, 4), dtype=np.float32))
        triton.async_stream_infer("identity_fp32", [bad], request_id="bad")
        got, errors = {}, []
        for _ in range(101):
            result, error = answers.get(timeout=60)
            if error is not None:
                errors.append(error)
            else:
                got[result.get_response().id] = result.as_numpy("OUTPUT0")
        assert set(got) == set(sent)
        assert all(np.array_equal(got[key], value) for key, value in sent.items())
        assert len(errors) == 1 and "'INPUT0'" in errors[0].message()
    finally:
        triton.stop_stream()


# --- deadlines and cancellation ------------------------------------------------------------------------------

def minilm_input(rows: int, tokens: int):
    ids = np.full((rows, tokens), 1037, dtype=np.int64)
    ids[:, 0], ids[:, -1] = 101, 102
    inputs = []
    for name, value in (("input_ids", ids), ("attention_mask", np.ones_like(ids)), ("token_type_ids", np.zeros_like(ids))):
        inp = grpcclient.InferInput(name, list(ids.shape), "INT64")
        inp.set_data_from_numpy(value)
        inputs.append(inp)
    return inputs


def busy(served, rows: int = 48, tokens: int = 256):
    """Starts a long MiniLM inference on a thread; returns the thread once it is executing."""
    server, grpc_port = served
    client = grpcclient.InferenceServerClient(f"127.0.0.1:{grpc_port}")
    running_before = metrics.value(server.port, "tern_batches_total", model="minilm")
    thread = threading.Thread(target=lambda: client.infer("minilm", minilm_input(rows, tokens), client_timeout=120))
    thread.start()
    metrics.wait_for(server.port, lambda port: metrics.value(port, "tern_running_inputs", model="minilm") >= 1,
                     what="the busy request running")
    return thread, running_before


def test_an_expired_deadline_never_reaches_the_model(served, triton):
    server, _ = served
    thread, _ = busy(served)
    executions = triton.get_inference_statistics("minilm").model_stats[0].execution_count
    timeouts = metrics.value(server.port, "tern_requests_rejected_total", model="minilm", reason="timeout")
    for client_timeout in (0.001, 0.3):
        status, _ = status_of(lambda: triton.infer("minilm", minilm_input(1, 8), client_timeout=client_timeout))
        assert status == "StatusCode.DEADLINE_EXCEEDED"
    thread.join(timeout=120)
    after = triton.get_inference_statistics("minilm").model_stats[0].execution_count
    assert after == executions + 1 or after == executions, "a request past its deadline ran on the model"
    # The 0.3 s call reached the queue behind the busy one and was dropped there, as a timeout.
    metrics.wait_for(server.port, lambda port: metrics.value(
        port, "tern_requests_rejected_total", model="minilm", reason="timeout") >= timeouts + 1,
        what="the queued call counted as a timeout")


def test_a_cancelled_stream_leaves_no_work_behind(served):
    server, grpc_port = served
    thread, _ = busy(served)
    cancelled = metrics.value(server.port, "tern_requests_rejected_total", model="minilm", reason="cancelled")
    client = grpcclient.InferenceServerClient(f"127.0.0.1:{grpc_port}")
    client.start_stream(callback=lambda result, error: None)
    for index in range(10):
        client.async_stream_infer("minilm", minilm_input(16, 128), request_id=f"c{index}")
    metrics.wait_for(server.port, lambda port: metrics.value(port, "tern_queued_inputs", model="minilm") >= 10,
                     what="the stream's requests queued")
    client.stop_stream(cancel_requests=True)
    client.close()
    metrics.wait_for(server.port, lambda port: metrics.value(
        port, "tern_requests_rejected_total", model="minilm", reason="cancelled") >= cancelled + 10,
        what="the stream's queued requests cancelled")
    assert metrics.value(server.port, "tern_queued_inputs", model="minilm") == 0
    thread.join(timeout=120)


# --- repository ----------------------------------------------------------------------------------------------

def test_repository_index_unload_load_and_reload_under_traffic(triton, served):
    entries = {m.name: m for m in triton.get_model_repository_index().models}
    assert entries["versioned"].version == "2" and entries["versioned"].state == "READY"
    stop_flag, failures, ok = threading.Event(), [], []
    a = np.arange(8, dtype=np.float32).reshape(2, 4)

    def hammer():
        client = grpcclient.InferenceServerClient(f"127.0.0.1:{served[1]}")
        inputs = [grpcclient.InferInput("a", [2, 4], "FP32"), grpcclient.InferInput("b", [2, 4], "FP32")]
        inputs[0].set_data_from_numpy(a)
        inputs[1].set_data_from_numpy(a)
        while not stop_flag.is_set():
            try:
                result = client.infer("add_sub", inputs)
                (ok if np.array_equal(result.as_numpy("sum"), 2 * a) else failures).append(1)
            except InferenceServerException as error:
                failures.append(error)
        client.close()

    threads = [threading.Thread(target=hammer) for _ in range(3)]
    for thread in threads:
        thread.start()
    try:
        for _ in range(3):
            triton.unload_model("identity_fp32")
            assert not triton.is_model_ready("identity_fp32")
            assert status_of(lambda: identity(triton, "FP32"))[0] in ("StatusCode.NOT_FOUND", "StatusCode.UNAVAILABLE")
            assert {m.name: m for m in triton.get_model_repository_index().models}["identity_fp32"].state == "UNAVAILABLE"
            triton.load_model("identity_fp32")
            data, result = identity(triton, "FP32")
            assert np.array_equal(result.as_numpy("OUTPUT0"), data)
        triton.load_model("identity_fp32")  # a reload of a loaded model
    finally:
        stop_flag.set()
        for thread in threads:
            thread.join(timeout=60)
    assert failures == [] and len(ok) > 10
    assert status_of(lambda: triton.load_model("no_such_model"))[0] == "StatusCode.NOT_FOUND"
    status, message = status_of(lambda: triton.load_model("versioned", config='{"backend": "onnxruntime"}'))
    assert status == "StatusCode.INVALID_ARGUMENT" and "config" in message


# --- health service and API keys -----------------------------------------------------------------------------

def health_check(port: int, service: str = "", metadata=()) -> bytes:
    """grpc.health.v1.Health/Check with a hand-encoded HealthCheckRequest; the raw HealthCheckResponse."""
    request = b"" if not service else b"\x0a" + bytes([len(service)]) + service.encode()
    with grpc.insecure_channel(f"127.0.0.1:{port}") as channel:
        check = channel.unary_unary("/grpc.health.v1.Health/Check", request_serializer=lambda x: x,
                                    response_deserializer=lambda x: x)
        return check(request, timeout=10, metadata=metadata)


def test_the_grpc_health_service_says_serving(served):
    assert health_check(served[1]) == b"\x08\x01"  # status: SERVING
    assert health_check(served[1], "inference.GRPCInferenceService") == b"\x08\x01"
    with pytest.raises(grpc.RpcError) as error:
        health_check(served[1], "other.Service")
    assert error.value.code() == grpc.StatusCode.NOT_FOUND


def test_api_keys_are_bearer_metadata(tmp_path):
    grpc_port = free_port()
    server = start(copy_repository(tmp_path / "repository"), "--grpc-port", str(grpc_port), "--api-key", "sekrit")
    try:
        client = grpcclient.InferenceServerClient(f"127.0.0.1:{grpc_port}")
        status, message = status_of(lambda: client.get_server_metadata())
        assert status == "StatusCode.UNAUTHENTICATED" and "Bearer" in message
        status, _ = status_of(lambda: client.get_server_metadata(headers={"authorization": "Bearer wrong"}))
        assert status == "StatusCode.UNAUTHENTICATED"
        assert client.get_server_metadata(headers={"authorization": "Bearer sekrit"}).name == "tern"
        assert health_check(grpc_port) == b"\x08\x01"  # probes need no key
        client.close()
    finally:
        stop(server)


# --- text models over v2 -------------------------------------------------------------------------------------

def test_a_text_model_answers_over_grpc_and_http_v2_with_the_vectors_of_v1_embeddings():
    """--model MiniLM appears over v2 as `text` BYTES [-1] -> `embedding` FP32 [-1, 384]: over gRPC and over HTTP
    the vectors equal /v1/embeddings' (base64, so exact) bit for bit."""
    import base64
    import tritonclient.http as httpclient
    from reference import MODELS_DIR
    from tern_process import TernProcess

    grpc_port = free_port()
    server = TernProcess("--grpc-port", str(grpc_port), models=[MODELS_DIR / "all-MiniLM-L6-v2"]).start()
    try:
        texts = ["A man is eating food.", "Ünïcödé and emoji 🙂", "x" * 2000]
        response = raw_http.post_json(
            server.port, {"input": texts, "model": "all-MiniLM-L6-v2", "encoding_format": "base64"}, path="/v1/embeddings")
        assert response.status == 200, response.body[:300]
        expected = np.stack([np.frombuffer(base64.b64decode(item["embedding"]), dtype="<f4")
                             for item in response.json()["data"]])
        client = grpcclient.InferenceServerClient(f"127.0.0.1:{grpc_port}")
        metadata = client.get_model_metadata("all-MiniLM-L6-v2")
        assert [(t.name, t.datatype, list(t.shape)) for t in metadata.inputs] == [("text", "BYTES", [-1])]
        assert [(t.name, t.datatype, list(t.shape)) for t in metadata.outputs] == [("embedding", "FP32", [-1, 384])]
        inp = grpcclient.InferInput("text", [len(texts)], "BYTES")
        inp.set_data_from_numpy(np.array([t.encode() for t in texts], dtype=np.object_))
        got = client.infer("all-MiniLM-L6-v2", [inp]).as_numpy("embedding")
        assert got.shape == (3, 384) and np.max(np.abs(got - expected)) == 0
        bad = grpcclient.InferInput("text", [1], "BYTES")
        bad.set_data_from_numpy(np.array([b"\xff\xfe"], dtype=np.object_))
        status, message = status_of(lambda: client.infer("all-MiniLM-L6-v2", [bad]))
        assert status == "StatusCode.INVALID_ARGUMENT" and "UTF-8" in message
        client.close()
        with httpclient.InferenceServerClient(f"127.0.0.1:{server.port}") as http:
            hinp = httpclient.InferInput("text", [len(texts)], "BYTES")
            hinp.set_data_from_numpy(np.array([t.encode() for t in texts], dtype=np.object_), binary_data=True)
            over_http = http.infer("all-MiniLM-L6-v2", [hinp]).as_numpy("embedding")
        assert np.max(np.abs(over_http - expected)) == 0
    finally:
        assert server.stop() == 0


def test_grpc_calls_are_counted_and_drained_on_sigterm(tmp_path):
    """`tern_grpc_requests_total{method,code}` counts calls; SIGTERM while a call runs: the call is answered, new
    calls are refused, and the process exits 0."""
    import signal

    grpc_port = free_port()
    server = start(copy_repository(tmp_path / "repository"), "--grpc-port", str(grpc_port))
    client = grpcclient.InferenceServerClient(f"127.0.0.1:{grpc_port}")
    identity(client, "FP32")
    assert metrics.value(server.port, "tern_grpc_requests_total", method="ModelInfer", code="OK") >= 1
    status_of(lambda: client.infer("no_such_model", [fp32_input()]))
    assert metrics.value(server.port, "tern_grpc_requests_total", method="ModelInfer", code="NOT_FOUND") >= 1
    outcome = {}

    def long_call():
        try:
            result = client.infer("minilm", minilm_input(48, 256), client_timeout=120)
            outcome["shape"] = result.as_numpy("last_hidden_state").shape
        except InferenceServerException as error:
            outcome["error"] = error

    thread = threading.Thread(target=long_call)
    thread.start()
    metrics.wait_for(server.port, lambda port: metrics.value(port, "tern_running_inputs", model="minilm") >= 1,
                     what="the long call running")
    server.process.send_signal(signal.SIGTERM)
    thread.join(timeout=120)
    assert outcome.get("shape") == (48, 256, 384), outcome
    assert server.process.wait(timeout=60) == 0, server.stderr_tail()
    client.close()
