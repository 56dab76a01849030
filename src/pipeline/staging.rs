//! Publishing through a staging folder: everything is written into a hidden folder beside
//! the target, which appears only when complete (one rename). On drop without commit the
//! staging folder is removed; an existing target is never touched before the commit.

use std::path::{Path, PathBuf};

use super::Failure;

/// A staging folder that becomes the target on commit and is removed otherwise (builds and
/// exports publish through it).
pub(crate) struct Staging {
    tmp: PathBuf,
    target: PathBuf,
    committed: bool,
}

impl Staging {
    pub(crate) fn create(target: &Path) -> Result<Self, Failure> {
        let tmp = fresh_sibling(target, "tmp")?;
        Ok(Self {
            tmp,
            target: target.to_path_buf(),
            committed: false,
        })
    }

    pub(crate) fn path(&self) -> &Path {
        &self.tmp
    }

    pub(crate) fn commit(mut self) -> Result<(), Failure> {
        let io = |e: std::io::Error| {
            Failure::Io(format!("cannot publish {} ({e})", self.target.display()))
        };
        if self.target.exists() {
            let old = self.tmp.with_extension("old");
            std::fs::rename(&self.target, &old).map_err(io)?;
            std::fs::rename(&self.tmp, &self.target).map_err(io)?;
            std::fs::remove_dir_all(&old).map_err(io)?;
        } else {
            std::fs::rename(&self.tmp, &self.target).map_err(io)?;
        }
        self.committed = true;
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.tmp);
        }
    }
}

/// A working folder for files that never become part of the release (the tally's row logs),
/// beside the target; removed on drop, whatever happened.
pub(crate) struct Scratch {
    dir: PathBuf,
}

impl Scratch {
    /// `<parent>/.<name>.<what>-<pid>`, emptied if it exists.
    pub(crate) fn create(target: &Path, what: &str) -> Result<Self, Failure> {
        Ok(Self {
            dir: fresh_sibling(target, what)?,
        })
    }

    pub(crate) fn path(&self) -> &Path {
        &self.dir
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// An empty `<parent>/.<name>.<what>-<pid>` folder (emptied if a run left it behind).
fn fresh_sibling(target: &Path, what: &str) -> Result<PathBuf, Failure> {
    let dir = hidden_sibling(target, &format!("{what}-{}", std::process::id()));
    let io = |e: std::io::Error| Failure::Io(format!("cannot create {} ({e})", dir.display()));
    if dir.exists() {
        std::fs::remove_dir_all(&dir).map_err(io)?;
    }
    std::fs::create_dir_all(&dir).map_err(io)?;
    Ok(dir)
}

/// `<parent>/.<name>.<suffix>` for a target `<parent>/<name>`: working folders live beside
/// the target (same file system, so publishing is one rename) and hidden.
pub(crate) fn hidden_sibling(target: &Path, suffix: &str) -> PathBuf {
    let parent = target
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "dataset".into());
    parent.join(format!(".{name}.{suffix}"))
}
