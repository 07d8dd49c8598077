"""/tokenize and /decode in text-embeddings-inference's shapes, checked against the `tokenizers` package on the
served model's own tokenizer.json, their errors, and `tern tokenize` printing the same tokens as the route."""

import json
import subprocess

import pytest
from tokenizers import Tokenizer

from classifier_reference import CROSS_ENCODER, EMBEDDING_MODEL_ID
from reference import DEFAULT_MODEL_DIR
from tei_api import assert_tei_error, call, post
from tern_process import binary_path

TEXTS = [
    "The cat sat on the mat.",
    "Héllo wörld, naïve café!",
    "机器学习是人工智能的一个分支。",
    "Emoji 👩‍👩‍👧 and  double  spaces\tand tabs",
    "Привет, мир! Γειά σου κόσμε.",
]


@pytest.fixture(scope="module")
def reference() -> Tokenizer:
    tokenizer = Tokenizer.from_file(str(DEFAULT_MODEL_DIR / "tokenizer.json"))
    tokenizer.no_truncation()
    tokenizer.no_padding()
    return tokenizer


def expected_tokens(tokenizer: Tokenizer, text: str, add_special_tokens: bool = True) -> list[dict]:
    """TEI's SimpleToken list: special tokens carry their own text and no span; the others the text they cover
    (offsets in characters, which for Python strings are Unicode scalars)."""
    encoding = tokenizer.encode(text, add_special_tokens=add_special_tokens)
    tokens = []
    for token_id, token, (start, stop), special in zip(
        encoding.ids, encoding.tokens, encoding.offsets, encoding.special_tokens_mask
    ):
        if special:
            tokens.append({"id": token_id, "text": token, "special": True, "start": None, "stop": None})
        else:
            tokens.append({"id": token_id, "text": text[start:stop], "special": False, "start": start, "stop": stop})
    return tokens


def test_tokenize_single_string_matches_tokenizers(port, reference):
    for text in TEXTS:
        assert call(port, "/tokenize", {"inputs": text}) == [expected_tokens(reference, text)], text


def test_tokenize_batch_and_without_special_tokens(port, reference):
    body = call(port, "/tokenize", {"inputs": TEXTS, "add_special_tokens": False})
    assert body == [expected_tokens(reference, text, add_special_tokens=False) for text in TEXTS]


def test_tokenize_does_not_truncate(port, reference):
    text = " ".join(f"word{i}" for i in range(400))  # well over the model's 256 tokens
    body = call(port, "/tokenize", {"inputs": text})
    assert len(body[0]) > 256
    assert body == [expected_tokens(reference, text)]


def test_decode_matches_tokenizers(port, reference):
    ids = [reference.encode(text).ids for text in TEXTS]
    assert call(port, "/decode", {"ids": ids[1]}) == [reference.decode(ids[1], skip_special_tokens=True)]
    assert call(port, "/decode", {"ids": ids}) == reference.decode_batch(ids, skip_special_tokens=True)
    kept = call(port, "/decode", {"ids": ids, "skip_special_tokens": False})
    assert kept == reference.decode_batch(ids, skip_special_tokens=False)
    assert kept[0].startswith("[CLS]")


def test_named_model_uses_its_own_tokenizer(multi_port):
    tokenizer = Tokenizer.from_file(str(CROSS_ENCODER.directory / "tokenizer.json"))
    tokenizer.no_truncation()
    tokenizer.no_padding()
    text = "A tiny cross-encoder has its own vocabulary."
    body = call(multi_port, f"/models/{CROSS_ENCODER.id}/tokenize", {"inputs": text})
    assert body == [expected_tokens(tokenizer, text)]
    ids = tokenizer.encode(text).ids
    assert call(multi_port, f"/models/{CROSS_ENCODER.id}/decode", {"ids": ids}) == [tokenizer.decode(ids)]
    minilm = Tokenizer.from_file(str(DEFAULT_MODEL_DIR / "tokenizer.json"))
    minilm.no_truncation()
    minilm.no_padding()
    assert call(multi_port, f"/models/{EMBEDDING_MODEL_ID}/tokenize", {"inputs": text}) == [
        expected_tokens(minilm, text)
    ]


@pytest.mark.parametrize(
    ("path", "payload", "status", "error_type"),
    [
        ("/tokenize", {"inputs": []}, 400, "Empty"),
        ("/tokenize", {}, 422, "Validation"),
        ("/tokenize", {"inputs": 5}, 422, "Validation"),
        ("/tokenize", {"inputs": ["a"] * 513}, 413, "Validation"),
        ("/decode", {"ids": []}, 400, "Empty"),
        ("/decode", {"ids": [101, 999999]}, 422, "Validation"),
        ("/decode", {"ids": [[101], [-1]]}, 422, "Validation"),
        ("/decode", {"ids": "101"}, 422, "Validation"),
        ("/models/nope/tokenize", {"inputs": "x"}, 404, None),
    ],
)
def test_tokenize_and_decode_errors(port, path, payload, status, error_type):
    assert_tei_error(post(port, path, payload), status, error_type)


def test_cli_prints_what_the_route_returns(port):
    arguments = [str(binary_path()), "tokenize", "--model", str(DEFAULT_MODEL_DIR), "--format", "json", *TEXTS]
    printed = subprocess.run(arguments, capture_output=True, check=True, text=True, timeout=60).stdout.splitlines()
    assert [json.loads(line) for line in printed] == call(port, "/tokenize", {"inputs": TEXTS})


def test_cli_reads_standard_input_and_prints_ids(reference):
    arguments = [str(binary_path()), "tokenize", "--tokenizer", str(DEFAULT_MODEL_DIR / "tokenizer.json"),
                 "--format", "ids", "--no-special-tokens"]
    printed = subprocess.run(arguments, input="\n".join(TEXTS) + "\n", capture_output=True, check=True, text=True,
                             timeout=60).stdout.splitlines()
    assert printed == [" ".join(map(str, reference.encode(text, add_special_tokens=False).ids)) for text in TEXTS]


def test_cli_needs_exactly_one_source():
    result = subprocess.run([str(binary_path()), "tokenize", "x"], capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert "--model" in result.stderr and "--tokenizer" in result.stderr
