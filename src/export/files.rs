//! Paths and files shared by the exports: where an export may go, relative paths from it to
//! the release, text files, and image files written once per distinct image.

use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Component, Path, PathBuf};

use super::Format;
use crate::dataset::DatasetRow;
use crate::sink::sha256_hex;

/// The absolute export folder: `out`, or `root/harness/<folder>`. Refuses a folder that
/// contains the release, lies inside it other than under `harness/` (e.g. in `data/`), is a
/// file, or is a non-empty folder that is not an export of the same kind.
pub(crate) fn resolve_target(
    root: &Path,
    format: Format,
    out: Option<&Path>,
) -> Result<PathBuf, String> {
    let root = std::fs::canonicalize(root).map_err(|e| format!("{}: {e}", root.display()))?;
    let target = match out {
        Some(p) => absolute(p)?,
        None => root.join("harness").join(format.folder()),
    };
    let shown = target.display();
    if root.starts_with(&target) {
        return Err(format!("--out {shown} would replace the release itself"));
    }
    let inside = target.strip_prefix(&root).ok();
    if inside.is_some_and(|p| !p.starts_with("harness") || p == Path::new("harness")) {
        return Err(format!(
            "--out {shown} is inside the release (exports go outside it or under \
             {}/harness/<name>/, never into data/)",
            root.display()
        ));
    }
    check_existing(&target, format)?;
    Ok(target)
}

/// An existing target must be a folder that is empty or holds an export of this kind.
fn check_existing(target: &Path, format: Format) -> Result<(), String> {
    let shown = target.display();
    if !target.exists() {
        return Ok(());
    }
    if !target.is_dir() {
        return Err(format!("--out {shown} exists and is not a folder"));
    }
    let mut entries = std::fs::read_dir(target).map_err(|e| format!("{shown}: {e}"))?;
    if entries.next().is_some() && !target.join(format.marker()).is_file() {
        return Err(format!(
            "--out {shown} is a non-empty folder without {} (not an earlier export of this \
             kind); choose a new folder",
            format.marker()
        ));
    }
    Ok(())
}

/// `p` made absolute, with symbolic links and `..` resolved for the part that exists.
pub(crate) fn absolute(p: &Path) -> Result<PathBuf, String> {
    let abs = std::path::absolute(p).map_err(|e| format!("{}: {e}", p.display()))?;
    let comps: Vec<Component> = abs.components().collect();
    for split in (1..=comps.len()).rev() {
        let head: PathBuf = comps[..split].iter().collect();
        if !head.exists() {
            continue;
        }
        let mut out = std::fs::canonicalize(&head).map_err(|e| format!("{}: {e}", p.display()))?;
        for c in &comps[split..] {
            match c {
                Component::ParentDir => {
                    out.pop();
                }
                Component::Normal(n) => out.push(n),
                _ => {}
            }
        }
        return Ok(out);
    }
    Ok(abs)
}

/// The path from folder `from` to `to` (both absolute) with `/` separators, or `None` when
/// none exists (different drives) or a path is not UTF-8.
pub(crate) fn relative(from: &Path, to: &Path) -> Option<String> {
    let a: Vec<Component> = from.components().collect();
    let b: Vec<Component> = to.components().collect();
    if a.first() != b.first() {
        return None;
    }
    let common = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let mut parts: Vec<&str> = vec![".."; a.len() - common];
    for c in &b[common..] {
        parts.push(c.as_os_str().to_str()?);
    }
    Some(parts.join("/"))
}

/// Writes `text` to `dir/name`.
pub(crate) fn write_text(dir: &Path, name: &str, text: &str) -> Result<(), String> {
    let path = dir.join(name);
    std::fs::write(&path, text).map_err(|e| format!("cannot write {} ({e})", path.display()))
}

/// A buffered file for writing line by line, with the path in every error.
pub(crate) struct LineFile {
    path: PathBuf,
    out: BufWriter<File>,
}

