#!/usr/bin/env bash
# Sets up, builds and starts MoE Scope on the default session (lm-fortunes).
# With no display it runs the same session headless through moescope-cli and says so.
# Extra arguments go to the program (e.g. scripts/run.sh --preset vision-fmnist).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh
BUILD_DIR=${MOESCOPE_BUILD_DIR:-build}
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  exec "$BUILD_DIR/app/moescope" --preset lm-fortunes --start "$@"
fi
mkdir -p runs
log="runs/lm-fortunes-$(date +%Y%m%d-%H%M%S).h5"
echo "[run] no display found (DISPLAY is unset): running the headless default instead:"
echo "[run]   moescope-cli train --preset lm-fortunes --steps 300 --log $log"
echo "[run] to see the window, run with a display, or: xvfb-run -a scripts/run.sh"
exec "$BUILD_DIR/app/moescope-cli" train --preset lm-fortunes --steps 300 --log "$log" "$@"
