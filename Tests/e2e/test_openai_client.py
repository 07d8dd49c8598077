"""The official `openai` client against the shared server: every input shape, both encodings, dimensions,
the echoed model name, usage counts and `/v1/models`."""

import base64

import numpy as np

from conftest import MODEL_ID
from embeddings_api import max_abs_diff
from reference import l2_normalize

TOLERANCE = 1e-5
TEXTS = ["The cat sat on the mat.", "Où est la gare ?", "机器学习是人工智能的一个分支。"]
LONG_TEXT = " ".join(["overflow"] * 400)  # far past 256 tokens


def floats(client, inputs, **options) -> tuple[np.ndarray, object]:
    response = client.embeddings.create(model=MODEL_ID, input=inputs, encoding_format="float", **options)
    return np.asarray([item.embedding for item in response.data], dtype=np.float32), response


def test_string_input(client, reference):
    vectors, response = floats(client, TEXTS[0])
    assert response.object == "list"
    assert len(response.data) == 1 and response.data[0].index == 0 and response.data[0].object == "embedding"
    assert vectors.shape == (1, 384)
    assert max_abs_diff(vectors[0], reference.embed(TEXTS[0])) <= TOLERANCE


def test_list_input_keeps_order(client, reference):
    vectors, response = floats(client, TEXTS)
    assert [item.index for item in response.data] == [0, 1, 2]
    assert max_abs_diff(vectors, reference.embed_all(TEXTS)) <= TOLERANCE


def test_token_ids_with_specials_equal_the_text(client, reference):
    ids = reference.token_ids(TEXTS[0])
    assert ids[0] == 101 and ids[-1] == 102
    from_ids, response = floats(client, ids)
    from_text, _ = floats(client, TEXTS[0])
    assert len(response.data) == 1
    assert max_abs_diff(from_ids, from_text) <= TOLERANCE
    assert response.usage.prompt_tokens == len(ids)


def test_token_ids_are_used_as_given_without_added_specials(client, reference):
    bare = reference.token_ids(TEXTS[0])[1:-1]
    vectors, response = floats(client, bare)
    assert response.usage.prompt_tokens == len(bare), "no [CLS]/[SEP] may be added to token id input"
    assert max_abs_diff(vectors[0], reference.embed_ids(bare)) <= TOLERANCE
    assert max_abs_diff(vectors[0], reference.embed(TEXTS[0])) > 1e-3, "bare ids must not embed like the text"


def test_list_of_token_id_lists(client, reference):
    id_lists = [reference.token_ids(text) for text in TEXTS]
    vectors, response = floats(client, id_lists)
    assert [item.index for item in response.data] == [0, 1, 2]
    assert max_abs_diff(vectors, reference.embed_all(TEXTS)) <= TOLERANCE
    assert response.usage.prompt_tokens == sum(len(ids) for ids in id_lists)


def test_long_token_ids_are_truncated_to_256(client, reference):
    ids = [101] + [2742] * 500 + [102]
    vectors, response = floats(client, ids)
    assert response.usage.prompt_tokens == 256
    assert max_abs_diff(vectors[0], reference.embed_ids(ids[:256])) <= TOLERANCE


def test_default_encoding_is_base64_decoded_by_the_client(client):
    # Without encoding_format the client asks for base64 and decodes it to floats itself.
    decoded = client.embeddings.create(model=MODEL_ID, input=TEXTS)
    as_floats, _ = floats(client, TEXTS)
    vectors = np.asarray([item.embedding for item in decoded.data], dtype=np.float32)
    assert np.array_equal(vectors, as_floats), f"max abs diff {max_abs_diff(vectors, as_floats):.3g}"


def test_explicit_base64_is_little_endian_float32(client):
    response = client.embeddings.create(model=MODEL_ID, input=TEXTS, encoding_format="base64")
    as_floats, _ = floats(client, TEXTS)
    for row, item in enumerate(response.data):
        assert isinstance(item.embedding, str), "with encoding_format=base64 the embedding is a base64 string"
        raw = base64.b64decode(item.embedding, validate=True)
        assert len(raw) == 384 * 4
        decoded = np.frombuffer(raw, dtype="<f4")
        assert np.array_equal(decoded, as_floats[row]), f"max abs diff {max_abs_diff(decoded, as_floats[row]):.3g}"


def test_dimensions_keeps_first_components_renormalised(client, reference):
    full = reference.embed(TEXTS[1])
    for dimensions in (1, 64, 383, 384):
        vectors, _ = floats(client, TEXTS[1], dimensions=dimensions)
        assert vectors.shape == (1, dimensions)
        assert abs(np.linalg.norm(vectors[0].astype(np.float64)) - 1.0) <= 1e-5
        expected = l2_normalize(full[:dimensions].astype(np.float64))
        assert max_abs_diff(vectors[0], expected) <= TOLERANCE, f"dimensions={dimensions}"


def test_dimensions_with_base64(client):
    response = client.embeddings.create(model=MODEL_ID, input=TEXTS, dimensions=32, encoding_format="base64")
    as_floats, _ = floats(client, TEXTS, dimensions=32)
    for row, item in enumerate(response.data):
        decoded = np.frombuffer(base64.b64decode(item.embedding), dtype="<f4")
        assert decoded.shape == (32,)
        assert np.array_equal(decoded, as_floats[row])


def test_model_name_is_echoed_as_given(client):
    for name in ("text-embedding-3-small", MODEL_ID, "anything/else:v2"):
        response = client.embeddings.create(model=name, input="hello", encoding_format="float")
        assert response.model == name


def test_user_is_accepted_and_ignored(client):
    with_user, _ = floats(client, TEXTS[0], user="someone")
    without_user, _ = floats(client, TEXTS[0])
    assert np.array_equal(with_user, without_user)


def test_usage_counts_reference_tokens_including_truncation(client, reference):
    inputs = [*TEXTS, LONG_TEXT]
    counts = [len(reference.token_ids(text)) for text in inputs]
    assert counts[-1] == 256
    _, response = floats(client, inputs)
    assert response.usage.prompt_tokens == sum(counts)
    assert response.usage.total_tokens == sum(counts)


def test_long_text_is_truncated_to_256_tokens(client, reference):
    vectors, response = floats(client, LONG_TEXT)
    assert response.usage.prompt_tokens == 256
    assert max_abs_diff(vectors[0], reference.embed(LONG_TEXT)) <= TOLERANCE


def test_models_list(client):
    models = client.models.list()
    listed = list(models)
    assert len(listed) == 1
    model = listed[0]
    assert model.id == MODEL_ID
    assert model.object == "model"
    assert model.owned_by == "tern"
    assert isinstance(model.created, int) and model.created > 0
