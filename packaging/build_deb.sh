#!/usr/bin/env bash
# Builds the Debian package of MoE Scope: moescope_<version>_amd64.deb, CPU-only.
#   scripts/setup.sh (Debian packages, the torch wheel), then a RelWithDebInfo build with
#   -DMOESCOPE_TORCH_CPU_ONLY=ON in ${MOESCOPE_DEB_BUILD_DIR:-<clone>/../build-deb}, then
#   cpack -G DEB (cmake/packaging.cmake: bundles libtorch_cpu/c10 in /usr/lib/moescope, strips,
#   zstd). Prints the .deb's path and what it weighs. Slow (a full build); not part of ctest.
# Then: packaging/test_deb.sh <the .deb> installs it in a fresh Debian 12 root and runs it.
set -euo pipefail
cd "$(dirname "$0")/.."
SRC=$(pwd)
VENV=${MOESCOPE_VENV:-$HOME/.cache/moescope/venv}
BUILD_DIR=${MOESCOPE_DEB_BUILD_DIR:-$(dirname "$SRC")/build-deb}
say() { printf '[deb] %s\n' "$*"; }
die() { printf '[deb] error: %s\n' "$*" >&2; exit 1; }

scripts/setup.sh
export PATH=/usr/local/cuda/bin:$PATH   # find_package(Torch) of the CUDA wheel wants nvcc

# The metadata first: a broken file fails in seconds, not after the build.
if command -v appstreamcli >/dev/null; then
  appstreamcli validate --no-net packaging/io.github.moescope.metainfo.xml
fi
if command -v desktop-file-validate >/dev/null; then
  desktop-file-validate packaging/moescope.desktop
fi

prefix=$("$VENV/bin/python" -c 'import torch; print(torch.utils.cmake_prefix_path)')
say "configuring $BUILD_DIR (CPU-only LibTorch, no tests, no benchmarks)"
mkdir -p "$BUILD_DIR"
cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_PREFIX_PATH="$prefix" -DMOESCOPE_PYTHON="$VENV/bin/python" \
  -DMOESCOPE_TORCH_CPU_ONLY=ON -DMOESCOPE_TESTS=OFF -DMOESCOPE_BENCH=OFF \
  -DCMAKE_INSTALL_PREFIX=/usr ${MOESCOPE_CMAKE_ARGS:-} \
  >"$BUILD_DIR/configure.log" 2>&1 || { tail -40 "$BUILD_DIR/configure.log" >&2; die "configure failed"; }

say "building (a first build takes long; ccache makes later ones fast)"
cmake --build "$BUILD_DIR" -- -j"$(nproc)"

# The programs must not name libtorch.so, libtorch_cuda.so or any CUDA library.
for program in moescope moescope-cli; do
  bin="$BUILD_DIR/app/$program"
  [ -x "$bin" ] || die "$bin was not built (CLI11, Qt 6 and HDF5 are needed)"
  if readelf -d "$bin" | grep -E 'NEEDED.*\[lib(torch|torch_cuda[a-z_]*|c10_cuda|cuda|cudart|cublas[A-Za-z]*|cudnn[a-z_]*|nccl)\.so' ; then
    die "$program links CUDA LibTorch libraries: MOESCOPE_TORCH_CPU_ONLY did not take"
  fi
done

say "packaging (cpack -G DEB)"
rm -f "$BUILD_DIR"/moescope_*.deb
(cd "$BUILD_DIR" && cpack -G DEB >cpack.log 2>&1) || { tail -40 "$BUILD_DIR/cpack.log" >&2; die "cpack failed (log: $BUILD_DIR/cpack.log)"; }
deb=$(ls "$BUILD_DIR"/moescope_*.deb)
bytes=$(stat -c %s "$deb")
installed=$(dpkg-deb -f "$deb" Installed-Size)   # KiB
say "package: $deb"
say "weighs $(awk -v b="$bytes" 'BEGIN { printf "%.1f MiB (%d bytes)", b / 1048576, b }') as a .deb (zstd), $(awk -v k="$installed" 'BEGIN { printf "%.0f MiB", k / 1024 }') installed"
dpkg-deb -f "$deb" Package Version Architecture Depends Recommends Suggests | sed 's/^/[deb]   /'
