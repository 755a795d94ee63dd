//! Writing outputs without ever losing a user's file.
//!
//! * A report directory is recognised by the marker file [`MARKER`] that the tool writes into
//!   it, listing the files it wrote with their sizes and SHA-256. Only those files, and only
//!   while unchanged, are ever replaced or deleted (a forged or edited marker cannot make the
//!   tool delete a user's file); anything else in the directory is left alone, also with
//!   `--force` (which only allows writing into a non-empty directory that is not a report, and
//!   refuses when one of the report's names is taken by a file the tool did not write).
//! * Whatever ends a run when, `--out` holds the whole old or the whole new report: the two
//!   are exchanged in one step (`renameat2(RENAME_EXCHANGE)`), or where the kernel or file
//!   system cannot, the old one is moved aside and the new one moved in; each file-system
//!   step of a write holds the lock the signal handler takes before it cleans up (and exits
//!   holding), so a signal never lands mid-step, and a run killed between the two renames
//!   leaves the old report aside, moved back by the next run.
//! * A report is written into a temporary sibling directory first. When the target is absent,
//!   empty, or holds nothing but a previous report, the directory is swapped into place whole;
//!   otherwise each file is renamed into place (each rename atomic) after all were written.
//! * Single-file outputs (`network --out`, `themes --save-model`) go to regular files only:
//!   devices, FIFOs, sockets and symlinks to them are refused; a symlink to a regular file is
//!   written through.
//! * An output that is, is inside, or contains a path the command reads (inputs, option files,
//!   dictionaries) is refused before any work; an existing file this user may not write
//!   (read-only) is replaced only with `--force` ([`check_writable`]).
//! * Temporary files and directories are named `.confthemes-tmp-<pid>-<n>.<kind>.<name>`, are
//!   removed on error, on SIGINT / SIGTERM / SIGHUP (see [`install_signal_cleanup`]), and a
//!   stale one of a killed run is removed by the next run writing into the same directory.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Mutex, MutexGuard};

use crate::error::{Error, Result, Text};

/// The file that marks a directory as a confthemes report and lists the files the tool wrote.
pub const MARKER: &str = ".confthemes-report";

/// The start of every temporary file or directory name.
pub const TMP_PREFIX: &str = ".confthemes-tmp-";

const MARKER_HEADER: &str = "# Written by confthemes: this directory is a confthemes report.\n\
# Each line: a file the tool wrote, its size and SHA-256. The next `confthemes report` into\n\
# this directory replaces or removes a listed file only while it still has them; any other\n\
# file here is left alone.\n";

/// Files of a report, relative path → bytes, written in one go by [`write_atomically`].
#[derive(Debug, Default)]
pub struct ReportFiles {
    files: Vec<(PathBuf, Vec<u8>)>,
}

impl ReportFiles {
    pub fn add(&mut self, path: impl Into<PathBuf>, bytes: impl Into<Vec<u8>>) {
        self.files.push((path.into(), bytes.into()));
    }
    pub fn paths(&self) -> impl Iterator<Item = &Path> {
        self.files.iter().map(|(p, _)| p.as_path())
    }
    pub fn get(&self, path: &str) -> Option<&[u8]> {
        self.files
            .iter()
            .find(|(p, _)| p == Path::new(path))
            .map(|(_, b)| b.as_slice())
    }
    /// The marker's text for these files (sorted, `/`-separated, the marker itself
    /// included; each file with its size and SHA-256).
    pub fn marker_text(&self) -> String {
        marker_text(self.files.iter().map(|(p, b)| marker_line(p, b)))
    }
}

fn slash(p: &Path) -> String {
    p.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

// ---------------------------------------------------------------------------------------
// Temporary paths: registry for the signal handler, naming, stale cleanup.

/// A temporary path of this run with the place it is moved back to (a previous report moved
/// aside) when the run is interrupted before its replacement is in place.
type Pending = Vec<(PathBuf, Option<PathBuf>)>;

/// The temporary paths of this run. The lock also serialises every file-system step of a
/// write with the signal handler: the handler takes it, cleans up and exits while holding
/// it, so it never sees a step half-done and the main thread takes no step after the cleanup.
static PENDING: Mutex<Pending> = Mutex::new(Vec::new());
static COUNTER: AtomicU32 = AtomicU32::new(0);

fn lock() -> MutexGuard<'static, Pending> {
    // A poisoned lock still holds the list.
    PENDING.lock().unwrap_or_else(|p| p.into_inner())
}

/// Remove the temporary files of this run on SIGINT, SIGTERM and SIGHUP, then exit with
/// code 130. Called once by the binary; a second call (tests) is ignored.
pub fn install_signal_cleanup() {
    let _ = ctrlc::set_handler(|| {
        let mut pending = lock();
        undo(&mut pending);
        // Exit holding the lock: the main thread cannot take another step.
        std::process::exit(130);
    });
}

/// Undo what the pending temporaries stand for: a previous report moved aside goes back, any
/// other temporary is removed; newest first.
fn undo(pending: &mut Pending) {
    for (p, restore) in pending.drain(..).rev() {
        match restore {
            Some(to) if fs::symlink_metadata(&to).is_err() => {
                let _ = fs::rename(&p, &to);
            }
            _ => remove_any(&p),
        }
    }
}

