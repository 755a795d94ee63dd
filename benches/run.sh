#!/usr/bin/env bash
# End-to-end benchmark: generate 1k/10k/100k synthetic talks (benches/gen_corpus.rs), time
# `report` and `themes --k 10` with /usr/bin/time -v (wall, peak RSS), print a markdown table.
# Usage: benches/run.sh [SIZES...]   (default: 1000 10000 100000); run from anywhere.
# Set CONFTHEMES_TIMINGS=1 to also see per-stage timings on stderr.
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("${@:-1000 10000 100000}")
read -r -a sizes <<<"${sizes[*]}"

if [ ! -x /usr/bin/time ]; then
  echo "benches/run.sh: /usr/bin/time is missing; installing it (apt-get install time)" >&2
  if command -v apt-get >/dev/null; then
    (apt-get install -y time >/dev/null 2>&1 || sudo apt-get install -y time >/dev/null) \
      || { echo "benches/run.sh: could not install GNU time; install it and rerun" >&2; exit 1; }
  else
    echo "benches/run.sh: install GNU time (/usr/bin/time) and rerun" >&2; exit 1
  fi
fi

cargo build --release --quiet --bin confthemes --example gen_corpus
bin=target/release/confthemes
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

measure() { # label, command... → "wall_s rss_mib"
  local log="$work/time.log"
  /usr/bin/time -v "$@" >/dev/null 2>"$log" || { cat "$log" >&2; return 1; }
  local wall rss
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' "$log")
  rss=$(awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2/1024}' "$log")
  echo "$wall $rss"
}

echo "| talks | input MB | report wall (s) | report peak RSS (MiB) | themes --k 10 wall (s) | themes peak RSS (MiB) |"
echo "|---:|---:|---:|---:|---:|---:|"
for n in "${sizes[@]}"; do
  file="$work/talks-$n.jsonl"
  target/release/examples/gen_corpus "$n" "$file" 2>/dev/null
  mb=$(awk -v b="$(stat -c %s "$file")" 'BEGIN {printf "%.1f", b/1e6}')
  read -r rw rr < <(measure "$bin" report "$file" --out "$work/report-$n" --force --quiet)
  read -r tw tr < <(measure "$bin" themes "$file" --k 10)
  echo "| $n | $mb | $rw | $rr | $tw | $tr |"
done
echo
echo "Seeds: $(measure "$bin" report seeds --out "$work/seeds" --force --quiet | awk '{print $1 " s, " $2 " MiB peak RSS"}') for \`report seeds\`; $(nproc) cores, RAYON_NUM_THREADS=${RAYON_NUM_THREADS:-default}."
