//! Reader for structured exports: CSV (header row), JSON (an array of talks, or
//! `{"talks": [...]}` as written by `confthemes ingest --json`) and JSONL (one talk per
//! line). Column names are in data/columns.toml; `column_map` (--map, corpus.toml) names
//! other columns: field → column.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use crate::error::Text;
use serde_json::Value;

use super::log::{SkipReason, Skipped};
use super::model::{Corpus, Section, SectionKind, Source, Talk};
use super::proposals::{parse_start, split_speakers};

/// Fields of a talk that a column can fill, in documented order.
pub const FIELDS: [&str; 16] = [
    "event",
    "title",
    "speakers",
    "affiliations",
    "start",
    "date",
    "room",
    "session_kind",
    "categories",
    "links",
    "abstract",
    "details",
    "audience",
    "motivation",
    "recap",
    "other",
];

const TEXT_FIELDS: [(&str, SectionKind); 6] = [
    ("abstract", SectionKind::Abstract),
    ("details", SectionKind::Details),
    ("audience", SectionKind::Audience),
    ("motivation", SectionKind::Motivation),
    ("recap", SectionKind::Recap),
    ("other", SectionKind::Other),
];

/// Each field's column names from data/columns.toml, lowercased once here (every lookup
/// compares lowercase; lowercasing per lookup was 4 % of `themes` on a 10k-talk JSONL).
fn aliases() -> &'static BTreeMap<String, Vec<String>> {
    static A: OnceLock<BTreeMap<String, Vec<String>>> = OnceLock::new();
    A.get_or_init(|| {
        let names: BTreeMap<String, Vec<String>> =
            toml::from_str(include_str!("../../data/columns.toml"))
                .expect("data/columns.toml is valid");
        names
            .into_iter()
            .map(|(field, names)| (field, names.iter().map(|n| n.to_lowercase()).collect()))
            .collect()
    })
}

/// Check a column map's fields; `Err` names the unknown field.
pub fn check_map(map: &BTreeMap<String, String>) -> Result<(), Text> {
    for k in map.keys() {
        if !FIELDS.contains(&k.as_str()) {
            let fields = FIELDS.join(", ");
            return Err(tr!(
                "列の対応に知らない項目 '{k}' があります(項目: {fields})",
                "unknown field '{k}' in column map (fields: {fields})"
            ));
        }
    }
    Ok(())
}

/// Parse `--map title=Talk Title,abstract=概要`.
pub fn parse_map(spec: &str) -> Result<BTreeMap<String, String>, Text> {
    let mut m = BTreeMap::new();
    for part in spec.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let Some((f, c)) = part.split_once('=') else {
            return Err(tr!(
                "--map: '{part}' が 項目=列名 の形ではありません",
                "--map: '{part}' is not field=column"
            ));
        };
        m.insert(f.trim().to_string(), c.trim().to_string());
    }
    check_map(&m)?;
    Ok(m)
}

/// Which field a column (header name / JSON key) fills, if any.
pub(crate) fn field_of(column: &str, map: &BTreeMap<String, String>) -> Option<&'static str> {
    let c = column.trim().trim_start_matches('\u{feff}');
    if let Some((f, _)) = map
        .iter()
        .find(|(_, col)| col.trim().eq_ignore_ascii_case(c))
    {
        return FIELDS.iter().copied().find(|x| x == f);
    }
    let lc = c.to_lowercase();
    FIELDS.iter().copied().find(|f| {
        !map.contains_key(*f) && aliases().get(*f).is_some_and(|names| names.contains(&lc))
    })
}

/// The field a column not read probably holds, for the `--map` suggested about it: the field
/// one of whose names the column's name contains ("発表の概要欄" → abstract), else `other`
/// (read as text).
pub fn suggested_field(column: &str) -> &'static str {
    let lc = column.trim().to_lowercase();
    FIELDS
        .iter()
        .copied()
        .filter(|f| *f != "title")
        .find(|f| {
            aliases().get(*f).is_some_and(|names| {
                names
                    .iter()
                    .any(|n| n.chars().count() >= 2 && lc.contains(n.as_str()))
            })
        })
        .unwrap_or("other")
}

