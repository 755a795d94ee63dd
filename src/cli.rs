//! Command-line arguments, all in one place (as ripgrep keeps them). `main.rs` wires the
//! parsed arguments to the library's stages.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::analysis::compare::GroupBy;
use crate::analysis::kwic::SortBy;
use crate::cluster::KChoice;
use crate::error::Text;
use crate::lang::Lang;
use crate::tokenize::CompoundPolicy;

#[derive(Debug, Parser)]
#[command(
    name = "confthemes",
    version,
    arg_required_else_help = true,
    about = "What was this conference about? Themes, keywords and charts from CfP pages, timetables and recap blogs.",
    long_about = "confthemes reads what a conference said about itself — accepted talk proposals, \
timetables, recap blog posts — and finds the themes its talks formed, how big each was, which \
talks stand for each, and how events differ.\n\n\
Typical use:\n  confthemes report seeds --out reports/seeds   # the full report on the bundled seeds\n  \
confthemes ingest seeds                         # what was read from which file\n  \
confthemes themes seeds --k auto --verbose      # themes in the terminal\n  \
echo 'インシデント対応とポストモーテム' | confthemes tokenize"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Read talks from files or directories and summarize what was found (--json: the corpus).
    Ingest(IngestArgs),
    /// Write the themes report (report.md, report.html, themes.json, talks.csv, charts/) into DIR.
    Report(ReportArgs),
    /// Find the themes of the talks: names, sizes, keywords, representative talks, members.
    Themes(ThemesArgs),
    /// Measure themes against a hand-made gold file: AMI, NMI, ARI and purity over seeds 0..9.
    Eval(EvalArgs),
    /// Show the terms the tokenizer finds in TEXT (or stdin): one per line with its part of speech.
    Tokenize(TokenizeArgs),
    /// Compare events (or categories, rooms, days) on themes fitted on all talks together:
    /// theme shares with a chi-square / exact test, distinctive terms, trends across editions.
    Compare(CompareArgs),
    /// Place new talks into the themes of a model saved with `themes --save-model`.
    Assign(AssignArgs),
    /// Every occurrence of TERM (matched on tokenizer keys) with its context, talk, event and
    /// section, as a KWIC concordance.
    Kwic(KwicArgs),
    /// Term co-occurrence network: frequent terms linked when used in the same talks, with
    /// communities; drawn to --out FILE.svg|.png.
    Network(NetworkArgs),
    /// Apply coding rules (named boolean rules over terms, TOML) to the talks: counts by
    /// event with a chi-square / exact test per code. Default rules: the bundled taxonomy.
    Code(CodeArgs),
    /// Print a shell completion script: `confthemes completions bash > ~/.local/share/bash-completion/completions/confthemes`.
    Completions(CompletionsArgs),
    /// Print the man page (roff): `confthemes man > confthemes.1`.
    Man,
}

impl Command {
    /// The UI language the command's messages are printed in (`--lang`; Japanese for the
    /// commands without prose).
    pub fn lang(&self) -> Lang {
        match self {
            Command::Ingest(a) => a.lang,
            Command::Report(a) => a.shared.lang,
            Command::Themes(a) => a.shared.lang,
            Command::Eval(a) => a.shared.lang,
            Command::Tokenize(a) => a.lang,
            Command::Compare(a) => a.shared.lang,
            Command::Assign(a) => a.lang,
            Command::Kwic(a) => a.shared.lang,
            Command::Network(a) => a.lang,
            Command::Code(a) => a.lang,
            Command::Completions(_) | Command::Man => Lang::Ja,
        }
    }
}

/// The UI language asked for on a command line clap could not parse: `--lang en` or
/// `--lang=en` anywhere, else `CONFTHEMES_LANG=en`, else Japanese (the default).
pub fn lang_in_args(args: &[std::ffi::OsString]) -> Lang {
    let args: Vec<&str> = args.iter().filter_map(|a| a.to_str()).collect();
    let asked = args
        .windows(2)
        .find(|w| w[0] == "--lang")
        .map(|w| w[1])
        .or_else(|| args.iter().find_map(|a| a.strip_prefix("--lang=")));
    let env = std::env::var("CONFTHEMES_LANG").ok();
    match asked.or(env.as_deref()) {
        Some("en") => Lang::En,
        _ => Lang::Ja,
    }
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum, value_name = "SHELL")]
    pub shell: clap_complete::Shell,
}

