#!/usr/bin/env python3
"""Reference data for the Swift `Tokenizers` module's tokenizer zoo (byte-level BPE, Split regexes, SentencePiece
Unigram), produced with Hugging Face `tokenizers` 0.23.3.

Usage (from the repository root, after scripts/fetch-tokenizer-models):

    .venv/bin/python scripts/gen_tokenizer_zoo_fixtures.py fixtures [VARIANT...]
        Writes Tests/TokenizersTests/Fixtures/zoo-<variant>-expected.jsonl for GPT-2, DeepSeek-V3,
        multilingual-e5-small, DeBERTa-v3 and variants of them (RoBERTa-style processing, trimmed offsets, "a b"
        merges, no regex, Llama 3's regex, Split behaviours, byte fallback, Metaspace schemes). The first line,
        {"model": ..., "patch": ...}, says what the Swift test applies to models/<model>/tokenizer.json; then one line
        per text: a digest of the single text's encoding (ids, type ids, special-tokens mask, offsets) and, for some
        variants, of the pair with the next text. The texts are the corpus lines, then EXTRA_TEXTS, whose records
        hold the text and its encoding in full. Digests keep the fixtures small with 5,000+ corpus lines.

    .venv/bin/python scripts/gen_tokenizer_zoo_fixtures.py regex-tables
        Writes Sources/Tokenizers/Unicode/RegexPropertyData.swift: which code points Oniguruma's \\p{L}, \\p{N}, \\s,
        \\w and the other classes match inside `tokenizers`' regexes, probed through the library itself.
"""

import copy
import json
import pathlib
import sys

import tokenizers
from tokenizers import Tokenizer

ROOT = pathlib.Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "Tests" / "TokenizersTests" / "Fixtures"
GPT2_JSON = ROOT / "models" / "gpt2" / "tokenizer.json"
REGEX_SWIFT = ROOT / "Sources" / "Tokenizers" / "Unicode" / "RegexPropertyData.swift"

EXPECTED_VERSION = "0.23.3"


def added_token(id_, content, lstrip=False, rstrip=False, single_word=False, special=True):
    return {"id": id_, "content": content, "single_word": single_word, "lstrip": lstrip, "rstrip": rstrip,
            "normalized": False, "special": special}


def byte_level(add_prefix_space, trim_offsets=True, use_regex=True):
    return {"type": "ByteLevel", "add_prefix_space": add_prefix_space, "trim_offsets": trim_offsets,
            "use_regex": use_regex}


MERGES_AS_STRINGS = "merges_as_strings"
"""A patch key that is no tokenizer.json field: rewrite the merges from [a, b] pairs to the older "a b" strings."""

MODEL_OPTIONS = "model_options"
"""A patch key that is no tokenizer.json field: fields to set inside "model" (which is too large to repeat)."""


def patched(base, patch):
    config = copy.deepcopy(base)
    config.update({key: value for key, value in patch.items() if key not in (MERGES_AS_STRINGS, MODEL_OPTIONS)})
    config["model"].update(patch.get(MODEL_OPTIONS, {}))
    if patch.get(MERGES_AS_STRINGS):
        config["model"]["merges"] = [" ".join(pair) for pair in config["model"]["merges"]]
    return config


LLAMA3_PATTERN = (r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}"
                  r"| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+")
"""Llama 3's split regex, to exercise the regex engine on GPT-2's vocabulary."""


EXTRA_TEXTS = [
    "<|endoftext|>",
    "Hello<|endoftext|>world <|endoftext|> again<|endoftext|>",
    "<s>already wrapped</s>",
    "Fill the <mask> in, and  <mask>  twice:<mask>.",
    "<mask>",
    "   <mask>",
    "<｜begin\u2581of\u2581sentence｜>You are helpful.<｜User｜>Hi there!<｜Assistant｜>Hello!"
    "<｜end\u2581of\u2581sentence｜>",
    "<｜fim\u2581begin｜>def f(x):<｜fim\u2581hole｜>    return x<｜fim\u2581end｜>",
    "I'M SURE HE'S THERE, isn't it? We'LL see; they'd've",
    "'s 't 're 've 'm 'll 'd ''s '",
    "line one\nline two\r\n\r\nline three\n\n\n",
    "trailing spaces   ",
    "   leading spaces",
    "tabs\t\tand  double  spaces",
    "\u00a0nbsp start and\u3000ideographic",
    "1234567 12 3.14159 ١٢٣٤٥ ５６７",
    "中文字符测试，日本語のテキスト、カタカナ。",
    "emoji 🤗🤗 and 👨‍👩‍👧‍👦 family",
]
"""Hand-written lines for the BPE tokenizers: their special tokens, contractions and whitespace handling."""


def split_then_bytes(pattern, behavior, invert=False):
    return {"pre_tokenizer": {"type": "Sequence", "pretokenizers": [
        {"type": "Split", "pattern": pattern, "behavior": behavior, "invert": invert},
        byte_level(False, use_regex=False)]}}


