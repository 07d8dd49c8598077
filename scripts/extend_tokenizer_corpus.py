#!/usr/bin/env python3
"""Extends the tokenizer parity corpus (Tests/TokenizersTests/Fixtures/corpus.jsonl) past 5,000 lines.

Usage (from the repository root, with the project's virtual environment):

    .venv/bin/python scripts/extend_tokenizer_corpus.py
        Keeps the first BASE_LINES lines (written by `scripts/gen_tokenizer_fixtures.py corpus`) and appends the
        lines built here. Run the fixture scripts afterwards:
        scripts/gen_tokenizer_fixtures.py fixtures, scripts/gen_tokenizer_zoo_fixtures.py fixtures,
        scripts/gen_tokenizer_component_fixtures.py.

Sources on this machine (Debian packages unless said otherwise):
- gettext catalogs /usr/share/locale/<lang>/LC_MESSAGES/*.mo (iso-codes' iso_3166/iso_639 country and language
  names, glib2.0, gtk2.0, gdk-pixbuf, at-spi2-core, coreutils and whatever else is installed), read with Python's
  gettext module (the same text `msgunfmt` prints), for Arabic, Hebrew, Greek, Cyrillic, Devanagari (hi, mr, ne),
  Bengali, Tamil, Thai, Chinese, Japanese, Korean, Georgian, Armenian, Amharic, Vietnamese and Latin scripts with
  diacritics;
- glibc's locale sources /usr/share/i18n/locales/* (month and day names, written as <Uxxxx> escapes);
- CJK sample texts of Python's own test suite (<python prefix>/lib/python3.*/test/cjkencodings/*-utf8.txt);
- hand-written lines: emoji and ZWJ sequences, skin tones, flags, keycaps, combining marks, control and
  zero-width characters, bidirectional marks, whitespace runs, very long words, digits, punctuation runs.
The result depends on the packages installed, so the committed corpus is the reference.
"""

import glob
import gettext
import json
import pathlib
import random
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
CORPUS = ROOT / "Tests" / "TokenizersTests" / "Fixtures" / "corpus.jsonl"
BASE_LINES = 1436
TARGET_LINES = 5200

LANGUAGES = {
    "ar": 150, "he": 150, "el": 150, "ru": 140, "uk": 100, "bg": 60, "sr": 60, "be": 40, "kk": 30,
    "hi": 130, "mr": 80, "ne": 70, "bn": 70, "gu": 40, "pa": 40, "ta": 60, "te": 40, "kn": 40, "ml": 40,
    "th": 140, "lo": 20, "km": 30, "my": 30, "zh_CN": 150, "zh_TW": 130, "zh_HK": 40, "ja": 150, "ko": 150,
    "ka": 50, "hy": 40, "am": 40, "fa": 80, "ur": 50, "ug": 30, "vi": 80, "tr": 60, "pl": 60, "cs": 50, "ro": 40,
    "hu": 40, "fr": 80, "de": 80, "es": 60, "pt_BR": 40, "is": 30, "lv": 30, "lt": 30, "eo": 30, "si": 30,
    "dz": 20, "bo": 20, "sq": 20, "cy": 20, "ga": 20, "mn": 20,
}


def mo_strings(path):
    try:
        with open(path, "rb") as file:
            catalog = gettext.GNUTranslations(file)._catalog
    except Exception:  # noqa: BLE001 - a catalog that does not parse is simply left out
        return []
    return [value for key, value in catalog.items() if isinstance(value, str) and value.strip() and key]


