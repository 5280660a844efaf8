"""MoE Scope's tokenizer.json reader equals the tokenizers library on the fortunes corpus:
tokenizers trained here (nothing downloaded) in the forms the MoE families ship:
- GPT-2-style byte-level BPE (ByteLevel pre-tokenizer with its regex; OLMoE),
- Qwen-style: NFC, a Unicode regex Split, then ByteLevel without its regex,
- Mixtral-style SentencePiece BPE with byte fallback: a Metaspace pre-tokenizer, and the
  older form with Prepend + Replace normalizers, <s> added by TemplateProcessing.
Every fortune of every language encodes to the same ids and decodes to the same text; added
tokens inside the text are matched; a bad tokenizer.json is a clear error naming it."""
import glob
import json
import os
import subprocess
import sys
import tempfile

from tokenizers import Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, processors, trainers

cli = sys.argv[1]
root = os.environ.get("MOESCOPE_FORTUNES", "/usr/share/games/fortunes")


def fortunes():
    docs = []
    for path in sorted(glob.glob(os.path.join(root, "**", "*"), recursive=True)):
        if os.path.isdir(path) or os.path.islink(path) or path.endswith((".dat", ".u8")):
            continue
        with open(path, encoding="utf-8", errors="replace") as f:
            docs += [d for d in f.read().split("\n%\n") if d.strip()]
    return docs


docs = fortunes()
assert len(docs) > 1000, len(docs)
languages = {os.path.basename(os.path.dirname(p)) for p in glob.glob(os.path.join(root, "*", "*"))}
train_text = docs[::7]
special = ["<|endoftext|>"]
QWEN = r"""(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"""


def gpt2():
    t = Tokenizer(models.BPE())
    t.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True)
    t.decoder = decoders.ByteLevel()
    t.post_processor = processors.ByteLevel(trim_offsets=True)
    t.train_from_iterator(train_text, trainers.BpeTrainer(vocab_size=1200, special_tokens=special,
                                                          initial_alphabet=pre_tokenizers.ByteLevel.alphabet()))
    return t


def qwen():
    t = Tokenizer(models.BPE())
    t.normalizer = normalizers.NFC()
    t.pre_tokenizer = pre_tokenizers.Sequence([pre_tokenizers.Split(Regex(QWEN), behavior="isolated"),
                                               pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False)])
    t.decoder = decoders.ByteLevel()
    t.train_from_iterator(train_text, trainers.BpeTrainer(vocab_size=1500, special_tokens=special,
                                                          initial_alphabet=pre_tokenizers.ByteLevel.alphabet()))
    return t


def sentencepiece(legacy):
    bytes_ = [f"<0x{i:02X}>" for i in range(256)]
    t = Tokenizer(models.BPE(byte_fallback=True, unk_token="<unk>"))
    if legacy:  # Mixtral's tokenizer.json as first converted: normalizers, no pre-tokenizer
        t.normalizer = normalizers.Sequence([normalizers.Prepend("▁"), normalizers.Replace(" ", "▁")])
    else:
        t.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="first", split=False)
    t.decoder = decoders.Sequence([decoders.Replace("▁", " "), decoders.ByteFallback(), decoders.Fuse(),
                                   decoders.Strip(" ", 1, 0)])
    t.train_from_iterator(train_text, trainers.BpeTrainer(vocab_size=1200, special_tokens=["<unk>", "<s>", "</s>"] + bytes_))
    t.post_processor = processors.TemplateProcessing(single="<s> $A", special_tokens=[("<s>", t.token_to_id("<s>"))])
    # As in Mixtral's file, the byte tokens are vocabulary entries, not added tokens.
    j = json.loads(t.to_str())
    j["added_tokens"] = [a for a in j["added_tokens"] if a["content"] not in bytes_]
    return Tokenizer.from_str(json.dumps(j))


def check(name, tok, tmp, texts):
    path = os.path.join(tmp, name + ".json")
    tok.save(path)
    texts_path = os.path.join(tmp, "texts.json")
    with open(texts_path, "w") as f:
        json.dump(texts, f)
    out = os.path.join(tmp, "out.json")
    done = subprocess.run([cli, "tokenize", "--tokenizer", path, "--texts", texts_path, "--out", out],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    got = json.load(open(out))
    want = tok.encode_batch(texts)
    bad = [i for i, (g, w) in enumerate(zip(got["ids"], want)) if g != w.ids]
    assert not bad, (name, len(bad), texts[bad[0]][:200], got["ids"][bad[0]][:40], want[bad[0]].ids[:40])
    decoded_bad = [i for i, (g, w) in enumerate(zip(got["decoded"], want)) if g != tok.decode(w.ids)]
    assert not decoded_bad, (name, len(decoded_bad), got["decoded"][decoded_bad[0]][:100], tok.decode(want[decoded_bad[0]].ids)[:100])
    tokens = sum(len(w.ids) for w in want)
    print(f"{name}: {len(texts)} fortunes ({len(languages)} language folders), {tokens} tokens, equal ids and decoded text")


with tempfile.TemporaryDirectory() as tmp:
    extra = ["Hello<|endoftext|>world  <|endoftext|>", "  leading spaces\tand\ttabs\r\n", "Ünïcödé e\u0301 (combining) 😀 ½ ﬁ",
             "numbers 1234567 and 3.14159", "", " ", "'s 'LL 'Ve I'M"]
    for name, tok in (("gpt2_bytelevel", gpt2()), ("qwen_split_nfc", qwen()), ("mixtral_metaspace", sentencepiece(False)),
                      ("mixtral_legacy", sentencepiece(True))):
        check(name, tok, tmp, docs + extra)

    # Bad tokenizer files: clear errors naming the file.
    good = json.loads(gpt2().to_str())
    cases = {
        "not_json": "{\"model\": ",
        "wordpiece": json.dumps({**good, "model": {"type": "WordPiece", "vocab": {}}}),
        "bad_merge": json.dumps({**good, "model": {**good["model"], "merges": [["nope", "zzz"]]}}),
        "bad_regex": json.dumps({**good, "pre_tokenizer": {"type": "Split", "pattern": {"Regex": "(unclosed"},
                                                           "behavior": "Isolated", "invert": False}}),
        "unknown_normalizer": json.dumps({**good, "normalizer": {"type": "BertNormalizer"}}),
        "vocab_type": json.dumps({**good, "model": {**good["model"], "vocab": {"a": "zero"}}}),
        "empty": "",
    }
    for label, text in cases.items():
        path = os.path.join(tmp, label + ".json")
        with open(path, "w") as f:
            f.write(text)
        done = subprocess.run([cli, "tokenize", "--tokenizer", path, "--text", path], capture_output=True, text=True, timeout=60)
        assert done.returncode == 1 and path in done.stderr and "terminate" not in done.stderr, (label, done.stderr)
    print(f"bad tokenizer files: {len(cases)} clear errors")