/// `--lang`, the same on every command that prints prose.
const LANG_HELP: &str = "Language of the prose printed and written, errors included: ja (default) or en; the CONFTHEMES_LANG environment variable sets it for every command. Talk titles, names and terms are shown as written.";

/// `--seed`, the same on every command with randomness.
const SEED_HELP: &str = "Random seed: the same input and seed give byte-identical output.";

/// `--min-df`: one meaning wherever terms are counted.
const MIN_DF_HELP: &str = "Terms must be used by at least this many talks, 1..=1000000.";

/// Options every analysing command (report, themes, compare, eval, kwic) shares, defined
/// once so each name means one thing everywhere.
#[derive(Debug, Clone, Args)]
pub struct SharedArgs {
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub analysis: AnalysisArgs,
    #[arg(long, value_enum, env = "CONFTHEMES_LANG", default_value_t = Lang::Ja, help = LANG_HELP)]
    pub lang: Lang,
}

impl SharedArgs {
    /// Every path the command reads: inputs, option files, dictionaries (never an output).
    pub fn read_paths(&self) -> Vec<PathBuf> {
        let mut paths = self.input.paths.clone();
        paths.extend(self.analysis.read_paths());
        paths
    }
}

impl AnalysisArgs {
    /// The option files and dictionaries these options read.
    pub fn read_paths(&self) -> Vec<PathBuf> {
        let taxonomy = self
            .taxonomy
            .as_deref()
            .filter(|t| !matches!(*t, "none" | "default"))
            .map(PathBuf::from);
        let mut paths: Vec<PathBuf> = taxonomy.into_iter().chain(self.edit.clone()).collect();
        paths.extend(self.tokenizer.read_paths());
        paths
    }
}

impl TokenizerArgs {
    /// The dictionaries and stopword file these options read.
    pub fn read_paths(&self) -> Vec<PathBuf> {
        [&self.dict, &self.user_dict, &self.stopwords]
            .into_iter()
            .flatten()
            .cloned()
            .collect()
    }
}

/// Where talks come from.
#[derive(Debug, Clone, Args)]
pub struct InputArgs {
    /// Files or directories: proposal pages, recap posts (.txt/.md), CSV, JSON, JSONL. A
    /// directory may hold corpus.toml naming its files with their event and reader.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Event name for every file, overriding detection and corpus.toml.
    #[arg(long, value_name = "NAME")]
    pub event: Option<String>,
    /// Column names of CSV/JSON exports that differ from the documented ones, e.g.
    /// `--map "title=Talk Title,abstract=概要"`.
    #[arg(long, value_name = "FIELD=COLUMN,...")]
    pub map: Option<String>,
    /// Drop proposals the CfP did not accept (fortee exports mark them); by default they
    /// are kept and marked `accepted: false`.
    #[arg(long)]
    pub accepted_only: bool,
    /// Largest input file read: bytes, or with K/M/G (KiB/MiB/GiB), 1K..=16G. A larger file
    /// is an error naming it.
    #[arg(long, default_value = "512M", value_name = "SIZE", value_parser = size)]
    pub max_file_size: u64,
}

/// `--max-file-size`: 1 KiB ..= 16 GiB, as bytes or with a K/M/G (KiB/MiB/GiB) suffix.
fn size(s: &str) -> Result<u64, Text> {
    let t = s.trim();
    let lower = t.to_ascii_lowercase();
    let (digits, unit) = match lower.find(|c: char| !c.is_ascii_digit()) {
        Some(i) => lower.split_at(i),
        None => (lower.as_str(), ""),
    };
    let mult: u64 = match unit.trim() {
        "" | "b" => 1,
        "k" | "kb" | "kib" => 1 << 10,
        "m" | "mb" | "mib" => 1 << 20,
        "g" | "gb" | "gib" => 1 << 30,
        _ => return Err(not_a_size(s)),
    };
    let n: u64 = digits.parse().map_err(|_| not_a_size(s))?;
    match n.checked_mul(mult) {
        Some(v) if ((1 << 10)..=(16 << 30)).contains(&v) => Ok(v),
        _ => Err(tr!(
            "1K から 16G の間にしてください(`{s}` でした)",
            "must be between 1K and 16G, got `{s}`"
        )),
    }
}