/// One file-system step of a write, taken while the signal handler cannot clean up; then the
/// test injection point (see [`inject`]).
fn step<T>(f: impl FnOnce(&mut Pending) -> T) -> T {
    let r = f(&mut lock());
    inject();
    r
}

/// Test hook for the signal race (tests/safety.rs, benches/interrupted_swap.sh):
/// `CONFTHEMES_TEST_SIGNAL_AT=N[:MODE]` sends the process a signal right after its N-th write
/// step (1-based). MODE `term` (default): SIGTERM, and the run goes on racing the handler;
/// `hold`: SIGTERM, and the run stops there so the handler cleans up exactly that state;
/// `kill`: SIGKILL, the run dies there with no cleanup (the next run's job).
fn inject() {
    use std::sync::OnceLock;
    static AT: OnceLock<Option<(u32, String)>> = OnceLock::new();
    static STEPS: AtomicU32 = AtomicU32::new(0);
    let at = AT.get_or_init(|| {
        let v = std::env::var("CONFTHEMES_TEST_SIGNAL_AT").ok()?;
        let (n, mode) = v.split_once(':').unwrap_or((&v, "term"));
        Some((n.parse().ok()?, mode.to_string()))
    });
    let Some((n, mode)) = at else { return };
    if STEPS.fetch_add(1, Ordering::Relaxed) + 1 != *n {
        return;
    }
    // SAFETY: raise() only sends a signal to this process.
    unsafe {
        libc::raise(if mode == "kill" {
            libc::SIGKILL
        } else {
            libc::SIGTERM
        });
    }
    if mode == "hold" {
        loop {
            std::thread::park();
        }
    }
}

fn remove_any(p: &Path) {
    match fs::symlink_metadata(p) {
        Ok(m) if m.is_dir() => {
            let _ = fs::remove_dir_all(p);
        }
        Ok(_) => {
            let _ = fs::remove_file(p);
        }
        Err(_) => {}
    }
}

/// A temporary path of this run: registered for the signal handler, removed when dropped
/// unless it was renamed away.
struct TempPath {
    path: PathBuf,
}

impl TempPath {
    fn new(parent: &Path, kind: &str, name: &str) -> TempPath {
        Self::with_restore(parent, kind, name, None)
    }

    /// A place for a previous report moved aside: moved back to `restore` instead of removed
    /// when the run ends before the new report took its place.
    fn aside(parent: &Path, name: &str, restore: &Path) -> TempPath {
        Self::with_restore(parent, "old", name, Some(restore.to_path_buf()))
    }

    fn with_restore(parent: &Path, kind: &str, name: &str, restore: Option<PathBuf>) -> TempPath {
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let path = parent.join(format!(
            "{TMP_PREFIX}{}-{n}.{kind}.{name}",
            std::process::id()
        ));
        lock().push((path.clone(), restore));
        TempPath { path }
    }

    /// From now on the path is removed, not moved back, when the run ends or is interrupted
    /// (the new report is in place).
    fn forget_restore(&self, pending: &mut Pending) {
        for (p, restore) in pending.iter_mut() {
            if p == &self.path {
                *restore = None;
            }
        }
    }
}

impl Drop for TempPath {
    fn drop(&mut self) {
        let mut pending = lock();
        if let Some(i) = pending.iter().position(|(p, _)| p == &self.path) {
            let (p, restore) = pending.remove(i);
            undo(&mut vec![(p, restore)]);
        }
    }
}

/// (pid, kind, target name) of a temporary name, if it is one.
fn parse_tmp_name(name: &str) -> Option<(u32, &str, &str)> {
    let rest = name.strip_prefix(TMP_PREFIX)?;
    let (pid, rest) = rest.split_once('-')?;
    let (_n, rest) = rest.split_once('.')?;
    let (kind, target) = rest.split_once('.')?;
    Some((pid.parse().ok()?, kind, target))
}

/// Whether process `pid` is running. Only known where /proc exists; elsewhere every process
/// counts as running, so a temporary file is never removed from under a live run.
fn alive(pid: u32) -> bool {
    if !Path::new("/proc/self").exists() {
        return true;
    }
    Path::new("/proc").join(pid.to_string()).exists()
}

/// Remove the temporary files and directories that killed runs left in `dir`. A previous
/// report moved aside by a run killed before the new one was in place is moved back.
pub fn clean_stale(dir: &Path) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let own = std::process::id();
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let Some((pid, kind, target)) = parse_tmp_name(&name) else {
            continue;
        };
        if pid == own || alive(pid) {
            continue;
        }
        let path = e.path();
        let target = dir.join(target);
        if kind == "old" && fs::symlink_metadata(&target).is_err() {
            if fs::rename(&path, &target).is_ok() {
                let target = crate::sanitize::line(&target.display().to_string()).into_owned();
                let note = match note_lang() {
                    crate::Lang::Ja => format!(
                        "confthemes: 注意: 中断した実行が脇に移した {target} を元に戻しました"
                    ),
                    crate::Lang::En => format!(
                        "confthemes: note: moved back {target} that an interrupted run had moved aside"
                    ),
                };
                eprintln!("{note}");
            }
            continue;
        }
        remove_any(&path);
    }
}

