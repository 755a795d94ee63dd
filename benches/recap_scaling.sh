#!/usr/bin/env bash
# Recap reading at N and 4N (issue 23): one Markdown recap post of N talk headings, one HTML
# recap of N <h2>, and N proposals + a recap of N talks whose titles share most bigrams,
# each `confthemes ingest`-ed. Prints CPU seconds (user+sys) and peak RSS at each size and
# the ratio t(4N)/t(N): about 4 is linear, 16 quadratic. No timed assertions anywhere;
# tests/safety.rs checks only that the big recap is read whole.
# Usage: benches/recap_scaling.sh [N]   (default 10000: 10k/40k headings, 25k/100k <h2>,
# 5k/20k proposals + as many recap talks: the sizes issue 23 names); run from anywhere.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-10000}
bin=${CONFTHEMES_BIN:-target/release/confthemes}
[ -n "${CONFTHEMES_BIN:-}" ] || cargo build --release --quiet --bin confthemes
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

md() { awk -v n="$1" 'BEGIN { print "SRE Kaigi 2030に行ってきた\n"; for (i = 1; i <= n; i++) printf "セッション%d の振り返り\n- 学んだこと%d\n- 感想%d\n\n", i, i, i }'; }
html() { awk -v n="$1" 'BEGIN { printf "<!doctype html><html><head><title>SRE Kaigi 2030に行ってきた</title></head><body><article><h1>SRE Kaigi 2030に行ってきた</h1>"; for (i = 1; i <= n; i++) printf "<h2>セッション%d の振り返り</h2><ul><li>学んだこと%d</li></ul>", i, i; print "</article></body></html>" }'; }
shared() {
  mkdir -p "$2"
  awk -v n="$1" 'BEGIN { for (i = 1; i <= n; i++) printf "{\"event\": \"SRE Kaigi 2030\", \"title\": \"監視と障害と組織の話 その%d\"}\n", i }' >"$2/proposals.jsonl"
  awk -v n="$1" 'BEGIN { print "SRE Kaigi 2030に行ってきた\n"; for (i = 1; i <= n; i++) printf "監視と障害と組織の話 その%d\n- メモ\n\n", i }' >"$2/recap.md"
}

# cpu PATH: "user+sys seconds<TAB>peak RSS MiB" of `ingest PATH`.
cpu() {
  /usr/bin/time -f '%U %S %M' -o "$work/time" "$bin" ingest "$1" >/dev/null 2>"$work/err" || {
    echo "ingest $1 failed: $(head -n 1 "$work/err")" >&2
    exit 1
  }
  awk '{ printf "%.2f\t%d", $1 + $2, $3 / 1024 }' "$work/time"
}

printf '| case | N | CPU s | peak MiB | 4N | CPU s | peak MiB | t(4N)/t(N) |\n|---|---|---|---|---|---|---|---|\n'
row() {
  local name=$1 small=$2 big=$3 a b
  a=$(cpu "$small")
  b=$(cpu "$big")
  printf '| %s | %s | %s | %s | %s |\n' "$name" "$4" "${a//$'\t'/ | }" "$5" "${b//$'\t'/ | }" |
    sed 's/ |$//' | tr -d '\n'
  printf ' | %s |\n' "$(echo "${a%%$'\t'*} ${b%%$'\t'*}" | awk '{ printf "%.1f", ($1 > 0 ? $2 / $1 : 0) }')"
}
md "$n" >"$work/recap-n.md"
md $((4 * n)) >"$work/recap-4n.md"
row "Markdown recap, talk headings" "$work/recap-n.md" "$work/recap-4n.md" "$n" $((4 * n))
html $((n * 5 / 2)) >"$work/recap-n.html"
html $((10 * n)) >"$work/recap-4n.html"
row "HTML recap, <h2>" "$work/recap-n.html" "$work/recap-4n.html" $((n * 5 / 2)) $((10 * n))
shared $((n / 2)) "$work/shared-n"
shared $((2 * n)) "$work/shared-4n"
row "proposals + recap talks sharing bigrams (each)" "$work/shared-n" "$work/shared-4n" $((n / 2)) $((2 * n))
