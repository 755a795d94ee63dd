//! Curation before publishing (`--edit FILE`): an organizer's renames, merges, pins and
//! excluded terms, applied after clustering and naming in one fixed order, and recorded
//! (`Curation`) for the method note and themes.json.
//!
//! Plain data in, plain data out: `Edit::exclude_terms` works on the talks' terms before
//! vectorizing; `Edit::apply` turns the found `Clustering` + `Themes` into the edited ones.
//! Every theme reference in the file must match exactly one theme, or it is an error naming
//! the file and the line (an edit that silently matched nothing would publish the wrong name).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use ndarray::Array2;
use serde::{Deserialize, Serialize};
use toml::Spanned;

use crate::cluster::{Clustering, Method};
use crate::corpus::Corpus;
use crate::corpus::normalize::normalize_title;
use crate::error::{Error, Result, Text};
use crate::lang::Lang;
use crate::themes::{self, Evidence, NamingParams, Taxonomy, ThemeName, Themes};
use crate::tokenize::filters::fold_key;
use crate::vectorize::{TalkTerms, TfIdf};

/// Longest theme name an edit file may give (in characters).
pub const MAX_NAME_CHARS: usize = 100;

/// How an edit file's reference and a theme's names, ids, keywords and terms are compared:
/// NFKC (full- and half-width forms alike: ｓｌｏ, ﾃﾚﾒﾄﾘｰ) and case folded, as terms are.
fn match_key(s: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    fold_key(&s.nfkc().collect::<String>())
}

/// A value of the edit file with the line it is on.
#[derive(Debug, Clone, PartialEq)]
pub struct At<T> {
    pub value: T,
    pub line: usize,
}

/// `[[theme]]`: give the theme `target` matches a new name.
#[derive(Debug, Clone, PartialEq)]
pub struct Rename {
    pub target: At<String>,
    pub name: ThemeName,
}

/// `[[merge]]`: the themes `targets` match become one theme named `name`.
#[derive(Debug, Clone, PartialEq)]
pub struct Merge {
    pub line: usize,
    pub targets: Vec<At<String>>,
    pub name: ThemeName,
}

/// `[[pin]]`: put the talk (title or id) under the theme.
#[derive(Debug, Clone, PartialEq)]
pub struct Pin {
    pub talk: At<String>,
    pub theme: At<String>,
}

/// The run an edit applies to, as found: its vectors, taxonomy evidence, clustering and
/// themes.
#[derive(Clone, Copy)]
pub struct Fitted<'a> {
    pub tfidf: &'a TfIdf,
    pub evidence: &'a Evidence,
    pub clustering: &'a Clustering,
    pub themes: &'a Themes,
}

/// A parsed edit file.
#[derive(Debug, Clone, PartialEq)]
pub struct Edit {
    /// The file as the user named it (in errors and in the record).
    pub file: PathBuf,
    pub renames: Vec<Rename>,
    pub merges: Vec<Merge>,
    pub pins: Vec<Pin>,
    /// `[terms] exclude`: folded term keys, never a keyword, not used for clustering.
    pub exclude: Vec<At<String>>,
}