// ---------------------------------------------------------------------------------------
// Paths: parents, overlap with inputs, kinds of files.

fn parent_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// `path` made absolute with symlinks of its existing part resolved (the part that does not
/// exist yet is appended, `.` and `..` applied).
fn resolved(path: &Path) -> PathBuf {
    if let Ok(c) = fs::canonicalize(path) {
        return c;
    }
    let abs = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    let mut rest = Vec::new();
    let mut base = abs.as_path();
    loop {
        if let Ok(c) = fs::canonicalize(base) {
            let mut out = c;
            for comp in rest.iter().rev() {
                match comp {
                    Component::ParentDir => {
                        out.pop();
                    }
                    Component::CurDir => {}
                    c => out.push(c.as_os_str()),
                }
            }
            return out;
        }
        match (base.file_name(), base.parent()) {
            (Some(_), Some(parent)) => {
                rest.push(base.components().next_back().expect("has a file name"));
                base = parent;
            }
            _ => return abs,
        }
    }
}

/// Refuse an output that is an input, lies inside an input directory, or contains an input.
pub fn check_not_input(out: &Path, inputs: &[PathBuf]) -> Result<()> {
    let o = resolved(out);
    for input in inputs {
        let Ok(i) = fs::canonicalize(input) else {
            continue;
        };
        let input = input.display();
        let what = if o == i {
            tr!("入力の {input} そのものです", "is the input {input}")
        } else if o.starts_with(&i) {
            tr!(
                "入力のディレクトリ {input} の中です",
                "is inside the input directory {input}"
            )
        } else if i.starts_with(&o) {
            tr!("入力の {input} を含みます", "contains the input {input}")
        } else {
            continue;
        };
        let what = Text::new(
            format!("{}。出力は別の場所に書いてください", what.ja),
            format!("{}; write the output somewhere else", what.en),
        );
        return Err(Error::output(out, what));
    }
    Ok(())
}

fn kind_name(ft: &fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if ft.is_fifo() {
            return "a FIFO";
        }
        if ft.is_char_device() {
            return "a character device";
        }
        if ft.is_block_device() {
            return "a block device";
        }
        if ft.is_socket() {
            return "a socket";
        }
    }
    if ft.is_dir() {
        return "a directory";
    }
    if ft.is_symlink() {
        return "a symbolic link";
    }
    "not a regular file"
}

/// The UI language of the one note this module prints itself (a report moved back after an
/// interrupted run), set once by the binary: the note comes from deep inside a write, where
/// no caller has the language at hand.
static NOTE_LANG: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Print this module's note in `lang` (Japanese until set).
pub fn set_note_lang(lang: crate::Lang) {
    NOTE_LANG.store(
        lang == crate::Lang::En,
        std::sync::atomic::Ordering::Relaxed,
    );
}

fn note_lang() -> crate::Lang {
    if NOTE_LANG.load(std::sync::atomic::Ordering::Relaxed) {
        crate::Lang::En
    } else {
        crate::Lang::Ja
    }
}

/// What kind of special file `ft` is ("a FIFO", "a character device", …), for messages.
pub fn describe(ft: &fs::FileType) -> &'static str {
    kind_name(ft)
}

/// `describe` in Japanese and English: ("FIFO", "a FIFO").
pub fn describe_both(ft: &fs::FileType) -> (&'static str, &'static str) {
    let en = kind_name(ft);
    (kind_ja(en), en)
}

/// The Japanese name of a `describe` result.
pub fn kind_ja(en: &str) -> &'static str {
    match en {
        "a FIFO" => "FIFO",
        "a character device" => "キャラクタデバイス",
        "a block device" => "ブロックデバイス",
        "a socket" => "ソケット",
        "a directory" => "ディレクトリ",
        "a symbolic link" => "シンボリックリンク",
        _ => "特殊なファイル",
    }
}

/// Where a single-file output really goes: the path itself, or the target of a symlink to a
/// regular file. Refuses directories, devices, FIFOs, sockets, dangling links and a missing
/// parent directory.
pub fn check_output_file(path: &Path) -> Result<PathBuf> {
    if path.file_name().is_none() {
        return Err(Error::output(
            path,
            tr!("ファイルのパスではありません", "not a file path"),
        ));
    }
    let real = match fs::symlink_metadata(path) {
        Err(_) => path.to_path_buf(),
        Ok(m) => {
            let target = if m.file_type().is_symlink() {
                match fs::metadata(path) {
                    Ok(t) => t,
                    Err(_) => {
                        return Err(Error::output(
                            path,
                            tr!(
                                "リンク先のないシンボリックリンクです。出力は通常のファイルにだけ書きます",
                                "is a symbolic link to nothing; outputs are written to regular files only"
                            ),
                        ));
                    }
                }
            } else {
                m
            };
            if target.is_dir() {
                return Err(Error::output(
                    path,
                    tr!(
                        "ディレクトリです。書き出すファイルの名前を指定してください",
                        "is a directory; give a file name to write"
                    ),
                ));
            }
            if !target.is_file() {
                let (ja, en) = describe_both(&target.file_type());
                return Err(Error::output(
                    path,
                    tr!(
                        "{ja}です。出力は通常のファイルにだけ書きます",
                        "is {en}; outputs are written to regular files only"
                    ),
                ));
            }
            fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
        }
    };
    let parent = parent_of(&real);
    if !parent.is_dir() {
        let parent = parent.display();
        return Err(Error::output(
            path,
            tr!(
                "ディレクトリ {parent} がありません",
                "directory {parent} does not exist"
            ),
        ));
    }
    Ok(real)
}

