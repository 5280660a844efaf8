#!/usr/bin/env bash
# Sets up, builds and runs the whole test suite with ctest (GUI tests run offscreen).
# Extra arguments go to ctest (e.g. scripts/test.sh -L core).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh
cd "${MOESCOPE_BUILD_DIR:-build}"
QT_QPA_PLATFORM=offscreen ctest --output-on-failure -j"$(nproc)" --timeout 600 "$@"
