//! The report's content as plain data, computed once and rendered by `markdown` and `html`
//! so both say exactly the same thing.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::corpus::{Corpus, SectionKind};
use crate::fitted::{Analysis, AnalysisParams};
use crate::lang::Lang;

#[derive(Debug, Clone, Serialize)]
pub struct TalkRef {
    pub index: usize,
    pub id: String,
    pub title: String,
    pub event: String,
    /// Each name once (sources repeat a speaker, see `dedupe_names`).
    pub speakers: Vec<String>,
    /// Slide / video links collected at ingest.
    pub links: Vec<String>,
    pub similarity: f64,
    pub secondary: Vec<String>,
    pub has_recap: bool,
    /// Why this theme: the terms that contributed most (「根拠: …」), empty without a theme.
    pub why: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ThemeSection {
    pub id: usize,
    pub name: String,
    pub taxonomy: Option<String>,
    pub keywords: Vec<String>,
    pub size: usize,
    /// Share of all talks, in percent.
    pub share: f64,
    /// (event, talks of this theme at it), every event listed.
    pub per_event: Vec<(String, usize)>,
    pub representatives: Vec<TalkRef>,
    /// Member talks, most central first, at most `MAX_LISTED_TALKS` (all are in talks.csv).
    pub talks: Vec<TalkRef>,
    /// Members covered by a recap post.
    pub with_recap: usize,
    /// Sub-themes (name, talks), when the theme has 8 talks or more and they separate.
    pub subthemes: Vec<(String, usize)>,
}

/// Talks listed per theme in report.md / report.html: a 100k-talk corpus would otherwise
/// make pages no browser opens. The full list is talks.csv and themes.json.
pub const MAX_LISTED_TALKS: usize = 300;

impl ThemeSection {
    /// Heading of the member list: all talks, or the most central ones when capped.
    pub fn talks_summary(&self, lang: Lang) -> String {
        if self.talks.len() < self.size {
            match lang {
                Lang::Ja => format!(
                    "中心に近いトーク {}件 (全{}件は talks.csv)",
                    self.talks.len(),
                    self.size
                ),
                Lang::En => format!(
                    "The {} most central talks (all {} in talks.csv)",
                    self.talks.len(),
                    self.size
                ),
            }
        } else {
            format!(
                "{} ({})",
                lang.pick("すべてのトーク", "All talks"),
                self.size
            )
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct MethodNote {
    pub k: usize,
    /// True when k was chosen by silhouette, false when given with --k.
    pub k_auto: bool,
    pub k_range: Option<(usize, usize)>,
    /// When k was chosen by silhouette: how close to the best a smaller k had to be.
    pub k_tolerance: Option<f64>,
    pub silhouette: f64,
    pub seed: u64,
    pub guided: bool,
    pub taxonomy: String,
    pub vocabulary: usize,
    pub min_df: usize,
    pub max_df: f64,
    pub title_weight: f64,
    pub n_runs: usize,
    /// Large corpora: k chosen and silhouette computed on a seeded sample of this many talks,
    /// then sparse k-means over all of them.
    pub sample: Option<usize>,
    /// Too little text for confident themes (see `ThinEvidence`).
    pub thin: Option<crate::fitted::ThinEvidence>,
    /// What `--edit` changed; `k` is then the number of themes the clustering found.
    pub curation: Option<crate::curate::Curation>,
    /// Themes split off, after the search for k, from themes without a taxonomy name
    /// (`themes::entry_groups_in_mixed`); `k` does not count them.
    pub split_off: usize,
    /// The fewest talks such a theme needed (`themes::min_entry_group`).
    pub split_min: usize,
    /// `--k N` gave fewer themes (see `KShortfall`).
    pub k_shortfall: Option<crate::fitted::KShortfall>,
    pub version: String,
}

/// A distinctive term as listed: (display form, z, a finding?).
pub type ShownTerm = (String, f64, bool);

/// The comparison between events, as the report shows it.
#[derive(Debug, Clone, Serialize)]
pub struct ComparisonSection {
    /// Column names: the groups shown one by one, then 「ほかNグループ」 summing the others
    /// when there are more than 24.
    pub groups: Vec<String>,
    /// (theme name, counts per column of `groups`).
    pub rows: Vec<(String, Vec<u64>)>,
    pub totals: Vec<usize>,
    pub test: String,
    /// (theme, group, over-represented?) for flagged cells.
    pub flags: Vec<(String, String, bool)>,
    /// (group, distinctive terms with z and whether each is a finding), for the groups
    /// shown one by one (`Comparison::shown_groups`: all up to 24, else the largest 24).
    pub distinctive: Vec<(String, Vec<ShownTerm>)>,
    /// Whether the theme mix differs between groups: `None` when the test was not run.
    pub differs: Option<bool>,
    pub p_value: Option<f64>,
    /// The over-represented (theme, group) cell with the largest adjusted residual.
    pub strongest: Option<(String, String)>,
    /// Groups with terms not listed (`compare --json` has them).
    pub distinctive_omitted: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct ReportModel {
    pub title: String,
    pub lang: Lang,
    /// (event, talks), in corpus order.
    pub events: Vec<(String, usize)>,
    pub talks: usize,
    /// Sections by kind label.
    pub sections: BTreeMap<String, usize>,
    pub themes: Vec<ThemeSection>,
    pub unassigned: Vec<TalkRef>,
    /// (theme name, talks, talks with a recap).
    pub recap_coverage: Vec<(String, usize, usize)>,
    pub comparison: Option<ComparisonSection>,
    /// Coding rules (`report --rules`).
    pub coding: Option<CodingSection>,
    pub method: MethodNote,
}

/// The coding rules' results, as the report shows them.
#[derive(Debug, Clone, Serialize)]
pub struct CodingSection {
    pub events: Vec<String>,
    pub totals: Vec<u64>,
    pub codes: Vec<CodeSummary>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CodeSummary {
    pub label: String,
    pub rule: String,
    /// Talks with the code per event (order of `events`).
    pub counts: Vec<u64>,
    pub total: u64,
    /// The test's reading, in the words of `code`.
    pub test: String,
    /// (title, event) of the talks it matched, at most `MAX_LISTED_TALKS`.
    pub talks: Vec<(String, String)>,
}

pub fn coding_section(c: &crate::analysis::coding::CodingResult, lang: Lang) -> CodingSection {
    CodingSection {
        events: c.events.iter().map(|e| e.name.clone()).collect(),
        totals: c.events.iter().map(|e| e.talks).collect(),
        codes: c
            .codes
            .iter()
            .map(|r| CodeSummary {
                label: r.label.clone(),
                rule: r.rule.clone(),
                counts: r.counts.clone(),
                total: r.total,
                test: crate::analysis::coding::test_text(&r.test, c.alpha, lang),
                talks: r
                    .talks
                    .iter()
                    .take(MAX_LISTED_TALKS)
                    .map(|t| (t.title.clone(), t.event.clone()))
                    .collect(),
            })
            .collect(),
    }
}

pub fn comparison_section(
    c: &crate::analysis::compare::Comparison,
    themes: &[ThemeSection],
    lang: Lang,
) -> ComparisonSection {
    let groups = c.group_labels(lang);
    let name_of = |row: &crate::analysis::compare::ThemeRow| match row.theme {
        Some(t) => themes.get(t).map(|s| s.name.clone()).unwrap_or_default(),
        None => lang.pick("未分類", "unassigned").to_string(),
    };
    let shown = c.shown_groups();
    // The table's columns: the shown groups, and the others summed in one (as the terminal).
    let rest: Vec<usize> = (0..c.groups.len()).filter(|&g| !shown[g]).collect();
    let columns = |values: &dyn Fn(usize) -> u64| -> Vec<u64> {
        let mut v: Vec<u64> = (0..c.groups.len())
            .filter(|&g| shown[g])
            .map(values)
            .collect();
        if !rest.is_empty() {
            v.push(rest.iter().map(|&g| values(g)).sum());
        }
        v
    };
    let mut columns_named: Vec<String> = (0..c.groups.len())
        .filter(|&g| shown[g])
        .map(|g| groups[g].clone())
        .collect();
    if !rest.is_empty() {
        columns_named.push(match lang {
            Lang::Ja => format!("ほか{}グループ", rest.len()),
            Lang::En => format!("{} other groups", rest.len()),
        });
    }
    ComparisonSection {
        rows: c
            .table
            .iter()
            .map(|r| (name_of(r), columns(&|g| r.counts[g])))
            .collect(),
        totals: columns(&|g| c.groups[g].talks as u64)
            .into_iter()
            .map(|t| t as usize)
            .collect(),
        test: std::iter::once(c.test_sentence(lang))
            .chain(c.notes(lang))
            .collect::<Vec<_>>()
            .join(" "),
        flags: c
            .flags
            .iter()
            .map(|f| (name_of(&c.table[f.row]), groups[f.group].clone(), f.over))
            .collect(),
        differs: match c.test.verdict {
            crate::analysis::compare::Verdict::Differs => Some(true),
            crate::analysis::compare::Verdict::NoEvidence => Some(false),
            crate::analysis::compare::Verdict::NotApplicable => None,
        },
        p_value: c.test.p_value,
        strongest: c
            .flags
            .iter()
            .filter(|f| f.over)
            .max_by(|a, b| {
                a.adjusted_residual
                    .total_cmp(&b.adjusted_residual)
                    .then(b.row.cmp(&a.row))
                    .then(b.group.cmp(&a.group))
            })
            .map(|f| (name_of(&c.table[f.row]), groups[f.group].clone())),
        distinctive: c
            .distinctive
            .iter()
            .filter(|g| shown.get(g.group).copied().unwrap_or(false))
            .map(|g| {
                (
                    groups[g.group].clone(),
                    g.terms
                        .iter()
                        .map(|t| {
                            (
                                t.display.clone(),
                                (t.z * 10.0).round() / 10.0,
                                t.significant,
                            )
                        })
                        .collect(),
                )
            })
            .collect(),
        distinctive_omitted: c
            .distinctive
            .iter()
            .filter(|g| !shown.get(g.group).copied().unwrap_or(false))
            .count(),
        groups: columns_named,
    }
}

/// Names in order, each once: sources that are merged (a proposal and its recap) or that
/// list a speaker per role name the same person twice.
pub fn dedupe_names(names: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(names.len());
    for n in names
        .iter()
        .map(|n| crate::corpus::normalize::speaker_name(n))
    {
        if !n.is_empty() && !out.contains(&n) {
            out.push(n);
        }
    }
    out
}

fn round(x: f64, digits: i32) -> f64 {
    let f = 10f64.powi(digits);
    (x * f).round() / f
}

pub fn events_in_order(corpus: &Corpus) -> Vec<(String, usize)> {
    let mut order: Vec<(String, usize)> = Vec::new();
    for talk in &corpus.talks {
        match order.iter_mut().find(|(e, _)| *e == talk.event) {
            Some((_, n)) => *n += 1,
            None => order.push((talk.event.clone(), 1)),
        }
    }
    order
}

pub fn section_kind_label(kind: SectionKind, lang: Lang) -> &'static str {
    match kind {
        SectionKind::Abstract => lang.pick("概要", "abstract"),
        SectionKind::Details => lang.pick("詳細", "details"),
        SectionKind::Audience => lang.pick("対象聴衆", "audience"),
        SectionKind::Motivation => lang.pick("モチベーション", "motivation"),
        SectionKind::Recap => lang.pick("振り返り", "recap"),
        SectionKind::Other => lang.pick("その他", "other"),
    }
}

pub fn build(
    corpus: &Corpus,
    analysis: &Analysis,
    params: &AnalysisParams,
    taxonomy_label: &str,
    title: &str,
    lang: Lang,
) -> ReportModel {
    let n = corpus.talks.len();
    let events = events_in_order(corpus);
    let themes = &analysis.themes;
    let theme_name = |c: usize| themes.themes[c].name.get(lang).to_string();
    let explainer = crate::analysis::explain::Explainer::new(analysis);
    let talk_ref = |i: usize| {
        let talk = &corpus.talks[i];
        let a = &themes.assignments[i];
        TalkRef {
            index: i,
            id: talk.id.clone(),
            title: talk.title.clone(),
            event: talk.event.clone(),
            speakers: dedupe_names(&talk.speakers),
            links: talk.links.clone(),
            similarity: round(a.similarity, 3),
            secondary: a.secondary.iter().map(|&s| theme_name(s)).collect(),
            has_recap: talk.sections.iter().any(|s| s.kind == SectionKind::Recap),
            why: crate::analysis::explain::why_line(
                &explainer.explain(analysis, i, crate::analysis::explain::DEFAULT_TOP),
                lang,
            ),
        }
    };
    let mut sections = BTreeMap::new();
    for talk in &corpus.talks {
        for s in &talk.sections {
            *sections
                .entry(section_kind_label(s.kind, lang).to_string())
                .or_insert(0) += 1;
        }
    }
    let theme_sections: Vec<ThemeSection> = themes
        .themes
        .iter()
        .map(|t| ThemeSection {
            id: t.id,
            name: t.name.get(lang).to_string(),
            taxonomy: t.taxonomy.clone(),
            keywords: t.keywords.iter().map(|k| k.display.clone()).collect(),
            size: t.talks.len(),
            share: round(100.0 * t.talks.len() as f64 / n.max(1) as f64, 1),
            per_event: events
                .iter()
                .map(|(e, _)| {
                    (
                        e.clone(),
                        t.talks
                            .iter()
                            .filter(|&&i| corpus.talks[i].event == *e)
                            .count(),
                    )
                })
                .collect(),
            representatives: t.representatives.iter().map(|&i| talk_ref(i)).collect(),
            with_recap: t.talks.iter().filter(|&&i| talk_ref(i).has_recap).count(),
            subthemes: analysis
                .subthemes()
                .get(t.id)
                .into_iter()
                .flatten()
                .map(|s| (s.name.get(lang).to_string(), s.talks.len()))
                .collect(),
            talks: t
                .talks
                .iter()
                .take(MAX_LISTED_TALKS)
                .map(|&i| talk_ref(i))
                .collect(),
        })
        .collect();
    let recap_coverage = theme_sections
        .iter()
        .map(|t| (t.name.clone(), t.size, t.with_recap))
        .collect();
    let unassigned = themes
        .assignments
        .iter()
        .filter(|a| a.theme.is_none())
        .map(|a| talk_ref(a.talk))
        .collect();
    let (k_auto, k_range) = match params.cluster.k {
        crate::cluster::KChoice::Fixed(_) => (false, None),
        crate::cluster::KChoice::Auto { min, max } => (true, Some((min, max))),
    };
    let method = MethodNote {
        k: analysis
            .curation
            .as_ref()
            .map_or(analysis.clustering.k, |c| c.themes_found)
            - analysis.clustering.split_off,
        split_off: analysis.clustering.split_off,
        split_min: crate::themes::min_entry_group(
            analysis.clustering.labels.iter().flatten().count(),
        ),
        k_auto,
        k_range,
        k_tolerance: (k_auto && analysis.clustering.k_table.len() > 1)
            .then(|| round(analysis.clustering.silhouette_tolerance(), 3)),
        silhouette: round(analysis.clustering.silhouette, 4),
        seed: params.cluster.seed,
        guided: params.guided,
        taxonomy: taxonomy_label.to_string(),
        vocabulary: analysis.tfidf.vocab.len(),
        min_df: analysis.tfidf.params.min_df,
        max_df: params.tfidf.max_df,
        title_weight: params.tfidf.title_weight,
        n_runs: params.cluster.n_runs,
        sample: analysis.clustering.sample,
        thin: analysis.thin.clone(),
        curation: analysis.curation.clone(),
        k_shortfall: analysis.k_shortfall.clone(),
        version: env!("CARGO_PKG_VERSION").to_string(),
    };
    ReportModel {
        title: title.to_string(),
        lang,
        events,
        talks: n,
        sections,
        themes: theme_sections,
        unassigned,
        recap_coverage,
        comparison: None,
        coding: None,
        method,
    }
}
