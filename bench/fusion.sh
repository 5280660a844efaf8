#!/usr/bin/env bash
# Trains fusion-fmnist once per expert layout in bench/fusion/*.json (dense, shared, moma with
# token-choice top-2 and with expert choice, moiie, mot) at the same token budget and prints
# the table of docs/fusion.md. Usage: bench/fusion.sh [steps] [out-dir]
# (about 6 minutes per row on 2 CPU cores at the default 1000 steps).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
steps="${1:-1000}"
out="${2:-$root/build/bench-fusion}"
cli="${MOESCOPE_CLI:-$root/build/app/moescope-cli}"
python="${MOESCOPE_PYTHON:-${MOESCOPE_VENV:-$HOME/.cache/moescope/venv}/bin/python}"
mkdir -p "$out"
for config in "$here"/fusion/*.json; do
  name="$(basename "$config" .json)"
  if [[ -f "$out/$name.h5" && -f "$out/$name.done" ]]; then continue; fi
  echo "== $name" >&2
  if "$cli" train --config "$config" --steps "$steps" --log "$out/$name.h5" > "$out/$name.txt" 2>&1; then
    touch "$out/$name.done"
  else
    echo "   failed: $(tail -n 1 "$out/$name.txt")" >&2
    rm -f "$out/$name.h5"
  fi
done
shopt -s nullglob
logs=("$out"/*.h5)
"$python" "$here/fusion_table.py" "${logs[@]}"
