"""Where a CPU training step spends its cycles, from a perf profile: GEMM kernels (MKL,
oneDNN), OpenMP waiting, the Python interpreter, the kernel, and the rest of ATen/LibTorch.
Used to explain bench/README.md's vs_pytorch_step figures; see bench/profile_step.sh.

    perf report -i perf.data --stdio --no-children --sort dso,sym -g none | python bench/perf_breakdown.py
"""
import re
import sys
from collections import defaultdict

CATEGORIES = [
    ("GEMM (MKL sgemm, oneDNN)", re.compile(r"sgemm|gemm_|_gemm|brgemm|mkl_blas|jit_avx|jit_uni|dnnl|mkldnn|\[JIT\]")),
    ("OpenMP wait/spin", re.compile(r"libgomp|libiomp|gomp_|__kmp")),
    ("Python interpreter", re.compile(r"python3|libpython|_PyEval|PyObject")),
    ("OS kernel", re.compile(r"\[kernel")),
    ("memcpy/memset/malloc (libc)", re.compile(r"libc\.so|libc-|memcpy|memset|malloc|free")),
]
LINE = re.compile(r"^\s*([\d.]+)%\s+(\S+)\s+\[.\]\s+(.*)$")


def main():
    share = defaultdict(float)
    top = defaultdict(list)
    for line in sys.stdin:
        m = LINE.match(line)
        if not m:
            continue
        pct, dso, sym = float(m.group(1)), m.group(2), m.group(3).strip()
        text = f"{dso} {sym}"
        name = next((n for n, rx in CATEGORIES if rx.search(text)), "other ATen/LibTorch and our code")
        share[name] += pct
        top[name].append((pct, sym[:70]))
    total = sum(share.values())
    for name, pct in sorted(share.items(), key=lambda kv: -kv[1]):
        print(f"{pct / total * 100:6.1f}%  {name}")
        for p, sym in sorted(top[name], reverse=True)[:3]:
            print(f"          {p:5.1f}%  {sym}")


if __name__ == "__main__":
    main()