/// Write one file atomically: a temporary file in the same directory, synced, then renamed
/// over the target. Only regular files are written (see [`check_output_file`]; commands call
/// [`check_writable`] before any work).
pub fn write_file_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    use std::io::Write;
    let real = check_output_file(path)?;
    let parent = parent_of(&real);
    clean_stale(&parent);
    let name = real
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = TempPath::new(&parent, "new", &name);
    let fail = |e: std::io::Error| {
        Error::output(
            path,
            crate::error::cannot("書き出せません", "cannot write", &e),
        )
    };
    let mut f = step(|_| fs::File::create_new(&tmp.path)).map_err(fail)?;
    // Written and synced outside the lock: an interrupt meanwhile removes the file and exits.
    f.write_all(bytes)
        .and_then(|_| f.sync_all())
        .map_err(fail)?;
    step(|_| fs::rename(&tmp.path, &real)).map_err(fail)
}

/// Refuse to replace an existing file the user may not write (mode 0444, another owner's
/// file) unless `force`: renaming over it would succeed in a writable directory.
pub fn check_writable(path: &Path, force: bool) -> Result<()> {
    use std::os::unix::ffi::OsStrExt;
    let Ok(meta) = fs::metadata(path) else {
        return Ok(());
    };
    if force {
        return Ok(());
    }
    let Ok(c) = std::ffi::CString::new(path.as_os_str().as_bytes()) else {
        return Ok(());
    };
    // No write bit at all (0444; root may write anyway), or none for this user.
    // SAFETY: a valid C string; access() only reads it.
    if !meta.permissions().readonly() && unsafe { libc::access(c.as_ptr(), libc::W_OK) } == 0 {
        return Ok(());
    }
    Err(Error::output(
        path,
        tr!(
            "読み取り専用です。置き換えるなら --force を付けてください",
            "is read-only; pass --force to replace it"
        ),
    ))
}

// ---------------------------------------------------------------------------------------
// The marker: which files the tool wrote, with their sizes and SHA-256, so a file is only
// replaced or removed while it is what the tool wrote.

/// A marker line: `path<TAB>size<TAB>sha256`.
fn marker_line(path: &Path, bytes: &[u8]) -> String {
    format!("{}\t{}\t{}", slash(path), bytes.len(), sha256_hex(bytes))
}

fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The marker's text: the header, the marker's own name, then `lines` sorted (a path may be
/// listed more than once, e.g. old and new content while a merge is under way).
fn marker_text(lines: impl IntoIterator<Item = String>) -> String {
    let mut lines: BTreeSet<String> = lines.into_iter().collect();
    lines.insert(MARKER.to_string());
    let mut out = String::from(MARKER_HEADER);
    for l in lines {
        out.push_str(&l);
        out.push('\n');
    }
    out
}

/// A marker's entries: path → the (size, SHA-256) each line gives it (`None`: a bare path).
type Listed = BTreeMap<PathBuf, Vec<Option<(u64, String)>>>;

/// A marker's entries: path → the (size, sha256) it may have. A line of an older marker
/// (a path alone) stands for no content, so only names an older report wrote are trusted.
fn read_marker(dir: &Path) -> Result<Option<Listed>> {
    let path = dir.join(MARKER);
    let Ok(meta) = fs::symlink_metadata(&path) else {
        return Ok(None);
    };
    if !meta.is_file() {
        return Err(Error::output(
            &path,
            tr!("通常のファイルではありません", "is not a regular file"),
        ));
    }
    let bytes = crate::corpus::read_limited(&path, 16 << 20).map_err(|e| match e {
        Error::Input { what, .. } => Error::output(&path, what),
        e => e,
    })?;
    let text = String::from_utf8_lossy(&bytes);
    let mut listed: Listed = BTreeMap::new();
    for (i, line) in text.lines().enumerate() {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let mut fields = line.split('\t');
        let name = fields.next().unwrap_or_default();
        let check = match (fields.next(), fields.next()) {
            (Some(size), Some(hash)) => size.parse().ok().map(|n| (n, hash.to_string())),
            _ => None,
        };
        let p = PathBuf::from(name);
        if !p.components().all(|c| matches!(c, Component::Normal(_))) {
            let (line, name) = (i + 1, name.escape_debug());
            return Err(Error::output(
                &path,
                tr!(
                    "{line}行目: '{name}' が単純な相対パスではありません。この目印は confthemes が書いたものではありません",
                    "line {line}: '{name}' is not a plain relative path; this marker was not written by confthemes"
                ),
            ));
        }
        listed.entry(p).or_default().push(check);
    }
    Ok(Some(listed))
}

/// The files of `dir` that the tool wrote and that are unchanged since, with their marker
/// lines: listed with the size and hash they have now (a listed name without them only when
/// an older confthemes wrote that name, see [`legacy_name`]).
fn verified(dir: &Path, files: &[PathBuf], listed: &Listed) -> BTreeMap<PathBuf, String> {
    let mut out = BTreeMap::new();
    for f in files {
        if f == Path::new(MARKER) {
            out.insert(f.clone(), MARKER.to_string());
            continue;
        }
        let Some(checks) = listed.get(f) else {
            continue;
        };
        let p = dir.join(f);
        let Ok(meta) = fs::symlink_metadata(&p) else {
            continue;
        };
        if !meta.is_file() {
            continue;
        }
        let size_may_match = checks
            .iter()
            .any(|c| c.as_ref().is_none_or(|(n, _)| *n == meta.len()));
        if !size_may_match {
            continue;
        }
        let Ok(bytes) = fs::read(&p) else { continue };
        let hash = sha256_hex(&bytes);
        let ok = checks.iter().any(|c| match c {
            Some((n, h)) => *n == bytes.len() as u64 && *h == hash,
            None => legacy_name(f),
        });
        if ok {
            out.insert(f.clone(), format!("{}\t{}\t{hash}", slash(f), bytes.len()));
        }
    }
    out
}

// ---------------------------------------------------------------------------------------
// Report directories.

/// What is in a directory that is to receive a report.
#[derive(Debug)]
enum Target {
    /// Absent or empty.
    Fresh,
    /// Holds a report: the files the tool wrote (unchanged since) with their marker lines,
    /// and the other (user's) files.
    Report {
        listed: BTreeMap<PathBuf, String>,
        others: Vec<PathBuf>,
    },
    /// A non-empty directory without a marker.
    Foreign { files: Vec<PathBuf> },
}

/// Every non-directory entry under `dir`, relative, sorted; symlinks are not followed.
fn entries(dir: &Path) -> Result<Vec<PathBuf>> {
    fn walk(dir: &Path, rel: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
        for e in fs::read_dir(dir)? {
            let e = e?;
            let r = rel.join(e.file_name());
            if e.file_type()?.is_dir() {
                walk(&e.path(), &r, out)?;
            } else {
                out.push(r);
            }
        }
        Ok(())
    }
    let mut out = Vec::new();
    walk(dir, Path::new(""), &mut out).map_err(|e| {
        Error::output(
            dir,
            crate::error::cannot("ディレクトリを読めません", "cannot read directory", &e),
        )
    })?;
    out.sort();
    Ok(out)
}

/// Names a report of an older confthemes (before the marker) could hold.
fn legacy_name(p: &Path) -> bool {
    let s = slash(p);
    matches!(
        s.as_str(),
        "report.md" | "report.html" | "themes.json" | "talks.csv"
    ) || s.strip_prefix("charts/").is_some_and(|f| {
        !f.contains('/') && !f.starts_with('.') && (f.ends_with(".svg") || f.ends_with(".png"))
    })
}

fn classify(dir: &Path) -> Result<Target> {
    if fs::symlink_metadata(dir).is_err() {
        return Ok(Target::Fresh);
    }
    let files: Vec<PathBuf> = entries(dir)?.into_iter().filter(|f| !is_tmp(f)).collect();
    if files.is_empty() {
        return Ok(Target::Fresh);
    }
    if let Some(marker) = read_marker(dir)? {
        let listed = verified(dir, &files, &marker);
        let others = files
            .into_iter()
            .filter(|f| !listed.contains_key(f))
            .collect();
        return Ok(Target::Report { listed, others });
    }
    // A report of an older confthemes: themes.json by confthemes and nothing but report files.
    let legacy = files.iter().all(|f| legacy_name(f))
        && fs::read_to_string(dir.join("themes.json"))
            .ok()
            .and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok())
            .is_some_and(|v| v.get("generator").and_then(|g| g.as_str()) == Some("confthemes"));
    if legacy {
        let all = files.iter().map(|f| (f.clone(), vec![None])).collect();
        return Ok(Target::Report {
            listed: verified(dir, &files, &all),
            others: vec![],
        });
    }
    Ok(Target::Foreign { files })
}

fn is_tmp(p: &Path) -> bool {
    p.file_name()
        .is_some_and(|n| n.to_string_lossy().starts_with(TMP_PREFIX))
}

/// The directory a report really goes to: `dir`, or the directory a symlink `dir` points to.
fn real_dir(dir: &Path) -> Result<PathBuf> {
    match fs::symlink_metadata(dir) {
        Err(_) => Ok(dir.to_path_buf()),
        Ok(m) => {
            let is_dir = if m.file_type().is_symlink() {
                fs::metadata(dir).is_ok_and(|t| t.is_dir())
            } else {
                m.is_dir()
            };
            if !is_dir {
                return Err(Error::output(
                    dir,
                    tr!(
                        "すでにあり、ディレクトリではありません",
                        "exists and is not a directory"
                    ),
                ));
            }
            if m.file_type().is_symlink() {
                fs::canonicalize(dir).map_err(|e| {
                    Error::output(
                        dir,
                        crate::error::cannot("たどれません", "cannot resolve", &e),
                    )
                })
            } else {
                Ok(dir.to_path_buf())
            }
        }
    }
}