/// What an export yielded.
#[derive(Debug, Default)]
pub struct Rows {
    /// Talks with the 1-based line of their row (event may be empty: the caller decides).
    pub talks: Vec<(Talk, usize)>,
    pub skipped: Vec<Skipped>,
    /// CSV: header columns no field reads (listed in the ingest summary, not dropped silently).
    pub unknown_columns: Vec<String>,
    /// CSV: the delimiter the header showed (`,`, tab or `;`).
    pub delimiter: u8,
}

/// One row: values per field, plus ready-made sections (our own JSON).
#[derive(Default)]
struct Row {
    values: BTreeMap<&'static str, Vec<String>>,
    /// `accepted` of our own JSON (fortee proposals).
    accepted: Option<bool>,
    /// Fields given as JSON arrays: one item per element, never split further.
    arrays: std::collections::BTreeSet<&'static str>,
    sections: Option<Vec<Section>>,
    lines: [usize; 2],
}

fn row_to_talk(row: Row, file: &str, out: &mut Rows) {
    let get = |f: &str| -> Vec<String> {
        row.values
            .get(f)
            .map(|v| {
                v.iter()
                    .map(|s| s.trim().to_string())
                    .filter(|s| !s.is_empty())
                    .collect()
            })
            .unwrap_or_default()
    };
    let title = get("title").join(" ");
    if title.is_empty() {
        let first = row
            .values
            .values()
            .flatten()
            .next()
            .cloned()
            .unwrap_or_default();
        out.skipped
            .push(Skipped::new(row.lines, &first, SkipReason::RowWithoutTitle));
        return;
    }
    let mut t = Talk::new(title);
    t.event = get("event").join(" ");
    let list = |f: &str| -> Vec<String> {
        let v = get(f);
        if v.len() == 1 && !row.arrays.contains(f) {
            split_speakers(&v[0].replace(',', ";"))
        } else {
            v
        }
    };
    t.speakers = list("speakers");
    t.affiliations = list("affiliations");
    // Category names often hold a slash ("CI / CD"): split on ; , 、 and new lines only.
    t.categories = {
        let v = get("categories");
        if v.len() == 1 && !row.arrays.contains("categories") {
            v[0].split([';', ',', '、', '\n'])
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(String::from)
                .collect()
        } else {
            v
        }
    };
    t.links = get("links")
        .iter()
        .flat_map(|l| l.split_whitespace().map(String::from).collect::<Vec<_>>())
        .collect();
    t.start = start_of(get("start").first(), get("date").first());
    t.room = get("room").first().cloned();
    t.session_kind = get("session_kind").first().cloned();
    t.accepted = row.accepted;
    match row.sections {
        Some(secs) => t.sections = secs,
        None => {
            for (f, kind) in TEXT_FIELDS {
                let text = get(f).join("\n");
                if !text.is_empty() {
                    t.sections.push(Section {
                        kind,
                        source: Source {
                            file: file.to_string(),
                            lines: row.lines,
                        },
                        text,
                    });
                }
            }
        }
    }
    out.talks.push((t, row.lines[0]));
}

/// A date, or a date and time, as sheets write them: "2030/04/01", "2030-04-01 13:00",
/// "2030-04-01T13:00:00+09:00", "2030年4月1日(火) 13:00〜" → "YYYY-MM-DD[ HH:MM]".
pub(crate) fn when(s: &str) -> Option<String> {
    super::fortee::iso_start(s)
        .or_else(|| parse_start(s).map(|(n, _)| n))
        .or_else(|| {
            let day = super::pasted::date_in(s)?;
            // The time after the date, if any ("2030年4月1日 13:00").
            Some(match super::pasted::time_in(s) {
                Some(h) => format!("{day} {h}"),
                None => day,
            })
        })
}

