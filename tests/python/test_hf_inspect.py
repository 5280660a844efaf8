"""moescope-cli inspect on Hugging Face models made by transformers, with a tokenizer trained
here: the loss it prints (nats per predicted token, overall and per text file) equals
transformers' on the same windows to 1e-4; the HDF5 log holds a routing snapshot per batch
with the file x expert counts, the probe's subword tokens and their trajectories; a text
file shorter than a window and a folder without tokenizer.json are clear errors."""
import glob
import math
import os
import re
import subprocess
import sys
import tempfile

import h5py
import torch
from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import hf_tiny  # noqa: E402

cli = sys.argv[1]
root = os.environ.get("MOESCOPE_FORTUNES", "/usr/share/games/fortunes")
torch.set_num_threads(2)
S, B, TOKENS = 32, 4, 700


def fortune_file(pattern):
    for path in sorted(glob.glob(os.path.join(root, pattern))):
        if os.path.isfile(path) and not os.path.islink(path) and not path.endswith((".dat", ".u8")):
            return path
    raise SystemExit(f"no fortune file {pattern} under {root}")


with tempfile.TemporaryDirectory() as tmp:
    english, german = fortune_file("*"), fortune_file("de/*")
    texts = []
    for name, src in (("english", english), ("german", german)):
        path = os.path.join(tmp, name + ".txt")
        with open(src, encoding="utf-8", errors="replace") as f, open(path, "w") as out:
            out.write(f.read()[:20000])
        texts.append(path)

    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    tok.train(texts, trainers.BpeTrainer(vocab_size=320, initial_alphabet=pre_tokenizers.ByteLevel.alphabet()))
    assert tok.get_vocab_size() <= 320

    for family in ("olmoe", "mixtral"):
        folder = os.path.join(tmp, family)
        model = hf_tiny.make_model(family, folder)
        tok.save(os.path.join(folder, "tokenizer.json"))
        log = os.path.join(tmp, family + ".h5")
        done = subprocess.run([cli, "inspect", "--model", folder, "--text", *texts, "--tokens", str(TOKENS),
                               "--sequence", str(S), "--batch-size", str(B), "--log", log, "--threads", "2"],
                              capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, done.stdout + done.stderr
        out = done.stdout
        loss = float(re.search(r"loss ([0-9.]+) nats/token", out).group(1))
        per_file = {m.group(1): float(m.group(2)) for m in re.finditer(r"^  (\w+): loss ([0-9.]+)", out, re.M)}

        # transformers on the same windows: each file's first TOKENS + 1 ids, in windows of S.
        sums, counts, batches = {}, {}, 0
        starts = []
        for path in texts:
            ids = tok.encode(open(path).read()).ids[:TOKENS + 1]
            starts += [(path, ids, at) for at in range(0, len(ids) - S, S)]
        with torch.no_grad():
            for i in range(0, len(starts), B):
                chunk = starts[i:i + B]
                x = torch.tensor([ids[at:at + S] for _, ids, at in chunk])
                y = torch.tensor([ids[at + 1:at + S + 1] for _, ids, at in chunk])
                logits = model(x).logits
                ce = torch.nn.functional.cross_entropy(logits.reshape(-1, logits.shape[-1]), y.reshape(-1), reduction="none")
                ce = ce.view(len(chunk), S)
                for row, (path, _, _) in enumerate(chunk):
                    name = os.path.splitext(os.path.basename(path))[0]
                    sums[name] = sums.get(name, 0.0) + ce[row].sum().item()
                    counts[name] = counts.get(name, 0) + S
                batches += 1
        want = sum(sums.values()) / sum(counts.values())
        assert abs(loss - want) <= 1e-4, (family, loss, want)
        for name in sums:
            assert abs(per_file[name] - sums[name] / counts[name]) <= 1e-4, (family, name, per_file, sums[name] / counts[name])
        assert f"perplexity {math.exp(want):.3f}"[:14] in out, out
        layers = re.findall(r"^layer (\d+): busiest expert ([0-9.]+)x", out, re.M)
        assert len(layers) == model.config.num_hidden_layers, out

        with h5py.File(log, "r", swmr=True) as f:
            assert f["routing/step"].shape[0] == batches, (f["routing/step"].shape, batches)
            assert list(f["metrics/step"][:]) == list(range(1, batches + 1))
            assert f.attrs["domains"] == "english,german", f.attrs["domains"]
            counts_h5 = f["routing/domain_load"][-1]  # [L, D, E]
            assert counts_h5.shape[1] == 2 and (counts_h5 > 0).any(), counts_h5.shape
            ends = f["trajectories/probe_token_end"][:]
            text = bytes(f["trajectories/probe_text"][:]).decode("utf-8", errors="replace")
            first = tok.encode(open(texts[0]).read()).ids[:S]
            assert len(ends) == S and text == tok.decode(first), (len(ends), text[:60], tok.decode(first)[:60])
            assert f["trajectories/experts"].shape[:3] == (batches, model.config.num_hidden_layers, S)
            eval_loss = f["eval/loss"][-1]
            assert abs(eval_loss - want) <= 1e-4, (eval_loss, want)
        print(f"{family}: inspect loss {loss:.4f} = transformers {want:.4f} over {sum(counts.values())} tokens, "
              f"{batches} snapshots, per-file losses equal")

    # Errors: a file shorter than a window; a folder without a tokenizer.
    short = os.path.join(tmp, "short.txt")
    with open(short, "w") as f:
        f.write("tiny")
    done = subprocess.run([cli, "inspect", "--model", os.path.join(tmp, "olmoe"), "--text", short, "--sequence", str(S)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 1 and "short.txt" in done.stderr and "fewer than one window" in done.stderr, done.stderr
    os.remove(os.path.join(tmp, "mixtral", "tokenizer.json"))
    done = subprocess.run([cli, "inspect", "--model", os.path.join(tmp, "mixtral"), "--text", *texts],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 1 and "tokenizer.json" in done.stderr, done.stderr
    print("bad inputs: 2 clear errors")
