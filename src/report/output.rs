//! Writing a report directory atomically: every file goes into a fresh temporary directory
//! next to the target, which is renamed into place only when all of it was written. A failure
//! leaves the previous report (or nothing) behind, never a half-written one.

use std::fs;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// The file whose presence marks a directory as a confthemes report (safe to replace).
pub const MARKER: &str = "themes.json";

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
}

/// Check that `dir` may receive a report: absent, empty, or a previous report — or `force`.
pub fn check_target(dir: &Path, force: bool) -> Result<()> {
    if dir.exists() && !dir.is_dir() {
        return Err(Error::output(dir, "exists and is not a directory"));
    }
    if dir.is_dir() && !force {
        let mut entries = fs::read_dir(dir)
            .map_err(|e| Error::output(dir, format!("cannot read directory: {e}")))?;
        let empty = entries.next().is_none();
        if !empty && !dir.join(MARKER).is_file() {
            return Err(Error::output(
                dir,
                "is a non-empty directory that does not hold a previous report; choose another --out or pass --force",
            ));
        }
    }
    let parent = parent_of(dir);
    if !parent.is_dir() {
        return Err(Error::output(
            dir,
            format!("parent directory {} does not exist", parent.display()),
        ));
    }
    Ok(())
}

fn parent_of(dir: &Path) -> PathBuf {
    match dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Write all files to a temporary sibling of `dir`, then swap it into place.
pub fn write_atomically(dir: &Path, files: &ReportFiles, force: bool) -> Result<()> {
    check_target(dir, force)?;
    let parent = parent_of(dir);
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "report".into());
    let staging = unique_sibling(&parent, &format!(".{name}.tmp"))?;
    let result = (|| {
        for (rel, bytes) in &files.files {
            let path = staging.join(rel);
            if let Some(p) = path.parent() {
                fs::create_dir_all(p).map_err(|e| {
                    Error::output(dir, format!("cannot create {}: {e}", p.display()))
                })?;
            }
            fs::write(&path, bytes)
                .map_err(|e| Error::output(dir, format!("cannot write {}: {e}", rel.display())))?;
        }
        swap_into_place(&staging, dir, &parent, &name)
    })();
    if result.is_err() {
        let _ = fs::remove_dir_all(&staging);
    }
    result
}

fn swap_into_place(staging: &Path, dir: &Path, parent: &Path, name: &str) -> Result<()> {
    if dir.exists() {
        let old = unique_sibling(parent, &format!(".{name}.old"))?;
        fs::remove_dir(&old).ok();
        fs::rename(dir, &old).map_err(|e| {
            Error::output(dir, format!("cannot move the previous report aside: {e}"))
        })?;
        if let Err(e) = fs::rename(staging, dir) {
            let _ = fs::rename(&old, dir);
            return Err(Error::output(
                dir,
                format!("cannot move the new report into place: {e}"),
            ));
        }
        let _ = fs::remove_dir_all(&old);
    } else {
        fs::rename(staging, dir).map_err(|e| {
            Error::output(dir, format!("cannot move the new report into place: {e}"))
        })?;
    }
    Ok(())
}

fn unique_sibling(parent: &Path, stem: &str) -> Result<PathBuf> {
    for n in 0..1000u32 {
        let candidate = parent.join(format!("{stem}-{}-{n}", std::process::id()));
        match fs::create_dir(&candidate) {
            Ok(()) => return Ok(candidate),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => {
                return Err(Error::output(
                    parent,
                    format!("cannot create a temporary directory: {e}"),
                ));
            }
        }
    }
    Err(Error::output(
        parent,
        "cannot find a free temporary directory name",
    ))
}

/// Write one file atomically (temporary file in the same directory, then rename).
pub fn write_file_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    if path.is_dir() {
        return Err(Error::output(path, "is a directory"));
    }
    let parent = parent_of(path);
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = parent.join(format!(".{name}.tmp-{}", std::process::id()));
    fs::write(&tmp, bytes).map_err(|e| Error::output(path, format!("cannot write: {e}")))?;
    fs::rename(&tmp, path).map_err(|e| {
        let _ = fs::remove_file(&tmp);
        Error::output(path, format!("cannot write: {e}"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files() -> ReportFiles {
        let mut f = ReportFiles::default();
        f.add(MARKER, "{}");
        f.add("charts/a.svg", "<svg/>");
        f
    }

    #[test]
    fn writes_replaces_a_previous_report_and_refuses_foreign_directories() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("report");
        write_atomically(&out, &files(), false).unwrap();
        assert!(out.join("charts/a.svg").is_file());
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
}
