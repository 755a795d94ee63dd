//! Shared plumbing of the commands that analyse a corpus: load it, build the tokenizer and
//! taxonomy from the arguments, run the pipeline.

use std::collections::BTreeMap;
use std::path::Path;

use crate::cli::{AnalysisArgs, InputArgs, SharedArgs};
use crate::corpus::{self, LoadOptions, Loaded};
use crate::error::{Error, Result};
use crate::fitted::{Analysis, AnalysisParams};
use crate::pipeline;
use crate::themes::Taxonomy;

/// Parse `--map "title=Talk Title,abstract=概要"` into field → column.
pub fn column_map(map: Option<&str>) -> Result<BTreeMap<String, String>> {
    let mut out = BTreeMap::new();
    let Some(map) = map else { return Ok(out) };
    for pair in map.split(',').filter(|p| !p.trim().is_empty()) {
        let Some((field, column)) = pair.split_once('=') else {
            return Err(Error::usage(tr!(
                "--map: 項目=列名 の形のはずですが `{pair}` でした",
                "--map: expected FIELD=COLUMN, got `{pair}`"
            )));
        };
        let (field, column) = (field.trim(), column.trim());
        if field.is_empty() || column.is_empty() {
            return Err(Error::usage(tr!(
                "--map: `{pair}` の項目か列名が空です",
                "--map: empty field or column in `{pair}`"
            )));
        }
        out.insert(field.to_string(), column.to_string());
    }
    Ok(out)
}

pub fn load(input: &InputArgs, lang: crate::Lang) -> Result<Loaded> {
    let options = LoadOptions {
        event: input.event.clone(),
        column_map: column_map(input.map.as_deref())?,
        max_file_size: input.max_file_size,
        accepted_only: input.accepted_only,
    };
    if input.event.as_deref().is_some_and(|e| e.trim().is_empty()) {
        return Err(Error::usage(tr!(
            "--event: イベント名が空です",
            "--event: the event name is empty"
        )));
    }
    let loaded = corpus::load(&input.paths, &options)?;
    for warning in loaded.log.warning_lines(lang) {
        super::warn(lang, &warning);
    }
    Ok(loaded)
}

/// `load` for the commands that analyse a corpus (report, themes, compare): also names, in
/// the UI language, the CSV columns no field reads and the --map that would read them (a
/// column dropped without a word is a run on less than the organizer gave).
pub fn load_shared(shared: &SharedArgs) -> Result<Loaded> {
    let loaded = load(&shared.input, shared.lang)?;
    for line in loaded.log.unread_columns_lines(shared.lang) {
        eprintln!(
            "confthemes: {}: {}",
            shared.lang.pick("注意", "note"),
            super::clean(&line)
        );
    }
    Ok(loaded)
}

pub fn taxonomy(args: &AnalysisArgs) -> Result<Taxonomy> {
    match args.taxonomy.as_deref() {
        None | Some("default") => Ok(Taxonomy::default_sre()),
        Some("none") => Ok(Taxonomy::none()),
        Some(path) => {
            let path = Path::new(path);
            let text = crate::safe_io::read::read_text(path, tr!("タクソノミー", "taxonomy"))?;
            crate::safe_io::read::check_taxonomy(&text, path)?;
            Taxonomy::parse(&text, path)
        }
    }
}

pub fn params(args: &AnalysisArgs, taxonomy: &Taxonomy) -> Result<AnalysisParams> {
    let mut params = AnalysisParams::default();
    params.cluster.k = args.k;
    params.cluster.seed = args.seed;
    params.guided = !args.unguided && !taxonomy.entries.is_empty();
    if let Some(min_df) = args.min_df {
        params.tfidf.min_df = min_df;
        params.tfidf.fixed_min_df = true;
    }
    params.edit = args
        .edit
        .as_deref()
        .map(crate::curate::Edit::load)
        .transpose()?;
    Ok(params)
}

/// The analysis every analysing command runs, with its warnings on stderr in `--lang`.
/// Say on stderr, per file, how many talks or parts were left out as mojibake (ingest lists
/// them; an analysis would otherwise run on the rest without a word).
pub fn warn_garbled(loaded: &Loaded, lang: crate::Lang) {
    use crate::corpus::log::SkipReason;
    for f in &loaded.log.files {
        let n = f
            .skipped
            .iter()
            .filter(|s| matches!(s.reason, SkipReason::Garbled(_)))
            .count();
        if n > 0 {
            super::warn(
                lang,
                &format!(
                    "{}: {}",
                    f.file,
                    match lang {
                        crate::Lang::Ja => format!(
                            "文字化け(mojibake)の {n} 件を除外しました(`confthemes ingest` で一覧できます)"
                        ),
                        crate::Lang::En => format!(
                            "{n} garbled part(s) (mojibake) left out (`confthemes ingest` lists them)"
                        ),
                    }
                ),
            );
        }
    }
}

pub fn analyze(
    loaded: &Loaded,
    shared: &SharedArgs,
) -> Result<(Analysis, Taxonomy, AnalysisParams)> {
    let args = &shared.analysis;
    warn_garbled(loaded, shared.lang);
    if loaded.corpus.talks.is_empty() {
        return Err(Error::usage(tr!(
            "指定したパスに発表が見つかりませんでした",
            "no talks were found in the given paths"
        )));
    }
    let taxonomy = taxonomy(args)?;
    let params = params(args, &taxonomy)?;
    let tokenizer = super::tokenizer(&args.tokenizer)?;
    let analysis = pipeline::analyze(&loaded.corpus, &tokenizer, &taxonomy, &params)
        .map_err(|e| name_inputs(e, loaded))?;
    if let Some(thin) = &analysis.thin {
        super::warn(shared.lang, &thin.message(shared.lang));
    }
    if let Some(short) = &analysis.k_shortfall {
        super::warn(shared.lang, &short.message(shared.lang));
    }
    Ok((analysis, taxonomy, params))
}

/// A usage error about the talks' content (nothing to cluster, --k above the talks) names the
/// input files, so the one-line message says where the problem is.
fn name_inputs(e: Error, loaded: &Loaded) -> Error {
    match e {
        Error::Usage(what) if what.en.contains("talks") || what.en.contains("talk has") => {
            let files: Vec<&str> = loaded.log.files.iter().map(|f| f.file.as_str()).collect();
            let named = files.iter().take(3).copied().collect::<Vec<_>>().join(", ");
            // The path slot names the files; how many more, in each language, leads the message.
            let what = match files.len().saturating_sub(3) {
                0 => what,
                more => what.after(
                    &format!("(ほか{more}ファイル) "),
                    &format!("(and {more} more files) "),
                ),
            };
            Error::input(named, what)
        }
        e => e,
    }
}
