#!/usr/bin/env bash
# The merging recipes against their references at equal training tokens on lm-fortunes
# (docs/merging.md):
#   dense        the dense model (expert_hidden 512), HALF steps, then trained on to TOTAL
#   moe-scratch  lm-fortunes' MoE (8 experts top-2, expert_hidden 256) trained TOTAL steps
#   upcycled-*   the dense checkpoint at HALF steps upcycled to 8 experts, trained HALF more
#                (random router; "hidden": routers from each language's text, expert e <- language e mod 4)
#   btx-*        Branch-Train-MiX from the dense checkpoint at HALF steps: 4 branches of HALF/8
#                steps (one per language), mixed into 4 experts top-2, trained HALF/2 more
#   branch-soup  the 4 branches averaged in weight space (a dense model), not trained on
# Every row has seen TOTAL steps x 4096 tokens. Prints one line per row: held-out bits/byte
# overall and per language, parameters, active parameters and wall time. Then the loss-barrier
# curves between two dense runs from different seeds (HALF steps each), before and after
# permutation alignment, and their merges.
#
#   bench/merging.sh [TOTAL]          # default 400 steps (about 17 minutes on 2 cores)
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
  params=$(grep -E '^params: ' "$log" | tail -n 1 | sed -E 's/^params: ([0-9.]+M) \(([0-9.]+M) active.*/\1 parameters, \2 active/')
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

# Router texts for the hidden initialisation: each language's fortunes in one file.
fortunes=/usr/share/games/fortunes
for lang in en de es it; do
  dir=$fortunes
  [ "$lang" = en ] || dir=$fortunes/$lang
  find "$dir" -maxdepth 1 -type f ! -name '*.dat' ! -name '*.u8' -print0 | sort -z | xargs -0 cat > "$work/text-$lang.txt"
done
t_up=$(timed "$work/up-hidden.txt" "$cli" upcycle --checkpoint "$work/dense-half.pt" --experts 8 --top-k 2 \
  --router-texts "$work"/text-{en,de,es,it}.txt --out "$work/up-hidden.pt")
t_train=$(timed "$work/up-hidden.log" "$cli" train --resume "$work/up-hidden.pt" --steps "$half")
grep -E 'measured on the held-out' "$work/up-hidden.txt" | sed "s/^/  upcycled-top2-hidden at the start: /"
row "upcycled-top2-hidden" $((t_dense_half + t_up + t_train)) "$work/up-hidden.log"

branch=$((half / 8))
mix=$((half / 2))
for init in hidden random; do
  t=$(timed "$work/btx-$init.log" "$cli" btx --seed "$work/dense-half.pt" --branch-steps "$branch" --mix-steps "$mix" \
    --router-init "$init" --branches-dir "$work/branches-$init" --out "$work/btx-$init.pt" --report "$work/btx-$init.json")
  grep -E '^  (branch|mixed)' "$work/btx-$init.log" | sed "s/^/  btx-$init /"
  row "btx-$init" $((t_dense_half + t)) "$work/btx-$init.log"
done
t=$(timed "$work/soup.log" "$cli" merge-models --checkpoints "$work"/branches-hidden/branch_{en,de,es,it}.pt \
  --out "$work/soup.pt")
grep -E '^  merged' "$work/soup.log" | sed 's/^  merged */branch-soup (not trained on)  /'

echo "loss barrier between two dense runs from different seeds ($half steps each), bits/byte at a = 0, 0.1, ..., 1:"
for seed in 1 2; do
  sed "s/\"seed\": [0-9]*/\"seed\": $seed/" "$work/dense.json" > "$work/dense-seed$seed.json"
  timed "$work/seed$seed.log" "$cli" train --config "$work/dense-seed$seed.json" --steps "$half" \
    --checkpoint "$work/seed$seed.pt" > /dev/null
done
timed "$work/barrier.log" "$cli" merge-models --checkpoints "$work/seed1.pt" "$work/seed2.pt" --align --barrier \
  --out "$work/aligned.pt" > /dev/null
grep -E 'aligned |alignment|^  ' "$work/barrier.log" | grep -v 'checkpoint written'
timed "$work/plain.log" "$cli" merge-models --checkpoints "$work/seed1.pt" "$work/seed2.pt" --out "$work/plain.pt" > /dev/null
grep -E '^  merged' "$work/plain.log" | sed 's/^  merged */linear merge without alignment  /'