/// The talk's start from its start column and its date column: a start holding only the time
/// of day ("13:00", "13:00〜13:30") is dated by the date column; a start that is neither a
/// date nor a time (a duration in a 時間 column) gives way to the date; without either a
/// value is kept as written.
fn start_of(start: Option<&String>, date: Option<&String>) -> Option<String> {
    let day = date.and_then(|d| when(d));
    let Some(s) = start else {
        return day.or_else(|| date.cloned());
    };
    if let Some(w) = when(s) {
        return Some(w);
    }
    match (super::pasted::time_in(s), &day) {
        (Some(h), Some(d)) => Some(format!("{} {h}", d.get(..10).unwrap_or(d))),
        (Some(h), None) => Some(h),
        (None, Some(d)) => Some(d.clone()),
        (None, None) => Some(s.clone()),
    }
}

/// Find an unterminated quoted field: (line, column) of its opening quote.
fn unterminated_quote(text: &str, delimiter: char) -> Option<(usize, usize)> {
    let (mut line, mut col) = (1usize, 0usize);
    let mut open: Option<(usize, usize)> = None;
    let mut at_field_start = true;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        col += 1;
        match (open.is_some(), c) {
            (false, '"') if at_field_start => open = Some((line, col)),
            (true, '"') => {
                if chars.peek() == Some(&'"') {
                    chars.next();
                    col += 1;
                } else {
                    open = None;
                }
            }
            _ => {}
        }
        if c == '\n' {
            line += 1;
            col = 0;
        }
        at_field_start = open.is_none() && (c == delimiter || c == '\n');
    }
    open
}

/// The delimiter of a delimited text: the one of `,` tab `;` seen most often (outside
/// quotes) in the header line; `,` when none is.
pub fn sniff_delimiter(text: &str) -> u8 {
    let header = text
        .trim_start_matches('\u{feff}')
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("");
    let mut counts = [0usize; 3];
    let mut quoted = false;
    for c in header.chars() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => counts[0] += 1,
            '\t' if !quoted => counts[1] += 1,
            ';' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let best = (0..3)
        .max_by_key(|&i| (counts[i], std::cmp::Reverse(i)))
        .unwrap_or(0);
    if counts[best] == 0 {
        b','
    } else {
        [b',', b'\t', b';'][best]
    }
}

/// What the ingest summary says about a CSV file: a delimiter other than a comma, and the
/// columns no field reads.
pub fn notes(rows: &Rows, file: &str) -> Vec<super::warning::Note> {
    let mut out = Vec::new();
    if rows.delimiter != 0 && rows.delimiter != b',' {
        out.push(super::warning::Note::Delimiter {
            file: file.to_string(),
            name: delimiter_name(rows.delimiter),
        });
    }
    if !rows.unknown_columns.is_empty() {
        out.push(super::warning::Note::ColumnsNotRead {
            file: file.to_string(),
            columns: rows.unknown_columns.clone(),
        });
    }
    out
}

fn delimiter_name(d: u8) -> &'static str {
    match d {
        b'\t' => "tab",
        b';' => "semicolon",
        _ => "comma",
    }
}

