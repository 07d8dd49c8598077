#!/usr/bin/env python3
"""Reference data for the Swift `Tokenizers` module, produced with Hugging Face `tokenizers` 0.23.3.

Usage (from the repository root, with the project's virtual environment):

    .venv/bin/python scripts/gen_tokenizer_fixtures.py fixtures
        Writes Tests/TokenizersTests/Fixtures/minilm-expected.jsonl (one line per corpus line) and
        Tests/TokenizersTests/Fixtures/variants-expected.json (component options, added-token flags,
        post-processors and truncation strategies on small inputs).

    .venv/bin/python scripts/gen_tokenizer_fixtures.py unicode-tables
        Writes Sources/Tokenizers/Unicode/UnicodeTableData.swift: the character classes, lowercase
        mappings, canonical decompositions and combining classes exactly as `tokenizers` applies them.
        They are probed code point by code point through the library itself, because its tables come
        from several Unicode versions at once (Rust's `char::to_lowercase` is Unicode 16, its general
        categories and NFD data are much older), so no single Unicode database reproduces them.

The corpus (Tests/TokenizersTests/Fixtures/corpus.jsonl) holds one JSON object {"text": ...} per line so
that control characters, CR, NUL and lone combining marks survive any editor or git setting.
"""

import copy
import json
import pathlib
import sys

import tokenizers
from tokenizers import Tokenizer

ROOT = pathlib.Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "Tests" / "TokenizersTests" / "Fixtures"
TOKENIZER_JSON = ROOT / "models" / "all-MiniLM-L6-v2" / "tokenizer.json"
TABLES_SWIFT = ROOT / "Sources" / "Tokenizers" / "Unicode" / "UnicodeTableData.swift"

EXPECTED_VERSION = "0.23.3"


# ---------------------------------------------------------------------------------------------------------------------
# Fixtures


def digits(values):
    """A list of small non-negative ints as a digit string ("0011"), to keep the fixture compact."""
    assert all(0 <= v <= 9 for v in values), values
    return "".join(str(v) for v in values)


def describe(encoding, with_offsets):
    result = {
        "ids": encoding.ids,
        "type_ids": digits(encoding.type_ids),
        "attention_mask": digits(encoding.attention_mask),
        "special_tokens_mask": digits(encoding.special_tokens_mask),
        "truncated": len(encoding.overflowing) > 0,
    }
    if with_offsets:
        result["offsets"] = [value for pair in encoding.offsets for value in pair]
    return result


def load(config):
    tokenizer = Tokenizer.from_str(json.dumps(config))
    tokenizer.no_padding()
    tokenizer.no_truncation()
    return tokenizer


def encode(tokenizer, text, pair=None, add_special_tokens=True, truncation=None, with_offsets=True):
    """The library's encoding; where the Swift port deliberately differs, also the result it gives instead.

    Two cases differ, because Swift encoding never fails: a budget smaller than the special tokens (the library
    wraps around and does not truncate; Swift empties the sequences, which the library does for a budget of
    exactly the special tokens), and `only_first`/`only_second` when that sequence is too short or absent (the
    library raises; Swift falls back to `longest_first`).
    """
    if truncation is None:
        tokenizer.no_truncation()
    else:
        reserved = tokenizer.num_special_tokens_to_add(pair is not None) if add_special_tokens else 0
        if truncation["max_length"] < reserved:
            deviation = {**truncation, "max_length": reserved}
            return {"deviation": "budget smaller than the special tokens",
                    "fallback": encode(tokenizer, text, pair, add_special_tokens, deviation, with_offsets)}
        tokenizer.enable_truncation(**truncation)
    try:
        encoding = tokenizer.encode(text, pair, add_special_tokens=add_special_tokens)
    except Exception as error:  # noqa: BLE001 - the fixture records that the library refused the input
        fallback = {**truncation, "strategy": "longest_first"}
        return {"deviation": str(error),
                "fallback": encode(tokenizer, text, pair, add_special_tokens, fallback, with_offsets)}
    finally:
        tokenizer.no_truncation()
    return describe(encoding, with_offsets)