def gettext_lines(rng):
    lines = []
    for lang, count in LANGUAGES.items():
        pool = set()
        for path in sorted(glob.glob(f"/usr/share/locale/{lang}/LC_MESSAGES/*.mo")):
            pool.update(s.replace("\n", " ").strip() for s in mo_strings(path) if 3 < len(s) < 800)
        pool = sorted(pool)
        rng.shuffle(pool)
        short = [s for s in pool if len(s) < 40]
        long = [s for s in pool if len(s) >= 40]
        # Short strings (country names, labels) are joined a few at a time so that lines carry context.
        for index in range(0, min(len(short), count // 2 * 3), 3):
            lines.append(" · ".join(short[index:index + 3]) if index % 2 else ", ".join(short[index:index + 3]))
        lines += long[:count - count // 2]
    return lines


def locale_lines():
    lines = []
    escape = re.compile(r"<U([0-9A-Fa-f]{4,6})>")
    for path in sorted(glob.glob("/usr/share/i18n/locales/*")):
        try:
            text = pathlib.Path(path).read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        for key in ("mon", "day", "abmon", "abday"):
            match = re.search(rf"^{key}\s+((?:\"[^\"]*\";?\s*(?:/\s*)?)+)", text, re.MULTILINE)
            if not match:
                continue
            names = [escape.sub(lambda m: chr(int(m.group(1), 16)), value)
                     for value in re.findall(r"\"([^\"]*)\"", match.group(1))]
            if any(ord(c) > 0x7F for name in names for c in name):
                lines.append(" ".join(names))
    return lines


def python_cjk_lines():
    lines = []
    for path in sorted(glob.glob(f"{sys.base_prefix}/lib/python3*/test/cjkencodings/*-utf8.txt")):
        text = pathlib.Path(path).read_text(encoding="utf-8", errors="replace")
        lines += [line.strip() for line in text.splitlines() if len(line.strip()) > 5][:25]
    return lines


def hand_lines(rng):
    emoji = ["\U0001F600", "\U0001F44D\U0001F3FD", "\U0001F468\u200D\U0001F469\u200D\U0001F467\u200D\U0001F466",
             "\U0001F3F3\uFE0F\u200D\U0001F308", "\U0001F1EF\U0001F1F5", "\U0001F1FA\U0001F1E6", "1\uFE0F\u20E3",
             "#\uFE0F\u20E3", "\u2764\uFE0F", "\U0001F9D1\U0001F3FF\u200D\U0001F4BB", "\U0001F469\u200D\u2695\uFE0F",
             "\U0001F3F4\U000E0067\U000E0062\U000E0073\U000E0063\U000E0074\U000E007F", "\U0001FAE0", "\u263A",
             "\U0001F926\U0001F3FC\u200D\u2642\uFE0F", "\U0001F415\u200D\U0001F9BA", "\U0001F9D4\u200D\u2640"]
    marks = ["\u0300", "\u0301", "\u0302", "\u0303", "\u0308", "\u030A", "\u0323", "\u0327", "\u0328", "\u0331",
             "\u0345", "\u0360", "\u05B4", "\u064B", "\u0651", "\u093C", "\u094D", "\u0E31", "\u0E48", "\u302A",
             "\u1AB0", "\u20D7", "\uFE20"]
    invisible = ["\u200B", "\u200C", "\u200D", "\u2060", "\uFEFF", "\u00AD", "\u200E", "\u200F", "\u202A",
                 "\u202C", "\u2066", "\u2069", "\u180E", "\u034F", "\u061C"]
    controls = ["\x00", "\x01", "\x07", "\x08", "\x0B", "\x0C", "\x1B", "\x1F", "\x7F", "\x85", "\x9C", "\r", "\t",
                "\n", "\r\n"]
    spaces = [" ", "  ", "\t", "   ", "\u00A0", "\u2002", "\u2003", "\u2009", "\u200A", "\u3000", "\u205F",
              "\u1680", "\u2028", "\u2029", "\u202F", " \t \t ", "          "]
    words = ["naïve", "Ærøskøbing", "Łódź", "Straße", "İstanbul", "ǅemal", "ﬁnance", "Ⅻ", "①②③", "Ｆｕｌｌ",
             "ｶﾀｶﾅ", "㍿", "x²", "H₂O", "½", "µs", "Å", "Å", "ﾊﾟ", "ǰ", "ΐ", "ᾷ", "ﬀ", "™", "℡", "㈱", "…", "‼",
             "Москва", "Ελλάδα", "العربية", "עִבְרִית", "हिन्दी", "ภาษาไทย", "中文", "日本語", "한국어", "ქართული",
             "Հայերեն", "አማርኛ", "Tiếng Việt", "ﷺ", "ﷻ", "𝐀𝐁𝐂", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "ℌ", "각", "각", "ㄱ"]
    lines = []
    for _ in range(250):
        parts = []
        for _ in range(rng.randrange(2, 14)):
            kind = rng.random()
            if kind < 0.35:
                parts.append(rng.choice(words))
            elif kind < 0.5:
                parts.append(rng.choice(emoji))
            elif kind < 0.6:
                parts.append(rng.choice(words) + rng.choice(marks) + rng.choice(marks))
            elif kind < 0.7:
                parts.append(rng.choice(invisible))
            elif kind < 0.78:
                parts.append(rng.choice(controls))
            elif kind < 0.9:
                parts.append(rng.choice(spaces))
            else:
                parts.append(str(rng.randrange(0, 10 ** rng.randrange(1, 12))))
        lines.append(rng.choice(["", " ", "  "]).join(parts))
    # Very long words and runs.
    alphabet = "abcdefghijklmnopqrstuvwxyzéèàüöäßøåæœçñ"
    for length in (120, 300, 700, 1500, 3000):
        lines.append("".join(rng.choice(alphabet) for _ in range(length)))
        lines.append("Donaudampfschifffahrtsgesellschaftskapitän" * (length // 40))
        lines.append("".join(rng.choice("αβγδεζηθικλμνξοπρστυφχψω") for _ in range(length)))
        lines.append("".join(rng.choice("абвгдежзийклмнопрстуфхцчшщъыьэюя") for _ in range(length)))
        lines.append("".join(chr(rng.randrange(0x4E00, 0x9FA5)) for _ in range(length // 2)))
        lines.append("".join(chr(rng.randrange(0xAC00, 0xD7A3)) for _ in range(length // 3)))
        lines.append("".join(rng.choice("กขคงจฉชซญดตถทนบปผพฟมยรลวศษสหอฮะาำิีึืุูเแโใไ่้๊๋") for _ in range(length)))
        lines.append("".join(rng.choice("कखगघचछजझटठडढणतथदधनपफबभमयरलवशषसहािीुूेैोौं्") for _ in range(length)))
    lines += ["-" * 300, "=" * 80 + "\n" + "=" * 80, "!?" * 100, "." * 1000, "1234567890" * 50, " " * 200,
              "\t" * 50, "\n" * 20, "\u3000" * 30, "\u200B" * 40, "a\u200Bb\u200Cc\u200Dd\u2060e\uFEFFf",
              "ab" + "\u0301" * 60, "\U0001F468\u200D" * 20 + "\U0001F468", "\U0001F1EF" * 7,
              "https://example.org/path?q=%E4%B8%AD&x=1#frag ftp://ftp.debian.org/debian/",
              "user.name+tag@example.co.uk, <root@localhost>", "C:\\Windows\\System32\\drivers\\etc\\hosts",
              "def f(x):\n\treturn x ** 2  # comment", "{\"key\": [1, 2.5, null, true], \"ключ\": \"值\"}",
              "$ echo 'héllo' | tr -d '\\n' && printf '%s\\n' \"$HOME\"", "3.14159 2,718 1e-10 0x1F -42 +7 ١٢٣ ४५६ ๗๘๙"]
    return lines


def more_lines(existing, rng):
    """Lines to append to `existing`, without duplicates, until the corpus reaches TARGET_LINES."""
    seen = set(existing)
    result = []

    def take(candidates):
        for line in candidates:
            if line and len(line) < 20000 and line not in seen:
                seen.add(line)
                result.append(line)

    take(gettext_lines(rng))
    take(locale_lines())
    take(python_cjk_lines())
    take(hand_lines(rng))
    # Mixed-script lines: neighbours from different sources joined, as in multilingual documents.
    pool = list(result)
    rng.shuffle(pool)
    index = 0
    while len(existing) + len(result) < TARGET_LINES and index + 1 < len(pool):
        take([pool[index] + rng.choice([" ", " — ", "\n", "\t", ". "]) + pool[index + 1]])
        index += 2
    return result


def main():
    with CORPUS.open(encoding="utf-8") as file:
        base = [json.loads(line)["text"] for line in file][:BASE_LINES]
    lines = base + more_lines(base, random.Random(20261122))
    with CORPUS.open("w", encoding="utf-8") as out:
        for line in lines:
            out.write(json.dumps({"text": line}, ensure_ascii=False) + "\n")
    print(f"wrote {CORPUS} ({len(lines)} lines)")


if __name__ == "__main__":
    main()