impl LineFile {
    /// Creates `dir/name`.
    pub(crate) fn create(dir: &Path, name: &str) -> Result<Self, String> {
        let path = dir.join(name);
        let file =
            File::create(&path).map_err(|e| format!("cannot create {} ({e})", path.display()))?;
        Ok(Self {
            path,
            out: BufWriter::new(file),
        })
    }

    /// Writes `line` and a newline.
    pub(crate) fn line(&mut self, line: &str) -> Result<(), String> {
        self.out
            .write_all(line.as_bytes())
            .and_then(|()| self.out.write_all(b"\n"))
            .map_err(|e| format!("cannot write {} ({e})", self.path.display()))
    }

    /// Flushes and closes the file.
    pub(crate) fn finish(mut self) -> Result<(), String> {
        self.out
            .flush()
            .map_err(|e| format!("cannot write {} ({e})", self.path.display()))
    }
}

/// `images/` of an export: one PNG per distinct image (by content), named after the
/// image's Parquet path when that is a plain file name.
pub(crate) struct ImageFiles {
    dir: PathBuf,
    by_sha: HashMap<String, String>,
    names: HashSet<String>,
}

impl ImageFiles {
    /// Creates `root/images/`.
    pub(crate) fn create(root: &Path) -> Result<Self, String> {
        let dir = root.join("images");
        std::fs::create_dir_all(&dir)
            .map_err(|e| format!("cannot create {} ({e})", dir.display()))?;
        Ok(Self {
            dir,
            by_sha: HashMap::new(),
            names: HashSet::new(),
        })
    }

    /// Distinct images written so far.
    pub(crate) fn count(&self) -> usize {
        self.by_sha.len()
    }

    /// The export-relative path (`images/<file>.png`) of the row's image, written the first
    /// time the image is seen.
    pub(crate) fn place(&mut self, row: &DatasetRow) -> Result<String, String> {
        if !row.image.starts_with(b"\x89PNG\r\n\x1a\n") {
            return Err(format!("row {}: the image is not a PNG", row.id));
        }
        let sha = sha256_hex(&row.image);
        if let Some(rel) = self.by_sha.get(&sha) {
            return Ok(rel.clone());
        }
        let name = match safe_name(&row.image_path) {
            Some(n) if !self.names.contains(&n) => n,
            _ => format!("{sha}.png"),
        };
        let path = self.dir.join(&name);
        std::fs::write(&path, &row.image)
            .map_err(|e| format!("cannot write {} ({e})", path.display()))?;
        let rel = format!("images/{name}");
        self.names.insert(name);
        self.by_sha.insert(sha, rel.clone());
        Ok(rel)
    }
}

/// `name` when it is a plain `.png` file name (letters, digits, `-`, `_`, `.`; no folders).
fn safe_name(name: &str) -> Option<String> {
    let ok = name.ends_with(".png")
        && !name.starts_with('.')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    ok.then(|| name.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_climb_and_descend() {
        let rel = relative(
            Path::new("/r/harness/lmms_eval"),
            Path::new("/r/data/a/t.parquet"),
        );
        assert_eq!(rel.as_deref(), Some("../../data/a/t.parquet"));
        let rel = relative(Path::new("/x/y"), Path::new("/x/y/z.parquet"));
        assert_eq!(rel.as_deref(), Some("z.parquet"));
    }

    #[test]
    fn absolute_resolves_dots_in_missing_parts() {
        let tmp = tempfile::tempdir().unwrap();
        let base = std::fs::canonicalize(tmp.path()).unwrap();
        let p = absolute(&tmp.path().join("a/../b/./c")).unwrap();
        assert_eq!(p, base.join("b/c"));
    }

    #[test]
    fn image_names_are_plain_png_files() {
        assert_eq!(
            safe_name("dots-000001.png").as_deref(),
            Some("dots-000001.png")
        );
        for bad in ["../x.png", "a/b.png", ".png", "x.jpg", "", "a b.png"] {
            assert_eq!(safe_name(bad), None, "{bad}");
        }
    }
}
