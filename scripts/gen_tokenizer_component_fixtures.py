#!/usr/bin/env python3
"""Parity fixtures for tokenizer components that none of the zoo's tokenizer.json files uses.

Usage (from the repository root, with the project's virtual environment):

    .venv/bin/python scripts/gen_tokenizer_component_fixtures.py
        Writes Tests/TokenizersTests/Fixtures/component-<name>-expected.jsonl for each tokenizer of COMPONENTS:
        small WordLevel, BPE and WordPiece models trained with Hugging Face `tokenizers` 0.23.3 on the corpus
        (Tests/TokenizersTests/Fixtures/corpus.jsonl), behind the NFC, NFD, NFKC, NFKD, Lowercase, StripAccents,
        Prepend and Strip normalizers and the Whitespace, WhitespaceSplit, Punctuation (every behaviour), Digits,
        CharDelimiterSplit and UnicodeScripts pre-tokenizers. The first line is the whole tokenizer.json as the
        library serializes it; then one line per corpus line with digests (FNV-1a of
        "ids|type_ids|special_tokens_mask|offsets") of the line's encoding alone and paired with the next line.
"""

import json
import pathlib
import sys

import tokenizers
from tokenizers import Tokenizer, decoders, models, normalizers, pre_tokenizers, processors, trainers

from gen_tokenizer_fixtures import encoding_digest as digest

ROOT = pathlib.Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "Tests" / "TokenizersTests" / "Fixtures"
EXPECTED_VERSION = "0.23.3"
SPECIALS = ["[UNK]", "[CLS]", "[SEP]", "[PAD]", "[MASK]"]


def template():
    return processors.TemplateProcessing(single="[CLS] $A [SEP]", pair="[CLS] $A [SEP] $B:1 [SEP]:1",
                                         special_tokens=[("[CLS]", 1), ("[SEP]", 2)])


def word_level_nfkc(corpus):
    tokenizer = Tokenizer(models.WordLevel(unk_token="[UNK]"))
    tokenizer.normalizer = normalizers.Sequence([normalizers.NFKC(), normalizers.Lowercase()])
    tokenizer.pre_tokenizer = pre_tokenizers.Whitespace()
    tokenizer.train_from_iterator(corpus, trainers.WordLevelTrainer(vocab_size=4000, special_tokens=SPECIALS))
    tokenizer.post_processor = template()
    return tokenizer


def bpe_nfd_strip_accents(corpus):
    tokenizer = Tokenizer(models.BPE(unk_token="[UNK]", end_of_word_suffix="</w>"))
    tokenizer.normalizer = normalizers.Sequence([normalizers.NFD(), normalizers.StripAccents(),
                                                 normalizers.Prepend("_")])
    tokenizer.pre_tokenizer = pre_tokenizers.Sequence([pre_tokenizers.WhitespaceSplit(),
                                                       pre_tokenizers.Punctuation(),
                                                       pre_tokenizers.Digits(individual_digits=True)])
    tokenizer.train_from_iterator(corpus, trainers.BpeTrainer(vocab_size=3000, special_tokens=SPECIALS,
                                                              end_of_word_suffix="</w>"))
    tokenizer.post_processor = processors.BertProcessing(("[SEP]", 2), ("[CLS]", 1))
    tokenizer.decoder = decoders.BPEDecoder(suffix="</w>")
    return tokenizer


def word_level_scripts(corpus):
    tokenizer = Tokenizer(models.WordLevel(unk_token="[UNK]"))
    tokenizer.normalizer = normalizers.NFC()
    tokenizer.pre_tokenizer = pre_tokenizers.Sequence([pre_tokenizers.CharDelimiterSplit("-"),
                                                       pre_tokenizers.UnicodeScripts(),
                                                       pre_tokenizers.WhitespaceSplit()])
    tokenizer.train_from_iterator(corpus, trainers.WordLevelTrainer(vocab_size=4000, special_tokens=SPECIALS))
    tokenizer.post_processor = template()
    return tokenizer


def unicode_scripts_alone(corpus):
    tokenizer = Tokenizer(models.WordLevel(unk_token="[UNK]"))
    tokenizer.pre_tokenizer = pre_tokenizers.UnicodeScripts()
    tokenizer.train_from_iterator(corpus, trainers.WordLevelTrainer(vocab_size=3000, special_tokens=SPECIALS))
    return tokenizer


