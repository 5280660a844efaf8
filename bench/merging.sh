#!/usr/bin/env bash
# Upcycling against its references at equal training tokens on lm-fortunes (docs/merging.md):
#   dense        the dense model (expert_hidden 512), HALF steps, then trained on to TOTAL
#   moe-scratch  lm-fortunes' MoE (8 experts top-2, expert_hidden 256) trained TOTAL steps
#   upcycled-*   the dense checkpoint at HALF steps upcycled to 8 experts, trained HALF more
# Every row has seen TOTAL steps x 4096 tokens. Prints one line per row: held-out bits/byte
# overall and per language, parameters, active parameters and wall time.
#
#   bench/merging.sh [TOTAL]          # default 400 steps (about 9 minutes on 2 cores)
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cli=${MOESCOPE_BUILD_DIR:-$root/build}/app/moescope-cli
total=${1:-400}
half=$((total / 2))
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$cli" config lm-fortunes | sed 's/"ffn": "moe"/"ffn": "dense"/; s/"expert_hidden": 256/"expert_hidden": 512/' \
  > "$work/dense.json"
grep -q '"ffn": "dense"' "$work/dense.json" || { echo "merging.sh: no ffn key in the lm-fortunes config" >&2; exit 1; }

# row NAME SECONDS LOG: the last evaluation of a training log.
row() {
  local name=$1 seconds=$2 log=$3
  local eval domains params
  eval=$(grep -E '^eval step' "$log" | tail -n 1 | sed -E 's/.*= ([0-9.]+) bits\/byte.*/\1/')
  domains=$(grep -E 'bits/byte by domain' "$log" | tail -n 1 | sed -E 's/.*domain: //')
  params=$(grep -E '^params: ' "$log" | head -n 1 | sed -E 's/^params: ([0-9.]+M) \(([0-9.]+M) active.*/\1 parameters, \2 active/')
  printf '%-24s %s bits/byte  (%s)  %s  %5.0f s\n' "$name" "$eval" "$domains" "$params" "$seconds"
}
timed() {  # timed LOG COMMAND...: runs it, its output into LOG, and prints the seconds it took
  local log=$1
  shift
  local start=$SECONDS
  "$@" > "$log" 2>&1 || { cat "$log" >&2; exit 1; }
  echo $((SECONDS - start))
}

echo "lm-fortunes, $total steps x 4096 tokens for every row ($half before the upcycling)"
t_dense_half=$(timed "$work/dense-half.log" "$cli" train --config "$work/dense.json" --steps "$half" \
  --checkpoint "$work/dense-half.pt")
t_dense_rest=$(timed "$work/dense.log" "$cli" train --resume "$work/dense-half.pt" --steps "$total")
row "dense, trained on" $((t_dense_half + t_dense_rest)) "$work/dense.log"
t=$(timed "$work/moe.log" "$cli" train --preset lm-fortunes --steps "$total")
row "moe-scratch (top-2)" "$t" "$work/moe.log"

for variant in "top1 --top-k 1" "top2 --top-k 2" "top2-drop0.5 --top-k 2 --drop-ratio 0.5"; do
  name=${variant%% *}
  args=${variant#* }
  # shellcheck disable=SC2086
  t_up=$(timed "$work/up-$name.txt" "$cli" upcycle --checkpoint "$work/dense-half.pt" --experts 8 $args \
    --out "$work/up-$name.pt")
  t_train=$(timed "$work/up-$name.log" "$cli" train --resume "$work/up-$name.pt" --steps "$half")
  grep -E 'measured on the held-out' "$work/up-$name.txt" | sed "s/^/  upcycled-$name at the start: /"
  row "upcycled-$name" $((t_dense_half + t_up + t_train)) "$work/up-$name.log"
done
