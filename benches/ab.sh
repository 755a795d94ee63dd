#!/usr/bin/env bash
# Two binaries (or more) on one command, interleaved in one run: on a shared machine the same
# command varies by ±20 % from one minute to the next, so before/after is a ratio of medians
# taken side by side, never two runs apart. Prints, per binary, the median and minimum of
# wall time and of CPU time (user + sys), the peak RSS, and each median over the first's.
# Usage: benches/ab.sh ROUNDS BIN_A BIN_B [BIN_C…] -- ARGS…
#   e.g. benches/ab.sh 5 /tmp/before/confthemes target/release/confthemes -- themes t.jsonl --k 10
# Output files are whatever ARGS write (use --json to a discarded stdout, or an --out in /tmp).
set -euo pipefail
rounds=$1
shift
bins=()
while [ $# -gt 0 ] && [ "$1" != "--" ]; do
  bins+=("$1")
  shift
done
[ "${1:-}" = "--" ] && shift
[ ${#bins[@]} -ge 2 ] && [ $# -ge 1 ] || {
  echo "usage: benches/ab.sh ROUNDS BIN_A BIN_B [BIN_C…] -- ARGS…" >&2
  exit 2
}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for _ in $(seq 1 "$rounds"); do
  for i in "${!bins[@]}"; do
    /usr/bin/time -f "$i %e %U %S %M" -a -o "$work/times" "${bins[$i]}" "$@" >/dev/null 2>&1 || {
      echo "${bins[$i]} $* failed" >&2
      exit 1
    }
  done
done
python3 - "$work/times" "${bins[@]}" <<'PY'
import statistics, sys
runs = {}
for line in open(sys.argv[1]):
    i, wall, user, sys_, rss = line.split()
    runs.setdefault(int(i), []).append((float(wall), float(user) + float(sys_), int(rss) / 1024))
bins = sys.argv[2:]
base = None
print("| binary | runs | wall median (min) s | CPU median (min) s | peak MiB | wall / first | CPU / first |")
print("|---|---:|---:|---:|---:|---:|---:|")
for i, b in enumerate(bins):
    r = runs[i]
    wall = statistics.median(x[0] for x in r)
    cpu = statistics.median(x[1] for x in r)
    base = base or (wall, cpu)
    print(f"| {b} | {len(r)} | {wall:.2f} ({min(x[0] for x in r):.2f}) | {cpu:.2f} ({min(x[1] for x in r):.2f}) "
          f"| {max(x[2] for x in r):.0f} | {wall / base[0]:.2f} | {cpu / base[1]:.2f} |")
PY