def write_corpus_expectations(config, texts):
    tokenizer = load(config)
    right256 = {"max_length": 256, "direction": "right", "strategy": "longest_first"}
    left128 = {"max_length": 128, "direction": "left", "strategy": "longest_first"}
    path = FIXTURES / "minilm-expected.jsonl"
    with path.open("w", encoding="utf-8") as out:
        for index, text in enumerate(texts):
            following = texts[(index + 1) % len(texts)]
            record = {
                "single": encode(tokenizer, text),
                "single_right_256": encode(tokenizer, text, truncation=right256, with_offsets=False),
                "single_left_128": encode(tokenizer, text, truncation=left128, with_offsets=False),
                "pair_longest_first_256": encode(tokenizer, text, following, truncation=right256, with_offsets=False),
            }
            out.write(json.dumps(record, separators=(",", ":")) + "\n")
    print(f"wrote {path} ({path.stat().st_size} bytes, {len(texts)} lines)")


ADDED_TOKEN_TEXTS = [
    "an <ent> here",
    "an<ent>here",
    "<ent>",
    "x <ent>, <ent>- é<ent> _<ent> 9<ent> <ent>9",
    "<ent>x and <ent>xy and <ent> x",
    "say Hello World twice: HELLO WORLD, hello world!",
    "helloworld Hello  World",
    "left   <l>   right",
    "left\t\n<l>right",
    "<l><l>  <l>",
    "left   <r>   right",
    "<r>  <r>\u2000x",
    "été ÉTÉ Été ete",
    "[MASK]<ent>[SEP]<l><r>",
    "   <l>",
    "<r>   ",
    "no added tokens at all",
]


def added_token(id_, content, single_word=False, lstrip=False, rstrip=False, normalized=False, special=False):
    return {
        "id": id_,
        "content": content,
        "single_word": single_word,
        "lstrip": lstrip,
        "rstrip": rstrip,
        "normalized": normalized,
        "special": special,
    }


