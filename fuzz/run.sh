#!/usr/bin/env bash
# Run every fuzz target in turn until it has used CPU_SECONDS of CPU (default 620: just over
# ten CPU-minutes, however busy the machine is), in chunks of at most five minutes that all
# grow fuzz/corpus/<target> (seed it from seeds/ first: see docs/performance.md).
# Prints the CPU seconds and executions of each target; crashing inputs land in
# fuzz/artifacts/<target>/ and belong in tests/ as regression cases.
# Needs a nightly toolchain and cargo-fuzz: `cargo install cargo-fuzz`.
# Usage: fuzz/run.sh [CPU_SECONDS] [TARGET...]
set -uo pipefail
cd "$(dirname "$0")"
goal=${1:-620}
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(proposals recap csv json manifest model readers tokenize dreamkast fortee sessionize pasted clip html)
fi
# FUZZ_SKIP_BUILD=1 runs the targets as last built (two runs side by side build once).
if [ -z "${FUZZ_SKIP_BUILD:-}" ]; then
  cargo +nightly fuzz build -O >/dev/null 2>&1 || { echo "cargo fuzz build failed" >&2; exit 1; }
fi
mkdir -p logs
for t in "${targets[@]}"; do
  mkdir -p "corpus/$t" "artifacts/$t"
  # Committed seeds (fuzz/seeds/<target>: depth and size at and past the readers' limits).
  if [ -d "seeds/$t" ]; then cp -n "seeds/$t"/* "corpus/$t/"; fi
  # The saved pages the reader tests use are seeds of the html target too (not copied twice).
  if [ "$t" = html ]; then cp -n ../tests/data/pages/*.html "corpus/$t/"; fi
  cpu=0
  runs=0
  status=0
  while [ "$(echo "$cpu < $goal" | bc)" = 1 ]; do
    chunk=$(echo "left = $goal - $cpu + 5; if (left > 300) 300 else left" | bc)
    chunk=${chunk%.*}
    # The built fuzzer itself, not `cargo fuzz run`: that would count a rebuild as fuzzing.
    /usr/bin/time -f "%U %S" -o "logs/$t.time" \
      "target/x86_64-unknown-linux-gnu/release/$t" -artifact_prefix="artifacts/$t/" \
        -max_total_time="$chunk" -rss_limit_mb=4096 -timeout=20 -print_final_stats=1 \
        "corpus/$t" >"logs/$t.log" 2>&1
    status=$?
    used=$(awk '{print $1 + $2}' "logs/$t.time" | tail -1)
    cpu=$(echo "$cpu + $used" | bc)
    n=$(grep -a 'stat::number_of_executed_units' "logs/$t.log" | awk '{print $2}')
    runs=$((runs + ${n:-0}))
    [ "$status" = 0 ] || break
  done
  last=$(tr '\r' '\n' <"logs/$t.log" | grep -aE '^#[0-9]+' | tail -1)
  printf '%-10s exit %s, CPU %ss, %s runs; last: %s\n' "$t" "$status" "$cpu" "$runs" "$last"
done
