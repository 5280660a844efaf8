"""A full lm-fortunes training step: MoE Scope (moescope-cli, C++) against the same model in
eager PyTorch (Mixtral expert loop) and under torch.compile, on the torch release LibTorch
comes from, with the same thread count, batch 32 x 128 bytes of the real fortunes text.

    $MOESCOPE_VENV/bin/python bench/vs_pytorch_step.py build/app/moescope-cli [--threads 2] [--steps 30]

Ours: median step time (steps 6..N) from the HDF5 log of a run with snapshots and
evaluation off (the peers have no instrumentation either). Prints the ratios.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

import h5py
import numpy as np
import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "peers"))
from lm_fortunes import LmFortunes, make_optimizer, train_step  # noqa: E402

FORTUNES = "/usr/share/games/fortunes/fortunes"
B, S = 32, 128


def ours(cli, threads, steps):
    with tempfile.TemporaryDirectory() as tmp:
        config = os.path.join(tmp, "step.json")
        with open(config, "w") as f:
            json.dump({"preset": "lm-fortunes", "threads": threads, "device": "cpu",
                       "train": {"steps": steps, "snapshot_every": 0, "eval_every": 0}}, f)
        log = os.path.join(tmp, "step.h5")
        subprocess.run([cli, "train", "--config", config, "--log", log], check=True,
                       capture_output=True, text=True)
        with h5py.File(log, "r") as f:
            return float(np.median(f["/metrics/ms"][5:]))


def peer(compiled, steps):
    torch.manual_seed(0)
    data = np.frombuffer(open(FORTUNES, "rb").read(), dtype=np.uint8)
    rng = np.random.default_rng(0)
    model = LmFortunes()
    optimizer = make_optimizer(model)
    forward = torch.compile(model) if compiled else model
    times, first = [], None
    for i in range(steps):
        starts = rng.integers(0, len(data) - S - 2, B)
        window = torch.from_numpy(np.stack([data[s:s + S + 1] for s in starts]).astype(np.int64))
        t0 = time.perf_counter()
        train_step(model, forward, optimizer, window[:, :-1], window[:, 1:])
        ms = (time.perf_counter() - t0) * 1e3
        if i == 0:
            first = ms
        times.append(ms)
    return float(np.median(times[5:])), first


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("cli", help="build/app/moescope-cli")
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    parser.add_argument("--steps", type=int, default=30)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    mine = ours(args.cli, args.threads, args.steps)
    eager, _ = peer(False, args.steps)
    compiled, first = peer(True, args.steps)
    print(f"lm-fortunes training step, batch {B}x{S}, {args.threads} threads, torch {torch.__version__}")
    print(f"  MoE Scope (C++)     {mine:8.1f} ms")
    print(f"  eager PyTorch       {eager:8.1f} ms   ours is {eager / mine:.2f}x faster")
    print(f"  torch.compile       {compiled:8.1f} ms   ours is {compiled / mine:.2f}x faster"
          f"   (first step, with compilation: {first / 1e3:.1f} s)")


if __name__ == "__main__":
    main()