def variant_definitions(base, corpus):
    sample = [text for text in corpus if len(text) <= 400][::10]
    pairs = [[corpus[i], corpus[i + 1]] for i in range(0, len(corpus) - 1, 23)]
    normalizer = base["normalizer"]

    def with_normalizer(**options):
        return {"normalizer": {**normalizer, **options}}

    template = {
        "type": "TemplateProcessing",
        "single": [
            {"SpecialToken": {"id": "<s>", "type_id": 0}},
            {"Sequence": {"id": "A", "type_id": 0}},
            {"SpecialToken": {"id": "[SEP]", "type_id": 0}},
        ],
        "pair": [
            {"Sequence": {"id": "B", "type_id": 1}},
            {"SpecialToken": {"id": "[SEP]", "type_id": 1}},
            {"Sequence": {"id": "A", "type_id": 0}},
            {"SpecialToken": {"id": "<s>", "type_id": 2}},
        ],
        "special_tokens": {
            "<s>": {"id": "<s>", "ids": [101, 103], "tokens": ["[CLS]", "[MASK]"]},
            "[SEP]": {"id": "[SEP]", "ids": [102], "tokens": ["[SEP]"]},
        },
    }
    extra_tokens = [
        added_token(30522, "<ent>", single_word=True),
        added_token(30523, "Hello World", normalized=True),
        added_token(30524, "<l>", lstrip=True, special=True),
        added_token(30525, "<r>", rstrip=True),
        added_token(30526, "ÉTÉ", normalized=True),
        added_token(30527, "<ent>x"),
    ]
    short_pairs = [[a, b] for a, b in pairs[:20]]
    return [
        {"name": "lowercase false, strip_accents null", "patch": with_normalizer(lowercase=False), "texts": sample},
        {"name": "lowercase false, strip_accents true", "patch": with_normalizer(lowercase=False, strip_accents=True),
         "texts": sample},
        {"name": "lowercase true, strip_accents false", "patch": with_normalizer(strip_accents=False),
         "texts": sample},
        {"name": "clean_text false, handle_chinese_chars false",
         "patch": with_normalizer(clean_text=False, handle_chinese_chars=False), "texts": sample},
        {"name": "no normalizer", "patch": {"normalizer": None}, "texts": sample},
        {"name": "Sequence normalizer and pre-tokenizer",
         "patch": {"normalizer": {"type": "Sequence", "normalizers": [normalizer]},
                   "pre_tokenizer": {"type": "Sequence", "pretokenizers": [base["pre_tokenizer"]]}},
         "texts": sample[:40]},
        {"name": "no pre-tokenizer", "patch": {"pre_tokenizer": None}, "texts": sample[:40]},
        {"name": "max_input_chars_per_word 10",
         "patch": {"model": {**base["model"], "max_input_chars_per_word": 10}}, "texts": sample},
        {"name": "BertProcessing", "patch": {"post_processor": {"type": "BertProcessing", "sep": ["[SEP]", 102],
                                                                "cls": ["[CLS]", 101]}},
         "texts": sample[:40], "pairs": short_pairs, "without_special_tokens": True,
         "truncations": [{"max_length": 20, "direction": "right", "strategy": "longest_first"}]},
        {"name": "no post-processor", "patch": {"post_processor": None}, "texts": sample[:20], "pairs": short_pairs,
         "truncations": [{"max_length": 20, "direction": "left", "strategy": "longest_first"}]},
        {"name": "custom template", "patch": {"post_processor": template}, "texts": sample[:20],
         "pairs": short_pairs, "without_special_tokens": True,
         "truncations": [{"max_length": 17, "direction": "right", "strategy": "longest_first"}]},
        {"name": "added token flags", "patch": {"added_tokens": base["added_tokens"] + extra_tokens},
         "texts": ADDED_TOKEN_TEXTS, "without_special_tokens": True},
        {"name": "truncation strategies", "patch": {}, "texts": sample[:30], "pairs": short_pairs,
         "without_special_tokens": True,
         "truncations": [
             {"max_length": 9, "direction": "right", "strategy": "longest_first"},
             {"max_length": 9, "direction": "left", "strategy": "longest_first"},
             {"max_length": 2, "direction": "right", "strategy": "longest_first"},
             {"max_length": 16, "direction": "right", "strategy": "only_first"},
             {"max_length": 16, "direction": "left", "strategy": "only_second"},
         ]},
    ]


def write_variant_expectations(base, corpus):
    variants = []
    for definition in variant_definitions(base, corpus):
        config = copy.deepcopy(base)
        config.update(definition["patch"])
        tokenizer = load(config)
        specials = [True, False] if definition.get("without_special_tokens") else [True]
        truncations = [None] + definition.get("truncations", [])
        cases = []
        for truncation in truncations:
            for add_special_tokens in specials:
                for text in definition["texts"]:
                    cases.append({"text": text, "add_special_tokens": add_special_tokens, "truncation": truncation,
                                  "expected": encode(tokenizer, text, None, add_special_tokens, truncation)})
                for first, second in definition.get("pairs", []):
                    cases.append({"text": first, "pair": second, "add_special_tokens": add_special_tokens,
                                  "truncation": truncation,
                                  "expected": encode(tokenizer, first, second, add_special_tokens, truncation)})
        variants.append({"name": definition["name"], "patch": definition["patch"], "cases": cases})
    path = FIXTURES / "variants-expected.json"
    path.write_text(json.dumps({"variants": variants}, ensure_ascii=False, separators=(",", ":")) + "\n",
                    encoding="utf-8")
    print(f"wrote {path} ({path.stat().st_size} bytes, {sum(len(v['cases']) for v in variants)} cases)")


