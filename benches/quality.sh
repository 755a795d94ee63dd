#!/usr/bin/env bash
# Theme quality benchmark (not a test: no thresholds, nothing timed). Prints one Markdown
# table of `confthemes eval` figures — AMI / NMI / ARI (median over seeds 0..RUNS-1), the k
# chosen, and named-theme accuracy where the gold themes are taxonomy ids — on:
#   (a) the bundled seeds against ../shared/eval/seeds-gold.toml
#   (b) CloudNative Days 2020–2022, 4 events, against the speakers' own categories
#   (c) the three single-topic events (o11y2022, cnsec2022, cicd2021) clustered together
#   (d) titles only of (b)
#   (e) each dev event on its own, and 5–10-talk slices (the small-event view)
#   (f) every run of 6 (and of 12) consecutive talks of each CloudNative Days event as an
#       event of its own: named accuracy, and named precision (of the talks listed under a
#       taxonomy name, how many fit their speaker's category)
# and, for (a)–(d), a reference Python pipeline on the same talks (fugashi + IPADIC nouns,
# scikit-learn TF-IDF, KMeans and NMF with k = the number of gold themes, which it is given).
#
# The development corpus is read from ../shared/dev/cnd (or $CONFTHEMES_DEV) where it lies;
# nothing of it is copied into the repository (temporary copies under mktemp, removed on exit). When it is absent,
# the dev rows are skipped and the script says so. Defaults are chosen on (b) + (c) and
# checked on (a): see docs/quality.md.
# Usage: benches/quality.sh [--no-reference]   (RUNS=3 by default)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${RUNS:-3}
reference=1
[ "${1:-}" = "--no-reference" ] && reference=0
dev=${CONFTHEMES_DEV:-../shared/dev/cnd}
seeds_gold=${CONFTHEMES_SEEDS_GOLD:-../shared/eval/seeds-gold.toml}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cargo build --release --quiet --bin confthemes
bin=$PWD/target/release/confthemes

# eval → "k | AMI | NMI | ARI | named | misnamed" (medians; k of seed 0). Named-theme accuracy
# on the CfP categories uses benches/cnd-category-map.toml (category → taxonomy ids);
# "misnamed" counts themes whose taxonomy name fits fewer than half of their scored talks.
measure() {
  "$bin" eval "$@" --runs "$runs" --json 2>/dev/null | python3 -c '
import json, sys
r = json.load(sys.stdin)
named = r.get("named_accuracy")
ks = sorted({x["k"] for x in r["runs"]})
k = str(ks[0]) if len(ks) == 1 else "%d–%d" % (ks[0], ks[-1])
med = lambda m: "%.3f" % r[m]["median"]
mis = r.get("misnamed_themes")
print(" | ".join([str(r["talks_matched"]), k, med("ami"), med("nmi"), med("ari"),
                  ("%.3f" % named["median"]) if named else "—",
                  ("%g" % mis["median"]) if mis else "—"]))
' || echo "— | — | error | — | — | — | —"
}

venv=${QUALITY_VENV:-$PWD/target/quality-venv}
py=""
if [ "$reference" = 1 ]; then
  if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
    "$venv/bin/python" -m pip install --quiet --upgrade pip >/dev/null
    "$venv/bin/python" -m pip install --quiet fugashi ipadic scikit-learn >/dev/null
  fi
  py=$venv/bin/python
  cat >"$work/reference.py" <<'PY'
import json, sys, tomllib, unicodedata
import fugashi, ipadic
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.cluster import KMeans
from sklearn.decomposition import NMF
from sklearn.metrics import adjusted_mutual_info_score as ami
corpus, gold_path, titles_only = sys.argv[1], sys.argv[2], sys.argv[3] == "1"
talks = json.load(open(corpus, encoding="utf-8"))["talks"]
norm = lambda t: "".join(unicodedata.normalize("NFKC", t).lower().split())
gold = {(g["event"], norm(g["title"])): g["theme"] for g in tomllib.load(open(gold_path, "rb"))["talk"]}
tagger = fugashi.GenericTagger(ipadic.MECAB_ARGS)
docs = []
for t in talks:
    text = t["title"] + ("" if titles_only else "\n" + "\n".join(s["text"] for s in t["sections"]))
    docs.append(" ".join(w.surface for w in tagger(text) if w.feature[0] == "名詞"))
