#!/usr/bin/env bash
# perf profiles of one lm-fortunes training run on the CPU: ours (train_throughput) and the
# eager Python peer (bench/peers/lm_fortunes.py), each broken down by bench/perf_breakdown.py.
# Sampling starts 6 s in, past start-up (imports, corpus loading, first steps).
#   bench/profile_step.sh [build-dir] [steps]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}; steps=${2:-50}
python=${MOESCOPE_VENV:-$HOME/.cache/moescope/venv}/bin/python
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
report() { perf report -i "$1" --stdio --no-children --sort dso,sym -g none 2>/dev/null | "$python" bench/perf_breakdown.py; }
GOMP_SPINCOUNT=10000 perf record -q -D 6000 -F 499 -o "$tmp/ours.data" "$build/bench/train_throughput" \
  --device cpu --threads 2 --steps "$steps" > "$tmp/ours.txt" 2>&1
echo "== MoE Scope: $(tail -1 "$tmp/ours.txt")"; report "$tmp/ours.data"
cat > "$tmp/peer.py" <<PY
import sys, time, numpy as np, torch
sys.path.insert(0, "bench/peers")
from lm_fortunes import LmFortunes, make_optimizer, train_step
torch.set_num_threads(2); torch.manual_seed(0)
data = np.frombuffer(open("/usr/share/games/fortunes/fortunes", "rb").read(), dtype=np.uint8)
rng = np.random.default_rng(0); model = LmFortunes(); opt = make_optimizer(model); times = []
for i in range($steps):
    w = torch.from_numpy(np.stack([data[s:s + 129] for s in rng.integers(0, len(data) - 131, 32)]).astype(np.int64))
    t0 = time.perf_counter(); train_step(model, model, opt, w[:, :-1], w[:, 1:]); times.append(time.perf_counter() - t0)
print(f"median {np.median(times[5:]) * 1e3:.1f} ms/step")
PY
perf record -q -D 6000 -F 499 -o "$tmp/peer.data" "$python" "$tmp/peer.py" > "$tmp/peer.txt" 2>&1
echo "== eager PyTorch peer: $(tail -1 "$tmp/peer.txt")"; report "$tmp/peer.data"