def fixtures():
    if not TOKENIZER_JSON.exists():
        sys.exit(f"{TOKENIZER_JSON} is missing: run scripts/fetch-models first")
    base = json.loads(TOKENIZER_JSON.read_text(encoding="utf-8"))
    with (FIXTURES / "corpus.jsonl").open(encoding="utf-8") as corpus_file:
        corpus = [json.loads(line)["text"] for line in corpus_file]
    write_corpus_expectations(base, corpus)
    write_variant_expectations(base, corpus)


# ---------------------------------------------------------------------------------------------------------------------
# Unicode tables


def code_points():
    return (cp for cp in range(0x110000) if not 0xD800 <= cp <= 0xDFFF)


def probe():
    from tokenizers import normalizers, pre_tokenizers

    def bert(clean=False, chinese=False, strip=False, lower=False):
        return normalizers.BertNormalizer(clean_text=clean, handle_chinese_chars=chinese, strip_accents=strip,
                                          lowercase=lower)

    clean, chinese, strip, lower = bert(clean=True), bert(chinese=True), bert(strip=True), bert(lower=True)
    nfd = normalizers.NFD()
    splitter = pre_tokenizers.BertPreTokenizer()
    tables = {name: [] for name in ["removed", "whitespace_to_space", "chinese", "whitespace", "punctuation",
                                    "nonspacing_marks"]}
    tables["lowercase"] = {}
    tables["decompositions"] = {}
    for cp in code_points():
        char = chr(cp)
        cleaned = clean.normalize_str(char)
        if cleaned == "":
            tables["removed"].append(cp)
        elif cleaned == " " and char != " ":
            tables["whitespace_to_space"].append(cp)
        else:
            assert cleaned == char, hex(cp)
        padded = chinese.normalize_str(char)
        if padded != char:
            assert padded == f" {char} ", hex(cp)
            tables["chinese"].append(cp)
        lowered = lower.normalize_str(char)
        if lowered != char:
            tables["lowercase"][cp] = [ord(c) for c in lowered]
        decomposed = nfd.normalize_str(char)
        if decomposed != char:
            tables["decompositions"][cp] = [ord(c) for c in decomposed]
        elif strip.normalize_str(char) == "":
            tables["nonspacing_marks"].append(cp)
        words = [word for word, _ in splitter.pre_tokenize_str(f"a{char}a")]
        if words == ["a", "a"]:
            tables["whitespace"].append(cp)
        elif words == ["a", char, "a"]:
            tables["punctuation"].append(cp)
        else:
            assert words == [f"a{char}a"], hex(cp)
    marks = set(tables["nonspacing_marks"])
    for cp, decomposition in tables["decompositions"].items():
        kept = "".join(chr(c) for c in decomposition if c not in marks)
        assert strip.normalize_str(chr(cp)) == kept, hex(cp)
    tables["combining_classes"] = probe_combining_classes(nfd, tables["decompositions"])
    return tables


def probe_combining_classes(nfd, decompositions):
    """Canonical combining classes as the library's NFD orders them (its Unicode data predates Python's)."""
    import unicodedata

    candidates = [cp for cp in code_points() if unicodedata.combining(chr(cp)) and cp not in decompositions]
    representatives = {}
    for cp in candidates:
        representatives.setdefault(unicodedata.combining(chr(cp)), cp)
    classes = {}
    for cp in candidates:
        above, below = 0, 256
        for value, other in representatives.items():
            if other == cp:
                continue
            if nfd.normalize_str(chr(other) + chr(cp)) == chr(cp) + chr(other):
                below = min(below, value)
            if nfd.normalize_str(chr(cp) + chr(other)) == chr(other) + chr(cp):
                above = max(above, value)
        if (above, below) == (0, 256):
            continue  # the library does not reorder it: class 0
        value = unicodedata.combining(chr(cp))
        assert above <= value <= below, hex(cp)
        classes[cp] = value
    return classes


def ranges(values):
    result = []
    for value in sorted(values):
        if result and result[-1][1] == value - 1:
            result[-1][1] = value
        else:
            result.append([value, value])
    return " ".join(f"{a:x}" if a == b else f"{a:x}-{b:x}" for a, b in result)


