#!/usr/bin/env bash
# Installs what MoE Scope needs, only what is missing; fast when everything is there.
#   Debian 12 packages: Qt 6, HDF5, GoogleTest, nlohmann-json, CLI11, PCRE2, utf8proc, build tools,
#   data, and the sanitizer and libFuzzer runtimes of the longer checks.
#   LibTorch 2.11.0 (CUDA 13.0 build) from the official torch wheel, in a virtual
#   environment outside the clone: ${MOESCOPE_VENV:-$HOME/.cache/moescope/venv}.
set -euo pipefail

VENV=${MOESCOPE_VENV:-$HOME/.cache/moescope/venv}
TORCH_VERSION=2.11.0
# The reference client for the Hugging Face tests (tiny models made in the tests; nothing is
# downloaded at test time). Installed with torch held at TORCH_VERSION.
TRANSFORMERS_VERSION=5.25.0
TOKENIZERS_VERSION=0.23.3

say() { printf '[setup] %s\n' "$*"; }
die() { printf '[setup] error: %s\n' "$*" >&2; exit 1; }

APT_PACKAGES=(
  cmake g++ ninja-build ccache pkg-config
  qt6-base-dev qt6-charts-dev qt6-svg-dev qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools
  libqt6opengl6-dev libxkbcommon-dev libgl-dev
  libhdf5-dev hdf5-tools zlib1g-dev libpcre2-dev libutf8proc-dev
  libgtest-dev googletest libbenchmark-dev nlohmann-json3-dev libcli11-dev
  xvfb xauth python3-venv poppler-utils fonts-noto-cjk qt6-translations-l10n
  dataset-fashion-mnist fortunes fortunes-de fortunes-es fortunes-it
  # scripts/test.sh --sanitize / --tsan (GCC's runtimes) and --fuzz (clang's libFuzzer)
  libasan8 libubsan1 libtsan2 clang libclang-rt-14-dev
)

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  say "installing Debian packages: ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  apt_log=$(mktemp)
  { $SUDO apt-get update -qq || true; } >"$apt_log" 2>&1
  if ! DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
       "${missing[@]}" >>"$apt_log" 2>&1; then
    tail -20 "$apt_log" >&2
    die "apt-get could not install: ${missing[*]} (full log: $apt_log)"
  fi
  rm -f "$apt_log"
fi

# find_package(Torch) of the CUDA build needs the CUDA toolkit (nvcc), even to build for CPU.
if ! command -v nvcc >/dev/null 2>&1; then
  if [ -x /usr/local/cuda/bin/nvcc ]; then
    export PATH=/usr/local/cuda/bin:$PATH
  else
    die "nvcc not found. LibTorch's CUDA 13.0 build needs the CUDA 13.0 toolkit: install it
       (NVIDIA's cuda-toolkit-13-0 package) so that /usr/local/cuda/bin/nvcc exists, then run again."
  fi
fi

# The Python environment: torch (LibTorch for CMake), numpy, h5py, safetensors, transformers, tokenizers.
PY=/usr/bin/python3
[ -x "$PY" ] || PY=$(command -v python3)
if [ ! -x "$VENV/bin/python" ]; then
  say "creating the Python environment $VENV"
  mkdir -p "$(dirname "$VENV")"
  "$PY" -m venv "$VENV" || die "could not create $VENV (is python3-venv installed?)"
fi
if ! "$VENV/bin/python" - "$TORCH_VERSION" "$TRANSFORMERS_VERSION" "$TOKENIZERS_VERSION" <<'PYEOF' 2>/dev/null; then
import sys, importlib.metadata as md
torch_v, transformers_v, tokenizers_v = sys.argv[1:4]
assert md.version("torch").split("+")[0] == torch_v
assert md.version("transformers") == transformers_v
assert md.version("tokenizers") == tokenizers_v
for m in ("numpy", "h5py", "safetensors"):
    md.version(m)
PYEOF
  say "installing torch==$TORCH_VERSION, numpy, h5py, safetensors, transformers==$TRANSFORMERS_VERSION, tokenizers==$TOKENIZERS_VERSION into $VENV (a few GB, once)"
  "$VENV/bin/python" -m pip install -q --disable-pip-version-check "torch==$TORCH_VERSION" numpy h5py safetensors \
      "transformers==$TRANSFORMERS_VERSION" "tokenizers==$TOKENIZERS_VERSION" \
    || die "pip could not install torch==$TORCH_VERSION and the Python packages into $VENV"
  # transformers must not have replaced torch.
  "$VENV/bin/python" -c 'import importlib.metadata as md, sys; v = md.version("torch").split("+")[0]; sys.exit(0 if v == sys.argv[1] else "pip replaced torch %s by %s" % (sys.argv[1], v))' "$TORCH_VERSION" \
    || die "pip replaced torch $TORCH_VERSION in $VENV; remove $VENV and run again"
fi
"$VENV/bin/python" -c 'import torch,sys; v=torch.version.cuda or "cpu"; sys.exit(0) if v.startswith("13.") else sys.exit("torch build is CUDA %s, need 13.x" % v)' \
  || die "the torch in $VENV is not the CUDA 13 build; remove $VENV and run again"
say "ready: torch $("$VENV/bin/python" -c 'import torch;print(torch.__version__)') in $VENV"
