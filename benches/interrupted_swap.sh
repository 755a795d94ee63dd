#!/usr/bin/env bash
# Interrupted report swap, issue 23: N runs (default 1000) of `report` over an existing report,
# each with one signal injected right after a write step (CONFTHEMES_TEST_SIGNAL_AT=STEP:MODE,
# see src/safe_io/write.rs), cycling through every step, the modes term (SIGTERM, the run
# races its handler), hold (SIGTERM, the run stops there) and kill (SIGKILL, no cleanup), and
# the swap by one exchange or by the fallback of two renames (CONFTHEMES_TEST_NO_EXCHANGE).
# After each run --out must be the complete old or the complete new report (byte for byte;
# the fallback killed between its renames may leave it absent until the next run); after a
# killed run the next run must leave the new report and no temporaries.
# Prints the counts; exit 1 when any --out was incomplete or a temporary was left.
# Usage: benches/interrupted_swap.sh [RUNS] [INPUT]   (default: 1000 seeds); CONFTHEMES_BIN=…
# runs another binary.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-1000}
input=$(realpath "${2:-seeds}")
if [ -n "${CONFTHEMES_BIN:-}" ]; then
  bin=$(realpath "$CONFTHEMES_BIN")
else
  cargo build --release --quiet --bin confthemes
  bin=$(realpath target/release/confthemes)
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

report() { # title out [env...]
  local title=$1 out=$2
  shift 2
  env "$@" "$bin" report "$input" --out "$out" --title "$title" --no-png --quiet 2>/dev/null
}
same() { diff -r "$1" "$2" >/dev/null 2>&1; }
leftovers() { find . -name '.confthemes-tmp-*' | wc -l; }

report old old
report new new
# Write steps of one run over a report: the first injection point that lets it finish, less
# one; the fallback of two renames has two more.
count_steps() { # env...
  local n=0
  rm -rf probe && cp -a old probe
  until report new probe CONFTHEMES_TEST_SIGNAL_AT=$((n + 1)):hold "$@"; do
    n=$((n + 1))
    rm -rf probe && cp -a old probe
  done
  rm -rf probe
  echo "$n"
}
steps_of=("$(count_steps)" "$(count_steps CONFTHEMES_TEST_NO_EXCHANGE=1)")
echo "write steps per run: ${steps_of[0]} (exchange), ${steps_of[1]} (fallback); report of $(find new -type f | wc -l) files"

incomplete=0 absent=0 left=0 bad_next=0 signalled=0
modes=(term hold kill)
start=$(date +%s.%N)
for ((i = 0; i < runs; i++)); do
  # Every (mode, step) of the exchange, then every one of the fallback, and again.
  round=$((3 * (steps_of[0] + steps_of[1])))
  j=$((i % round))
  if [ "$j" -lt $((3 * steps_of[0])) ]; then fallback=0; else fallback=1; j=$((j - 3 * steps_of[0])); fi
  mode=${modes[j % 3]}
  step=$((j / 3 + 1))
  rm -rf out && cp -a old out
  envs=(CONFTHEMES_TEST_SIGNAL_AT=$step:$mode)
  [ "$fallback" = 1 ] && envs+=(CONFTHEMES_TEST_NO_EXCHANGE=1)
  code=0
  (report new out "${envs[@]}") 2>/dev/null || code=$?
  [ "$code" != 0 ] && signalled=$((signalled + 1))
  if [ ! -e out ]; then
    absent=$((absent + 1))
    if [ "$mode" != kill ] || [ "$fallback" != 1 ]; then incomplete=$((incomplete + 1)); fi
  elif ! same out old && ! same out new; then
    incomplete=$((incomplete + 1))
    echo "incomplete --out: run $i, step $step, $mode, fallback $fallback" >&2
  fi
  if [ "$mode" = kill ]; then
    (report new out) 2>/dev/null || true
    same out new || { bad_next=$((bad_next + 1)); echo "next run did not restore: run $i" >&2; }
  fi
  n=$(leftovers)
  [ "$n" != 0 ] && { left=$((left + 1)); echo "temporaries left: run $i ($n)" >&2; find . -name '.confthemes-tmp-*' -exec rm -rf {} +; }
done
end=$(date +%s.%N)
echo "injected runs: $runs (ended by the signal: $signalled), $(awk "BEGIN {printf \"%.0f\", $end - $start}") s"
echo "incomplete --out: $incomplete"
echo "--out absent after SIGKILL between the fallback's two renames (restored by the next run): $absent"
echo "next run after SIGKILL not the new report: $bad_next"
echo "runs leaving temporaries: $left"
[ "$incomplete" = 0 ] && [ "$bad_next" = 0 ] && [ "$left" = 0 ]
