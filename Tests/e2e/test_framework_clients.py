"""The framework adapters users put in front of an embedding server, unmodified, against Tern: litellm's
`cohere/`, `infinity/`, `hosted_vllm/` and `openai/` providers, haystack's OpenAI embedders and llama-index's
`OpenAIEmbedding` with their default model names, langchain-cohere's `CohereRerank` and `CohereEmbeddings`,
langchain-openai's `OpenAIEmbeddings` (with `check_embedding_ctx_length=False`, the setting docs/api.md gives: its
default tokenizes with tiktoken, whose encodings come from the internet). Results are checked against the
references."""

import os

import numpy as np
import pytest

from classifier_reference import CROSS_ENCODER, EMBEDDING_MODEL_ID
from embeddings_api import max_abs_diff
from tei_api import TOLERANCE

# litellm fetches its model price list at import unless told to use the copy it ships; haystack sends telemetry.
os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
os.environ.setdefault("HAYSTACK_TELEMETRY_ENABLED", "False")
import litellm  # noqa: E402
from haystack import Document as HaystackDocument  # noqa: E402
from haystack.components.embedders import OpenAIDocumentEmbedder, OpenAITextEmbedder  # noqa: E402
from haystack.utils import Secret  # noqa: E402
from langchain_cohere import CohereEmbeddings, CohereRerank  # noqa: E402
from langchain_core.documents import Document  # noqa: E402
from langchain_openai import OpenAIEmbeddings  # noqa: E402
from llama_index.embeddings.openai import OpenAIEmbedding  # noqa: E402

TEXTS = ["The cat sat on the mat.", "Où est la gare ?", "Quarterly revenue rose by four percent."]
QUERY = "Where is the train station?"


def _base(port: int) -> str:
    return f"http://127.0.0.1:{port}"


def _check_ranking(results, classifiers, top_n: int, index=lambda item: item["index"],
                   score=lambda item: item["relevance_score"]):
    expected = classifiers[CROSS_ENCODER.id].rerank(QUERY, TEXTS)[:top_n]
    assert [index(item) for item in results] == [item["index"] for item in expected]
    for item, reference in zip(results, expected):
        assert abs(score(item) - reference["score"]) < TOLERANCE


@pytest.mark.parametrize("provider", ["cohere", "infinity", "hosted_vllm"])
def test_litellm_rerank(multi_port, classifiers, provider):
    response = litellm.rerank(
        model=f"{provider}/rerank-english-v3.0", query=QUERY, documents=TEXTS, top_n=2,
        api_base=_base(multi_port), api_key="unused")
    _check_ranking(response.results, classifiers, 2)


def test_litellm_infinity_embedding(multi_port, reference):
    response = litellm.embedding(
        model=f"infinity/{EMBEDDING_MODEL_ID}", input=TEXTS, api_base=_base(multi_port), api_key="unused")
    vectors = np.asarray([item["embedding"] for item in response.data], dtype=np.float32)
    assert max_abs_diff(vectors, reference.embed_all(TEXTS)) < 1e-4


def test_litellm_openai_compatible_embedding_with_a_cloud_model_name(multi_port, reference):
    response = litellm.embedding(
        model="openai/text-embedding-3-small", input=TEXTS[:2], api_base=f"{_base(multi_port)}/v1", api_key="unused")
    vectors = np.asarray([item["embedding"] for item in response.data], dtype=np.float32)
    assert max_abs_diff(vectors, reference.embed_all(TEXTS[:2])) < 1e-4


def test_langchain_cohere_rerank(multi_port, classifiers):
    reranker = CohereRerank(model="rerank-v3.5", base_url=_base(multi_port), cohere_api_key="unused", top_n=2)
    documents = reranker.compress_documents([Document(page_content=text) for text in TEXTS], QUERY)
    _check_ranking(documents, classifiers, 2, index=lambda doc: TEXTS.index(doc.page_content),
                   score=lambda doc: doc.metadata["relevance_score"])


def test_langchain_cohere_embeddings(port, reference):
    embedder = CohereEmbeddings(model="embed-english-v3.0", base_url=_base(port), cohere_api_key="unused")
    vectors = np.asarray(embedder.embed_documents(TEXTS), dtype=np.float32)
    assert max_abs_diff(vectors, reference.embed_all(TEXTS)) < 1e-4
    query = np.asarray(embedder.embed_query(QUERY), dtype=np.float32)
    assert max_abs_diff(query[None, :], reference.embed_all([QUERY])) < 1e-4


def test_langchain_openai_embeddings_without_tiktoken(multi_port, reference):
    embedder = OpenAIEmbeddings(
        model="text-embedding-3-small", base_url=f"{_base(multi_port)}/v1", api_key="unused",
        check_embedding_ctx_length=False)
    vectors = np.asarray(embedder.embed_documents(TEXTS), dtype=np.float32)
    assert max_abs_diff(vectors, reference.embed_all(TEXTS)) < 1e-4


def test_haystack_openai_embedders_with_their_default_model(multi_port, reference):
    # Their default model is text-embedding-3-small: on a server of several models it reaches the only embedder.
    api_base = f"{_base(multi_port)}/v1"
    text = OpenAITextEmbedder(api_key=Secret.from_token("unused"), api_base_url=api_base).run(text=TEXTS[0])
    assert max_abs_diff(np.asarray([text["embedding"]], dtype=np.float32), reference.embed_all(TEXTS[:1])) < 1e-4
    documents = OpenAIDocumentEmbedder(api_key=Secret.from_token("unused"), api_base_url=api_base).run(
        documents=[HaystackDocument(content=content) for content in TEXTS])["documents"]
    vectors = np.asarray([document.embedding for document in documents], dtype=np.float32)
    assert max_abs_diff(vectors, reference.embed_all(TEXTS)) < 1e-4


def test_llama_index_openai_embedding_with_its_default_model(multi_port, reference):
    # Its default model is text-embedding-ada-002: on a server of several models it reaches the only embedder.
    embedder = OpenAIEmbedding(api_base=f"{_base(multi_port)}/v1", api_key="unused", max_retries=0)
    vectors = np.asarray(embedder.get_text_embedding_batch(TEXTS), dtype=np.float32)
    assert max_abs_diff(vectors, reference.embed_all(TEXTS)) < 1e-4
    query = np.asarray(embedder.get_query_embedding(QUERY), dtype=np.float32)
    assert max_abs_diff(query[None, :], reference.embed_all([QUERY])) < 1e-4