fn not_a_size(s: &str) -> Text {
    tr!(
        "64M や 1G のような大きさのはずですが `{s}` でした",
        "expected a size such as 64M or 1G, got `{s}`"
    )
}

/// An integer in `LO..=HI` (the range is in the option's help).
fn int_in<const LO: usize, const HI: usize>(s: &str) -> Result<usize, Text> {
    match s.trim().parse::<usize>() {
        Ok(v) if (LO..=HI).contains(&v) => Ok(v),
        _ => Err(tr!(
            "{LO}..={HI} の整数のはずですが `{s}` でした",
            "expected an integer in {LO}..={HI}, got `{s}`"
        )),
    }
}

fn float_between(s: &str, lo: f64, hi: f64, open_lo: bool) -> Result<f64, Text> {
    let range = if open_lo {
        format!("({lo}, {hi}]")
    } else {
        format!("[{lo}, {hi}]")
    };
    match s.trim().parse::<f64>() {
        Ok(v) if v.is_finite() && v <= hi && (v > lo || (!open_lo && v == lo)) => Ok(v),
        _ => Err(tr!(
            "{range} の数のはずですが `{s}` でした",
            "expected a number in {range}, got `{s}`"
        )),
    }
}

/// A number in [0, 1].
fn unit(s: &str) -> Result<f64, Text> {
    float_between(s, 0.0, 1.0, false)
}

/// A share in (0, 1].
fn share(s: &str) -> Result<f64, Text> {
    float_between(s, 0.0, 1.0, true)
}

/// A cosine similarity in [-1, 1].
fn cosine(s: &str) -> Result<f64, Text> {
    float_between(s, -1.0, 1.0, false)
}

/// How themes are found.
#[derive(Debug, Clone, Args)]
pub struct AnalysisArgs {
    /// Number of themes, or `auto`: the smallest k in 2..=14 whose cosine silhouette is
    /// within 0.25/√n of the best (n talks; the method note gives the value). Under 20 talks
    /// `auto` places each talk by its taxonomy terms instead, and says so.
    #[arg(long, default_value = "auto", value_name = "N|auto")]
    pub k: KChoice,
    #[arg(long, default_value_t = 0, value_name = "S", help = SEED_HELP)]
    pub seed: u64,
    /// Theme taxonomy (TOML) used to name themes; `none` names themes by keywords only.
    /// Default: the bundled SRE taxonomy (data/taxonomy-sre.toml).
    #[arg(long, value_name = "FILE|none")]
    pub taxonomy: Option<String>,
    /// Don't let the taxonomy's terms place the initial centroids (guided mode is on when a
    /// taxonomy is in use).
    #[arg(long)]
    pub unguided: bool,
    /// Curation before publishing (TOML, see docs/curation.md): rename, merge themes, pin a
    /// talk under a theme, exclude terms. An edit that matches no theme, or several, is an
    /// error naming the line.
    #[arg(long, value_name = "FILE.toml")]
    pub edit: Option<PathBuf>,
    /// Terms must be used by at least this many talks, 1..=1000000 (default: 2, and 1 under 30
    /// talks).
    #[arg(long, value_name = "N", value_parser = int_in::<1, 1_000_000>)]
    pub min_df: Option<usize>,
    #[command(flatten)]
    pub tokenizer: TokenizerArgs,
}

#[derive(Debug, Args)]
pub struct IngestArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// Print the whole corpus as JSON instead of the summary.
    #[arg(long)]
    pub json: bool,
    #[arg(long, value_enum, env = "CONFTHEMES_LANG", default_value_t = Lang::Ja, help = LANG_HELP)]
    pub lang: Lang,
}

