#!/usr/bin/env python3
"""Reference data for the Swift `Tokenizers` module, produced with Hugging Face `tokenizers` 0.23.3.

Usage (from the repository root, with the project's virtual environment):

    .venv/bin/python scripts/gen_tokenizer_fixtures.py corpus
        Rebuilds Tests/TokenizersTests/Fixtures/corpus.jsonl from this machine's Debian packages and
        hand-written edge cases (see build_corpus); only needed when changing the corpus.

    .venv/bin/python scripts/gen_tokenizer_fixtures.py fixtures
        Writes Tests/TokenizersTests/Fixtures/minilm-expected.jsonl (one line per corpus line: digests of the
        encodings of the text alone, truncated right at 256 and left at 128, and paired with the next line) and
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
# Corpus


def build_corpus():
    """Writes the corpus: text from this machine's Debian packages plus hand-written edge cases.

    Sources: /usr/share/common-licenses (English prose), /usr/share/doc copyright files and Debian changelogs
    (names with accents, e-mail addresses, URLs), man pages rendered by `man` (English and translated), and
    gettext catalogs under /usr/share/locale (French, German, Vietnamese, CJK, Hangul, Arabic, Thai...).
    The result depends on the packages installed, so the committed corpus is the reference: regenerate it only
    together with the fixtures.
    """
    import gettext
    import glob
    import gzip
    import os
    import random
    import re
    import subprocess

    lines = []

    def add(s, _source):
        s = s.strip("\n")
        if s and len(s) < 20000:
            lines.append(s)

    def paragraphs(text):
        for p in re.split(r"\n\s*\n", text):
            p = " ".join(x.strip() for x in p.splitlines()).strip()
            if len(p) > 20:
                yield p

    rng = random.Random(20240611)

    # 1. English prose from licenses
    prose = []
    for path in sorted(glob.glob("/usr/share/common-licenses/*")):
        if os.path.isfile(path):
            with open(path, encoding="utf-8", errors="replace") as file:
                prose += list(paragraphs(file.read()))
    rng.shuffle(prose)
    for p in prose[:150]:
        add(p, "license")

    # 2. Debian docs: copyright files and changelogs (names with accents, URLs, e-mails)
    copyrights = []
    for path in sorted(glob.glob("/usr/share/doc/*/copyright")):
        with open(path, encoding="utf-8", errors="replace") as file:
            copyrights += [line.strip() for line in file if len(line.strip()) > 15]
    changelogs = []
    for path in sorted(glob.glob("/usr/share/doc/*/changelog.Debian.gz"))[:200]:
        try:
            with gzip.open(path, "rt", encoding="utf-8", errors="replace") as file:
                changelogs += [line.strip() for line in file if len(line.strip()) > 15]
        except OSError:
            pass  # an unreadable changelog is simply left out
    non_ascii = [line for line in copyrights + changelogs if any(ord(c) > 127 for c in line)]
    rng.shuffle(copyrights)
    rng.shuffle(changelogs)
    rng.shuffle(non_ascii)
    for line in copyrights[:80] + changelogs[:80] + non_ascii[:60]:
        add(line, "doc")

    # 3. Man pages (English and translated), rendered to text
    def render_man(path):
        environment = {**os.environ, "MANWIDTH": "400", "MAN_KEEP_FORMATTING": "0", "LANG": "C.UTF-8"}
        try:
            out = subprocess.run(["man", "-l", path], capture_output=True, text=True, timeout=20,
                                 env=environment).stdout
            return subprocess.run(["col", "-b"], input=out, capture_output=True, text=True).stdout
        except Exception:  # noqa: BLE001 - a page that does not render is simply left out
            return ""

    man_files = sorted(glob.glob("/usr/share/man/man1/*.gz"))
    rng.shuffle(man_files)
    for path in man_files[:12]:
        for line in [line.strip() for line in render_man(path).splitlines() if len(line.strip()) > 25][:8]:
            add(line, "man")
    for lang in ["de", "fr", "ja", "ko", "zh_CN", "ru", "pl", "es"]:
        pages = sorted(glob.glob(f"/usr/share/man/{lang}/man1/*.gz"))
        rng.shuffle(pages)
        for path in pages[:6]:
            for line in [line.strip() for line in render_man(path).splitlines() if len(line.strip()) > 25][:4]:
                add(line, "man-" + lang)

    # 4. gettext translations
    def mo_strings(path):
        try:
            with open(path, "rb") as file:
                catalog = gettext.GNUTranslations(file)._catalog
            return [value for key, value in catalog.items() if isinstance(value, str) and value.strip() and key]
        except Exception:  # noqa: BLE001 - a catalog that does not parse is simply left out
            return []

    langs = {"fr": 30, "de": 30, "vi": 30, "es": 20, "pt_BR": 15, "pl": 20, "cs": 15, "tr": 20, "ru": 25,
             "uk": 15, "el": 20, "zh_CN": 30, "zh_TW": 25, "ja": 30, "ko": 30, "ar": 15, "he": 15, "th": 15,
             "hi": 15, "ka": 10, "am": 10, "sv": 10, "fi": 10, "hu": 10, "ro": 10, "it": 10, "nl": 10, "da": 10}
    for lang, n in langs.items():
        pool = []
        for path in sorted(glob.glob(f"/usr/share/locale/{lang}/LC_MESSAGES/*.mo")):
            pool += [s for s in mo_strings(path) if 20 < len(s) < 600]
        pool = sorted(set(pool))
        rng.shuffle(pool)
        for s in pool[:n]:
            add(s.replace("\n", " "), "mo-" + lang)

    # 5. Hand-written lines: edge cases for every component
    hand = [
        "",
        " ",
        "   \t  ",
        "a",
        "A",
        "[CLS]",
        "[SEP]",
        "[MASK]",
        "[PAD]",
        "[UNK]",
        "hello [SEP] world",
        "hello[SEP]world",
        "[CLS] the quick brown fox [SEP] jumps [MASK] over [SEP]",
        "[cls] lower-case [sep] is not special [mask]",
        "[SEP][SEP][MASK][MASK]x[PAD]y[UNK]z",
        "[ SEP ] [SEP [SE P] [[SEP]] [SEP]]",
        "Use [MASK] to predict: The capital of France is [MASK].",
        "Ünïcödé [MASK] çà et là — [SEP] 日本[SEP]語",
        "\t[SEP]\t",
        "[MASK]" * 40,
        "The quick brown fox jumps over the lazy dog.",
        "THE QUICK BROWN FOX JUMPS OVER THE LAZY DOG!",
        "Café, naïve, façade, coöperate, résumé, jalapeño, Ångström, Øresund, Łódź, İstanbul, ǅemal",
        "Straße, Großhandel, Fußgängerübergänge, Maßstab, ẞ capital sharp s",
        "Tiếng Việt có dấu: Hà Nội, Thành phố Hồ Chí Minh, nghiêng, ngã, hỏi, sắc, huyền, nặng",
        "Ελληνικά: Καλημέρα κόσμε, ΣΊΣΥΦΟΣ, ὅτι, ᾅδης",
        "Русский: Съешь же ещё этих мягких французских булок, да выпей чаю.",
        "中文测试：我爱北京天安门，天安门上太阳升。",
        "日本語のテキスト：こんにちは世界！カタカナとひらがなと漢字。",
        "한국어 텍스트: 안녕하세요 세계! 대한민국 서울특별시",
        "ﾊﾝｶｸｶﾀｶﾅ and ｆｕｌｌｗｉｄｔｈ ＡＢＣ １２３",
        "CJK ext B: 𠀀𠀁𪜀𫝀𫠠𬺰 and compat: 豈更車 and radicals ⺀⻳ ⼀",
        "Emoji: 😀 😃 😄 😁 😆 🥰 🤩 🫠 🫶",
        "Family ZWJ: 👨‍👩‍👧‍👦 👩‍❤️‍💋‍👨 🏳️‍🌈 🏴‍☠️",
        "Skin tones: 👋🏻 👋🏼 👋🏽 👋🏾 👋🏿 🧑🏽‍💻",
        "Flags: 🇫🇷 🇩🇪 🇯🇵 🇺🇸 🏴󠁧󠁢󠁳󠁣󠁴󠁿",
        "Keycaps: 1️⃣ #️⃣ *️⃣ and variation ☺︎ ☺️",
        "mixed😀text😀without😀spaces",
        "tab\there\tand\tthere",
        "nul\x00byte and bell\x07 and esc\x1b[31mred\x1b[0m",
        "\x01\x02\x03\x04\x05\x06\x08\x0b\x0c\x0e\x0f",
        "\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1c\x1d\x1e\x1f end",
        "del\x7fchar and C1\x80\x85\x9f controls",
        "carriage\rreturn and\r\nCRLF",
        "zero\u200bwidth\u200bspace",
        "zero\u200dwidth\u200djoiner",
        "bom\ufeffinside \ufeffstart",
        "non\u00a0breaking\u00a0space",
        "soft\u00adhyphen",
        "narrow\u202fnbsp and ideographic\u3000space",
        "en\u2002em\u2003thin\u2009hair\u200a",
        "line\u2028separator\u2029paragraph",
        "rtl \u202eoverride\u202c and \u200emark\u200f",
        "word\u2060joiner and \u180emongolian",
        "replacement \ufffd char",
        "private use \ue000\uf8ff\U000f0000",
        "noncharacters \ufdd0 \uffff",
        "unassigned \u0378 \U0001fffe \U000e0080",
        "combining: e\u0301 a\u0300 o\u0302 n\u0303 u\u0308 c\u0327 a\u030a",
        "stacked: a\u0301\u0302\u0303\u0304\u0305 Z\u0351\u0352\u0357\u035b",
        "zalgo: Z̤͔ͧ̑̓ä͖̭̈̇lͮ̒ͫǧ̗͚̚o̙̔ͮ̇͐̇",
        "reorder: a\u0316\u0301 a\u0301\u0316 q\u0323\u0307 q\u0307\u0323",
        "hebrew points: שָׁלוֹם עוֹלָם",
        "arabic harakat: اَلسَّلَامُ عَلَيْكُمْ",
        "devanagari: नमस्ते दुनिया, हिन्दी",
        "thai: สวัสดีชาวโลก ภาษาไทย",
        "musical: 𝅘𝅥𝅮 𝅗𝅥 \U0001d15e\U0001d165\U0001d16d",
        "Punctuation runs: !!!??? ...... ---- ____ ~~~ ``` '''' \"\"\" ((( ))) [[[ ]]] {{{ }}} <<< >>>",
        "Symbols: $100 + 5% = €105; 3 < 4 > 2; a|b; x^2; ~tilde; `code`; @user #tag & more * / \\",
        "Unicode punct: «guillemets» „Anführung“ ‘single’ “double” — em – en … ellipsis · ¡¿ ※ ‰ ′ ″ § ¶ † ‡",
        "CJK punct: 「括弧」『二重』【隅付き】、。・〜！？（）｛｝",
        "Numbers: 3.14159 2,718 1e-10 0x1F 0b1010 1_000_000 -42 +7 ½ ¾ ² ³ ⅷ ① ٣ ٤ ٥ ๓",
        "Dates: 2024-06-11T12:34:56Z, 11/06/2024, 6 juin 2024, 2024年6月11日",
        "URL: https://huggingface.co/sentence-transformers/all-MiniLM-L6-v2?query=a+b&x=1#section-2",
        "Email: first.last+tag@example.co.uk, mailto:someone@example.org",
        "Path: /usr/share/doc/libc6/changelog.Debian.gz C:\\Program Files\\App\\app.exe",
        "Code: for (int i = 0; i < n; ++i) { sum += a[i] * b[i]; } // dot product",
        "Python: def f(x: int) -> list[str]: return [str(y) for y in range(x) if y % 2 == 0]",
        "JSON: {\"key\": [1, 2.5, null, true], \"nested\": {\"a\": \"b\"}}",
        "Swift: let tokens = tokenizer.encode(\"Hello, world!\", addSpecialTokens: true).ids",
        "HTML: <div class=\"main\"><p>Hello &amp; welcome</p><br/></div>",
        "SQL: SELECT name, COUNT(*) FROM users WHERE age >= 18 GROUP BY name;",
        "Regex: ^(?:[a-z0-9!#$%&'*+/=?^_`{|}~-]+)@example\\.com$",
        "hashtags #MachineLearning #NLP @huggingface",
        "Hyphen-ated words and don't can't won't it's",
        "ALL CAPS SHOUTING WITH ACCÉNTS ÀÉÎÕÜ",
        "MiXeD CaSe WoRdS iN a SeNtEnCe",
        "Greek final sigma: ΟΔΥΣΣΕΥΣ ΌΣΟΣ",
        "Turkish dotted: İIıi DİYARBAKIR ıspanak",
        "Armenian ligature: ﬓ ﬔ and ﬀ ﬁ ﬂ ﬃ ﬄ ﬅ ﬆ",
        "Title case: ǅ ǈ ǋ ǲ ᾈ ᾏ ᾼ ῌ ῼ",
        "Cherokee: ᏣᎳᎩ ꭰꭱ",
        "Georgian: ႠႡႢ ᲐᲑᲒ ქართული",
        "Deseret 𐐀𐐁 and Osage 𐒰 and Adlam 𞤀𞤁",
        "Math: ∀x∈ℝ, ∃y: x² + y² ≤ 1 ⇒ ∫₀¹ f(x)dx ≈ ∑ aₙ",
        "Letterlike: ℃ ℉ № ™ ℠ Ω K Å ℮",
        "Circled: ⓐⓑⓒ ⒶⒷⒸ 🅰🅱",
        "Box drawing: ┌─┬─┐ │ ├─┼─┤ └─┴─┘",
        "Braille: ⠓⠑⠇⠇⠕",
        "Ogham:\u1680᚛ᚁᚂ᚜",
        "Tifinagh ⵜⵉⴼⵉⵏⴰⵖ",
        "Ethiopic ሰላም ዓለም",
    ]
    # very long words (> 100 chars hits max_input_chars_per_word)
    hand += [
        "a" * 100,
        "b" * 101,
        "pneumonoultramicroscopicsilicovolcanoconiosis" * 3,
        "short " + "x" * 150 + " short",
        "https://example.com/" + "verylongpath" * 12 + " tail",
        "Donaudampfschifffahrtselektrizitätenhauptbetriebswerkbauunterbeamtengesellschaft" * 2,
        "1234567890" * 15,
        "é" * 120,
        "名" * 120,
        "😀" * 120,
        "abc" * 33 + "d",
        "abc" * 33 + "de",
        "Llanfairpwllgwyngyllgogerychwyrndrobwllllantysiliogogogoch is a village in Wales",
    ]
    for s in hand:
        lines.append(s)

    # 6. Random code point soup (exercises the character tables, incl. unassigned and private use)
    def random_code_point():
        draw = rng.random()
        for bound, low, high in [(0.3, 0x20, 0x250), (0.5, 0x250, 0x3000), (0.7, 0x3000, 0xD800),
                                 (0.8, 0xE000, 0x10000), (0.95, 0x10000, 0x30000)]:
            if draw < bound:
                return rng.randrange(low, high)
        return rng.randrange(0x30000, 0x110000)

    for _ in range(80):
        length = rng.randrange(5, 60)
        lines.append("".join(" " if rng.random() < 0.15 else chr(random_code_point()) for _ in range(length)))

    # 7. Long lines (> 256 and > 512 tokens)
    long_src = [p for p in prose if len(p) > 300]
    for i in range(12):
        lines.append(" ".join(long_src[i * 3:(i + 1) * 3])[:1800])
    for i in range(8):
        lines.append(" ".join(long_src[40 + i * 6:40 + (i + 1) * 6])[:4000])
    mixed = [line for line in lines if any(ord(c) > 0x2E80 for c in line)]
    for i in range(4):
        lines.append(" ".join(mixed[i * 15:(i + 1) * 15]))

    # 8. Combining-mark soup: canonical reordering moves marks, and offsets follow positions, not marks
    soup = ["a", "E", "x", " ", "é", "Ǖ", "ᾅ", "İ", "한", "中", "\u0301", "\u0316", "\u0323", "\u0345", "\u0344",
            "\u0f73", "\u0f71", "\u05b0", "\u0315", "\U0001d165", "\U0001d16d", "\U0001d166", "\u302e",
            "\u0958", "\u1e0a", "[SEP]", "."]
    for _ in range(60):
        lines.append("".join(rng.choice(soup) for _ in range(rng.randrange(2, 24))))

    path = FIXTURES / "corpus.jsonl"
    with path.open("w", encoding="utf-8") as out:
        for line in lines:
            out.write(json.dumps({"text": line}, ensure_ascii=False) + "\n")
    print(f"wrote {path} ({len(lines)} lines)")


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


def encoding_digest(encoding):
    """FNV-1a (64-bit, hex) of "ids|type_ids|special_tokens_mask|offsets" with comma-separated numbers.

    The corpus has over 5,000 lines, so each encoding is recorded by digest to keep the fixture small; the Swift test
    computes the same digest and prints its own values where they differ.
    """
    offsets = [value for pair in encoding.offsets for value in pair]
    text = "|".join(",".join(map(str, values)) for values in
                    [encoding.ids, encoding.type_ids, encoding.special_tokens_mask, offsets])
    value = 0xCBF29CE484222325
    for byte in text.encode("utf-8"):
        value = ((value ^ byte) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return f"{value:016x}"


def write_corpus_expectations(config, texts):
    tokenizer = load(config)
    right256 = {"max_length": 256, "direction": "right", "strategy": "longest_first"}
    left128 = {"max_length": 128, "direction": "left", "strategy": "longest_first"}
    path = FIXTURES / "minilm-expected.jsonl"

    def digest(text, pair=None, truncation=None):
        if truncation is None:
            tokenizer.no_truncation()
        else:
            tokenizer.enable_truncation(**truncation)
        encoding = tokenizer.encode(text, pair)
        tokenizer.no_truncation()
        return encoding_digest(encoding)

    with path.open("w", encoding="utf-8") as out:
        for index, text in enumerate(texts):
            following = texts[(index + 1) % len(texts)]
            record = {
                "single": digest(text),
                "single_right_256": digest(text, truncation=right256),
                "single_left_128": digest(text, truncation=left128),
                "pair_longest_first_256": digest(text, following, truncation=right256),
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
    sample = [text for text in corpus if len(text) <= 400][::40]
    pairs = [[corpus[i], corpus[i + 1]] for i in range(0, len(corpus) - 1, 92)]
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
    if command == "corpus":
        build_corpus()
    elif command == "fixtures":
        fixtures()
    elif command == "unicode-tables":
        unicode_tables()
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