def variants(gpt2):
    """Name to (model directory, patch of its tokenizer.json, whether to record pairs)."""
    roberta_tokens = [added_token(50257, "<s>"), added_token(50258, "</s>"), added_token(50259, "<mask>", lstrip=True)]
    words = {"Regex": r"\s+|[.,;:!?]"}
    return {
        "gpt2": ("gpt2", {}, True),
        "roberta": ("gpt2", {
            "pre_tokenizer": byte_level(True),
            "post_processor": {"type": "RobertaProcessing", "sep": ["</s>", 50258], "cls": ["<s>", 50257],
                               "trim_offsets": True, "add_prefix_space": True},
            "added_tokens": gpt2["added_tokens"] + roberta_tokens,
        }, True),
        "trimmed": ("gpt2", {"post_processor": byte_level(False, trim_offsets=True), MERGES_AS_STRINGS: True}, True),
        "noregex": ("gpt2", {"pre_tokenizer": byte_level(True, use_regex=False), "post_processor": byte_level(True)},
                    True),
        "llama3-regex": ("gpt2", split_then_bytes({"Regex": LLAMA3_PATTERN}, "Isolated"), False),
        "split-removed": ("gpt2", split_then_bytes(words, "Removed"), False),
        "split-previous": ("gpt2", split_then_bytes(words, "MergedWithPrevious"), False),
        "split-next": ("gpt2", split_then_bytes(words, "MergedWithNext"), False),
        "split-contiguous": ("gpt2", split_then_bytes(words, "Contiguous"), False),
        "split-inverted": ("gpt2", split_then_bytes({"String": "e"}, "Isolated", invert=True), False),
        "processor-sequence": ("gpt2", {"post_processor": {"type": "Sequence", "processors": [
            byte_level(False, trim_offsets=True),
            {"type": "TemplateProcessing",
             "single": [{"SpecialToken": {"id": "<|endoftext|>", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}}],
             "pair": [{"Sequence": {"id": "A", "type_id": 0}}, {"SpecialToken": {"id": "<|endoftext|>", "type_id": 0}},
                      {"Sequence": {"id": "B", "type_id": 1}}],
             "special_tokens": {"<|endoftext|>": {"id": "<|endoftext|>", "ids": [50256],
                                                  "tokens": ["<|endoftext|>"]}}}]}}, True),
        "deepseek": ("deepseek", {}, True),
        "multilingual-e5-small": ("multilingual-e5-small", {}, True),
        "deberta-v3": ("deberta-v3", {}, True),
        "deberta-v3-bytes": ("deberta-v3", {MODEL_OPTIONS: {"byte_fallback": True}, "decoder": {
            "type": "Sequence", "decoders": [
                {"type": "Replace", "pattern": {"String": "\u2581"}, "content": " "}, {"type": "ByteFallback"},
                {"type": "Fuse"}, {"type": "Strip", "content": " ", "start": 1, "stop": 0}]}}, False),
        "deberta-v3-first": ("deberta-v3", {"pre_tokenizer": {"type": "Metaspace", "replacement": "\u2581",
                                                              "prepend_scheme": "first", "split": False}}, False),
        "multilingual-e5-small-never": ("multilingual-e5-small", {
            "pre_tokenizer": {"type": "Metaspace", "replacement": "\u2581", "prepend_scheme": "never", "split": True},
            "decoder": {"type": "Metaspace", "replacement": "\u2581", "prepend_scheme": "never", "split": True}},
                                        False),
    }


