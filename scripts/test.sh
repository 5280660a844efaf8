#!/usr/bin/env bash
# Sets up, builds and runs the whole test suite with ctest (GUI tests run offscreen).
# Extra arguments go to ctest (e.g. scripts/test.sh -L core).
#
# Longer checks, outside CI's budget (.ci/run runs the plain suite), each in a build folder
# of its own:
#   scripts/test.sh --sanitize   the whole suite built with ASan + UBSan   (build-asan)
#   scripts/test.sh --tsan       engine, bus, log and window tests, TSan  (build-tsan)
#   scripts/test.sh --fuzz       libFuzzer on our parsers, bounded time     (build-fuzz)
#                                (MOESCOPE_FUZZ_SECONDS per parser, default 60)
set -euo pipefail
cd "$(dirname "$0")/.."
here=$(pwd)
mode=plain
case "${1:-}" in
  --sanitize|--asan) mode=asan; shift ;;
  --tsan) mode=tsan; shift ;;
  --fuzz) mode=fuzz; shift ;;
esac

scripts/setup.sh
labels=()
case $mode in
  asan)
    export MOESCOPE_BUILD_DIR=${MOESCOPE_BUILD_DIR:-build-asan}
    export MOESCOPE_CMAKE_ARGS="-DMOESCOPE_SANITIZE=address,undefined -DMOESCOPE_BENCH=OFF ${MOESCOPE_CMAKE_ARGS:-}"
    # LibTorch's CUDA runtime maps memory where ASan keeps its shadow gap; leaks are checked
    # with third-party frames suppressed; any UB report fails the test that made it.
    export ASAN_OPTIONS="protect_shadow_gap=0:detect_leaks=1:abort_on_error=0:${ASAN_OPTIONS:-}"
    export LSAN_OPTIONS="suppressions=$here/tests/sanitizers/lsan.supp:print_suppressions=0:${LSAN_OPTIONS:-}"
    export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:suppressions=$here/tests/sanitizers/ubsan.supp:${UBSAN_OPTIONS:-}"
    export MOESCOPE_SANITIZED=address
    ;;
  tsan)
    export MOESCOPE_BUILD_DIR=${MOESCOPE_BUILD_DIR:-build-tsan}
    export MOESCOPE_CMAKE_ARGS="-DMOESCOPE_SANITIZE=thread -DMOESCOPE_BENCH=OFF ${MOESCOPE_CMAKE_ARGS:-}"
    # libgomp and LibTorch's thread pool are not instrumented: LibTorch runs single-threaded.
    export OMP_NUM_THREADS=1 MKL_NUM_THREADS=1
    export TSAN_OPTIONS="suppressions=$here/tests/sanitizers/tsan.supp:halt_on_error=1:second_deadlock_stack=1:${TSAN_OPTIONS:-}"
    export MOESCOPE_SANITIZED=thread
    # The tests with threads of their own: the engine (session, run job, checkpoints), the
    # event bus, the log writer and the window.
    export MOESCOPE_BUILD_TARGETS="test_engine test_bus test_io test_main_window test_window_stress"
    labels=(-R '^(SessionTest|RunJobTest|CheckpointTest|RunLog|LogRepair|SurgeryLog|bus[.]|app[.]main_window|app[.]window_stress)')
    ;;
  fuzz)
    export MOESCOPE_BUILD_DIR=${MOESCOPE_BUILD_DIR:-build-fuzz}
    export MOESCOPE_CMAKE_ARGS="-DMOESCOPE_FUZZ=ON -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ -DMOESCOPE_GUI=OFF -DMOESCOPE_HDF5=OFF -DMOESCOPE_BENCH=OFF ${MOESCOPE_CMAKE_ARGS:-}"
    labels=(-L fuzz)
    ;;
esac
scripts/build.sh
cd "${MOESCOPE_BUILD_DIR:-build}"
QT_QPA_PLATFORM=offscreen ctest --output-on-failure -j"$(nproc)" --timeout 600 "${labels[@]}" "$@"