/// Check that `dir` may receive a report: absent, empty, or a previous report — or `force`
/// for another non-empty directory — and that it is not, is not inside and does not contain
/// one of `inputs`.
pub fn check_target(dir: &Path, force: bool, inputs: &[PathBuf]) -> Result<()> {
    check_not_input(dir, inputs)?;
    let real = real_dir(dir)?;
    if let Target::Foreign { .. } = classify(&real)?
        && !force
    {
        return Err(Error::output(
            dir,
            tr!(
                "空でなく、前のレポートでもないディレクトリです({MARKER} がない)。別の --out を選ぶか --force を付けてください(confthemes が書いていないファイルは残します)",
                "is a non-empty directory that does not hold a previous report (no {MARKER}); choose another --out or pass --force (files confthemes did not write are kept)"
            ),
        ));
    }
    let parent = parent_of(&real);
    if !parent.is_dir() {
        let parent = parent.display();
        return Err(Error::output(
            dir,
            tr!(
                "親のディレクトリ {parent} がありません",
                "parent directory {parent} does not exist"
            ),
        ));
    }
    Ok(())
}

/// Write the report's files (and the marker) into `dir`: see the module comment. Returns the
/// files written, relative to `dir`.
pub fn write_atomically(dir: &Path, files: &ReportFiles, force: bool) -> Result<Vec<PathBuf>> {
    check_target(dir, force, &[])?;
    let real = real_dir(dir)?;
    let parent = parent_of(&real);
    clean_stale(&parent);
    if real.is_dir() {
        clean_stale(&real);
    }
    let target = classify(&real)?;
    let new: BTreeSet<PathBuf> = files
        .paths()
        .map(Path::to_path_buf)
        .chain([PathBuf::from(MARKER)])
        .collect();
    let new_lines: Vec<String> = files.files.iter().map(|(p, b)| marker_line(p, b)).collect();
    // A name of the new report taken by a file confthemes did not write (or that was changed
    // since it wrote it) is never replaced.
    let (listed, others) = match target {
        Target::Fresh => (BTreeMap::new(), vec![]),
        Target::Report { listed, others } => (listed, others),
        Target::Foreign { files } => (BTreeMap::new(), files),
    };
    for rel in &new {
        let clash = others
            .iter()
            .any(|o| o == rel || o.starts_with(rel) || rel.starts_with(o));
        if clash {
            return Err(Error::output(
                dir.join(rel),
                tr!(
                    "すでにあり、confthemes が書いたものではありません(または書いた後に変更されています)。移動するか、別の --out を選んでください",
                    "exists and was not written by confthemes (or was changed since); move it away or choose another --out"
                ),
            ));
        }
    }
    let name = real
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "report".into());
    let staging = TempPath::new(&parent, "new", &name);
    step(|_| fs::create_dir(&staging.path)).map_err(|e| {
        Error::output(
            &parent,
            crate::error::cannot(
                "一時ディレクトリを作れません",
                "cannot create a temporary directory",
                &e,
            ),
        )
    })?;
    for (rel, bytes) in &files.files {
        write_in(&staging.path, rel, bytes, dir)?;
    }
    write_in(
        &staging.path,
        Path::new(MARKER),
        marker_text(new_lines.iter().cloned()).as_bytes(),
        dir,
    )?;
    if others.is_empty() {
        swap_dir(&staging, &real, &parent, &name, dir)?;
    } else {
        merge_dir(&staging.path, &real, &new, &new_lines, &listed, dir)?;
    }
    Ok(new.into_iter().collect())
}

fn write_in(root: &Path, rel: &Path, bytes: &[u8], dir: &Path) -> Result<()> {
    let path = root.join(rel);
    step(|_| {
        // The staging directory must still be there: never recreate one the signal handler
        // removed.
        if !root.is_dir() {
            return Err(Error::output(
                dir,
                tr!(
                    "一時ディレクトリがなくなりました",
                    "the temporary directory is gone"
                ),
            ));
        }
        if let Some(p) = path.parent() {
            fs::create_dir_all(p).map_err(|e| {
                let p = p.display();
                Error::output(
                    dir,
                    crate::error::cannot(
                        &format!("{p} を作れません"),
                        &format!("cannot create {p}"),
                        &e,
                    ),
                )
            })?;
        }
        fs::write(&path, bytes).map_err(|e| {
            let rel = rel.display();
            Error::output(
                dir,
                crate::error::cannot(
                    &format!("{rel} を書き出せません"),
                    &format!("cannot write {rel}"),
                    &e,
                ),
            )
        })
    })
}

