#!/usr/bin/env bash
# The reference Python pipeline (fugashi + IPADIC, scikit-learn TfidfVectorizer(sublinear_tf),
# KMeans(k=10, n_init=10)) against `confthemes themes --k 10`, on the same synthetic 10k-talk
# JSONL, in the same run; prints both times and the ratio, then tokenizer-only throughput
# (MB/s of text) of fugashi and of confthemes at 1 and 2 threads.
# Installs Python packages into a temporary virtualenv (PyPI); confthemes itself needs none.
# Usage: benches/compare_python.sh [N]   (default 10000)
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-10000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cargo build --release --quiet --bin confthemes --example gen_corpus
bin=$PWD/target/release/confthemes
corpus="$work/talks-$n.jsonl"
target/release/examples/gen_corpus "$n" "$corpus" 2>/dev/null

python3 -m venv "$work/venv"
py="$work/venv/bin/python"
"$py" -m pip install --quiet --upgrade pip >/dev/null
dict=ipadic
if ! "$py" -m pip install --quiet fugashi ipadic scikit-learn >/dev/null 2>&1; then
  echo "ipadic failed to install; using unidic-lite instead" >&2
  dict=unidic-lite
  "$py" -m pip install --quiet fugashi unidic-lite scikit-learn >/dev/null
fi
echo "Python reference: fugashi + $dict, scikit-learn $("$py" -c 'import sklearn; print(sklearn.__version__)')"

cat >"$work/reference.py" <<'PY'
import json, sys, time
t0 = time.perf_counter()
import fugashi
try:
    import ipadic
    tagger = fugashi.GenericTagger(ipadic.MECAB_ARGS)
    def is_noun(w): return w.feature[0] == "名詞"
except ImportError:
    tagger = fugashi.Tagger()
    def is_noun(w): return w.feature.pos1 == "名詞"
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.cluster import KMeans

mode = sys.argv[2]
talks = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
texts = [t["title"] + "\n" + t.get("abstract", "") for t in talks]
t1 = time.perf_counter()
docs = [" ".join(w.surface for w in tagger(x) if is_noun(w)) for x in texts]
t2 = time.perf_counter()
if mode == "tokenize":
    mb = sum(len(x.encode("utf-8")) for x in texts) / 1e6
    print(f"{mb / (t2 - t1):.2f}")
    sys.exit(0)
X = TfidfVectorizer(sublinear_tf=True, token_pattern=r"(?u)[^ ]+").fit_transform(docs)
labels = KMeans(n_clusters=10, n_init=10, random_state=0).fit_predict(X)
t3 = time.perf_counter()
print(f"tokenize {t2 - t1:.2f} s, tfidf+kmeans {t3 - t2:.2f} s, total {t3 - t0:.2f} s", file=sys.stderr)
PY

secs() { local s e; s=$(date +%s.%N); "$@" >/dev/null; e=$(date +%s.%N); echo "$e - $s" | bc -l; }
py_s=$(secs "$py" "$work/reference.py" "$corpus" full)
rs_s=$(secs "$bin" themes "$corpus" --k 10)
printf '\n| pipeline (%s talks) | wall (s) |\n|---|---:|\n' "$n"
printf '| Python: fugashi+%s, TfidfVectorizer(sublinear_tf), KMeans(k=10, n_init=10) | %.2f |\n' "$dict" "$py_s"
printf '| confthemes themes --k 10 | %.2f |\n' "$rs_s"
printf '| ratio (Python / confthemes) | %.1f× |\n' "$(echo "$py_s / $rs_s" | bc -l)"

# Tokenizer alone: MB/s of UTF-8 text (title + abstract), same texts.
fug=$("$py" "$work/reference.py" "$corpus" tokenize)
mbytes=$("$py" -c "import json,sys; print(sum(len((t['title']+'\n'+t.get('abstract','')).encode()) for t in map(json.loads, open(sys.argv[1], encoding='utf-8')))/1e6)" "$corpus")
"$py" -c "import json,sys; [print((t['title']+' '+t.get('abstract','')).replace('\n',' ')) for t in map(json.loads, open(sys.argv[1], encoding='utf-8'))]" "$corpus" >"$work/texts.txt"
tok() { # threads → MB/s via the library's tokenize stage timing
  local t
  t=$(RAYON_NUM_THREADS=$1 CONFTHEMES_TIMINGS=1 "$bin" themes "$corpus" --k 10 2>&1 >/dev/null | awk '/timing: tokenize/ {print $3}')
  echo "$mbytes / $t" | bc -l
}
t1=$(tok 1); t2=$(tok 2)
printf '\n| tokenizer | MB/s |\n|---|---:|\n'
printf '| fugashi + %s (1 thread, nouns kept) | %.2f |\n' "$dict" "$fug"
printf '| confthemes, 1 thread | %.2f |\n' "$t1"
printf '| confthemes, 2 threads | %.2f |\n' "$t2"
