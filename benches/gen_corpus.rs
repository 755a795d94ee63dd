//! Synthetic benchmark corpus: N talks made by resampling the real sentences of the seeds
//! with a fixed seed, written as JSONL (fields per docs/ingest.md).
//!
//! `cargo run --release --example gen_corpus -- N OUT.jsonl [SEED]`
//!
//! Each synthetic talk takes a seed talk as its "topic": its title (numbered, so ids stay
//! unique), a speaker, and 4–9 sentences, about 70 % drawn from the topic talk and the rest
//! from the whole pool — so the corpus has themes to find, with realistic noise and the
//! vocabulary and sentence lengths of real CfP and recap text.

use std::io::Write;
use std::path::PathBuf;

use confthemes::corpus::{self, LoadOptions};
use rand::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256Plus;

fn sentences(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in text.lines() {
        let mut cur = String::new();
        for ch in line.chars() {
            cur.push(ch);
            if matches!(ch, '。' | '！' | '？' | '!' | '?') {
                push_sentence(&mut out, &mut cur);
            }
        }
        push_sentence(&mut out, &mut cur);
    }
    out
}

fn push_sentence(out: &mut Vec<String>, cur: &mut String) {
    let s = cur.trim();
    if s.chars().count() >= 8 {
        out.push(s.to_string());
    }
    cur.clear();
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() < 2 {
        eprintln!("usage: gen_corpus N OUT.jsonl [SEED]");
        std::process::exit(2);
    }
    let n: usize = args[0].parse().expect("N is a number");
    let out = PathBuf::from(&args[1]);
    let seed: u64 = args
        .get(2)
        .map_or(42, |s| s.parse().expect("SEED is a number"));

    let loaded = corpus::load(&[PathBuf::from("seeds")], &LoadOptions::default())
        .expect("run from the crate root: seeds/ must load");
    let topics: Vec<(String, String, Vec<String>)> = loaded
        .corpus
        .talks
        .iter()
        .map(|t| {
            let sents = t.texts().flat_map(sentences).collect::<Vec<_>>();
            (t.title.clone(), t.event.clone(), sents)
        })
        .filter(|(_, _, s)| !s.is_empty())
        .collect();
    let pool: Vec<&String> = topics.iter().flat_map(|t| &t.2).collect();
    let years = [2021, 2022, 2023, 2024, 2025];

    let mut rng = Xoshiro256Plus::seed_from_u64(seed);
    let file = std::fs::File::create(&out).expect("create output");
    let mut w = std::io::BufWriter::new(file);
    let mut bytes = 0usize;
    for i in 0..n {
        let (title, event, own) = &topics[rng.gen_range(0..topics.len())];
        let count = rng.gen_range(4..=9);
        let mut body = String::new();
        for _ in 0..count {
            let s = if rng.gen_bool(0.7) {
                &own[rng.gen_range(0..own.len())]
            } else {
                pool[rng.gen_range(0..pool.len())]
            };
            body.push_str(s);
        }
        let series = event.rsplit_once(' ').map_or(event.as_str(), |(s, _)| s);
        let year = years[rng.gen_range(0..years.len())];
        let row = serde_json::json!({
            "event": format!("{series} {year}"),
            "title": format!("{title} ({})", i + 1),
            "speakers": format!("speaker{}", rng.gen_range(0..5000)),
            "abstract": body,
        });
        let line = serde_json::to_string(&row).expect("json");
        bytes += line.len() + 1;
        writeln!(w, "{line}").expect("write");
    }
    w.flush().expect("flush");
    eprintln!(
        "{n} talks, {:.1} MB, from {} seed talks / {} sentences → {}",
        bytes as f64 / 1e6,
        topics.len(),
        pool.len(),
        out.display()
    );
}
