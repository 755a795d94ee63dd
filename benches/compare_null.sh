#!/usr/bin/env bash
# Distinctive terms under the null and on a real difference (docs/compare.md, "Benchmark").
#
# 1. Null: the talks of the four CloudNative Days main events in ../shared/dev/cnd (cndt2020,
#    cndo2021, cndt2021, cndt2022) split at random into two pseudo-events, 20 splits (seeds
#    1..20), `compare --json`; counts the terms marked significant per split, (a) with the texts
#    as they are and (b) with side B's abstracts cut to 80 characters (texts of unequal length).
#    A split has no real difference: every significant term is a false finding.
# 2. Recall: Observability Conference 2022 against CloudNative Security Conference 2022 (19 and
#    17 talks): each side's top 5 significant terms, and how many are about its topic (a term
#    counts when it names the topic, a tool or practice of it: the word lists below, written
#    before looking at the output; the terms are printed so the judgement can be checked).
#
# "Significant" is the JSON's `significant` field; binaries without it (before issue 21) are
# counted by their star, |z| ≥ 1.96. Usage: benches/compare_null.sh [BINARY] [SPLITS]
# The dev corpus is read in place, never copied into the repository.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-target/release/confthemes}
splits=${2:-20}
dev=${CONFTHEMES_DEV:-../shared/dev/cnd}
[ -d "$dev/talks" ] || dev=/work/shared/dev/cnd
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

python3 - "$dev" "$work" "$splits" <<'PY'
import json, random, sys
dev, work, splits = sys.argv[1], sys.argv[2], int(sys.argv[3])
talks = []
for abbr in ["cndt2020", "cndo2021", "cndt2021", "cndt2022"]:
    for t in json.load(open(f"{dev}/talks/{abbr}.json", encoding="utf-8")):
        abstract = (t.get("abstract") or "").replace("\r\n", "\n")
        if not t.get("title") or abstract.strip() == "intermission":
            continue
        talks.append({"title": t["title"], "abstract": abstract,
                      "speakers": [s.get("name", "") for s in t.get("speakers", [])]})
for seed in range(1, splits + 1):
    order = list(range(len(talks)))
    random.Random(seed).shuffle(order)
    half = len(order) // 2
    for cond in ["equal", "cut"]:
        with open(f"{work}/{cond}-{seed}.jsonl", "w", encoding="utf-8") as f:
            for rank, i in enumerate(order):
                t = dict(talks[i])
                side = "A" if rank < half else "B"
                t["event"] = f"Pseudo {side}"
                if cond == "cut" and side == "B":
                    t["abstract"] = t["abstract"][:80]
                f.write(json.dumps(t, ensure_ascii=False) + "\n")
PY

count='[.distinctive[].terms[] | select(if has("significant") then .significant else ((.z|fabs) >= 1.96) end)]'
for cond in equal cut; do
  total=0
  per=()
  for seed in $(seq 1 "$splits"); do
    "$bin" compare "$work/$cond-$seed.jsonl" --json --seed 0 >"$work/out.json" 2>/dev/null
    n=$(jq "$count | length" "$work/out.json")
    terms=$(jq -r "$count | map(.display) | join(\" \")" "$work/out.json")
    per+=("$n")
    total=$((total + n))
    [ "$n" -gt 0 ] && echo "  $cond split $seed: $n ($terms)"
  done
  echo "null, $cond texts: ${per[*]}; total $total over $splits splits, mean $(echo "scale=2; $total / $splits" | bc)"
done

"$bin" compare "$dev/talks/o11y2022.json" "$dev/talks/cnsec2022.json" --json --seed 0 >"$work/pair.json" 2>/dev/null
python3 - "$work/pair.json" <<'PY'
import json, sys
c = json.load(open(sys.argv[1], encoding="utf-8"))
topic = {
    "observability": ["オブザーバビリティ", "observability", "o11y", "可観測", "監視", "モニタリング",
                      "monitoring", "メトリクス", "metrics", "ログ", "log", "トレース", "trac",
                      "opentelemetry", "prometheus", "grafana", "datadog", "slo", "sli", "apm",
                      "計測", "テレメトリ", "アラート", "alert", "ダッシュボード", "可視化"],
    "security": ["セキュリティ", "security", "セキュア", "secure", "脆弱性", "vulnerab", "攻撃",
                 "attack", "脅威", "threat", "認証", "認可", "auth", "権限", "ポリシー", "policy",
                 "コンプライアンス", "compliance", "対策", "防御", "sbom", "サプライチェーン",
                 "supply", "署名", "sign", "暗号", "シークレット", "secret", "falco", "opa",
                 "gatekeeper", "trivy", "cve", "ゼロトラスト", "zero trust", "リスク"],
}
names = [g["name"] for g in c["groups"]]
for d in c["distinctive"]:
    g = names[d["group"]]
    key = "observability" if "Observability" in g else "security"
    sig = [t for t in d["terms"] if (t["significant"] if "significant" in t else abs(t["z"]) >= 1.96)]
    top = sig[:5]
    on = [t["display"] for t in top if any(w in t["display"].lower() for w in topic[key])]
    shown = ", ".join(f'{t["display"]} ({t["z"]:.1f})' for t in top) or "(none)"
    print(f"recall {g}: {len(on)} of top {len(top)} significant on topic; {len(sig)} significant; top 5: {shown}")
PY
