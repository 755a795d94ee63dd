//! Optional stage timings on stderr, shared by every stage and the commands: its own
//! module so no stage imports the pipeline that wires it.

/// Run `f`, and when the environment variable `CONFTHEMES_TIMINGS` is set, print how long
/// it took to stderr (benches/run.sh uses it to show where the time goes). Output files are
/// never affected.
pub fn timed<T>(stage: &str, f: impl FnOnce() -> T) -> T {
    if std::env::var_os("CONFTHEMES_TIMINGS").is_none() {
        return f();
    }
    let start = std::time::Instant::now();
    let out = f();
    eprintln!(
        "timing: {stage:<12} {:>8.3} s",
        start.elapsed().as_secs_f64()
    );
    out
}
