#!/usr/bin/env bash
# Trains lm-fortunes once per router configuration in bench/routers/*.json at the same token
# budget and prints the table of docs/routers.md. Usage: bench/routers.sh [steps] [out-dir]
# (about a minute per row on 2 CPU cores at the default 200 steps).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
steps="${1:-200}"
out="${2:-$root/build/bench-routers}"
cli="$root/build/app/moescope-cli"
python="${MOESCOPE_PYTHON:-${MOESCOPE_VENV:-$HOME/.cache/moescope/venv}/bin/python}"
mkdir -p "$out"
for config in "$here"/routers/*.json; do
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
"$python" "$here/routers_table.py" "${logs[@]}"
