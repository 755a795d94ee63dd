#!/usr/bin/env bash
# Tokenizer throughput on the seed texts (paragraphs, as benches/tokenize.rs), measured in one
# run against MeCab + IPADIC through fugashi: ROUNDS rounds, each running confthemes on one
# thread, confthemes on two threads and fugashi (one thread, nouns kept) back to back, so
# that the machine's ups and downs hit all three alike. Prints every round and the medians.
# fugashi is installed with pip into a temporary virtualenv; confthemes needs no Python.
# Usage: benches/tokenizer.sh [ROUNDS] [REPS]   (defaults 9 and 20)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-9}
reps=${2:-20}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cargo build --release --quiet --example tokenize_throughput
bin=target/release/examples/tokenize_throughput

python3 -m venv "$work/venv"
py="$work/venv/bin/python"
"$py" -m pip install --quiet --upgrade pip >/dev/null
"$py" -m pip install --quiet fugashi ipadic >/dev/null
cat >"$work/fugashi_mbps.py" <<'PY'
import glob, sys, time
import fugashi, ipadic
reps = int(sys.argv[1])
texts = []
for f in sorted(glob.glob("seeds/*.txt")):
    texts += [c for c in open(f, encoding="utf-8").read().split("\n\n") if c.strip()]
tagger = fugashi.GenericTagger(ipadic.MECAB_ARGS)
nbytes = sum(len(t.encode("utf-8")) for t in texts)
for t in texts:  # warm-up pass, as the Rust side does
    [w.surface for w in tagger(t) if w.feature[0] == "名詞"]
start = time.perf_counter()
for _ in range(reps):
    for t in texts:
        [w.surface for w in tagger(t) if w.feature[0] == "名詞"]
print(f"{nbytes * reps / 1e6 / (time.perf_counter() - start):.3f}")
PY

printf 'round  confthemes-1t  confthemes-2t  fugashi  (MB/s)\n'
: >"$work/results"
for r in $(seq "$rounds"); do
  one=$("$bin" "$reps" 1 2>/dev/null)
  two=$("$bin" "$reps" 2 2>/dev/null)
  fug=$("$py" "$work/fugashi_mbps.py" "$reps")
  printf '%5d  %13s  %13s  %7s\n' "$r" "$one" "$two" "$fug"
  echo "$one $two $fug" >>"$work/results"
done
python3 - "$work/results" <<'PY'
import statistics, sys
rows = [list(map(float, l.split())) for l in open(sys.argv[1])]
one, two, fug = (statistics.median(c) for c in zip(*rows))
ratios_2t = statistics.median(b / a for a, b, _ in rows)
ratios_fug = statistics.median(a / c for a, _, c in rows)
print(f"\nmedian MB/s: confthemes 1 thread {one:.2f}, 2 threads {two:.2f}, fugashi {fug:.2f}")
print(f"median of per-round ratios: 1 thread vs fugashi {ratios_fug:.2f}x, "
      f"2 threads vs 1 thread {ratios_2t:.2f}x")
PY
