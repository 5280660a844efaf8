"""inspect on a model of OLMoE's shape scaled to this machine, against transformers (the peer)
running the same model on the same threads with each experts implementation it offers on
the CPU (eager, batched_mm, grouped_mm); the fastest is the reference. Reports load time,
tokens/s and peak memory (RSS) of each, in separate processes, runs interleaved.

  ~/.cache/moescope/venv/bin/python bench/hf_inspect.py build/app/moescope-cli [--reps 3]

The model (16 layers x 64 experts, top-8, d=512, expert hidden 256, vocab 50304: OLMoE-1B-7B
with d and the hidden sizes divided by 4) is made once with transformers and cached in
bench/out/olmoe-scaled."""
import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import time

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, "..", "tests", "python"))
import hf_tiny  # noqa: E402

ap = argparse.ArgumentParser()
ap.add_argument("cli")
ap.add_argument("--reps", type=int, default=3)
ap.add_argument("--tokens", type=int, default=4096, help="tokens of each of the two text files")
ap.add_argument("--threads", type=int, default=2)
args = ap.parse_args()
out = os.path.join(here, "out")
folder = os.path.join(out, "olmoe-scaled")
S, B = 256, 8

if not os.path.exists(os.path.join(folder, "tokenizer.json")):
    import torch
    from transformers import OlmoeConfig, OlmoeForCausalLM
    os.makedirs(out, exist_ok=True)
    torch.manual_seed(0)
    config = OlmoeConfig(vocab_size=50304, hidden_size=512, intermediate_size=256, num_hidden_layers=16,
                         num_attention_heads=8, num_key_value_heads=8, num_experts=64, num_experts_per_tok=8,
                         max_position_embeddings=4096, pad_token_id=1, eos_token_id=50279)
    OlmoeForCausalLM(config).save_pretrained(folder)
    texts = hf_tiny.fortune_texts(out, chars=400000)
    hf_tiny.train_tokenizer(texts, os.path.join(folder, "tokenizer.json"), vocab=8192)
texts = [os.path.join(out, n) for n in ("english.txt", "german.txt")]

PEER = r'''
import json, resource, sys, time
import torch
torch.set_num_threads(int(sys.argv[3]))
from tokenizers import Tokenizer
from transformers import AutoModelForCausalLM
folder, impl, _, tokens, S, B = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6])
t0 = time.perf_counter()
model = AutoModelForCausalLM.from_pretrained(folder, experts_implementation=impl, dtype=torch.float32).eval()
load = time.perf_counter() - t0
tok = Tokenizer.from_file(folder + "/tokenizer.json")
windows = []
for path in sys.argv[7:]:
    ids = tok.encode(open(path).read()).ids[:tokens + 1]
    windows += [ids[at:at + S] for at in range(0, len(ids) - S, S)]
t0 = time.perf_counter()
n = 0
with torch.no_grad():
    for i in range(0, len(windows), B):
        x = torch.tensor(windows[i:i + B])
        model(x, output_router_logits=True)
        n += x.numel()
run = time.perf_counter() - t0
print(json.dumps({"load_s": load, "tokens_per_s": n / run, "tokens": n,
                  "rss_gib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20}))
'''


def child_rss(cmd):
    """Runs cmd in a fresh process; returns (stdout, its peak RSS in GiB)."""
    wrapper = ("import resource, subprocess, sys; p = subprocess.run(sys.argv[1:], capture_output=True, text=True); "
               "sys.stdout.write(p.stdout); sys.stderr.write(p.stderr); "
               "print('RSS', resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 2**20); sys.exit(p.returncode)")
    done = subprocess.run([sys.executable, "-c", wrapper, *cmd], capture_output=True, text=True, timeout=3600)
    if done.returncode != 0:
        raise SystemExit(done.stdout + done.stderr)
    rss = float(re.search(r"^RSS ([0-9.]+)", done.stdout, re.M).group(1))
    return done.stdout, rss


def ours():
    text, rss = child_rss([args.cli, "inspect", "--model", folder, "--text", *texts, "--tokens", str(args.tokens),
                           "--sequence", str(S), "--batch-size", str(B), "--threads", str(args.threads)])
    load = float(re.search(r"loaded in ([0-9.]+) s", text).group(1))
    tps = float(re.search(r"\(([0-9.]+) tokens/s\)", text).group(1))
    return {"load_s": load, "tokens_per_s": tps, "rss_gib": rss}


def peer(impl):
    text, rss = child_rss([sys.executable, "-c", PEER, folder, impl, str(args.threads), str(args.tokens), str(S), str(B),
                           *texts])
    r = json.loads([line for line in text.splitlines() if line.startswith("{")][-1])
    r["rss_gib"] = rss
    return r


candidates = {"moescope inspect": ours, "transformers eager": lambda: peer("eager"),
              "transformers batched_mm": lambda: peer("batched_mm"), "transformers grouped_mm": lambda: peer("grouped_mm")}
results = {name: [] for name in candidates}
for rep in range(args.reps):
    for name, fn in candidates.items():
        try:
            results[name].append(fn())
        except SystemExit as e:
            print(f"{name}: failed: {str(e)[-400:]}", file=sys.stderr)
        print(f"rep {rep + 1} {name}: {results[name][-1] if results[name] else 'failed'}", file=sys.stderr)

print(f"model: OLMoE shape scaled (16 layers x 64 experts top-8, d=512, expert hidden 256, vocab 50304), "
      f"{2 * args.tokens} tokens in windows of {S}, batch {B}, {args.threads} threads; medians of {args.reps}")
print("| runner | load s | tokens/s | peak RSS GiB |")
print("|---|---|---|---|")
med = {}
for name, rs in results.items():
    if not rs:
        print(f"| {name} | failed | | |")
        continue
    med[name] = {k: statistics.median(r[k] for r in rs) for k in ("load_s", "tokens_per_s", "rss_gib")}
    m = med[name]
    print(f"| {name} | {m['load_s']:.2f} | {m['tokens_per_s']:.0f} | {m['rss_gib']:.2f} |")
peers = {k: v for k, v in med.items() if k.startswith("transformers")}
if "moescope inspect" in med and peers:
    best = max(peers, key=lambda k: peers[k]["tokens_per_s"])
    ratio = med["moescope inspect"]["tokens_per_s"] / peers[best]["tokens_per_s"]
    print(f"moescope inspect / fastest peer ({best}): {ratio:.2f}x tokens/s, "
          f"{med['moescope inspect']['load_s'] / peers[best]['load_s']:.2f}x load time, "
          f"{med['moescope inspect']['rss_gib'] / peers[best]['rss_gib']:.2f}x peak RSS")
