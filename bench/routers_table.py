"""Summarises router benchmark logs (bench/routers.sh) as the markdown table of docs/routers.md.

For each HDF5 run log: the final validation loss (bits/byte), the coefficient of variation of
expert load (std/mean over experts, averaged over layers and over the last quarter of the
snapshots), the dropped share over the same snapshots, the median ms per step after the
first 10 steps, and the tokens seen.
"""
import math
import sys

import h5py
import numpy as np


def summarise(path):
    with h5py.File(path, "r") as f:
        name = path.rsplit("/", 1)[-1].removesuffix(".h5")
        loss = f["eval/loss"][-1] / math.log(2)
        cv = dropped = 0.0  # a dense model (model.ffn = "dense") routes nothing
        if "routing" in f:
            load = f["routing/load"][:]  # [T, L, E]
            tail = load[-max(1, len(load) // 4):]
            experts = tail.shape[2]
            cv = float(np.mean(tail.std(axis=2) / np.maximum(tail.mean(axis=2), 1e-12))) if experts > 1 else 0.0
            dropped = float(np.nanmean(f["routing/dropped"][-len(tail):]))
        ms = float(np.median(f["metrics/ms"][10:]))
        tokens = int(f["metrics/tokens"][-1])
        active = int(f.attrs["active_parameters"])
        return name, loss, cv, dropped, ms, tokens, active


def main(paths):
    rows = [summarise(p) for p in paths]
    dense = next((r for r in rows if r[0] == "dense"), None)
    print("| router | validation bits/byte | load CV | dropped | ms/step | active params |")
    print("|---|---|---|---|---|---|")
    for name, loss, cv, dropped, ms, tokens, active in sorted(rows, key=lambda r: r[1]):
        mark = ""
        if dense and name != "dense" and loss >= dense[1]:
            mark = " (not better than dense)"
        print(f"| {name}{mark} | {loss:.3f} | {cv:.3f} | {100 * dropped:.1f}% | {ms:.0f} | {active / 1e6:.2f}M |")
    print(f"\n{rows[0][5]:,} training tokens per run.")


if __name__ == "__main__":
    main(sys.argv[1:])