pub fn read_csv(text: &str, file: &str, map: &BTreeMap<String, String>) -> Result<Rows, Text> {
    check_map(map)?;
    let text = text.trim_start_matches('\u{feff}');
    let delimiter = sniff_delimiter(text);
    if let Some((l, c)) = unterminated_quote(text, delimiter as char) {
        return Err(tr!(
            "{l}行{c}列: 引用符で始まる項目が閉じていません",
            "line {l}, column {c}: unterminated quoted field"
        ));
    }
    let mut rd = csv::ReaderBuilder::new()
        .flexible(false)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let headers = rd.headers().map_err(|e| csv_error(&e))?.clone();
    let fields: Vec<Option<&'static str>> = headers.iter().map(|h| field_of(h, map)).collect();
    for (f, col) in map {
        if !headers
            .iter()
            .any(|h| h.trim().eq_ignore_ascii_case(col.trim()))
        {
            let header = headers.iter().collect::<Vec<_>>().join(", ");
            return Err(tr!(
                "1行目: 列 '{col}'({f} に対応)がありません。見出しの列: {header}",
                "line 1: no column '{col}' (mapped to {f}); the header has: {header}"
            ));
        }
    }
    let h = headers.get(0).unwrap_or("");
    let other: Vec<char> = h
        .chars()
        .filter(|c| matches!(c, '|' | '\u{3001}' | '\u{FF0C}' | '\u{FF1B}'))
        .collect();
    // Distinct fields named by the header's words ("title abstract": a space delimiter).
    let known_words = h
        .split([' ', '|', '\u{3001}', '\u{FF0C}', '\u{FF1B}'])
        .filter_map(|w| field_of(w, map))
        .collect::<std::collections::BTreeSet<_>>()
        .len();
    if headers.len() == 1
        && !fields.contains(&Some("title"))
        && (!other.is_empty() || known_words >= 2)
    {
        let (ja, en) = match other.first() {
            None => (String::new(), String::new()),
            Some(c) => (
                format!("。{c:?} を含みますが、これは区切り文字として読みません"),
                format!("; it holds {c:?}, not a delimiter this reader knows"),
            ),
        };
        return Err(tr!(
            "1行目: 見出しが1列だけです({h:?})。カンマ、タブ、セミコロンの区切りがありません{ja}",
            "line 1: the header is one column ({h:?}): no comma, tab or semicolon delimiter{en}"
        ));
    }
    if !fields.contains(&Some("title")) {
        let header = headers.iter().collect::<Vec<_>>().join(", ");
        return Err(tr!(
            "1行目: タイトルの列がありません(見出し: {header})。--map title=<列名> で指定してください",
            "line 1: no title column (header: {header}); name it with --map title=<column>"
        ));
    }
    let mut out = Rows {
        delimiter,
        unknown_columns: headers
            .iter()
            .zip(&fields)
            .filter(|(h, f)| f.is_none() && !h.trim().is_empty())
            .map(|(h, _)| h.trim().to_string())
            .collect(),
        ..Rows::default()
    };
    for rec in rd.records() {
        let rec = rec.map_err(|e| csv_error(&e))?;
        let start = rec.position().map_or(0, |p| p.line() as usize);
        let extra: usize = rec.iter().map(|f| f.matches('\n').count()).sum();
        let mut row = Row {
            lines: [start, start + extra],
            ..Row::default()
        };
        if rec.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        for (i, v) in rec.iter().enumerate() {
            if let Some(Some(f)) = fields.get(i) {
                row.values
                    .entry(f)
                    .or_default()
                    .push(super::text_prefix(v).to_string());
            }
        }
        row_to_talk(row, file, &mut out);
    }
    Ok(out)
}

fn csv_error(e: &csv::Error) -> Text {
    let line = e.position().map(|p| p.line());
    let what = match e.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => tr!(
            "項目が{len}個ありますが、見出しは{expected_len}列です",
            "{len} fields, but the header has {expected_len}"
        ),
        _ => tr!("CSV として読めません", "not CSV").because(&Text::verbatim(e.to_string())),
    };
    match line {
        Some(l) => what.after(&format!("{l}行目: "), &format!("line {l}: ")),
        None => what,
    }
}

/// serde_json's error as one line with its line and column (shared by the JSON readers).
pub(crate) fn json_error(e: &serde_json::Error, line_offset: usize) -> Text {
    let msg = e.to_string();
    let msg = msg.split(" at line ").next().unwrap_or(&msg);
    let (line, column) = (e.line() + line_offset, e.column());
    tr!(
        "{line}行{column}列: JSON として読めません({msg})",
        "line {line}, column {column}: {msg}"
    )
}

