//! The seed texts cut into paragraphs (talk-section-sized work items), shared by the
//! tokenizer benchmarks: `#[path = "seed_paragraphs.rs"] mod seed_paragraphs;`.

/// Non-empty paragraphs of `seeds/*.txt`, files in name order. Run from the crate root.
pub fn seed_paragraphs() -> Vec<String> {
    let mut files: Vec<_> = std::fs::read_dir("seeds")
        .expect("run from the crate root")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    files.sort();
    let mut paragraphs = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        paragraphs.extend(
            text.split("\n\n")
                .filter(|c| !c.trim().is_empty())
                .map(str::to_string),
        );
    }
    paragraphs
}
