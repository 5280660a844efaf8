#!/usr/bin/env bash
# Configures (once) and builds MoE Scope into ${MOESCOPE_BUILD_DIR:-build} with ninja and ccache.
# Expects scripts/setup.sh to have run.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${MOESCOPE_VENV:-$HOME/.cache/moescope/venv}
BUILD_DIR=${MOESCOPE_BUILD_DIR:-build}
export PATH=/usr/local/cuda/bin:$PATH
if [ ! -f "$BUILD_DIR/build.ninja" ]; then
  prefix=$("$VENV/bin/python" -c 'import torch; print(torch.utils.cmake_prefix_path)')
  cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_PREFIX_PATH="$prefix" -DMOESCOPE_PYTHON="$VENV/bin/python" ${MOESCOPE_CMAKE_ARGS:-} \
    >"$BUILD_DIR.configure.log" 2>&1 || { tail -40 "$BUILD_DIR.configure.log" >&2; exit 1; }
fi
echo "[build] building in $BUILD_DIR (first build takes several minutes; ccache makes later ones fast)"
# MOESCOPE_BUILD_TARGETS: only these targets (scripts/test.sh --tsan); default all.
read -r -a targets <<<"${MOESCOPE_BUILD_TARGETS:-}"
cmake --build "$BUILD_DIR" ${targets[@]:+--target "${targets[@]}"} -- -j"$(nproc)"
