//! The options of the commands (issue 13 item 6): the options the analysing commands share
//! are defined once and read the same in every command's --help, a name means one thing in
//! every command, `--lang` is accepted and followed by every command that prints prose, and
//! every file a command writes is named on stderr.

use std::fs;
use std::path::Path;

const ANALYSING: &[&str] = &["report", "themes", "compare", "eval", "kwic"];
const ALL: &[&str] = &[
    "ingest", "report", "themes", "eval", "tokenize", "compare", "assign", "kwic", "network",
    "code",
];

/// English talks: any Japanese in the output of `--lang en` is then the tool's own prose.
const CSV: &str = "event,title,abstract\n\
DevConf 2024,Monitoring and alerting design,monitoring alerting metrics dashboards oncall paging\n\
DevConf 2024,Alert fatigue and monitoring,alerting monitoring metrics dashboards noise paging\n\
DevConf 2024,Cost optimization with FinOps,cost finops cloud budget savings\n\
DevConf 2024,Cutting cloud cost with FinOps,finops cost cloud budget savings\n";

const GOLD: &str = "[[talk]]\nevent = \"DevConf 2024\"\ntitle = \"Monitoring and alerting design\"\ntheme = \"observability\"\n\
[[talk]]\nevent = \"DevConf 2024\"\ntitle = \"Cost optimization with FinOps\"\ntheme = \"cost\"\n";

mod common;
use common::{ok, run};

fn help(command: &str) -> String {
    let o = run(Path::new("."), &[command, "--help"]);
    ok(&o);
    String::from_utf8(o.stdout).unwrap()
}

/// The --help block of `--name`: its header line and the lines up to the next option.
fn option_block(help: &str, name: &str) -> Option<String> {
    let is_header = |l: &str| {
        let t = l.trim_start();
        t.starts_with("--") || (t.starts_with('-') && t.as_bytes().get(2) == Some(&b','))
    };
    let lines: Vec<&str> = help.lines().collect();
    let start = lines.iter().position(|l| {
        is_header(l)
            && l.split([' ', ',', '='])
                .any(|w| w == name || w.starts_with(&format!("{name} ")))
    })?;
    let end = lines[start + 1..]
        .iter()
        .position(|l| is_header(l) || (!l.starts_with(' ') && !l.is_empty()))
        .map_or(lines.len(), |e| start + 1 + e);
    // Whitespace folded: clap lays a command's help out on one line when no option of that
    // command has a long help, on several otherwise.
    Some(
        lines[start..end]
            .join(" ")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" "),
    )
}

#[test]
fn shared_options_read_the_same_in_every_analysing_command() {
    let helps: Vec<(&str, String)> = ALL.iter().map(|c| (*c, help(c))).collect();
    let of = |c: &str| &helps.iter().find(|(n, _)| *n == c).unwrap().1;
    let same_in = |commands: &[&str], option: &str| {
        let first = option_block(of(commands[0]), option)
            .unwrap_or_else(|| panic!("{} has no {option}", commands[0]));
        let words = first
            .split('[')
            .next()
            .unwrap_or("")
            .split_whitespace()
            .count();
        assert!(
            words > 4,
            "{option} has no help text in {}: {first}",
            commands[0]
        );
        for c in &commands[1..] {
            let block =
                option_block(of(c), option).unwrap_or_else(|| panic!("{c} has no {option}"));
            assert_eq!(
                block, first,
                "{option} reads differently in {c} and {}",
                commands[0]
            );
        }
    };
    for option in [
        "--k",
        "--seed",
        "--taxonomy",
        "--unguided",
        "--edit",
        "--min-df",
        "--stopwords",
        "--compounds",
        "--lang",
        "--event",
        "--map",
        "--max-file-size",
    ] {
        same_in(ANALYSING, option);
    }
    // The same option outside the analysing commands reads the same too.
    same_in(ALL, "--lang");
    same_in(&["themes", "network", "code"], "--seed");
    same_in(
        &["themes", "tokenize", "assign", "network", "code"],
        "--stopwords",
    );
}