def wordpiece_nfkd(corpus):
    tokenizer = Tokenizer(models.WordPiece(unk_token="[UNK]"))
    tokenizer.normalizer = normalizers.Sequence([normalizers.NFKD(), normalizers.Lowercase(),
                                                 normalizers.StripAccents(), normalizers.Strip()])
    tokenizer.pre_tokenizer = pre_tokenizers.Sequence([pre_tokenizers.Whitespace(),
                                                       pre_tokenizers.Punctuation("merged_with_previous"),
                                                       pre_tokenizers.Digits(individual_digits=False)])
    tokenizer.train_from_iterator(corpus, trainers.WordPieceTrainer(vocab_size=3000, special_tokens=SPECIALS))
    tokenizer.post_processor = template()
    return tokenizer


def bpe_ignore_merges(corpus):
    tokenizer = Tokenizer(models.BPE(unk_token="[UNK]", continuing_subword_prefix="##", ignore_merges=True))
    tokenizer.normalizer = normalizers.NFKC()
    tokenizer.pre_tokenizer = pre_tokenizers.Sequence([pre_tokenizers.WhitespaceSplit(),
                                                       pre_tokenizers.Punctuation("merged_with_next")])
    tokenizer.train_from_iterator(corpus, trainers.BpeTrainer(vocab_size=3000, special_tokens=SPECIALS,
                                                              continuing_subword_prefix="##"))
    tokenizer.post_processor = template()
    return tokenizer


def word_level_punctuation(corpus, behavior):
    def build(corpus):
        tokenizer = Tokenizer(models.WordLevel(unk_token="[UNK]"))
        tokenizer.normalizer = normalizers.Sequence([normalizers.NFC(), normalizers.Lowercase()])
        tokenizer.pre_tokenizer = pre_tokenizers.Sequence([pre_tokenizers.WhitespaceSplit(),
                                                           pre_tokenizers.Punctuation(behavior)])
        tokenizer.train_from_iterator(corpus, trainers.WordLevelTrainer(vocab_size=3000, special_tokens=SPECIALS))
        return tokenizer
    return build


COMPONENTS = {
    "wordlevel-nfkc-lowercase-whitespace": word_level_nfkc,
    "bpe-nfd-stripaccents-prepend-punctuation-digits": bpe_nfd_strip_accents,
    "wordlevel-nfc-chardelimiter-scripts": word_level_scripts,
    "wordlevel-scripts": unicode_scripts_alone,
    "wordpiece-nfkd-whitespace-digits": wordpiece_nfkd,
    "bpe-ignore-merges-nfkc": bpe_ignore_merges,
    "wordlevel-punctuation-removed": word_level_punctuation(None, "removed"),
    "wordlevel-punctuation-contiguous": word_level_punctuation(None, "contiguous"),
}


def main():
    if tokenizers.__version__ != EXPECTED_VERSION:
        sys.exit(f"tokenizers {EXPECTED_VERSION} is required, found {tokenizers.__version__}")
    with (FIXTURES / "corpus.jsonl").open(encoding="utf-8") as file:
        corpus = [json.loads(line)["text"] for line in file]
    only = sys.argv[1:]
    for name, build in COMPONENTS.items():
        if only and name not in only:
            continue
        tokenizer = build(corpus)
        tokenizer.no_padding()
        tokenizer.no_truncation()
        path = FIXTURES / f"component-{name}-expected.jsonl"
        with path.open("w", encoding="utf-8") as out:
            # The tokenizer.json exactly as the library writes it (one line), so that no JSON layer in between
            # can alter a vocabulary entry.
            out.write(tokenizer.to_str() + "\n")
            for index, text in enumerate(corpus):
                record = {"single": digest(tokenizer.encode(text)),
                          "pair": digest(tokenizer.encode(text, corpus[(index + 1) % len(corpus)]))}
                out.write(json.dumps(record, separators=(",", ":")) + "\n")
        print(f"wrote {path} ({path.stat().st_size} bytes, {len(corpus)} lines)")


if __name__ == "__main__":
    main()
