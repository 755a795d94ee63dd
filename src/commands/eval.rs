//! `confthemes eval`: agreement of the primary themes with a gold file, over several seeds.

use std::collections::HashMap;
use std::fmt::Write as _;

use serde::Serialize;

use crate::analysis::eval::{self, Agreement, Gold, GoldMap, NamedScore, Summary};
use crate::cli::EvalArgs;
use crate::corpus::{Corpus, normalize_title};
use crate::error::{Error, Result};
use crate::pipeline;

#[derive(Serialize)]
struct EvalJson {
    talks_matched: usize,
    runs: Vec<RunJson>,
    ami: Summary,
    nmi: Summary,
    ari: Summary,
    purity: Summary,
    /// ARI between each run and the first: how stable themes are across seeds.
    stability_ari: Option<Summary>,
    /// Share of talks whose theme carries a taxonomy id that names their gold theme (the gold
    /// theme itself when it is a taxonomy id, else `--gold-map`); only when some can be scored.
    named_accuracy: Option<Summary>,
    /// Named themes whose name fits fewer than half of their scored talks, per run.
    misnamed_themes: Option<Summary>,
}

#[derive(Serialize)]
struct RunJson {
    seed: u64,
    k: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    named_accuracy: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    named: Option<NamedScore>,
    #[serde(flatten)]
    agreement: Agreement,
}

/// Gold label index of each corpus talk (matched on event + normalized title, or the recap's
/// spelling); `None` when the gold file does not know the talk.
pub fn gold_labels(corpus: &Corpus, gold: &Gold) -> (Vec<Option<usize>>, Vec<String>) {
    let (names, labels) = gold.primary_labels();
    let mut index: HashMap<(String, String), usize> = HashMap::new();
    for (talk, &label) in gold.talks.iter().zip(&labels) {
        index.insert((talk.event.clone(), normalize_title(&talk.title)), label);
        if let Some(recap) = &talk.recap_title {
            index.insert((talk.event.clone(), normalize_title(recap)), label);
        }
    }
    let out = corpus
        .talks
        .iter()
        .map(|t| {
            index
                .get(&(t.event.clone(), normalize_title(&t.title)))
                .copied()
        })
        .collect();
    (out, names)
}