X = TfidfVectorizer(sublinear_tf=True, token_pattern=r"(?u)[^ ]+", min_df=2, max_df=0.5).fit_transform(docs)
idx = [i for i, t in enumerate(talks) if (t["event"], norm(t["title"])) in gold]
truth = [gold[(talks[i]["event"], norm(talks[i]["title"]))] for i in idx]
k = len(set(truth))
out = []
for name, fit in [("KMeans", lambda s: KMeans(k, n_init=10, random_state=s).fit_predict(X)),
                  ("NMF", lambda s: NMF(k, init="nndsvda", random_state=s, max_iter=400).fit_transform(X).argmax(1))]:
    scores = []
    for s in range(3):
        labels = fit(s)
        scores.append(ami(truth, [labels[i] for i in idx]))
    scores.sort()
    out.append(f"{name} {scores[1]:.3f}")
print(f"k={k}: " + ", ".join(out))
PY
fi

reference_row() { # $1 = gold, $2 = titles only (0/1), rest = paths
  [ -n "$py" ] || { echo "—"; return; }
  local gold=$1 titles=$2; shift 2
  "$bin" ingest "$@" --json >"$work/corpus.json" 2>/dev/null
  "$py" "$work/reference.py" "$work/corpus.json" "$gold" "$titles" 2>/dev/null || echo "error"
}

echo "| set | talks scored | k | AMI | NMI | ARI | named-theme accuracy | misnamed themes | reference (sklearn, given k): AMI |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---|"
echo "| (a) seeds | $(measure seeds --gold "$seeds_gold") | $(reference_row "$seeds_gold" 0 seeds) |"
echo "| (a') titles only of (a) | $(measure seeds --gold "$seeds_gold" --titles-only) | $(reference_row "$seeds_gold" 1 seeds) |"

if [ ! -d "$dev/talks" ]; then
  echo
  echo "(development corpus not found at $dev: sets b–e skipped)"
  exit 0
fi