/// Line spans (1-based) of the objects that are elements of the top-level array (or of the
/// array under the top-level object's "talks" key), in order.
pub(crate) fn element_spans(text: &str) -> Vec<[usize; 2]> {
    object_spans(text, 0, |open| open == ['['] || open == ['{', '['])
}

/// Line spans (1-based, counted from the start of `text`) of the objects whose enclosing
/// brackets, when they open, are `is_element` (outermost first), scanning from byte `from` to
/// where the bracket open there closes. serde_json gives values without their lines, so
/// errors about the n-th talk find its lines here; one scanner for every JSON reader.
pub(crate) fn object_spans(
    text: &str,
    from: usize,
    is_element: impl Fn(&[char]) -> bool,
) -> Vec<[usize; 2]> {
    let Some(rest) = text.get(from..) else {
        return Vec::new();
    };
    let mut spans = Vec::new();
    let mut stack: Vec<char> = Vec::new();
    let (mut line, mut in_str, mut esc) = (1 + text[..from].matches('\n').count(), false, false);
    let mut start = 0usize;
    for c in rest.chars() {
        if c == '\n' {
            line += 1;
        }
        if in_str {
            match (esc, c) {
                (true, _) => esc = false,
                (false, '\\') => esc = true,
                (false, '"') => in_str = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => in_str = true,
            '[' | '{' => {
                if c == '{' && is_element(&stack) {
                    start = line;
                }
                stack.push(c);
            }
            ']' | '}' => {
                stack.pop();
                if c == '}' && is_element(&stack) {
                    spans.push([start, line]);
                }
                if stack.is_empty() {
                    break;
                }
            }
            _ => {}
        }
    }
    spans
}

fn json_row(
    v: &Value,
    file: &str,
    map: &BTreeMap<String, String>,
    lines: [usize; 2],
    n: usize,
) -> Result<Row, Text> {
    let line = lines[0];
    let Value::Object(obj) = v else {
        return Err(tr!(
            "{line}行目: {n}件目の発表がオブジェクトではありません",
            "line {line}: talk {n} is not an object"
        ));
    };
    let mut row = Row {
        lines,
        ..Row::default()
    };
    for (k, v) in obj {
        if k == "accepted" {
            row.accepted = v.as_bool();
            continue;
        }
        if k == "sections" {
            let secs: Vec<Value> = match v {
                Value::Array(a) => a.clone(),
                _ => {
                    return Err(tr!(
                        "{line}行目: \"sections\" が配列ではありません",
                        "line {line}: \"sections\" is not an array"
                    ));
                }
            };
            let mut out = Vec::new();
            for s in secs {
                let kind: SectionKind = serde_json::from_value(
                    s.get("kind").cloned().unwrap_or(Value::Null),
                )
                .map_err(|e| {
                    tr!(
                        "{line}行目: セクションの種類が読めません({e})",
                        "line {line}: section kind: {e}"
                    )
                })?;
                let text = s
                    .get("text")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_string();
                let source = match s.get("source") {
                    Some(src) => serde_json::from_value(src.clone()).map_err(|e| {
                        tr!(
                            "{line}行目: セクションの出典が読めません({e})",
                            "line {line}: section source: {e}"
                        )
                    })?,
                    None => Source {
                        file: file.to_string(),
                        lines,
                    },
                };
                out.push(Section { kind, source, text });
            }
            row.sections = Some(out);
            continue;
        }
        let Some(f) = field_of(k, map) else { continue };
        if v.is_array() {
            row.arrays.insert(f);
        }
        let vals: Vec<String> = match v {
            Value::Null => vec![],
            Value::String(s) => vec![s.clone()],
            Value::Array(a) => a
                .iter()
                .map(|x| x.as_str().map_or_else(|| x.to_string(), String::from))
                .collect(),
            other => vec![other.to_string()],
        };
        row.values.entry(f).or_default().extend(vals);
    }
    Ok(row)
}

pub fn read_json(text: &str, file: &str, map: &BTreeMap<String, String>) -> Result<Rows, Text> {
    check_map(map)?;
    let text = text.trim_start_matches('\u{feff}');
    let v: Value = serde_json::from_str(text).map_err(|e| json_error(&e, 0))?;
    let not_talks = || {
        tr!(
            "1行目: 発表の配列か、\"talks\" の配列を持つオブジェクトのはずです",
            "line 1: expected an array of talks or an object with a \"talks\" array"
        )
    };
    let items = match &v {
        Value::Array(a) => a,
        Value::Object(o) => match o.get("talks") {
            Some(Value::Array(a)) => a,
            _ => return Err(not_talks()),
        },
        _ => return Err(not_talks()),
    };
    let spans = element_spans(text);
    let mut out = Rows::default();
    for (n, item) in items.iter().enumerate() {
        let lines = spans.get(n).copied().unwrap_or([1, 1]);
        let row = json_row(item, file, map, lines, n + 1)?;
        row_to_talk(row, file, &mut out);
    }
    Ok(out)
}

pub fn read_jsonl(text: &str, file: &str, map: &BTreeMap<String, String>) -> Result<Rows, Text> {
    check_map(map)?;
    let mut out = Rows::default();
    for (i, line) in text.trim_start_matches('\u{feff}').lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let v: Value = serde_json::from_str(line).map_err(|e| json_error(&e, i))?;
        let row = json_row(&v, file, map, [i + 1, i + 1], i + 1)?;
        row_to_talk(row, file, &mut out);
    }
    Ok(out)
}

