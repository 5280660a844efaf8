"""MoE layer forward+backward at the GPU size of bench/README.md, in one run: MoE Scope's layer
(C++, build/bench/moe_vs_dense) against a dense SwiGLU of the same active FLOPs (three
formulations; ours is compared with the fastest), the same block
written in Python on torch._grouped_mm (eager and under torch.compile), and the Hugging Face
Mixtral expert loop, all on the torch release LibTorch comes from. Prints milliseconds,
TFLOP/s of the expert GEMMs and the device's measured dense matmul rate.

    python bench/gpu_moe.py build/bench/moe_vs_dense            # CUDA, bf16, T=16384 d=2048 h=1024 E=64 top-8
    python bench/gpu_moe.py build/bench/moe_vs_dense --device cpu --dtype fp32 --tokens 1024 --d 64 --hidden 64 --experts 8 --top-k 2

Targets (issue 9): ours <= 1.3x dense and at least as fast as the Python grouped-mm block.
"""
import argparse
import os
import subprocess
import sys

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "peers"))
from grouped_mm_moe import GroupedMmMoe  # noqa: E402
from mixtral_moe import MixtralSparseMoe  # noqa: E402
from timing import median_ms  # noqa: E402


def ours(args):
    cmd = [args.binary, "--moe-only", "--device", args.device, "--dtype", args.dtype,
           "--tokens", str(args.tokens), "--d", str(args.d), "--hidden", str(args.hidden),
           "--top-k", str(args.top_k), "--experts", str(args.experts), "--reps", str(args.reps),
           "--kernel", args.kernel]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    return float(out.split()[-1])


def block_step(block, x, probe):
    def step():
        block.zero_grad(set_to_none=True)
        x.grad = None
        y, aux, _ = block(x)
        ((y * probe).sum() + 0.01 * aux).backward()
    return step


def main():
    p = argparse.ArgumentParser()
    p.add_argument("binary", help="build/bench/moe_vs_dense")
    p.add_argument("--device", default="cuda")
    p.add_argument("--dtype", default="bf16", choices=["bf16", "fp32"])
    p.add_argument("--tokens", type=int, default=16384)
    p.add_argument("--d", type=int, default=2048)
    p.add_argument("--hidden", type=int, default=1024)
    p.add_argument("--experts", type=int, default=64)
    p.add_argument("--top-k", type=int, default=8)
    p.add_argument("--kernel", default="auto")
    p.add_argument("--reps", type=int, default=10)
    p.add_argument("--no-compile", action="store_true")
    p.add_argument("--no-loop", action="store_true", help="skip the (slow) Mixtral expert loop")
    args = p.parse_args()
    device = torch.device(args.device)
    dtype = torch.bfloat16 if args.dtype == "bf16" else torch.float32
    T, d, h, E, k = args.tokens, args.d, args.hidden, args.experts, args.top_k
    flops = 18.0 * T * k * d * h  # expert GEMMs, forward + backward
    name = torch.cuda.get_device_name(device) if device.type == "cuda" else f"cpu, {torch.get_num_threads()} threads"
    print(f"MoE layer fwd+bwd, T={T} d={d} expert_hidden={h} E={E} top-{k}, {args.dtype}, {name}, "
          f"torch {torch.__version__}, medians of {args.reps}")

    n = 8192 if device.type == "cuda" else 1024
    a = torch.randn(n, n, device=device, dtype=dtype)
    b = torch.randn(n, n, device=device, dtype=dtype)
    peak = 2.0 * n**3 / (median_ms(lambda: a @ b, args.reps, device=device) * 1e-3) / 1e12
    del a, b
    print(f"dense {args.dtype} matmul {n}^3: {peak:.1f} TFLOP/s")

    torch.manual_seed(0)
    x = torch.randn(T, d, device=device, dtype=dtype, requires_grad=True)
    probe = torch.randn(T, d, device=device, dtype=dtype)
    H = k * h

    def weight(*shape, fan_in):
        return (torch.randn(*shape, device=device, dtype=dtype) / fan_in**0.5).requires_grad_()

    # The dense SwiGLU of the same active FLOPs, three ways; ours is compared with the fastest.
    gate, up, down = weight(H, d, fan_in=d), weight(H, d, fan_in=d), weight(d, H, fan_in=H)
    gate_up = weight(2 * H, d, fan_in=d)
    w_in, w_out = weight(d, 2 * H, fan_in=d), weight(H, d, fan_in=H)

    def dense_step(forward, *weights):
        def step():
            x.grad = None
            for w in weights:
                w.grad = None
            (forward() * probe).sum().backward()
        return step

    def separate():  # nn.Linear layout, three projections (Mixtral's experts)
        return F.linear(F.silu(F.linear(x, gate)) * F.linear(x, up), down)

    def chunk():  # one fused [2H, d] projection in that layout
        g, u = F.linear(x, gate_up).chunk(2, dim=1)
        return F.linear(F.silu(g) * u, down)

    def narrow():  # one fused [d, 2H] projection, split by slicing
        gu = x @ w_in
        return (F.silu(gu[:, :H]) * gu[:, H:]) @ w_out

    rows = [("MoE Scope (C++)", ours(args))]
    dense_rows = [
        ("dense SwiGLU, separate (x @ W^T)", median_ms(dense_step(separate, gate, up, down), args.reps, device=device)),
        ("dense SwiGLU, fused [2H, d] chunk", median_ms(dense_step(chunk, gate_up, down), args.reps, device=device)),
        ("dense SwiGLU, fused [d, 2H] narrow", median_ms(dense_step(narrow, w_in, w_out), args.reps, device=device)),
    ]
    rows += dense_rows
    grouped = GroupedMmMoe(d, h, E, k).to(device, dtype)
    rows.append(("Python torch._grouped_mm, eager", median_ms(block_step(grouped, x, probe), args.reps, device=device)))
    if not args.no_compile:
        try:
            compiled = torch.compile(grouped)
            rows.append(("Python torch._grouped_mm, compiled",
                         median_ms(block_step(compiled, x, probe), args.reps, device=device)))
        except Exception as e:  # report and go on: the other rows still count
            print(f"torch.compile of the grouped-mm block failed: {type(e).__name__}: {e}"[:400])
    del grouped
    if not args.no_loop:
        loop = MixtralSparseMoe(d, h, E, k).to(device, dtype)
        rows.append(("Python Mixtral expert loop, eager", median_ms(block_step(loop, x, probe), args.reps, device=device)))
        del loop
    rows.append(("MoE Scope (C++), again", ours(args)))  # drift check

    mine = min(rows[0][1], rows[-1][1])
    print(f"{'':36} {'ms':>9} {'TFLOP/s':>8} {'% of mm':>8} {'vs ours':>8}")
    for label, ms in rows:
        tf = flops / (ms * 1e-3) / 1e12
        print(f"{label:36} {ms:9.2f} {tf:8.1f} {100 * tf / peak:7.0f}% {ms / mine:7.2f}x")
    fastest, dense_ms = min(dense_rows, key=lambda row: row[1])
    grouped_ms = next(ms for label, ms in rows if label == "Python torch._grouped_mm, eager")
    print(f"ours / fastest dense ({fastest}) = {mine / dense_ms:.2f}x (target <= 1.3x); "
          f"Python grouped-mm eager / ours = {grouped_ms / mine:.2f}x (target >= 1.0x)")


if __name__ == "__main__":
    main()
