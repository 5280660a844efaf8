#!/usr/bin/env bash
# Runs one libFuzzer harness for MOESCOPE_FUZZ_SECONDS (default 60) on its corpus (kept in the
# build folder between runs, seeded from SEEDS) and prints what it did: executions, corpus
# size, coverage. A finding (crash-*, timeout-*, oom-* file) fails the test and is kept.
#   run_fuzzer.sh FUZZER SEEDS CORPUS [DICT]
set -euo pipefail
fuzzer=$1 seeds=$2 corpus=$3 dict=${4:-}
seconds=${MOESCOPE_FUZZ_SECONDS:-60}
mkdir -p "$corpus" "$corpus.findings"
args=(-max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -malloc_limit_mb=2048
      -max_len=65536 -print_final_stats=1 -artifact_prefix="$corpus.findings/")  # -timeout: seconds per input
[ -n "$dict" ] && [ -f "$dict" ] && args+=(-dict="$dict")
log=$(mktemp)
trap 'rm -f "$log"' EXIT
# Earlier findings first: each must pass now (then it joins the corpus as a regression input).
for old in "$corpus.findings"/*; do
  [ -f "$old" ] || continue
  if ! "$fuzzer" -runs=1 "$old" >"$log" 2>&1; then
    tail -40 "$log"
    echo "$(basename "$fuzzer"): FINDING still reproduces: $old"
    exit 1
  fi
  mv "$old" "$corpus/"
done
status=0
ASAN_OPTIONS="detect_leaks=1:${ASAN_OPTIONS:-}" "$fuzzer" "${args[@]}" "$corpus" "$seeds" >"$log" 2>&1 || status=$?
name=$(basename "$fuzzer")
runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo 0)
cov=$(grep -o 'cov: [0-9]* ft: [0-9]*' "$log" | tail -1 || true)
echo "$name: $runs executions in ${seconds} s, $(ls "$corpus" | wc -l) inputs in the corpus, $cov"
if [ "$status" -ne 0 ] || ls "$corpus.findings"/* >/dev/null 2>&1; then
  grep -v '^#\|^INFO\|^MERGE\|^Loaded\|^Done' "$log" | tail -60
  echo "$name: FINDING (exit $status), inputs kept in $corpus.findings/"
  exit 1
fi
