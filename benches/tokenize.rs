//! Throughput of the whole tokenizer (normalize, segment, filter, compounds) on the seed
//! texts, in MB/s: one thread, then both cores. Run with `cargo bench --bench tokenize`.

use confthemes::tokenize::Tokenizer;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

#[path = "seed_paragraphs.rs"]
mod seed_paragraphs;
use seed_paragraphs::seed_paragraphs;

fn bench_tokenizer(c: &mut Criterion) {
    let tokenizer = Tokenizer::new().unwrap();
    let texts = seed_paragraphs();
    let bytes: usize = texts.iter().map(String::len).sum();
    let mut group = c.benchmark_group("tokenize_seeds");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.sample_size(20);
    for threads in [1usize, 2] {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        group.bench_function(format!("{threads}_thread"), |b| {
            // Output freed outside the timing: freeing terms is not tokenizing.
            b.iter_with_large_drop(|| pool.install(|| tokenizer.tokenize_all(&texts)))
        });
    }
    group.finish();
}

criterion_group!(benches, bench_tokenizer);
criterion_main!(benches);
