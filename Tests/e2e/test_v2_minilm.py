"""all-MiniLM-L6-v2 served as a raw model (`task: raw`) through `/v2/models/minilm/infer`: `last_hidden_state`
for tokenizer-made `input_ids`/`attention_mask`/`token_type_ids` equals ONNX Runtime's in Python on the same
inputs, sent as JSON or as binary data, alone or concurrently with other requests (which the scheduler may batch)."""

from concurrent.futures import ThreadPoolExecutor

import numpy as np
import onnxruntime
import pytest
import tritonclient.http as httpclient
from tokenizers import Tokenizer

from reference import DEFAULT_MODEL_DIR
from v2_support import REPOSITORY, client

SENTENCES = [
    "The quick brown fox jumps over the lazy dog.",
    "Tern serves any ONNX model over the KServe v2 protocol.",
    "short",
    "Ünïcödé text, numbers 12345 and punctuation!?",
]
TOLERANCE = 2e-4


@pytest.fixture(scope="module")
def encode():
    tokenizer = Tokenizer.from_file(str(DEFAULT_MODEL_DIR / "tokenizer.json"))
    tokenizer.enable_padding()

    def encode(sentences):
        encodings = tokenizer.encode_batch(sentences)
        return {
            "input_ids": np.array([e.ids for e in encodings], dtype=np.int64),
            "attention_mask": np.array([e.attention_mask for e in encodings], dtype=np.int64),
            "token_type_ids": np.array([e.type_ids for e in encodings], dtype=np.int64),
        }

    return encode


@pytest.fixture(scope="module")
def session():
    return onnxruntime.InferenceSession(str(REPOSITORY / "minilm" / "1" / "model.onnx"),
                                        providers=["CPUExecutionProvider"])


def served(triton, feeds, binary: bool) -> np.ndarray:
    inputs = []
    for name, array in feeds.items():
        inp = httpclient.InferInput(name, list(array.shape), "INT64")
        inp.set_data_from_numpy(array, binary_data=binary)
        inputs.append(inp)
    output = httpclient.InferRequestedOutput("last_hidden_state", binary_data=binary)
    return triton.infer("minilm", inputs, outputs=[output]).as_numpy("last_hidden_state")


def test_metadata_names_the_raw_inputs(triton):
    metadata = triton.get_model_metadata("minilm")
    assert {i["name"]: (i["datatype"], i["shape"]) for i in metadata["inputs"]} == {
        "input_ids": ("INT64", [-1, -1]), "attention_mask": ("INT64", [-1, -1]), "token_type_ids": ("INT64", [-1, -1])}
    assert metadata["outputs"] == [{"name": "last_hidden_state", "datatype": "FP32", "shape": [-1, -1, 384]}]


@pytest.mark.parametrize("binary", [False, True])
def test_last_hidden_state_equals_onnxruntime(triton, encode, session, binary, measure):
    feeds = encode(SENTENCES)
    expected = session.run(["last_hidden_state"], feeds)[0]
    got = served(triton, feeds, binary)
    assert got.shape == expected.shape
    difference = float(np.max(np.abs(got - expected)))
    measure(f"v2 MiniLM raw vs onnxruntime (binary={binary}): max |diff| {difference:.2e} over {got.size} values")
    assert difference <= TOLERANCE


def test_concurrent_requests_each_get_their_own_rows(v2_server, encode, session):
    batches = [[s] for s in SENTENCES] * 4 + [SENTENCES[:2], SENTENCES[2:]] * 2

    def one(sentences):
        feeds = encode(sentences)
        with client(v2_server) as own:
            return served(own, feeds, binary=True), session.run(["last_hidden_state"], feeds)[0]

    with ThreadPoolExecutor(max_workers=8) as pool:
        for got, expected in pool.map(one, batches):
            assert got.shape == expected.shape
            assert float(np.max(np.abs(got - expected))) <= TOLERANCE
