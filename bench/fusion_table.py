"""Summarises the fusion layout logs (bench/fusion.sh) as the table of docs/fusion.md.

For each HDF5 run log: the final caption loss (bits per caption byte) overall and per caption
language (/eval/domain_loss), the generative classifier's accuracy, the modality
specialisation I(M;E)/H(M) (mean over layers of the last quarter of the snapshots; "-" for
the dense model, which routes nothing), the median ms per step after the first 10 steps,
forward FLOPs per token and the active parameters.

FLOPs per token count the matrix products of one forward pass, averaged over the sequence's
49 image patches and caption bytes: per block the attention projections (8 d^2), the
attention scores and values (4 d S/2 for a causal context of mean S/2), the router (2 d E) and
the FFN (6 d h for each of the k experts a token visits, or 6 d H for the dense FFN); the
output layer (2 d 256) for the caption positions. Layouts at equal active size have equal
FLOPs by construction: the table shows it rather than assumes it.
"""
import json
import math
import sys

import h5py
import numpy as np


def flops_per_token(config, sequence, caption_share):
    m = config["model"]
    d, layers = m["d_model"], m["layers"]
    attention = 8 * d * d + 4 * d * sequence / 2
    if m["ffn"] == "dense":
        ffn, router = 6 * d * m["expert_hidden"], 0
    else:
        ffn = 6 * d * m["expert_hidden"] * m["top_k"]
        router = 2 * d * m["experts"]
    return layers * (attention + router + ffn) + caption_share * 2 * d * 256


def summarise(path):
    with h5py.File(path, "r") as f:
        name = path.rsplit("/", 1)[-1].removesuffix(".h5")
        config = json.loads(f.attrs["config"])
        domains = f.attrs["domains"]
        domains = (domains.decode() if isinstance(domains, bytes) else str(domains)).split(",")
        loss = f["eval/loss"][-1] / math.log(2)
        by_domain = f["eval/domain_loss"][-1] / math.log(2) if "eval/domain_loss" in f else []
        languages = {d: float(v) for d, v in zip(domains, by_domain) if np.isfinite(v)}
        accuracy = float(f["eval/accuracy"][-1])
        spec = float("nan")
        if "routing/modality_specialisation" in f:
            s = f["routing/modality_specialisation"][:]
            spec = float(np.nanmean(s[-max(1, len(s) // 4):]))
        ms = float(np.median(f["metrics/ms"][10:]))
        tokens = int(f["metrics/tokens"][-1])
        steps = len(f["metrics/ms"])
        sequence = int(f.attrs["probe_tokens"]) or 49 + 39
        flops = flops_per_token(config, sequence, (sequence - 49 + 1) / sequence)
        active = int(f.attrs["active_parameters"])
        return dict(name=name, loss=loss, languages=languages, accuracy=accuracy, spec=spec, ms=ms,
                    tokens=tokens, steps=steps, flops=flops, active=active, router=config["router"]["kind"])


def main(paths):
    rows = sorted((summarise(p) for p in paths), key=lambda r: r["loss"])
    languages = list(rows[0]["languages"]) if rows else []
    head = ["layout", "caption bits/byte"] + [f"{l}" for l in languages] + [
        "accuracy", "modality spec.", "ms/step", "MFLOPs/token", "active params"]
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    for r in rows:
        cells = [r["name"], f"{r['loss']:.3f}"] + [f"{r['languages'].get(l, float('nan')):.3f}" for l in languages]
        spec = "-" if math.isnan(r["spec"]) else f"{r['spec']:.3f}"
        cells += [f"{100 * r['accuracy']:.1f}%", spec, f"{r['ms']:.0f}", f"{r['flops'] / 1e6:.2f}",
                  f"{r['active'] / 1e6:.3f}M"]
        print("| " + " | ".join(cells) + " |")
    if rows:
        print(f"\n{rows[0]['steps']} steps, {rows[0]['tokens']:,} training tokens per run; "
              "caption bits/byte and the per-language columns on the test captions, accuracy of the "
              "generative classifier on the first 1000 test images.")


if __name__ == "__main__":
    main(sys.argv[1:])