def pair_digest(encoding):
    """FNV-1a (64-bit, hex) of "ids|type_ids|special_tokens_mask|offsets" with comma-separated numbers.

    Corpus lines are checked by digest only, to keep the fixtures small; the hand-written texts carry every value.
    """
    text = "|".join([",".join(map(str, encoding.ids)), ",".join(map(str, encoding.type_ids)),
                     ",".join(map(str, encoding.special_tokens_mask)), ",".join(map(str, offsets(encoding)))])
    value = 0xCBF29CE484222325
    for byte in text.encode("utf-8"):
        value = ((value ^ byte) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return f"{value:016x}"


def offsets(encoding):
    return [value for pair in encoding.offsets for value in pair]


def digits(values):
    assert all(0 <= v <= 9 for v in values), values
    return "".join(str(v) for v in values)


def fixtures():
    models = ["gpt2", "deepseek", "multilingual-e5-small", "deberta-v3"]
    for directory in models:
        if not (ROOT / "models" / directory / "tokenizer.json").exists():
            sys.exit(f"models/{directory}/tokenizer.json is missing: run scripts/fetch-tokenizer-models first")
    bases = {directory: json.loads((ROOT / "models" / directory / "tokenizer.json").read_text(encoding="utf-8"))
             for directory in models}
    with (FIXTURES / "corpus.jsonl").open(encoding="utf-8") as corpus_file:
        corpus = [json.loads(line)["text"] for line in corpus_file]
    corpus += EXTRA_TEXTS
    only = sys.argv[2:]
    for name, (directory, patch, with_pairs) in variants(bases["gpt2"]).items():
        if only and name not in only:
            continue
        tokenizer = Tokenizer.from_str(json.dumps(patched(bases[directory], patch)))
        tokenizer.no_padding()
        tokenizer.no_truncation()
        path = FIXTURES / f"zoo-{name}-expected.jsonl"
        with path.open("w", encoding="utf-8") as out:
            out.write(json.dumps({"model": directory, "patch": patch}, ensure_ascii=False) + "\n")
            for index, text in enumerate(corpus):
                single = tokenizer.encode(text)
                if index >= len(corpus) - len(EXTRA_TEXTS):
                    record = {"text": text, "ids": single.ids, "offsets": offsets(single),
                              "special": digits(single.special_tokens_mask)}
                else:
                    record = {"single": pair_digest(single)}
                if with_pairs:
                    record["pair"] = pair_digest(tokenizer.encode(text, corpus[(index + 1) % len(corpus)]))
                decoded = tokenizer.decode(single.ids, skip_special_tokens=False)
                if decoded != text:
                    record["decoded"] = decoded
                skipped = tokenizer.decode(single.ids, skip_special_tokens=True)
                if skipped != decoded:
                    record["decoded_skipping_special"] = skipped
                out.write(json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n")
        print(f"wrote {path} ({path.stat().st_size} bytes, {len(corpus)} lines)")


def code_points():
    return [cp for cp in range(0x110000) if not 0xD800 <= cp <= 0xDFFF]


PROPERTIES = [("letter", r"\p{L}"), ("uppercaseLetter", r"\p{Lu}"), ("lowercaseLetter", r"\p{Ll}"),
              ("titlecaseLetter", r"\p{Lt}"), ("modifierLetter", r"\p{Lm}"), ("otherLetter", r"\p{Lo}"),
              ("mark", r"\p{M}"), ("number", r"\p{N}"), ("decimalNumber", r"\p{Nd}"), ("punctuation", r"\p{P}"),
              ("symbol", r"\p{S}"), ("separator", r"\p{Z}"), ("whitespace", r"\s"), ("word", r"\w")]
"""Regex classes probed for RegexPropertyData.swift, in bit order."""


def regex_tables():
    """Finds the code points each regex class matches, as `tokenizers`' Oniguruma sees them.

    A Split pre-tokenizer with behaviour "removed" drops the matching characters; whatever no piece covers matched.
    """
    from tokenizers import Regex, pre_tokenizers

    points = code_points()
    chunk = 50000
    members = {}
    for name, pattern in PROPERTIES:
        splitter = pre_tokenizers.Split(Regex(pattern), "removed")
        matched = []
        for begin in range(0, len(points), chunk):
            part = points[begin:begin + chunk]
            covered = bytearray(len(part))
            for _, (start, end) in splitter.pre_tokenize_str("".join(chr(cp) for cp in part)):
                covered[start:end] = b"\x01" * (end - start)
            matched += [cp for index, cp in enumerate(part) if not covered[index]]
        members[name] = matched

    def ranges(values):
        result = []
        for cp in values:
            if result and result[-1][1] == cp - 1:
                result[-1][1] = cp
            else:
                result.append([cp, cp])
        words = [f"{a:x}" if a == b else f"{a:x}-{b:x}" for a, b in result]
        lines, line = [], ""
        for word in words:
            if len(line) + len(word) + 1 > 110:
                lines.append(line)
                line = ""
            line = f"{line} {word}" if line else word
        lines.append(line)
        return "\n".join("        " + line for line in lines)

    body = "".join(f"""    /// `{pattern}`.
    static let {name} = \"\"\"
{ranges(members[name])}
        \"\"\"
""" for name, pattern in PROPERTIES)
    generator = f"scripts/gen_tokenizer_zoo_fixtures.py regex-tables from tokenizers {tokenizers.__version__}"
    REGEX_SWIFT.write_text(f"""// Generated by {generator}.
// Do not edit by hand: regenerate instead.

/// The Unicode classes of `tokenizers`' Oniguruma regexes, probed code point by code point.
///
/// Sets are space-separated hexadecimal code points or `first-last` ranges.
enum RegexPropertyData {{
{body}}}
""", encoding="utf-8")
    print(f"wrote {REGEX_SWIFT}")


if __name__ == "__main__":
    if tokenizers.__version__ != EXPECTED_VERSION:
        sys.exit(f"expected tokenizers {EXPECTED_VERSION}, found {tokenizers.__version__}")
    commands = {"fixtures": fixtures, "regex-tables": regex_tables}
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        sys.exit(f"usage: {sys.argv[0]} {'|'.join(commands)}")
    commands[sys.argv[1]]()