/// Swap two directories in one step (Linux `renameat2(RENAME_EXCHANGE)`): `Ok(false)` where
/// the file system or kernel cannot.
fn exchange(a: &Path, b: &Path) -> std::io::Result<bool> {
    // Test hook: the fallback of two renames, as on a file system without the exchange.
    if std::env::var_os("CONFTHEMES_TEST_NO_EXCHANGE").is_some() {
        return Ok(false);
    }
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::ffi::OsStrExt;
        let c = |p: &Path| {
            std::ffi::CString::new(p.as_os_str().as_bytes())
                .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidInput, e))
        };
        let (a, b) = (c(a)?, c(b)?);
        // SAFETY: two valid C strings; renameat2 only reads them.
        let r = unsafe {
            libc::renameat2(
                libc::AT_FDCWD,
                a.as_ptr(),
                libc::AT_FDCWD,
                b.as_ptr(),
                libc::RENAME_EXCHANGE,
            )
        };
        if r == 0 {
            return Ok(true);
        }
        let e = std::io::Error::last_os_error();
        match e.raw_os_error() {
            Some(libc::EINVAL | libc::ENOSYS | libc::ENOTSUP) => Ok(false),
            _ => Err(e),
        }
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = (a, b);
        Ok(false)
    }
}

/// The target holds nothing but a previous report (or nothing): swap the whole directory.
/// Where the kernel can, old and new are exchanged in one step, so `--out` always holds a
/// whole report, whatever kills the run when; elsewhere the previous report is moved aside
/// first, and a run killed between the two renames leaves it to be moved back by the next.
fn swap_dir(staging: &TempPath, real: &Path, parent: &Path, name: &str, dir: &Path) -> Result<()> {
    let into_place = |e: std::io::Error| {
        Error::output(
            dir,
            crate::error::cannot(
                "新しいレポートを所定の場所に移せません",
                "cannot move the new report into place",
                &e,
            ),
        )
    };
    if fs::symlink_metadata(real).is_err() {
        return step(|_| fs::rename(&staging.path, real)).map_err(into_place);
    }
    // After the exchange the staging path holds the previous report: removed as a temporary.
    if step(|_| exchange(&staging.path, real)).map_err(into_place)? {
        return remove_previous(&staging.path, dir);
    }
    let old = TempPath::aside(parent, name, real);
    step(|_| fs::rename(real, &old.path)).map_err(|e| {
        Error::output(
            dir,
            crate::error::cannot(
                "前のレポートを脇に移せません",
                "cannot move the previous report aside",
                &e,
            ),
        )
    })?;
    // In the same step as the rename: from then on `old` is removed, not moved back.
    step(|pending| {
        fs::rename(&staging.path, real)?;
        old.forget_restore(pending);
        Ok(())
    })
    .map_err(into_place)?;
    remove_previous(&old.path, dir)
}

fn remove_previous(old: &Path, dir: &Path) -> Result<()> {
    fs::remove_dir_all(old).map_err(|e| {
        let old = old.display();
        Error::output(
            dir,
            crate::error::cannot(
                &format!("新しいレポートは書き出しましたが、{old} に移した前のレポートを消せません"),
                &format!("the new report is in place, but the previous one, moved to {old}, cannot be removed"),
                &e,
            ),
        )
    })
}