def valued_ranges(mapping):
    result = []
    for key in sorted(mapping):
        if result and result[-1][1] == key - 1 and result[-1][2] == mapping[key]:
            result[-1][1] = key
        else:
            result.append([key, key, mapping[key]])
    return " ".join((f"{a:x}" if a == b else f"{a:x}-{b:x}") + f":{v}" for a, b, v in result)


def mappings(mapping):
    return " ".join(f"{key:x}:" + ".".join(f"{v:x}" for v in mapping[key]) for key in sorted(mapping))


def hangul_decomposition(cp):
    index = cp - 0xAC00
    lead, vowel, trail = 0x1100 + index // 588, 0x1161 + (index % 588) // 28, 0x11A7 + index % 28
    return [lead, vowel] + ([trail] if trail != 0x11A7 else [])


def swift_string(name, doc, body, width=110):
    lines, line = [], ""
    for word in body.split(" "):
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    if line:
        lines.append(line)
    text = "\n".join(f"        {line}" for line in lines)
    return f'    /// {doc}\n    static let {name} = """\n{text}\n        """\n'


def unicode_tables():
    tables = probe()
    decompositions = {cp: d for cp, d in tables["decompositions"].items() if not 0xAC00 <= cp <= 0xD7A3}
    for cp in range(0xAC00, 0xD7A4):
        assert tables["decompositions"][cp] == hangul_decomposition(cp), hex(cp)
    chinese = tables["chinese"]
    version = tokenizers.__version__
    header = f'''// Generated by scripts/gen_tokenizer_fixtures.py unicode-tables from tokenizers {version}.
// Do not edit by hand: regenerate instead.

/// Character data as Hugging Face `tokenizers` applies it, probed code point by code point.
///
/// Sets are space-separated hexadecimal code points or `first-last` ranges; mappings are `from:to.to`;
/// combining classes are `first-last:class` with a decimal class. Hangul syllables decompose algorithmically.
enum UnicodeTableData {{
'''
    body = "".join([
        swift_string("cleanTextRemoved", "Removed by BertNormalizer's clean_text (NUL, U+FFFD, Cc, Cf, Co).",
                     ranges(tables["removed"])),
        swift_string("cleanTextWhitespace", "Replaced by a space by BertNormalizer's clean_text.",
                     ranges(tables["whitespace_to_space"])),
        swift_string("chinese", "Padded with spaces by BertNormalizer's handle_chinese_chars.", ranges(chinese)),
        swift_string("whitespace", "Rust's char::is_whitespace, which splits words in BertPreTokenizer.",
                     ranges(tables["whitespace"])),
        swift_string("punctuation", "Isolated by BertPreTokenizer: ASCII punctuation and Unicode P* categories.",
                     ranges(tables["punctuation"])),
        swift_string("nonspacingMarks", "General category Mn, dropped when accents are stripped.",
                     ranges(tables["nonspacing_marks"])),
        swift_string("lowercase", "Rust's char::to_lowercase where it changes the character.",
                     mappings(tables["lowercase"])),
        swift_string("decompositions", "Full canonical decompositions (NFD) other than Hangul syllables.",
                     mappings(decompositions)),
        swift_string("combiningClasses", "Non-zero canonical combining classes used to reorder marks in NFD.",
                     valued_ranges(tables["combining_classes"])),
    ])
    TABLES_SWIFT.parent.mkdir(parents=True, exist_ok=True)
    TABLES_SWIFT.write_text(header + body + "}\n", encoding="utf-8")
    print(f"wrote {TABLES_SWIFT} ({TABLES_SWIFT.stat().st_size} bytes)")


def main():
    if tokenizers.__version__ != EXPECTED_VERSION:
        sys.exit(f"tokenizers {EXPECTED_VERSION} is required, found {tokenizers.__version__}")
    command = sys.argv[1] if len(sys.argv) > 1 else "fixtures"
    if command == "fixtures":
        fixtures()
    elif command == "unicode-tables":
        unicode_tables()
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
