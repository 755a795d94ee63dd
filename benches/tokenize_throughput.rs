//! Whole-tokenizer throughput on the seed texts, for `benches/tokenizer.sh`, which runs it
//! interleaved with fugashi so that both are measured in the same minutes of a noisy machine.
//! `cargo run --release --example tokenize_throughput -- REPS THREADS` prints MB/s (10^6 bytes
//! of UTF-8 input per second) of `Tokenizer::tokenize_all` over the seed paragraphs.

use confthemes::tokenize::Tokenizer;

#[path = "seed_paragraphs.rs"]
mod seed_paragraphs;
use seed_paragraphs::seed_paragraphs;

fn main() {
    let mut args = std::env::args().skip(1);
    let reps: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(20);
    let threads: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(1);
    let texts = seed_paragraphs();
    let bytes: usize = texts.iter().map(String::len).sum();
    let tokenizer = Tokenizer::new().unwrap();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap();
    // One untimed pass warms the lattices and the part-of-speech table.
    pool.install(|| tokenizer.tokenize_all(&texts));
    // The passes' output is kept and freed after the clock stops (criterion's
    // `iter_with_large_drop`): freeing terms is not tokenizing, and it runs on one thread.
    let start = std::time::Instant::now();
    let outputs: Vec<_> = (0..reps)
        .map(|_| pool.install(|| tokenizer.tokenize_all(&texts)))
        .collect();
    let secs = start.elapsed().as_secs_f64();
    let terms: usize = outputs.iter().flatten().map(Vec::len).sum();
    eprintln!("{} terms per pass", terms / reps.max(1));
    drop(outputs);
    println!("{:.3}", (bytes * reps) as f64 / 1e6 / secs);
}