#[derive(Debug, Args)]
pub struct ThemesArgs {
    #[command(flatten)]
    pub shared: SharedArgs,
    /// Print {"k", "themes", "assignments"} as JSON instead of the listing.
    #[arg(long)]
    pub json: bool,
    /// Also print the k/silhouette table and parameters (on stderr).
    #[arg(long, short)]
    pub verbose: bool,
    /// Under each talk, the terms that put it in its theme (its TF-IDF weight × the theme
    /// centroid's weight), as 「根拠: 監視, アラート, …」.
    #[arg(long)]
    pub explain: bool,
    /// Save the fitted themes as a model (JSON, see docs/compare.md) for `confthemes assign`;
    /// a regular file (written atomically), not an input or option file.
    #[arg(long, value_name = "FILE")]
    pub save_model: Option<PathBuf>,
    /// Replace a --save-model file this user may not write (read-only).
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct EvalArgs {
    #[command(flatten)]
    pub shared: SharedArgs,
    /// Gold file: [[talk]] entries with event, title and theme (see ../shared/eval/seeds-gold.toml).
    #[arg(long, value_name = "FILE.toml")]
    pub gold: PathBuf,
    /// How many seeds to run (0..N), 1..=1000; the summary is median/min/max over them.
    #[arg(long, default_value_t = 10, value_name = "N", value_parser = int_in::<1, 1000>)]
    pub runs: usize,
    /// Cluster the talks' titles only (their texts are dropped), as for an event that
    /// publishes only a timetable.
    #[arg(long)]
    pub titles_only: bool,
    /// Which taxonomy ids name each gold theme (TOML: `[map]` then `"CI / CD" = ["ci-cd",
    /// "release"]`), for gold files whose themes are not taxonomy ids; gives named-theme
    /// accuracy and each named theme's precision (see benches/cnd-category-map.toml).
    #[arg(long, value_name = "FILE.toml")]
    pub gold_map: Option<PathBuf>,
    /// Print the metrics as JSON.
    #[arg(long)]
    pub json: bool,
}

/// Options shared by every command that tokenizes text.
#[derive(Debug, Clone, Args)]
pub struct TokenizerArgs {
    /// A lindera dictionary directory to use instead of the embedded IPADIC; it must carry a
    /// SHA256SUMS written while intact (`cd DIR && sha256sum * > SHA256SUMS`).
    #[arg(long, value_name = "DIR")]
    pub dict: Option<PathBuf>,
    /// Extra user dictionary, lindera simple CSV (surface,part_of_speech,reading), added to the
    /// bundled SRE terms.
    #[arg(long, value_name = "FILE.csv")]
    pub user_dict: Option<PathBuf>,
    /// What a run of nouns (インシデント+対応) becomes: the compound, its parts, or both
    /// (default, measured best on real events: docs/quality.md).
    #[arg(long, value_enum, default_value_t = CompoundPolicy::Both)]
    pub compounds: CompoundPolicy,
    /// More stopwords, one per line (`#` comments), added to the bundled data/stopwords.txt:
    /// never a term, in any command.
    #[arg(long, value_name = "FILE")]
    pub stopwords: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct TokenizeArgs {
    /// Text to tokenize; read from standard input when omitted.
    pub text: Option<String>,
    /// Print JSON (an array of {key, display, pos}) instead of lines.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub tokenizer: TokenizerArgs,
    #[arg(long, value_enum, env = "CONFTHEMES_LANG", default_value_t = Lang::Ja, help = LANG_HELP)]
    pub lang: Lang,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    #[command(flatten)]
    pub shared: SharedArgs,
    /// Output directory. Written atomically; a previous report there (recognised by its
    /// .confthemes-report, the list of files the tool wrote) is replaced, files of yours in it
    /// are kept; any other non-empty directory is refused unless --force. Must not be, be
    /// inside or contain an input, an option file or a dictionary.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Report title (default: 「カンファレンス テーマレポート」).
    #[arg(long, value_name = "TEXT")]
    pub title: Option<String>,
    /// Write into DIR even if it is a non-empty directory that is not a previous report; the
    /// files there are kept, and one with a name the report uses is never overwritten.
    #[arg(long)]
    pub force: bool,
    /// Skip the PNG charts (SVG only; faster).
    #[arg(long)]
    pub no_png: bool,
    /// Coding rules, as `code --rules`: adds a section with each code's talks by event, the
    /// talks it matched, and a chart of codes by event.
    #[arg(long, value_name = "FILE.toml")]
    pub rules: Option<PathBuf>,
    /// No progress bar and no list of the files written on stderr.
    #[arg(long, short)]
    pub quiet: bool,
}

#[derive(Debug, Args)]
pub struct CompareArgs {
    #[command(flatten)]
    pub shared: SharedArgs,
    /// What to compare: events, categories (a talk with several counts in each), rooms or days.
    #[arg(long, value_enum, default_value_t = GroupBy::Event)]
    pub by: GroupBy,
    /// How many items are shown: distinctive terms per group (and per side of each pair),
    /// 1..=1000.
    #[arg(long, default_value_t = 10, value_name = "N", value_parser = int_in::<1, 1000>)]
    pub top: usize,
    /// Print the comparison as JSON (documented in docs/compare.md).
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct AssignArgs {
    /// A model written by `confthemes themes ... --save-model FILE`.
    #[arg(long, value_name = "FILE")]
    pub model: PathBuf,
    #[command(flatten)]
    pub input: InputArgs,
    /// Talks less similar than this to every theme are new-theme candidates (default: the
    /// model's own, the 5th percentile of its training talks); a cosine in [-1, 1].
    #[arg(long, value_name = "X", value_parser = cosine)]
    pub threshold: Option<f64>,
    /// Print JSON (documented in docs/compare.md).
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub tokenizer: TokenizerArgs,
    #[arg(long, value_enum, env = "CONFTHEMES_LANG", default_value_t = Lang::Ja, help = LANG_HELP)]
    pub lang: Lang,
}

#[derive(Debug, Args)]
pub struct KwicArgs {
    /// The term to look for, e.g. 監視 (normalized like the tokenizer's keys; spelling
    /// variants listed in data/term-aliases.tsv are found too: k8s finds Kubernetes, 可観測性 finds
    /// オブザーバビリティ).
    #[arg(value_name = "TERM")]
    pub term: String,
    #[command(flatten)]
    pub shared: SharedArgs,
    /// Order of the lines: corpus position, event, or theme (runs the theme analysis).
    #[arg(long, value_enum, default_value_t = SortBy::Position)]
    pub sort: SortBy,
    /// Characters of context on each side, 1..=1000.
    #[arg(long, default_value_t = crate::analysis::kwic::DEFAULT_CONTEXT, value_name = "N", value_parser = int_in::<1, 1000>)]
    pub width: usize,
    /// Print JSON (documented in docs/explain.md).
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct NetworkArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// Write the chart here (.svg or .png; a regular file, written atomically, not an input).
    #[arg(long, value_name = "FILE.svg|FILE.png")]
    pub out: Option<PathBuf>,
    /// Replace an --out file this user may not write (read-only).
    #[arg(long)]
    pub force: bool,
    /// How many items are shown: terms (highest document frequency first), 1..=1000.
    #[arg(long, default_value_t = 60, value_name = "N", value_parser = int_in::<1, 1000>)]
    pub top: usize,
    #[arg(long, default_value_t = 2, value_name = "N", value_parser = int_in::<1, 1_000_000>, help = MIN_DF_HELP)]
    pub min_df: usize,
    /// Leave out terms used by more than this share of talks, in (0, 1].
    #[arg(long, default_value_t = 0.5, value_name = "X", value_parser = share)]
    pub max_df: f64,
    /// Minimum Jaccard coefficient of an edge, in [0, 1] (was `--threshold`, which `assign`
    /// uses for a cosine).
    #[arg(long, default_value_t = 0.2, value_name = "X", value_parser = unit)]
    pub min_jaccard: f64,
    /// At most this many edges (strongest first), 1..=100000.
    #[arg(long, default_value_t = 120, value_name = "M", value_parser = int_in::<1, 100_000>)]
    pub max_edges: usize,
    #[arg(long, default_value_t = 0, value_name = "S", help = SEED_HELP)]
    pub seed: u64,
    /// Print the network (nodes, edges, communities) as JSON instead of the summary.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub tokenizer: TokenizerArgs,
    #[arg(long, value_enum, env = "CONFTHEMES_LANG", default_value_t = Lang::Ja, help = LANG_HELP)]
    pub lang: Lang,
}

#[derive(Debug, Args)]
pub struct CodeArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// Rules file: a [codes] table of name = "rule" (| or, & and, ! not, parentheses,
    /// "quoted terms"), or a taxonomy ([[theme]] id/ja/en/terms). Default: the bundled SRE
    /// taxonomy.
    #[arg(long, value_name = "FILE.toml")]
    pub rules: Option<PathBuf>,
    #[arg(long, default_value_t = 0, value_name = "S", help = SEED_HELP)]
    pub seed: u64,
    /// Print the counts and tests as JSON (documented in docs/explain.md).
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub tokenizer: TokenizerArgs,
    #[arg(long, value_enum, env = "CONFTHEMES_LANG", default_value_t = Lang::Ja, help = LANG_HELP)]
    pub lang: Lang,
}
