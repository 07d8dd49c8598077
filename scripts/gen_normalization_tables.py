#!/usr/bin/env python3
"""Character data for the Swift `Tokenizers` module's Unicode normalizers and character-class pre-tokenizers.

Usage (from the repository root, with the project's virtual environment):

    .venv/bin/python scripts/gen_normalization_tables.py
        Writes Sources/Tokenizers/Unicode/NormalizationTableData.swift.

Like scripts/gen_tokenizer_fixtures.py unicode-tables, every value is probed through Hugging Face `tokenizers`
0.23.3 itself, code point by code point, because the library mixes Unicode versions (its NFC/NFKC/NFKD data come
from the old `unicode-normalization-alignments` crate, its Whitespace pre-tokenizer from the `regex` crate, its
UnicodeScripts table from a SentencePiece-era script list), so no single Unicode database reproduces them:

- compatibility decompositions (NFKD) where they differ from the canonical ones (NFD);
- canonical composition pairs: for each character that NFC keeps and NFD splits, its two-part canonical
  decomposition (from Python's unicodedata; characters the library does not know are never kept by both tests);
- combining marks removed by the StripAccents normalizer;
- the word (`\\w`) and space (`\\s`) classes of the Whitespace pre-tokenizer's `\\w+|[^\\w\\s]+`;
- Rust's `char::is_numeric`, on which the Digits pre-tokenizer splits;
- the script of each code point as the UnicodeScripts pre-tokenizer compares them (an opaque number per script;
  0 for code points the library treats as any script).
"""

import pathlib
import sys
import unicodedata

import tokenizers
from tokenizers import normalizers, pre_tokenizers

from gen_tokenizer_fixtures import mappings, ranges, valued_ranges  # the committed table text format

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "Sources" / "Tokenizers" / "Unicode" / "NormalizationTableData.swift"
EXPECTED_VERSION = "0.23.3"


def code_points():
    return [cp for cp in range(0x110000) if not 0xD800 <= cp <= 0xDFFF]


def probe_normalization(points):
    nfd, nfkd, nfc = normalizers.NFD(), normalizers.NFKD(), normalizers.NFC()
    strip = normalizers.StripAccents()
    compatibility, compositions, marks = {}, {}, []
    for cp in points:
        char = chr(cp)
        canonical = nfd.normalize_str(char)
        compatible = nfkd.normalize_str(char)
        if compatible != canonical:
            compatibility[cp] = [ord(c) for c in compatible]
        if strip.normalize_str(char) == "":
            marks.append(cp)
        if canonical != char and nfc.normalize_str(char) == char and not 0xAC00 <= cp <= 0xD7A3:
            parts = unicodedata.decomposition(char).split()
            if len(parts) == 2 and not parts[0].startswith("<"):
                first, second = (int(p, 16) for p in parts)
                if nfc.normalize_str(chr(first) + chr(second)) == char:
                    compositions[cp] = [first, second]
    return compatibility, compositions, marks


def probe_whitespace_classes(points):
    """Word and space characters of the Whitespace pre-tokenizer, from how it splits "a" + character."""
    splitter = pre_tokenizers.Whitespace()
    words, spaces = [], []
    for cp in points:
        pieces = [piece for piece, _ in splitter.pre_tokenize_str("a" + chr(cp))]
        if pieces == ["a" + chr(cp)]:
            words.append(cp)
        elif pieces == ["a"]:
            spaces.append(cp)
        else:
            assert pieces == ["a", chr(cp)], hex(cp)
    return words, spaces


def probe_numeric(points):
    """Rust's char::is_numeric, which the Digits pre-tokenizer splits on, from how it splits "a" + character."""
    splitter = pre_tokenizers.Digits(individual_digits=True)
    return [cp for cp in points if len(splitter.pre_tokenize_str("a" + chr(cp))) == 2]


def probe_scripts(points):
    """A number per code point such that two code points have the same number when UnicodeScripts keeps them
    together; 0 for code points that never cause a split (the library's `Script::Any`)."""
    splitter = pre_tokenizers.UnicodeScripts()

    def pieces(text):
        return [piece for piece, _ in splitter.pre_tokenize_str(text)]

    concrete = []
    for cp in points:
        char = chr(cp)
        if pieces("a" + char + "\u4e2d") == ["a" + char, "\u4e2d"] and pieces("\u4e2d" + char + "a") == \
                ["\u4e2d" + char, "a"]:
            continue  # Script::Any
        concrete.append(cp)
    # Runs of consecutive concrete code points with one script.
    runs = []
    chunk = 20000
    for begin in range(0, len(concrete), chunk):
        part = concrete[begin:begin + chunk]
        offset = 0
        for piece in pieces("".join(chr(cp) for cp in part)):
            members = part[offset:offset + len(piece)]
            assert [ord(c) for c in piece] == members
            offset += len(piece)
            runs.append(members)
        assert offset == len(part)
    classes = []  # representative of each script
    script = {}
    for run in runs:
        representative = chr(run[0])
        number = None
        for index, other in enumerate(classes):
            if len(pieces(other + representative)) == 1:
                number = index + 1
                break
        if number is None:
            classes.append(representative)
            number = len(classes)
        for cp in run:
            script[cp] = number
    assert len(classes) < 255, len(classes)
    return script


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


def main():
    if tokenizers.__version__ != EXPECTED_VERSION:
        sys.exit(f"tokenizers {EXPECTED_VERSION} is required, found {tokenizers.__version__}")
    points = code_points()
    compatibility, compositions, marks = probe_normalization(points)
    words, spaces = probe_whitespace_classes(points)
    numeric = probe_numeric(points)
    scripts = probe_scripts(points)
    header = f'''// Generated by scripts/gen_normalization_tables.py from tokenizers {tokenizers.__version__}.
// Do not edit by hand: regenerate instead.

/// Character data of `tokenizers`' NFKD/NFC/NFKC, StripAccents, Whitespace, Digits and UnicodeScripts, probed
/// code point by code point.
///
/// Sets are space-separated hexadecimal code points or `first-last` ranges; mappings are `from:to.to`;
/// valued ranges are `first-last:value` with a decimal value.
enum NormalizationTableData {{
'''
    body = "".join([
        swift_string("compatibilityDecompositions",
                     "Full compatibility decompositions (NFKD) where they differ from the canonical ones.",
                     mappings(compatibility)),
        swift_string("compositions", "Primary composites and the two characters they compose from.",
                     mappings(compositions)),
        swift_string("combiningMarks", "Removed by StripAccents (general category M, as the library knows it).",
                     ranges(marks)),
        swift_string("wordCharacters", "`\\\\w` in the Whitespace pre-tokenizer's regex.", ranges(words)),
        swift_string("spaceCharacters", "`\\\\s` in the Whitespace pre-tokenizer's regex.", ranges(spaces)),
        swift_string("numeric", "Rust's char::is_numeric (Nd, Nl, No), which the Digits pre-tokenizer splits on.",
                     ranges(numeric)),
        swift_string("scripts", "The script number of each code point as UnicodeScripts compares them; absent: any.",
                     valued_ranges(scripts)),
    ])
    OUTPUT.write_text(header + body + "}\n", encoding="utf-8")
    print(f"wrote {OUTPUT} ({OUTPUT.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
