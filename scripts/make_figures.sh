#!/usr/bin/env bash
# Regenerates the figures of docs/guide.md and of the README (docs/images/guide/*.png) from
# run logs: it trains short runs of three presets, previews a merge of the first, and draws
# every view with `moescope-cli plot`. With Xvfb it also takes a screenshot of the window
# replaying the first run. About 6 minutes on 2 cores, after scripts/run.sh or scripts/test.sh
# has built the project.
#
#   scripts/make_figures.sh              # into docs/images/guide/
#   MOESCOPE_BUILD_DIR=other-build scripts/make_figures.sh
#   MOESCOPE_FIGURES_DIR=/tmp/figs scripts/make_figures.sh
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=${MOESCOPE_BUILD_DIR:-$root/build}
out=${MOESCOPE_FIGURES_DIR:-$root/docs/images/guide}
cli=$build/app/moescope-cli
gui=$build/app/moescope
dpi=${MOESCOPE_FIGURES_DPI:-150}

if [[ ! -x $cli ]]; then
  echo "make_figures.sh: $cli is missing; build first (scripts/run.sh or scripts/test.sh)" >&2
  exit 1
fi
if ! "$cli" plot --help > /dev/null 2>&1; then
  echo "make_figures.sh: $cli has no plot command (it comes with the GUI build, -DMOESCOPE_GUI=ON)" >&2
  exit 1
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$out"
export QT_QPA_PLATFORM=offscreen

step() { printf '\n== %s\n' "$*"; }
plot() {  # plot LOG VIEW NAME [plot options...]
  local log=$1 view=$2 name=$3
  shift 3
  "$cli" plot --log "$log" --view "$view" --dpi "$dpi" --out "$out/$name.png" "$@" 2> "$work/plot.err" \
    || { cat "$work/plot.err" >&2; exit 1; }
}

step "lm-fortunes, 300 steps (about 2 minutes)"
"$cli" train --preset lm-fortunes --steps 300 --log "$work/lm.h5" --checkpoint "$work/lm.pt"
plot "$work/lm.h5" loss loss
plot "$work/lm.h5" heatmap heatmap
plot "$work/lm.h5" timeline timeline --layer 1
plot "$work/lm.h5" gating gating
plot "$work/lm.h5" trajectories trajectories
plot "$work/lm.h5" tokens tokens --layer 1
plot "$work/lm.h5" modality domains --layer 1

step "collapse-demo, 120 steps (under a minute; alerts from step 65)"
"$cli" train --preset collapse-demo --steps 120 --log "$work/collapse.h5"
plot "$work/collapse.h5" heatmap collapse-heatmap
plot "$work/collapse.h5" alerts alerts

step "fusion-fmnist (moma layout), 150 steps (about 2 minutes)"
"$cli" config fusion-fmnist | sed 's/"layout": "shared"/"layout": "moma"/' > "$work/fusion.json"
grep -q '"layout": "moma"' "$work/fusion.json" || { echo "make_figures.sh: no layout key in the fusion config" >&2; exit 1; }
"$cli" train --config "$work/fusion.json" --steps 150 --log "$work/fusion.h5"
plot "$work/fusion.h5" modality modality

step "merge preview of the lm-fortunes checkpoint (HC-SMoE, 8 -> 6 experts)"
"$cli" merge --checkpoint "$work/lm.pt" --experts 6 --log "$work/merge.h5"
plot "$work/merge.h5" surgery surgery --layer 1

step "the window replaying lm-fortunes (Xvfb)"
if command -v xvfb-run > /dev/null && command -v xwd > /dev/null && command -v xwininfo > /dev/null && command -v convert-im6.q16 > /dev/null \
   && [[ -x $gui ]]; then
  mkdir -p "$work/config"
  # A fresh settings folder: the default layout at the default size, in English.
  XDG_CONFIG_HOME=$work/config LANGUAGE=en LC_ALL=C.UTF-8 QT_QPA_PLATFORM=xcb \
    xvfb-run -a -s "-screen 0 1600x1000x24" bash -c '
      "$1" --replay "$2" & pid=$!
      sleep 12
      # The main window itself, without the empty screen around it.
      id=$(xwininfo -root -tree | grep -E "\(\"moescope\" \"moescope\"\) +[0-9]{3,}x" | awk "{print \$1; exit}")
      if [ -n "$id" ]; then where="-id $id"; else where=-root; fi
      xwd -silent $where | convert-im6.q16 xwd:- png:"$3"
      kill $pid 2> /dev/null; wait $pid 2> /dev/null; true' _ "$gui" "$work/lm.h5" "$out/window.png"
  echo "  $out/window.png"
else
  echo "  skipped: needs xvfb-run, xwd, xwininfo and convert-im6.q16 (apt install xvfb x11-apps x11-utils imagemagick) and $gui"
fi

step "done: $(ls "$out" | wc -l) figures in $out"