#[test]
fn an_option_name_means_one_thing_in_every_command() {
    let with = |option: &str| -> Vec<(&str, String)> {
        ALL.iter()
            .filter_map(|c| option_block(&help(c), option).map(|b| (*c, b)))
            .collect()
    };
    // --threshold was a Jaccard coefficient in network and a cosine in assign.
    let threshold = with("--threshold");
    assert!(threshold.len() <= 1, "{threshold:?}");
    // --top is how many items are shown, wherever it is.
    for (c, block) in with("--top") {
        assert!(block.contains("How many items are shown"), "{c}: {block}");
    }
    for (c, block) in with("--min-df") {
        assert!(
            block.contains("Terms must be used by at least this many talks"),
            "{c}: {block}"
        );
    }
}

#[test]
fn lang_en_is_accepted_and_followed_by_every_command_that_prints_prose() {
    let t = tempfile::tempdir().unwrap();
    fs::write(t.path().join("talks.csv"), CSV).unwrap();
    fs::write(t.path().join("gold.toml"), GOLD).unwrap();
    ok(&run(
        t.path(),
        &["themes", "talks.csv", "--save-model", "m.json"],
    ));
    let cases: &[&[&str]] = &[
        &["ingest", "talks.csv"],
        &["themes", "talks.csv"],
        &["compare", "talks.csv"],
        &["eval", "talks.csv", "--gold", "gold.toml", "--runs", "2"],
        &["kwic", "monitoring", "talks.csv"],
        &["network", "talks.csv"],
        &["code", "talks.csv"],
        &["assign", "--model", "m.json", "talks.csv"],
        &["tokenize", "monitoring"],
        &["report", "talks.csv", "--out", "r", "--no-png"],
    ];
    for args in cases {
        let output = |lang: &str| {
            let mut args = args.to_vec();
            args.extend(["--lang", lang]);
            let o = run(t.path(), &args);
            ok(&o);
            let mut text = String::from_utf8(o.stdout).unwrap();
            text.push_str(&String::from_utf8_lossy(&o.stderr));
            if args[0] == "report" {
                text.push_str(&fs::read_to_string(t.path().join("r/report.md")).unwrap());
            }
            text
        };
        let (ja, en) = (output("ja"), output("en"));
        assert_ne!(ja, en, "{args:?}: --lang en changes nothing");
        let japanese_prose: Vec<&str> = en
            .lines()
            .filter(|l| l.chars().any(|c| ('\u{3040}'..='\u{30ff}').contains(&c)))
            // The bundled taxonomy's terms are data (code lists the terms of each code).
            .filter(|l| !(args[0] == "code" && l.contains('|')))
            .collect();
        assert!(
            japanese_prose.is_empty(),
            "{args:?} --lang en prints Japanese: {japanese_prose:?}"
        );
    }
}

#[test]
fn every_file_a_command_writes_is_named_on_stderr() {
    let t = tempfile::tempdir().unwrap();
    fs::write(t.path().join("talks.csv"), CSV).unwrap();
    let o = run(
        t.path(),
        &["report", "talks.csv", "--out", "r", "--lang", "en"],
    );
    ok(&o);
    let err = String::from_utf8_lossy(&o.stderr);
    let list = fs::read_to_string(t.path().join("r/.confthemes-report")).unwrap();
    let files: Vec<&str> = list
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| l.split('\t').next().unwrap_or(l)) // path, size, SHA-256
        .collect();
    assert!(files.iter().any(|f| f.ends_with(".png")), "{list}");
    for f in files {
        let named = format!("confthemes: wrote {}", Path::new("r").join(f).display());
        assert!(err.lines().any(|l| l == named), "{f} not named: {err}");
    }
    for (args, file) in [
        (
            &["themes", "talks.csv", "--save-model", "m.json"][..],
            "m.json",
        ),
        (&["network", "talks.csv", "--out", "n.svg"][..], "n.svg"),
    ] {
        let o = run(t.path(), args);
        ok(&o);
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(
            err.lines()
                .any(|l| l == format!("confthemes: 書き出しました: {file}")),
            "{args:?}: {err}"
        );
    }
}
