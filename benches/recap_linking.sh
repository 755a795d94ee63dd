#!/usr/bin/env bash
# Recap linking at scale: N accepted proposals (JSONL) + one recap post of N talks of the
# same event, `confthemes ingest` timed. The titles share most of their bigrams (one
# vocabulary), the recap spells each a little differently (no "#", a suffix), so every
# recap talk is scored against many talks. Prints N, links made and wall seconds.
# A second table does the same with proposal pages that name no event (a copy of the CfP
# pages, as the seeds' first file), whose event is then taken from the recap talks matching
# their titles: that vote goes through the same index.
# Usage: benches/recap_linking.sh [N...]   (default: 1000 5000); run from anywhere.
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("${@:-1000 5000}")
read -r -a sizes <<<"${sizes[*]}"
# CONFTHEMES_BIN runs another build (e.g. an older one, for a before/after in one run).
bin=${CONFTHEMES_BIN:-target/release/confthemes}
[ -n "${CONFTHEMES_BIN:-}" ] || cargo build --release --quiet --bin confthemes
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# generate DIR N: DIR/proposals.jsonl (with the event), DIR/pages.txt (proposal pages naming
# no event) and DIR/recap.md, N talks each.
generate() {
  mkdir -p "$1"
  awk -v n="$2" -v dir="$1" 'BEGIN {
    split("監視 障害 SLO 組織 コスト 基盤 移行 自動化 計測 設計 運用 文化 採用 教育 品質", w, " ")
    print "SRE Kaigi 2030に行ってきた\n" > (dir "/recap.md")
    for (i = 1; i <= n; i++) {
      a = w[i % 15 + 1]; b = w[int(i / 15) % 15 + 1]; c = w[int(i / 225) % 15 + 1]
      t = sprintf("%sと%sで%sを変えた話 その%d", a, b, c, i)
      printf "{\"event\": \"SRE Kaigi 2030\", \"title\": \"%s #\", \"abstract\": \"%sの取り組みを紹介します。\"}\n", t, a > (dir "/proposals.jsonl")
      printf "採択\n2030/01/26 10:35〜\nホール\nセッション(30分)\n\n%s\n\n■ 発表概要(400字程度)\n%sの取り組みを紹介します。\n\n", t, a > (dir "/pages.txt")
      printf "%sの話でした\n- %sの工夫が印象的\n- 質疑も盛り上がった\n\n", t, b > (dir "/recap.md")
    }
  }'
}
for n in "${sizes[@]}"; do generate "$work/$n" "$n"; done
seconds() { echo "$2 - $1" | bc; }
printf '| proposals + recaps | links | ingest wall (s) |\n|---|---|---|\n'
for n in "${sizes[@]}"; do
  start=$(date +%s.%N)
  links=$("$bin" ingest "$work/$n/proposals.jsonl" "$work/$n/recap.md" --lang en | sed -n 's/^Recaps linked to talks (\([0-9]*\))$/\1/p')
  printf '| %s + %s | %s | %.2f |\n' "$n" "$n" "$links" "$(seconds "$start" "$(date +%s.%N)")"
done
printf '\n| proposal pages (no event) + recaps | event taken from recaps | ingest wall (s) |\n|---|---|---|\n'
for n in "${sizes[@]}"; do
  start=$(date +%s.%N)
  ev=$("$bin" ingest "$work/$n/pages.txt" "$work/$n/recap.md" --lang en 2>&1 | grep -c 'took SRE Kaigi 2030 from' || true)
  printf '| %s + %s | %s | %.2f |\n' "$n" "$n" "$([ "$ev" -ge 1 ] && echo yes || echo no)" "$(seconds "$start" "$(date +%s.%N)")"
done