/// What an edit changed, for the method note and themes.json.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Curation {
    pub file: String,
    /// Number of themes the clustering found, and after the edit.
    pub themes_found: usize,
    pub themes: usize,
    pub renamed: Vec<Renamed>,
    pub merged: Vec<Merged>,
    pub pinned: Vec<Pinned>,
    pub excluded: Vec<Excluded>,
    /// Themes left without talks by pins, and so removed.
    pub emptied: Vec<ThemeName>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Renamed {
    pub line: usize,
    /// Index of the theme after the edit.
    pub theme: usize,
    pub from: ThemeName,
    pub to: ThemeName,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Merged {
    pub line: usize,
    pub theme: usize,
    pub from: Vec<ThemeName>,
    pub to: ThemeName,
    /// Talks of the merged theme after the edit (pins included).
    pub talks: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Pinned {
    pub line: usize,
    /// Talk id and title.
    pub talk: String,
    pub title: String,
    pub theme: usize,
    /// `None` for a talk that had no theme (no shared or taxonomy term).
    pub from: Option<ThemeName>,
    pub to: ThemeName,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Excluded {
    pub line: usize,
    pub term: String,
    /// Talks that used the term.
    pub talks: usize,
}

// The file's shape, read strictly: an unknown key or table is an error naming it.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EditShape {
    #[serde(default)]
    theme: Vec<RenameShape>,
    #[serde(default)]
    merge: Vec<MergeShape>,
    #[serde(default)]
    pin: Vec<PinShape>,
    #[serde(default)]
    terms: Option<TermsShape>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RenameShape {
    #[serde(rename = "match")]
    target: Spanned<String>,
    name: Spanned<String>,
    #[serde(default)]
    en: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MergeShape {
    themes: Spanned<Vec<Spanned<String>>>,
    name: Spanned<String>,
    #[serde(default)]
    en: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PinShape {
    talk: Spanned<String>,
    theme: Spanned<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TermsShape {
    #[serde(default)]
    exclude: Vec<Spanned<String>>,
}

impl Edit {
    /// Read and check an edit file (size limit, UTF-8, shape; see `strict`).
    pub fn load(path: &Path) -> Result<Edit> {
        let text = crate::safe_io::read::read_text(path, tr!("編集ファイル", "edit file"))?;
        Edit::parse(&text, path)
    }

    pub fn parse(text: &str, path: &Path) -> Result<Edit> {
        let shape: EditShape = toml::from_str(text).map_err(|e| {
            let why = crate::safe_io::read::toml_message(&e, text);
            Error::input(
                path,
                tr!(
                    "編集ファイルではありません({why})",
                    "not an edit file: {why}"
                ),
            )
        })?;
        let line =
            |span: std::ops::Range<usize>| crate::corpus::manifest::line_col(text, span.start).0;
        let err = |l: usize, what: Text| Error::input(path, at_line(l, what));
        let value = |s: Spanned<String>, key: &str| -> Result<At<String>> {
            let l = line(s.span());
            let v = s.into_inner().trim().to_string();
            if v.is_empty() {
                return Err(err(l, tr!("`{key}` が空です", "`{key}` is empty")));
            }
            Ok(At { value: v, line: l })
        };
        // A name is a chart label and a heading: capped, so a runaway value cannot blow up
        // the report (a 1 M-character rename made a 396 MB one).
        let capped = |s: Spanned<String>, key: &str| -> Result<String> {
            let at = value(s, key)?;
            let n = at.value.chars().count();
            if n > MAX_NAME_CHARS {
                return Err(err(
                    at.line,
                    tr!(
                        "`{key}` が{n}文字あります。テーマ名は{MAX_NAME_CHARS}文字までです",
                        "`{key}` is {n} characters long; a theme name has at most {MAX_NAME_CHARS}"
                    ),
                ));
            }
            Ok(at.value)
        };
        let name = |ja: Spanned<String>, en: Option<Spanned<String>>| -> Result<ThemeName> {
            let ja = capped(ja, "name")?;
            let en = match en {
                Some(en) => capped(en, "en")?,
                None => ja.clone(),
            };
            Ok(ThemeName { ja, en })
        };
        let mut renames = Vec::new();
        for r in shape.theme {
            renames.push(Rename {
                target: value(r.target, "match")?,
                name: name(r.name, r.en)?,
            });
        }
        let mut merges = Vec::new();
        for m in shape.merge {
            let l = line(m.themes.span());
            let targets = m
                .themes
                .into_inner()
                .into_iter()
                .map(|t| value(t, "themes"))
                .collect::<Result<Vec<_>>>()?;
            if targets.len() < 2 {
                return Err(err(
                    l,
                    tr!(
                        "[[merge]] には2つ以上の `themes` が要ります",
                        "a [[merge]] needs at least two `themes`"
                    ),
                ));
            }
            merges.push(Merge {
                line: l,
                targets,
                name: name(m.name, m.en)?,
            });
        }
        let mut pins = Vec::new();
        for p in shape.pin {
            pins.push(Pin {
                talk: value(p.talk, "talk")?,
                theme: value(p.theme, "theme")?,
            });
        }
        let mut exclude = Vec::new();
        for t in shape.terms.map(|t| t.exclude).unwrap_or_default() {
            let At { value, line } = value(t, "exclude")?;
            exclude.push(At {
                value: fold_key(&value),
                line,
            });
        }
        Ok(Edit {
            file: path.to_path_buf(),
            renames,
            merges,
            pins,
            exclude,
        })
    }

    fn err(&self, line: usize, what: Text) -> Error {
        Error::input(&self.file, at_line(line, what))
    }

    /// Remove the excluded terms from every talk (before vectorizing, so they are neither
    /// clustered on nor keywords). A term no talk uses is an error naming its line.
    pub fn exclude_terms(&self, talks: &mut [TalkTerms]) -> Result<Vec<Excluded>> {
        let mut out = Vec::new();
        for At { value, line } in &self.exclude {
            if out.iter().any(|e: &Excluded| &e.term == value) {
                continue;
            }
            let key = match_key(value);
            let mut used = 0;
            for talk in talks.iter_mut() {
                let before = talk.title.len() + talk.body.len();
                talk.title.retain(|t| t.key != key);
                talk.body.retain(|t| t.key != key);
                if talk.title.len() + talk.body.len() < before {
                    used += 1;
                }
            }
            if used == 0 {
                return Err(self.err(
                    *line,
                    tr!(
                        "除く語 `{value}` はどのトークの語でもありません(`confthemes tokenize` でテキストの語を確かめられます)",
                        "excluded term `{value}` is not a term of any talk (`confthemes tokenize` shows the terms of a text)"
                    ),
                ));
            }
            out.push(Excluded {
                line: *line,
                term: value.clone(),
                talks: used,
            });
        }
        Ok(out)
    }

    /// Apply merges, renames and pins (in that order, each reference matched against the
    /// themes as found) to the clustering and its themes. Keywords, representatives and
    /// secondary themes are recomputed over the edited members; the themes the file does not
    /// name keep their names.
    pub fn apply(
        &self,
        corpus: &Corpus,
        fitted: Fitted<'_>,
        taxonomy: &Taxonomy,
        naming: &NamingParams,
    ) -> Result<(Clustering, Themes, Curation)> {
        let Fitted {
            tfidf,
            evidence,
            clustering,
            themes: found,
        } = fitted;
        let k = found.themes.len();
        // Group of each found theme: merged themes share one.
        let mut group: Vec<usize> = (0..k).collect();
        let mut merged_at: BTreeMap<usize, usize> = BTreeMap::new();
        // Per group (by its first found theme): the new name, taxonomy id and score.
        let mut named: BTreeMap<usize, (ThemeName, Option<String>, f64)> = BTreeMap::new();
        for m in &self.merges {
            let mut members: Vec<usize> = Vec::new();
            for t in &m.targets {
                let c = self.find_theme(found, t)?;
                if let Some(other) = merged_at.get(&c) {
                    let name = &found.themes[c].name.ja;
                    return Err(self.err(
                        t.line,
                        tr!(
                            "テーマ「{name}」は{other}行目ですでにまとめています",
                            "theme 「{name}」 is already merged at line {other}"
                        ),
                    ));
                }
                if !members.contains(&c) {
                    members.push(c);
                }
            }
            if members.len() < 2 {
                let name = &found.themes[members[0]].name.ja;
                return Err(self.err(
                    m.line,
                    tr!(
                        "[[merge]] の `themes` がどれも同じテーマ「{name}」に当たります",
                        "the [[merge]]'s `themes` all match one theme, 「{name}」"
                    ),
                ));
            }
            let first = *members.iter().min().expect("two members");
            for &c in &members {
                group[c] = first;
                merged_at.insert(c, m.line);
            }
            named.insert(first, (m.name.clone(), None, 0.0));
        }
        let mut renamed_at: BTreeMap<usize, usize> = BTreeMap::new();
        for r in &self.renames {
            let c = self.find_theme(found, &r.target)?;
            if let Some(line) = merged_at.get(&c) {
                let name = &found.themes[c].name.ja;
                return Err(self.err(
                    r.target.line,
                    tr!(
                        "テーマ「{name}」は{line}行目でまとめています。名前はその [[merge]] で付けてください",
                        "theme 「{name}」 is merged at line {line}: give its name in that [[merge]]"
                    ),
                ));
            }
            if let Some(line) = renamed_at.insert(c, r.target.line) {
                let name = &found.themes[c].name.ja;
                return Err(self.err(
                    r.target.line,
                    tr!(
                        "テーマ「{name}」は{line}行目ですでに名前を変えています",
                        "theme 「{name}」 is already renamed at line {line}"
                    ),
                ));
            }
            let t = &found.themes[c];
            named.insert(c, (r.name.clone(), t.taxonomy.clone(), t.taxonomy_score));
        }
        // Final names must stay unique (the report tells themes apart by name).
        let final_name =
            |g: usize| -> &ThemeName { named.get(&g).map_or(&found.themes[g].name, |n| &n.0) };
        let groups: BTreeSet<usize> = group.iter().copied().collect();
        let mut seen: BTreeMap<String, usize> = BTreeMap::new();
        for &g in &groups {
            let key = fold_key(&final_name(g).ja);
            if let Some(&other) = seen.get(&key) {
                let line = self
                    .line_naming(g, &merged_at, &renamed_at)
                    .or_else(|| self.line_naming(other, &merged_at, &renamed_at))
                    .unwrap_or(1);
                let name = &final_name(g).ja;
                return Err(self.err(
                    line,
                    tr!(
                        "2つのテーマが同じ名前「{name}」になります",
                        "two themes would be named 「{name}」"
                    ),
                ));
            }
            seen.insert(key, g);
        }

        // Labels after merging, then pins.
        let mut labels: Vec<Option<usize>> = clustering
            .labels
            .iter()
            .map(|l| l.map(|c| group[c]))
            .collect();
        let mut pinned_at: BTreeMap<usize, usize> = BTreeMap::new();
        let mut pins: Vec<(usize, usize, usize)> = Vec::new(); // (line, talk, group)
        for p in &self.pins {
            let talk = self.find_talk(corpus, &p.talk)?;
            if let Some(line) = pinned_at.insert(talk, p.talk.line) {
                let title = &corpus.talks[talk].title;
                return Err(self.err(
                    p.talk.line,
                    tr!(
                        "トーク「{title}」は{line}行目ですでに固定しています",
                        "talk 「{title}」 is already pinned at line {line}"
                    ),
                ));
            }
            // A new name given in this file, else a theme as found.
            let wanted = fold_key(&p.theme.value);
            let g = match groups.iter().find(|&&g| {
                named.contains_key(&g)
                    && (fold_key(&final_name(g).ja) == wanted
                        || fold_key(&final_name(g).en) == wanted)
            }) {
                Some(&g) => g,
                None => group[self.find_theme(found, &p.theme)?],
            };
            labels[talk] = Some(g);
            pins.push((p.talk.line, talk, g));
        }

        // Order: larger first, then by the first found theme (as `cluster` numbers them).
        let mut size: BTreeMap<usize, usize> = groups.iter().map(|&g| (g, 0)).collect();
        for l in labels.iter().flatten() {
            *size.entry(*l).or_default() += 1;
        }
        let emptied: Vec<ThemeName> = groups
            .iter()
            .filter(|g| size[g] == 0)
            .map(|&g| final_name(g).clone())
            .collect();
        let mut order: Vec<usize> = groups.iter().copied().filter(|g| size[g] > 0).collect();
        order.sort_by(|a, b| size[b].cmp(&size[a]).then(a.cmp(b)));
        if order.is_empty() {
            return Err(self.err(
                1,
                tr!(
                    "この編集ではトークのあるテーマが残りません",
                    "the edit leaves no theme with talks"
                ),
            ));
        }
        let mut new_id: BTreeMap<usize, usize> = BTreeMap::new();
        for (i, &g) in order.iter().enumerate() {
            new_id.insert(g, i);
        }
        let labels: Vec<Option<usize>> = labels.iter().map(|l| l.map(|g| new_id[&g])).collect();

        let edited = self.edited_clustering(clustering, &group, &order, labels, &pinned_at);
        let mut themes = themes::name_themes(tfidf, &edited, taxonomy, evidence, naming);
        for (i, &g) in order.iter().enumerate() {
            let (name, tax, score) = match named.get(&g) {
                Some(n) => n.clone(),
                None => {
                    let t = &found.themes[g];
                    (t.name.clone(), t.taxonomy.clone(), t.taxonomy_score)
                }
            };
            let t = &mut themes.themes[i];
            t.name = name;
            t.taxonomy = tax;
            t.taxonomy_score = score;
        }

        let mut record = Curation {
            file: self.file.display().to_string(),
            themes_found: k,
            themes: order.len(),
            emptied,
            ..Curation::default()
        };
        for m in &self.merges {
            let mut from: Vec<usize> = Vec::new();
            for t in &m.targets {
                let c = self.find_theme(found, t)?;
                if !from.contains(&c) {
                    from.push(c);
                }
            }
            let g = group[from[0]];
            if let Some(&theme) = new_id.get(&g) {
                record.merged.push(Merged {
                    line: m.line,
                    theme,
                    from: from.iter().map(|&c| found.themes[c].name.clone()).collect(),
                    to: m.name.clone(),
                    talks: themes.themes[theme].talks.len(),
                });
            }
        }
        for (&c, &line) in &renamed_at {
            if let Some(&theme) = new_id.get(&c) {
                record.renamed.push(Renamed {
                    line,
                    theme,
                    from: found.themes[c].name.clone(),
                    to: named[&c].0.clone(),
                });
            }
        }
        record.renamed.sort_by_key(|r| r.line);
        for (line, talk, g) in pins {
            record.pinned.push(Pinned {
                line,
                talk: corpus.talks[talk].id.clone(),
                title: corpus.talks[talk].title.clone(),
                theme: new_id[&g],
                from: clustering.labels[talk].map(|c| found.themes[c].name.clone()),
                to: final_name(g).clone(),
            });
        }
        Ok((edited, themes, record))
    }

    /// The clustering with the edited labels: merged and pinned-into (or out of) themes get
    /// the mean of their members' vectors as centroid and new similarities; the others keep
    /// theirs. (For large corpora `embedding` is a random projection of the clustered rows, so
    /// a changed theme's similarities are that projection's cosines.)
    fn edited_clustering(
        &self,
        clustering: &Clustering,
        group: &[usize],
        order: &[usize],
        labels: Vec<Option<usize>>,
        pinned_at: &BTreeMap<usize, usize>,
    ) -> Clustering {
        let k = order.len();
        let n = labels.len();
        let dims = clustering.centroids.ncols();
        // A group is unchanged when it is one found theme and no pin moved a talk in or out.
        let mut changed = vec![false; k];
        for (new, &g) in order.iter().enumerate() {
            changed[new] = group.iter().filter(|&&x| x == g).count() > 1;
        }
        for &talk in pinned_at.keys() {
            if let Some(c) = labels[talk] {
                changed[c] = true;
            }
            if let Some(old) = clustering.labels[talk]
                && let Some(new) = order.iter().position(|&g| g == group[old])
            {
                changed[new] = true;
            }
        }
        let mut centroids = Array2::zeros((k, dims));
        for (new, &g) in order.iter().enumerate() {
            if changed[new] {
                centroids
                    .row_mut(new)
                    .assign(&clustering.centroid_of(&labels, new));
            } else {
                centroids.row_mut(new).assign(&clustering.centroids.row(g));
            }
        }
        let similarity: Vec<Vec<f64>> = (0..n)
            .map(|i| {
                (0..k)
                    .map(|new| {
                        if changed[new] {
                            if i < clustering.embedding.nrows() {
                                clustering.embedding.row(i).dot(&centroids.row(new))
                            } else {
                                0.0
                            }
                        } else {
                            clustering.similarity[i][order[new]]
                        }
                    })
                    .collect()
            })
            .collect();
        let method = match clustering.method {
            Method::ZeroShot { residual } => Method::ZeroShot {
                residual: residual.and_then(|r| order.iter().position(|&g| g == group[r])),
            },
            m => m,
        };
        Clustering {
            k,
            labels,
            similarity,
            centroids,
            method,
            ..clustering.clone()
        }
    }

    fn line_naming(
        &self,
        g: usize,
        merged_at: &BTreeMap<usize, usize>,
        renamed_at: &BTreeMap<usize, usize>,
    ) -> Option<usize> {
        merged_at.get(&g).or_else(|| renamed_at.get(&g)).copied()
    }

    /// The one theme a reference names: its taxonomy id, else its name (Japanese or English),
    /// else one of its keywords — the first of these that matches any theme must match
    /// exactly one.
    fn find_theme(&self, found: &Themes, r: &At<String>) -> Result<usize> {
        let key = match_key(&r.value);
        let matches = |what: &str, t: &themes::Theme| match what {
            "taxonomy id" => t.taxonomy.as_deref().is_some_and(|id| match_key(id) == key),
            "name" => match_key(&t.name.ja) == key || match_key(&t.name.en) == key,
            _ => t.keywords.iter().any(|k| match_key(&k.term) == key),
        };
        for what in ["taxonomy id", "name", "keyword"] {
            let hits: Vec<usize> = (0..found.themes.len())
                .filter(|&c| matches(what, &found.themes[c]))
                .collect();
            match hits.as_slice() {
                [] => continue,
                [c] => return Ok(*c),
                many => {
                    let names: Vec<String> = many
                        .iter()
                        .map(|&c| format!("「{}」", found.themes[c].name.ja))
                        .collect();
                    let (value, n, names) = (&r.value, many.len(), names.join(", "));
                    let what_ja = match what {
                        "taxonomy id" => "タクソノミーの id",
                        "name" => "名前",
                        _ => "キーワード",
                    };
                    return Err(self.err(
                        r.line,
                        tr!(
                            "`{value}` は{n}つのテーマ({names})の{what_ja}です。テーマを名前で1つに絞ってください",
                            "`{value}` is a {what} of {n} themes ({names}): name one theme by its name"
                        ),
                    ));
                }
            }
        }
        let names: Vec<String> = found
            .themes
            .iter()
            .map(|t| format!("「{}」", t.name.ja))
            .collect();
        let (value, names) = (&r.value, names.join(", "));
        Err(self.err(
            r.line,
            tr!(
                "`{value}` に当たるテーマがありません({names} のタクソノミー id、名前、キーワードのどれでもない)",
                "`{value}` matches no theme (not a taxonomy id, name or keyword of {names})"
            ),
        ))
    }

    /// The one talk a reference names: its id, else its title (compared as talk ids compare
    /// titles: width, case, punctuation and spaces folded).
    fn find_talk(&self, corpus: &Corpus, r: &At<String>) -> Result<usize> {
        if let Some(i) = corpus.talks.iter().position(|t| t.id == r.value) {
            return Ok(i);
        }
        let wanted = normalize_title(&r.value);
        let hits: Vec<usize> = (0..corpus.talks.len())
            .filter(|&i| !wanted.is_empty() && normalize_title(&corpus.talks[i].title) == wanted)
            .collect();
        match hits.as_slice() {
            [i] => Ok(*i),
            [] => {
                let value = &r.value;
                Err(self.err(
                    r.line,
                    tr!(
                        "トーク `{value}` に当たるタイトルや id がありません",
                        "talk `{value}` matches no talk's title or id"
                    ),
                ))
            }
            many => {
                let ids: Vec<String> = many
                    .iter()
                    .map(|&i| format!("{} ({})", corpus.talks[i].id, corpus.talks[i].event))
                    .collect();
                let (value, n, ids) = (&r.value, many.len(), ids.join(", "));
                Err(self.err(
                    r.line,
                    tr!(
                        "トーク `{value}` は{n}件のトークのタイトルです。id で指定してください({ids})",
                        "talk `{value}` is the title of {n} talks: give its id ({ids})"
                    ),
                ))
            }
        }
    }
}

/// The method note's lines about an edit: one per change, in the order of the file.
pub fn note_lines(c: &Curation, lang: Lang) -> Vec<String> {
    let q = |n: &ThemeName| format!("「{}」", n.get(lang));
    let mut lines = vec![match lang {
        Lang::Ja => format!(
            "編集 ({}): クラスタリングで見つかった {} テーマ → 編集後 {} テーマ (シルエット係数は編集前のもの)",
            c.file, c.themes_found, c.themes
        ),
        Lang::En => format!(
            "Edited ({}): {} themes found by clustering → {} after the edit (the silhouette is the clustering's, before the edit)",
            c.file, c.themes_found, c.themes
        ),
    }];
    for m in &c.merged {
        let from: Vec<String> = m.from.iter().map(q).collect();
        lines.push(match lang {
            Lang::Ja => format!(
                "統合 ({}行目): {} → {} ({} 件)",
                m.line,
                from.join(" + "),
                q(&m.to),
                m.talks
            ),
            Lang::En => format!(
                "Merged (line {}): {} → {} ({} talks)",
                m.line,
                from.join(" + "),
                q(&m.to),
                m.talks
            ),
        });
    }
    for r in &c.renamed {
        lines.push(match lang {
            Lang::Ja => format!("名前の変更 ({}行目): {} → {}", r.line, q(&r.from), q(&r.to)),
            Lang::En => format!("Renamed (line {}): {} → {}", r.line, q(&r.from), q(&r.to)),
        });
    }
    for p in &c.pinned {
        let from = p
            .from
            .as_ref()
            .map_or_else(|| lang.pick("テーマなし", "no theme").to_string(), q);
        lines.push(match lang {
            Lang::Ja => format!(
                "配置 ({}行目): 「{}」 を {} へ (元: {})",
                p.line,
                p.title,
                q(&p.to),
                from
            ),
            Lang::En => format!(
                "Pinned (line {}): 「{}」 under {} (was: {})",
                p.line,
                p.title,
                q(&p.to),
                from
            ),
        });
    }
    if !c.excluded.is_empty() {
        let terms: Vec<String> = c
            .excluded
            .iter()
            .map(|e| match lang {
                Lang::Ja => format!("{} ({} 件)", e.term, e.talks),
                Lang::En => format!("{} ({} talks)", e.term, e.talks),
            })
            .collect();
        lines.push(format!(
            "{}: {}",
            lang.pick(
                "除外した語 (キーワードにもクラスタリングにも使わない)",
                "Excluded terms (neither keywords nor used for clustering)"
            ),
            terms.join(", ")
        ));
    }
    if !c.emptied.is_empty() {
        let names: Vec<String> = c.emptied.iter().map(q).collect();
        lines.push(format!(
            "{}: {}",
            lang.pick(
                "配置でトークがなくなり削除したテーマ",
                "Themes left without talks by pins, removed"
            ),
            names.join(", ")
        ));
    }
    lines
}

/// "line N: …" / 「N行目: …」.
fn at_line(line: usize, what: Text) -> Text {
    what.after(&format!("{line}行目: "), &format!("line {line}: "))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Edit> {
        Edit::parse(text, Path::new("edit.toml"))
    }

    #[test]
    fn the_file_is_read_strictly_with_lines() {
        let e = parse(
            "[[theme]]\nmatch = \"organization\"\nname = \"組織\"\n\n[[merge]]\nthemes = [\"slo\", \"observability\"]\nname = \"SLOと監視\"\nen = \"SLO and monitoring\"\n[terms]\nexclude = [\"サービス\", \"Cost\"]\n",
        )
        .unwrap();
        assert_eq!(
            e.renames[0].target,
            At {
                value: "organization".into(),
                line: 2
            }
        );
        assert_eq!(e.renames[0].name.en, "組織");
        assert_eq!(e.merges[0].line, 6);
        assert_eq!(e.merges[0].name.en, "SLO and monitoring");
        assert_eq!(
            e.exclude[1],
            At {
                value: "cost".into(),
                line: 10
            }
        );
        let err = parse("[[theme]]\nmatch = \"a\"\nnmae = \"b\"\n")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("edit.toml") && err.contains("line 3") && err.contains("nmae"),
            "{err}"
        );
        let err = parse("[[merge]]\nthemes = [\"a\"]\nname = \"b\"\n")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("line 2") && err.contains("at least two"),
            "{err}"
        );
        let err = parse("[[pin]]\ntalk = \" \"\ntheme = \"b\"\n")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("line 2") && err.contains("`talk` is empty"),
            "{err}"
        );
    }
}
