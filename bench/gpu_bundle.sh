#!/usr/bin/env bash
# Fills .device/ (git-ignored) with what a GPU server that has only CUDA, CMake, ninja and
# PyTorch lacks for bench/gpu.sh: the GoogleTest sources, nlohmann/json.hpp, the zlib, PCRE2 and
# utf8proc headers and libraries, and the fortunes text for lm-fortunes. About 14 MB; run it here, then carry
# .device to the GPU machine:  bench/gpu_bundle.sh && <device run> bash bench/gpu.sh
set -euo pipefail
cd "$(dirname "$0")/.."
out=.device
rm -rf "$out"
mkdir -p "$out/include" "$out/lib"
cp -r /usr/src/googletest "$out/googletest"
cp -r /usr/include/nlohmann "$out/include/"
cp /usr/include/zlib.h /usr/include/zconf.h "$out/include/"
cp -L /usr/lib/x86_64-linux-gnu/libz.so "$out/lib/libz.so"
cp /usr/include/pcre2.h /usr/include/utf8proc.h "$out/include/"
for lib in libpcre2-8.so libpcre2-8.so.0 libutf8proc.so libutf8proc.so.2; do
  cp -L "/usr/lib/x86_64-linux-gnu/$lib" "$out/lib/$lib"
done
cp -r /usr/share/games/fortunes "$out/fortunes"
du -sh "$out"
