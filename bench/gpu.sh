#!/usr/bin/env bash
# Everything issue 9 asks to run on a GPU server, in one go (device time is short): builds
# moescope_core, its tests and the benches without Qt or HDF5 against the machine's own
# PyTorch, runs the tests, then the bf16 MoE-layer benchmark at T=16384 d=2048 h=1024 E=64
# top-8 (ours, dense, Python grouped-mm, Mixtral loop), and lm-fortunes tokens/s.
# Needs .device/ from bench/gpu_bundle.sh. Results go to $OUT (or ./gpu-results).
set -uo pipefail
cd "$(dirname "$0")/.."
deps=$PWD/.device
out=${OUT:-$PWD/gpu-results}
mkdir -p "$out"
python=${PYTHON:-python3}
prefix=$("$python" -c 'import torch; print(torch.utils.cmake_prefix_path)')
{ nvidia-smi; "$python" -c 'import torch; print(torch.__version__, torch.cuda.get_device_name(0))'; } > "$out/machine.txt" 2>&1

zlib=()
[ -f /usr/include/zlib.h ] || zlib=(-DZLIB_INCLUDE_DIR="$deps/include" -DZLIB_LIBRARY="$deps/lib/libz.so")
cmake -S . -B build-gpu -G Ninja -DCMAKE_BUILD_TYPE=Release -DMOESCOPE_GUI=OFF -DMOESCOPE_HDF5=OFF \
  -DCMAKE_PREFIX_PATH="$prefix" -DMOESCOPE_GTEST_SOURCE="$deps/googletest" \
  -DMOESCOPE_EXTRA_INCLUDE="$deps/include" -DMOESCOPE_EXTRA_LIB="$deps/lib" "${zlib[@]}" > "$out/configure.txt" 2>&1 || { tail -30 "$out/configure.txt"; exit 1; }
cmake --build build-gpu -j "$(nproc)" > "$out/build.txt" 2>&1 || { grep -m 20 -E "error|Error" "$out/build.txt"; exit 1; }
echo "built"

(cd build-gpu && ctest -j 8 --output-on-failure > "$out/ctest.txt" 2>&1); echo "ctest rc=$?"
tail -5 "$out/ctest.txt"

big=(--device cuda --dtype bf16 --tokens 16384 --d 2048 --hidden 1024 --experts 64 --top-k 8 --reps 10)
for kernel in grouped_mm segments; do
  build-gpu/bench/moe_vs_dense "${big[@]}" --kernel "$kernel" --peak 2>&1 | tee "$out/moe_vs_dense_$kernel.txt"
done
build-gpu/bench/moe_vs_dense --device cuda --dtype bf16 --reps 20 2>&1 | tee "$out/moe_vs_dense_small.txt"
"$python" bench/gpu_moe.py build-gpu/bench/moe_vs_dense 2>&1 | tee "$out/gpu_moe.txt"
for precision in bf16 fp32; do
  build-gpu/bench/train_throughput --device cuda --precision "$precision" --steps 200 \
    --fortunes "$deps/fortunes" 2>&1 | tee "$out/lm_fortunes_$precision.txt"
done
# Where the layer's time goes, for the note: the torch profiler over one ours-shaped step
# of the Python grouped-mm block is in gpu_moe; ours under nsys when it is there.
if command -v nsys > /dev/null; then
  nsys profile -o "$out/moe_layer" --force-overwrite true build-gpu/bench/moe_vs_dense "${big[@]}" \
    --experts 64 --moe-only --reps 5 > /dev/null 2>&1 && nsys stats --report cuda_gpu_kern_sum \
    "$out/moe_layer.nsys-rep" 2>/dev/null | head -40 > "$out/moe_layer_kernels.txt"
fi