/// Write a corpus as CSV with the documented columns (one column per section kind; several
/// sections of one kind are joined by a blank line). `read_csv` reads it back.
pub fn to_csv(corpus: &Corpus) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    // "date" is read (a day column completing a time-of-day start), never written: the
    // start column holds both.
    let _ = w.write_record(FIELDS.iter().filter(|f| **f != "date"));
    for t in &corpus.talks {
        let text = |k: SectionKind| {
            t.sections
                .iter()
                .filter(|s| s.kind == k)
                .map(|s| s.text.as_str())
                .collect::<Vec<_>>()
                .join("\n\n")
        };
        let mut rec: Vec<String> = vec![
            t.event.clone(),
            t.title.clone(),
            t.speakers.join("; "),
            t.affiliations.join("; "),
            t.start.clone().unwrap_or_default(),
            t.room.clone().unwrap_or_default(),
            t.session_kind.clone().unwrap_or_default(),
            t.categories.join("; "),
            t.links.join(" "),
        ];
        rec.extend(TEXT_FIELDS.iter().map(|(_, k)| text(*k)));
        let _ = w.write_record(&rec);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn object_spans_give_each_elements_lines() {
        // Brackets and escaped quotes inside strings are not structure.
        let array = "[\n {\"title\": \"a [b] {c}\"},\n {\n  \"title\": \"d \\\" }\"\n }\n]\n";
        assert_eq!(element_spans(array), [[2, 2], [3, 5]]);
        let wrapped = "{\"meta\": {\"n\": 2},\n \"talks\": [\n  {\"t\": 1},\n  {\"t\": 2}\n ]\n}";
        assert_eq!(element_spans(wrapped), [[3, 3], [4, 4]]);
        // From an offset (Sessionize's "sessions" array): lines still count from the start,
        // and the scan ends where that array closes.
        let text = "{\"x\": [{}],\n \"sessions\": [\n  {\"id\": 1},\n  {\"id\": 2}\n ],\n \"rooms\": [{}]}";
        let open = text.find("\"sessions\"").unwrap()
            + text[text.find("\"sessions\"").unwrap()..]
                .find('[')
                .unwrap();
        assert_eq!(object_spans(text, open, |s| s == ['[']), [[3, 3], [4, 4]]);
        // Not a character boundary, or past the end: nothing, no panic.
        assert!(object_spans("é[{}]", 1, |s| s == ['[']).is_empty());
        assert!(object_spans("[]", 9, |s| s == ['[']).is_empty());
    }
}
