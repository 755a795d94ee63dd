#!/usr/bin/env bash
# Compare with many groups (issue 23, "linear in groups"): the same synthetic talks (N,
# default 10,000) as a few events and as N one-talk events; wall time and peak memory of
# `compare --json` and of `themes --json` on the same file (the fit every analysing command
# runs), in one run, and the size of the JSON. Ratios, not thresholds: the groups must cost
# about what their talks do.
# Usage: benches/compare_groups.sh [N]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-10000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cargo build --release --quiet --bin confthemes --example gen_corpus
bin=$PWD/target/release/confthemes
target/release/examples/gen_corpus "$n" "$work/few.jsonl" 2>/dev/null
# Every talk its own event (names without a year, so no series forms), as JSONL and as the
# CSV an organizer would export (event,title,abstract).
python3 - "$work/few.jsonl" "$work/many.jsonl" "$work/many.csv" <<'PY'
import csv, json, sys
with open(sys.argv[1], encoding="utf-8") as src, open(sys.argv[2], "w", encoding="utf-8") as out, \
        open(sys.argv[3], "w", encoding="utf-8", newline="") as table:
    w = csv.writer(table)
    w.writerow(["event", "title", "abstract"])
    for i, line in enumerate(src):
        row = json.loads(line)
        row["event"] = f"Meetup No.{i + 1:05d}"
        out.write(json.dumps(row, ensure_ascii=False) + "\n")
        w.writerow([row["event"], row["title"], row.get("abstract", "")])
PY
measure() { # label, command...
  local label=$1; shift
  /usr/bin/time -f "%e %M" -o "$work/time" "$@" >"$work/out" 2>/dev/null
  read -r secs kb <"$work/time"
  printf '%-28s %6.2f s  %6.0f MB  output %6.1f MB\n' "$label" "$secs" "$(echo "$kb / 1024" | bc -l)" \
    "$(echo "$(stat -c %s "$work/out") / 1048576" | bc -l)"
}
echo "$n talks:"
measure "themes, few events" "$bin" themes "$work/few.jsonl" --json
measure "compare, few events" "$bin" compare "$work/few.jsonl" --json
measure "themes, one-talk events" "$bin" themes "$work/many.jsonl" --json
measure "compare, one-talk events" "$bin" compare "$work/many.jsonl" --json
measure "themes, one-talk events CSV" "$bin" themes "$work/many.csv"
measure "compare --by event, CSV" "$bin" compare "$work/many.csv" --by event