# A corpus folder of symlinks: the organizer's talks files, events named in corpus.toml
# from the organizer's events/<abbr>.json.
corpus_dir() { # $1 = name, rest = abbrs
  local d=$work/$1; shift
  mkdir -p "$d"
  : >"$d/corpus.toml"
  for a in "$@"; do
    # A temporary copy (removed on exit): links out of an input directory are not followed.
    cp "$dev/talks/$a.json" "$d/$a.json"
    python3 -c 'import json,sys; print("[[file]]\npath = \"%s.json\"\nevent = %s\n" % (sys.argv[1], json.dumps(json.load(open(sys.argv[2]))["name"], ensure_ascii=False)))' \
      "$a" "$dev/events/$a.json" >>"$d/corpus.toml"
  done
  echo "$d"
}
# A CSV of some talks of one organizer file (title and abstract only; breaks skipped).
slice() { # $1 = abbr, $2 = first, $3 = count
  local out=$work/slice-$1-$2-$3.csv
  python3 - "$dev/talks/$1.json" "$dev/events/$1.json" "$2" "$3" "$out" <<'PY'
import csv, json, sys
talks = [t for t in json.load(open(sys.argv[1])) if t.get("abstract", "").strip() not in ("", "intermission")]
event = json.load(open(sys.argv[2]))["name"]
first, count = int(sys.argv[3]), int(sys.argv[4])
with open(sys.argv[5], "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f)
    w.writerow(["event", "title", "abstract"])
    for t in talks[first:first + count]:
        w.writerow([event, t["title"], t["abstract"]])
PY
  echo "$out"
}

cats=$dev/gold-categories.toml
catmap=(--gold-map "$PWD/benches/cnd-category-map.toml")
topic=$dev/gold-event-topic.toml
b=$(corpus_dir b cndt2020 cndo2021 cndt2021 cndt2022)
c=$(corpus_dir c o11y2022 cnsec2022 cicd2021)
echo "| (b) CloudNative Days 2020–2022, categories | $(measure "$b" --gold "$cats" "${catmap[@]}") | $(reference_row "$cats" 0 "$b") |"
echo "| (c) o11y + security + CI/CD events together | $(measure "$c" --gold "$topic") | $(reference_row "$topic" 0 "$c") |"
echo "| (d) titles only of (b) | $(measure "$b" --gold "$cats" "${catmap[@]}" --titles-only) | $(reference_row "$cats" 1 "$b") |"
echo "| (d') titles only of (c) | $(measure "$c" --gold "$topic" --titles-only) | $(reference_row "$topic" 1 "$c") |"
for a in cndt2020 cndo2021 cndt2021 cndt2022; do
  echo "| (e) $a alone | $(measure "$(corpus_dir "e-$a" "$a")" --gold "$cats" "${catmap[@]}") | |"
  echo "| (e) $a alone, titles only | $(measure "$work/e-$a" --gold "$cats" "${catmap[@]}" --titles-only) | |"
done
for a in o11y2022 cnsec2022 cicd2021; do
  echo "| (e) $a alone (named = talks named after the event's topic) | $(measure "$(corpus_dir "e-$a" "$a")" --gold "$topic") | |"
done
for s in "cndt2020 0 5" "cndo2021 0 8" "cndt2021 0 10" "cndt2022 10 10"; do
  set -- $s
  echo "| (e) $1, talks $(( $2 + 1 ))–$(( $2 + $3 )) | $(measure "$(slice "$1" "$2" "$3")" --gold "$cats" "${catmap[@]}") | |"
done
mix=$work/mix.csv
{ cat "$(slice o11y2022 0 3)"; tail -n +2 "$(slice cnsec2022 0 3)"; tail -n +2 "$(slice cicd2021 0 3)"; } >"$mix"
echo "| (e) 9 talks, 3 of each single-topic event | $(measure "$mix" --gold "$topic") | |"

# (f) Many small events: each run of SIZE consecutive talks of an event, clustered alone.
many_small() { # $1 = size
  local size=$1 dir=$work/many-$1
  mkdir -p "$dir"
  for a in cndt2020 cndo2021 cndt2021 cndt2022; do
    python3 - "$dev/talks/$a.json" "$dev/events/$a.json" "$size" "$dir/$a" <<'PY'
import csv, json, sys
talks = [t for t in json.load(open(sys.argv[1])) if t.get("abstract", "").strip() not in ("", "intermission")]
event = json.load(open(sys.argv[2]))["name"]
size = int(sys.argv[3])
for first in range(0, len(talks) - size + 1, size):
    with open(f"{sys.argv[4]}-{first}.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["event", "title", "abstract"])
        for t in talks[first:first + size]:
            w.writerow([event, t["title"], t["abstract"]])
PY
  done
  for f in "$dir"/*.csv; do "$bin" themes "$f" --json >"${f%.csv}.json" 2>/dev/null || true; done
  python3 - "$dir" "$cats" "$PWD/benches/cnd-category-map.toml" <<'PY'
import glob, json, sys, tomllib, unicodedata
norm = lambda t: "".join(unicodedata.normalize("NFKC", t).lower().split())
gold = {(g["event"], norm(g["title"])): g["theme"] for g in tomllib.load(open(sys.argv[2], "rb"))["talk"]}
fit = tomllib.load(open(sys.argv[3], "rb"))["map"]
events = scored = named = right = 0
for path in sorted(glob.glob(sys.argv[1] + "/*.json")):
    try:
        r = json.load(open(path))
    except ValueError:
        continue
    events += 1
    taxonomy = {t["id"]: t.get("taxonomy") for t in r["themes"]}
    for a in r["assignments"]:
        g = gold.get((a["event"], norm(a["title"])))
        if g is None:
            continue
        scored += 1
        tax = taxonomy.get(a["theme"])
        if tax:
            named += 1
            right += tax in fit.get(g, [])
print("| %d | %d | %.3f | %d | %.3f |" % (events, scored, right / max(scored, 1), named, right / max(named, 1)))
PY
}
echo
echo "| (f) small events: runs of N consecutive talks of each CloudNative Days event | events | talks scored | named accuracy | listed under a taxonomy name | named precision |"
echo "|---|---:|---:|---:|---:|---:|"
for n in 6 12; do
  echo "| $n talks $(many_small "$n")"
done
