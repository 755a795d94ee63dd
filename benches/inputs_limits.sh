#!/usr/bin/env bash
# Input limits at the sizes and shapes that broke them (issues 23 and 24), timed in one run:
#   - `report` with default options on a 127 MiB JSONL of 100k generated talks
#     (benches/gen_corpus.rs): read under the default --max-file-size, wall time and peak
#     memory;
#   - a 350-byte web-clipper note whose YAML frontmatter is an alias bomb (8 levels of 9);
#   - 80k and 200k nested <div> (as .html, and as a .txt opening with <!doctype html>);
#   - one recap post of 40k talk headings, one HTML recap of 100k <h2>;
#   - 20k proposals + a recap of 20k talks whose titles share most bigrams.
# Each line: case, exit code, wall seconds, peak RSS MiB, the first line of stderr.
# Usage: benches/inputs_limits.sh [N_TALKS]   (default 100000); run from anywhere.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-100000}
bin=${CONFTHEMES_BIN:-target/release/confthemes}
[ -n "${CONFTHEMES_BIN:-}" ] || cargo build --release --quiet --bin confthemes
cargo build --release --quiet --example gen_corpus
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# run CASE ARGS...: one line of results.
run() {
  local name=$1
  shift
  local rc=0
  /usr/bin/time -f '%e %M' -o "$work/time" "$bin" "$@" >/dev/null 2>"$work/err" || rc=$?
  read -r secs kib <"$work/time" || true
  # /usr/bin/time appends "Command exited with non-zero status" first on failure.
  if ! [[ $secs =~ ^[0-9.]+$ ]]; then read -r secs kib < <(tail -n 1 "$work/time"); fi
  printf '%-34s exit %-3s %7ss %6s MiB  %s\n' "$name" "$rc" "$secs" "$((kib / 1024))" \
    "$(grep -v '^confthemes: warning' "$work/err" | head -n 1 | cut -c1-110)"
}

target/release/examples/gen_corpus "$n" "$work/talks.jsonl" >/dev/null
printf '%s: %s MiB, %s talks\n' talks.jsonl "$(( $(stat -c %s "$work/talks.jsonl") / 1048576 ))" "$n"
run "report, $n talks, default options" report "$work/talks.jsonl" --out "$work/report"

{
  printf -- '---\ntitle: x\na0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n'
  for i in 1 2 3 4 5 6 7 8; do
    p=$((i - 1))
    printf 'a%d: &a%d [*a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d]\n' "$i" "$i" $p $p $p $p $p $p $p $p $p
  done
  printf -- '---\n# x\n'
} >"$work/bomb.md"
printf 'bomb.md: %s bytes\n' "$(stat -c %s "$work/bomb.md")"
run "YAML alias bomb (.md)" ingest "$work/bomb.md" --event "X 2030"

for d in 80000 200000; do
  awk -v d="$d" 'BEGIN { printf "<!doctype html><html><body>"; for (i = 0; i < d; i++) printf "<div>"; printf "x"; for (i = 0; i < d; i++) printf "</div>"; print "</body></html>" }' >"$work/deep$d.html"
  cp "$work/deep$d.html" "$work/deep$d.txt"
  run "$d nested <div> (.html)" ingest "$work/deep$d.html" --event "X 2030"
  run "$d nested <div> (.txt)" ingest "$work/deep$d.txt" --event "X 2030"
done

awk 'BEGIN { print "SRE Kaigi 2030に行ってきた\n"; for (i = 1; i <= 40000; i++) printf "セッション%d の振り返り\n- 学んだこと%d\n- 感想%d\n\n", i, i, i }' >"$work/recap.md"
run "recap, 40k talk headings" ingest "$work/recap.md"
awk 'BEGIN { printf "<!doctype html><html><head><title>SRE Kaigi 2030に行ってきた</title></head><body><article><h1>SRE Kaigi 2030に行ってきた</h1>"; for (i = 1; i <= 100000; i++) printf "<h2>セッション%d の振り返り</h2><ul><li>学んだこと%d</li></ul>", i, i; print "</article></body></html>" }' >"$work/recap.html"
run "HTML recap, 100k <h2>" ingest "$work/recap.html"

mkdir -p "$work/match"
awk 'BEGIN { for (i = 1; i <= 20000; i++) printf "{\"event\": \"SRE Kaigi 2030\", \"title\": \"監視と障害と組織の話 その%d\"}\n", i }' >"$work/match/proposals.jsonl"
awk 'BEGIN { print "SRE Kaigi 2030に行ってきた\n"; for (i = 1; i <= 20000; i++) printf "監視と障害と組織の話 その%d\n- メモ\n\n", i }' >"$work/match/recap.md"
run "20k proposals + 20k recap talks" ingest "$work/match"