pub fn run(args: EvalArgs) -> Result<()> {
    let gold = Gold::load(&args.gold)?;
    let loaded = super::analysis::load(&args.shared.input, args.shared.lang)?;
    let mut corpus = loaded.corpus.clone();
    if args.titles_only {
        for talk in &mut corpus.talks {
            talk.sections.clear();
        }
    }
    let (gold_of, gold_names) = gold_labels(&corpus, &gold);
    let matched: Vec<usize> = (0..gold_of.len())
        .filter(|&i| gold_of[i].is_some())
        .collect();
    if matched.is_empty() {
        return Err(Error::input(
            &args.gold,
            tr!(
                "コーパスのどのトークも正解のトーク(イベント + タイトル)に当たりません",
                "no talk of the corpus matches a gold talk (event + title)"
            ),
        ));
    }
    let truth: Vec<usize> = matched.iter().map(|&i| gold_of[i].unwrap_or(0)).collect();
    let taxonomy = super::analysis::taxonomy(&args.shared.analysis)?;
    let tokenizer = super::tokenizer(&args.shared.analysis.tokenizer)?;
    let terms = pipeline::talk_terms(&corpus, &tokenizer);
    // Named accuracy: the ids that name each scored talk's gold theme correctly.
    let gold_map = match &args.gold_map {
        Some(p) => GoldMap::load(p)?,
        None => GoldMap::default(),
    };
    let taxonomy_ids: Vec<&str> = taxonomy.entries.iter().map(|e| e.id.as_str()).collect();
    let ids_of_name: Vec<Option<Vec<String>>> = gold_names
        .iter()
        .map(|g| gold_map.ids_for(g, &taxonomy_ids))
        .collect();
    let named_talks: Vec<(usize, usize)> = matched
        .iter()
        .zip(&truth)
        .filter(|&(_, &g)| ids_of_name[g].is_some())
        .map(|(&i, &g)| (i, g))
        .collect();
    let mut runs = Vec::new();
    let mut predictions: Vec<Vec<usize>> = Vec::new();
    for seed in 0..args.runs as u64 {
        let mut a = args.shared.analysis.clone();
        a.seed = seed;
        let params = super::analysis::params(&a, &taxonomy)?;
        let mut analysis = pipeline::analyze_terms(terms.clone(), &taxonomy, &params)?;
        pipeline::curate(&mut analysis, &corpus, &taxonomy, &params)?;
        // A talk without content terms counts as its own "unassigned" cluster.
        let k = analysis.clustering.k;
        let predicted: Vec<usize> = matched
            .iter()
            .map(|&i| analysis.clustering.labels[i].unwrap_or(k))
            .collect();
        let agreement = eval::agreement(&truth, &predicted)?;
        let names: Vec<Option<&str>> = analysis
            .themes
            .themes
            .iter()
            .map(|t| t.taxonomy.as_deref())
            .collect();
        let named = eval::named_score(
            &named_talks
                .iter()
                .map(|&(i, _)| analysis.clustering.labels[i])
                .collect::<Vec<_>>(),
            &names,
            &named_talks
                .iter()
                .map(|&(_, g)| ids_of_name[g].clone().unwrap_or_default())
                .collect::<Vec<_>>(),
        );
        let named_accuracy = named.as_ref().map(|n| n.accuracy);
        runs.push(RunJson {
            seed,
            k,
            named_accuracy,
            named,
            agreement,
        });
        predictions.push(predicted);
    }
    let summary = |f: fn(&Agreement) -> f64| {
        Summary::of(&runs.iter().map(|r| f(&r.agreement)).collect::<Vec<_>>()).unwrap_or(Summary {
            median: 0.0,
            min: 0.0,
            max: 0.0,
        })
    };
    let stability: Vec<f64> = predictions
        .iter()
        .skip(1)
        .filter_map(|p| eval::ari(&predictions[0], p).ok())
        .collect();
    let result = EvalJson {
        talks_matched: matched.len(),
        ami: summary(|a| a.ami),
        nmi: summary(|a| a.nmi),
        ari: summary(|a| a.ari),
        purity: summary(|a| a.purity),
        stability_ari: Summary::of(&stability),
        named_accuracy: Summary::of(
            &runs
                .iter()
                .filter_map(|r| r.named_accuracy)
                .collect::<Vec<_>>(),
        ),
        misnamed_themes: Summary::of(
            &runs
                .iter()
                .filter_map(|r| r.named.as_ref().map(|n| n.misnamed as f64))
                .collect::<Vec<_>>(),
        ),
        runs,
    };
    if args.json {
        let mut s = serde_json::to_string_pretty(&result).expect("eval serializes");
        s.push('\n');
        return super::print(&s);
    }
    let lang = args.shared.lang;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}",
        match lang {
            crate::Lang::Ja => format!(
                "正解ファイルと対応したトーク: {} / {} 件",
                matched.len(),
                loaded.corpus.talks.len()
            ),
            crate::Lang::En => format!(
                "talks matched to gold: {} of {}",
                matched.len(),
                loaded.corpus.talks.len()
            ),
        }
    );
    let _ = writeln!(
        out,
        "{}  k   AMI     NMI     ARI     {}",
        lang.pick("シード", "seed"),
        lang.pick("純度", "purity")
    );
    for r in &result.runs {
        let a = &r.agreement;
        let _ = writeln!(
            out,
            "{:<5} {:<3} {:.4}  {:.4}  {:.4}  {:.4}",
            r.seed, r.k, a.ami, a.nmi, a.ari, a.purity
        );
    }
    let _ = writeln!(
        out,
        "        {}",
        lang.pick("中央値 / 最小 / 最大", "median / min / max")
    );
    for (name, s) in [
        ("AMI", &result.ami),
        ("NMI", &result.nmi),
        ("ARI", &result.ari),
        (lang.pick("純度", "purity"), &result.purity),
    ] {
        let _ = writeln!(
            out,
            "{name:<7} {:.4} / {:.4} / {:.4}",
            s.median, s.min, s.max
        );
    }
    if let Some(s) = &result.named_accuracy {
        let _ = writeln!(
            out,
            "{}: {:.4} / {:.4} / {:.4}",
            lang.pick("名前の正解率", "named-theme accuracy"),
            s.median,
            s.min,
            s.max
        );
    }
    if let Some(s) = &result.misnamed_themes {
        let _ = writeln!(
            out,
            "{}: {} / {} / {}",
            lang.pick(
                "名前が半数未満のトークにしか合わないテーマ",
                "themes whose name fits under half of their talks"
            ),
            s.median,
            s.min,
            s.max
        );
    }
    if let Some(s) = &result.stability_ari {
        let _ = writeln!(
            out,
            "{}: {:.4} / {:.4} / {:.4}",
            lang.pick("安定性 (シード 0 との ARI)", "stability (ARI vs seed 0)"),
            s.median,
            s.min,
            s.max
        );
    }
    super::print(&out)
}