/// The target also holds files confthemes did not write: rename each new file into place,
/// remove the files of the previous report that the new one does not have, keep the rest.
fn merge_dir(
    staging: &Path,
    real: &Path,
    new: &BTreeSet<PathBuf>,
    new_lines: &[String],
    listed: &BTreeMap<PathBuf, String>,
    dir: &Path,
) -> Result<()> {
    let fail = |what: Text| Error::output(dir, what);
    // First a marker naming old and new files (each with either content), so an interrupted
    // merge leaves a directory whose every confthemes file is still recognised.
    let both = marker_text(new_lines.iter().chain(listed.values()).cloned());
    let pre = TempPath::new(real, "new", MARKER);
    step(|_| fs::write(&pre.path, both).and_then(|_| fs::rename(&pre.path, real.join(MARKER))))
        .map_err(|e| {
            fail(crate::error::cannot(
                &format!("{MARKER} を書き出せません"),
                &format!("cannot write {MARKER}"),
                &e,
            ))
        })?;
    // Never write through a symlinked directory of the target (into somebody else's files).
    for rel in new {
        let mut at = real.to_path_buf();
        for c in rel.parent().into_iter().flat_map(Path::components) {
            at.push(c);
            if fs::symlink_metadata(&at).is_ok_and(|m| m.file_type().is_symlink()) {
                let at = at.display();
                return Err(fail(tr!(
                    "{at} はシンボリックリンクです。レポートはリンクの先には書きません",
                    "{at} is a symbolic link; a report is not written through links"
                )));
            }
        }
    }
    for rel in new.iter().filter(|r| r.as_path() != Path::new(MARKER)) {
        let to = real.join(rel);
        step(|_| {
            if let Some(p) = to.parent() {
                fs::create_dir_all(p).map_err(|e| {
                    let p = p.display();
                    fail(crate::error::cannot(
                        &format!("{p} を作れません"),
                        &format!("cannot create {p}"),
                        &e,
                    ))
                })?;
            }
            fs::rename(staging.join(rel), &to).map_err(|e| {
                let rel = rel.display();
                fail(crate::error::cannot(
                    &format!("{rel} を所定の場所に移せません"),
                    &format!("cannot move {rel} into place"),
                    &e,
                ))
            })
        })?;
    }
    for rel in listed.keys().filter(|r| !new.contains(*r)) {
        let p = real.join(rel);
        if fs::symlink_metadata(&p).is_ok_and(|m| !m.is_dir()) {
            step(|_| {
                let _ = fs::remove_file(&p);
                if let Some(parent) = p.parent().filter(|d| *d != real) {
                    let _ = fs::remove_dir(parent); // only when now empty
                }
            });
        }
    }
    step(|_| fs::rename(staging.join(MARKER), real.join(MARKER))).map_err(|e| {
        fail(crate::error::cannot(
            &format!("{MARKER} を書き出せません"),
            &format!("cannot write {MARKER}"),
            &e,
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files() -> ReportFiles {
        let mut f = ReportFiles::default();
        f.add("themes.json", "{}");
        f.add("charts/a.svg", "<svg/>");
        f
    }

    #[test]
    fn writes_replaces_a_previous_report_and_refuses_foreign_directories() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("report");
        write_atomically(&out, &files(), false).unwrap();
        assert!(out.join("charts/a.svg").is_file());
        assert!(out.join(MARKER).is_file());
        // A previous report is replaced.
        write_atomically(&out, &files(), false).unwrap();
        // A foreign non-empty directory is refused unless forced, and left untouched.
        let foreign = tmp.path().join("docs");
        fs::create_dir(&foreign).unwrap();
        fs::write(foreign.join("notes.txt"), "mine").unwrap();
        let err = write_atomically(&foreign, &files(), false)
            .unwrap_err()
            .to_string();
        assert!(err.contains("--force"), "{err}");
        assert_eq!(
            fs::read_to_string(foreign.join("notes.txt")).unwrap(),
            "mine"
        );
        // Forced: the report is written beside the user's file, which is kept.
        write_atomically(&foreign, &files(), true).unwrap();
        assert_eq!(
            fs::read_to_string(foreign.join("notes.txt")).unwrap(),
            "mine"
        );
        assert!(foreign.join("charts/a.svg").is_file());
        // Nothing temporary is left beside the outputs.
        let leftovers: Vec<_> = fs::read_dir(tmp.path())
            .unwrap()
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name().to_string_lossy().starts_with('.'))
            .collect();
        assert!(leftovers.is_empty());
    }

    #[test]
    fn a_file_in_the_way_is_a_clear_error() {
        let tmp = tempfile::tempdir().unwrap();
        let file = tmp.path().join("out");
        fs::write(&file, "x").unwrap();
        let err = write_atomically(&file, &files(), true)
            .unwrap_err()
            .to_string();
        assert!(err.contains("not a directory"), "{err}");
    }

    #[test]
    fn files_of_an_older_report_are_removed_user_files_kept() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("r");
        let mut first = files();
        first.add("charts/b.svg", "<svg/>");
        write_atomically(&out, &first, false).unwrap();
        fs::write(out.join("notes.md"), "mine").unwrap();
        write_atomically(&out, &files(), false).unwrap();
        assert!(!out.join("charts/b.svg").exists());
        assert!(out.join("charts/a.svg").is_file());
        assert_eq!(fs::read_to_string(out.join("notes.md")).unwrap(), "mine");
        let marker = fs::read_to_string(out.join(MARKER)).unwrap();
        assert!(
            !marker.contains("b.svg") && !marker.contains("notes.md"),
            "{marker}"
        );
    }

    #[test]
    fn a_symlinked_directory_inside_a_report_is_not_written_through() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("r");
        write_atomically(&out, &files(), false).unwrap();
        fs::write(out.join("notes.md"), "mine").unwrap(); // merge path from now on
        let elsewhere = tmp.path().join("elsewhere");
        fs::create_dir(&elsewhere).unwrap();
        fs::remove_dir_all(out.join("charts")).unwrap();
        std::os::unix::fs::symlink(&elsewhere, out.join("charts")).unwrap();
        // A marker listing the link itself (as a crafted one could) does not help: the link
        // is not a file the tool wrote, so its name is taken by somebody else's entry.
        let marker = fs::read_to_string(out.join(MARKER)).unwrap() + "charts\n";
        fs::write(out.join(MARKER), marker).unwrap();
        let e = write_atomically(&out, &files(), false)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("exists and was not written by confthemes"),
            "{e}"
        );
        assert_eq!(fs::read_dir(&elsewhere).unwrap().count(), 0);
    }

    #[test]
    fn temporary_names_parse_and_stale_ones_go() {
        assert_eq!(
            parse_tmp_name(".confthemes-tmp-12-3.old.my.report"),
            Some((12, "old", "my.report"))
        );
        assert_eq!(parse_tmp_name(".report.tmp-12-0"), None);
        let tmp = tempfile::tempdir().unwrap();
        // pid 0 is never a process of ours (and has no /proc entry).
        let stale = tmp.path().join(format!("{TMP_PREFIX}0-0.new.r"));
        fs::create_dir(&stale).unwrap();
        fs::write(stale.join("x"), "x").unwrap();
        let aside = tmp.path().join(format!("{TMP_PREFIX}0-1.old.r"));
        fs::create_dir(&aside).unwrap();
        clean_stale(tmp.path());
        assert!(!stale.exists());
        assert!(!aside.exists());
        assert!(
            tmp.path().join("r").is_dir(),
            "the moved-aside report is restored"
        );
    }
}
