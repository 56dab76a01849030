//! The spool: a build's finished work, kept beside the target so an interrupted build
//! resumes where it stopped.
//!
//! Layout: `<parent>/.<target name>.partial/` holds `build.json` (what is being built: the
//! [`Identity`]) and `spool/<task_id>/<chunk:06>.parquet`, one file per finished chunk of
//! [`CHUNK`] samples, holding that chunk's rows in order.
//!
//! Invariants:
//! - A chunk file is written under a temporary name, synced, then renamed: a chunk file that
//!   exists is complete. Chunks are pure functions of the identity, so reusing one gives the
//!   bytes a fresh render would.
//! - A spool whose `build.json` differs from the current build (another spec, compiler,
//!   `--repeat` or `--shard`) is discarded, never mixed in.
//! - The folder is removed once the release is published, and when the spec fails (there is
//!   nothing to resume). An I/O failure or a killed process leaves it for the next run.

use std::path::{Path, PathBuf};

use serde::Serialize;

use super::Failure;
use super::assemble::Piece;
use crate::publish::Release;

/// Samples per chunk: the unit of parallel work and of resuming.
pub const CHUNK: u64 = 100;

/// Format tag of `build.json`.
const FORMAT: &str = "blindspot-partial-v3";

/// Extension of a chunk's verdict file (JSON lines of [`crate::verify::report::Checked`]).
pub const VERDICTS: &str = "verify.jsonl";

/// What a build produces, as far as the spooled chunks are concerned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Identity {
    format: &'static str,
    /// Compiler version (renderer and fonts are fixed by it).
    pub compiler: String,
    /// Hex SHA-256 of the spec file the build started from.
    pub spec_sha256: String,
    /// Samples per chunk.
    pub chunk: u64,
    /// Copies of each task's expansion.
    pub repeat: u64,
    /// Every task, in release order.
    pub tasks: Vec<TaskIdentity>,
}

/// One task of an [`Identity`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TaskIdentity {
    /// Task slug.
    pub task_id: String,
    /// Hex SHA-256 of the task's spec file.
    pub sha256: String,
    /// Images of the whole build (all copies).
    pub images: u64,
}

impl Identity {
    /// The identity of a release's build.
    pub fn of(rel: &Release<'_>) -> Self {
        Self {
            format: FORMAT,
            compiler: crate::VERSION.to_string(),
            spec_sha256: rel.spec.sha256.clone(),
            chunk: CHUNK,
            repeat: rel.repeat(),
            tasks: rel
                .tasks
                .iter()
                .map(|t| TaskIdentity {
                    task_id: t.task_id.clone(),
                    sha256: t.source.sha256.clone(),
                    images: t.images(),
                })
                .collect(),
        }
    }
}

impl Identity {
    /// `build.json` of a spool: the identity and the slice being built.
    pub fn to_json(&self, slice: super::Slice, verify: bool) -> String {
        let mut v = serde_json::to_value(self).expect("identity serialises");
        v["slice"] = serde_json::Value::String(slice.to_string());
        v["verify"] = serde_json::Value::Bool(verify);
        let mut text = serde_json::to_string_pretty(&v).expect("value serialises");
        text.push('\n');
        text
    }
}

/// The spool folder of one build.
#[derive(Debug)]
pub struct Spool {
    dir: PathBuf,
}

impl Spool {
    /// Opens the spool beside `target` for a build described by `build_json`, reusing its
    /// chunks if it was left by the same build and starting afresh otherwise.
    pub fn open(target: &Path, build_json: &str) -> Result<Self, Failure> {
        let dir = spool_dir(target);
        let marker = dir.join("build.json");
        let same = std::fs::read_to_string(&marker).is_ok_and(|t| t == build_json);
        let io = |e: std::io::Error| Failure::Io(format!("{}: {e}", dir.display()));
        if !same && dir.exists() {
            std::fs::remove_dir_all(&dir).map_err(io)?;
        }
        std::fs::create_dir_all(dir.join("spool")).map_err(io)?;
        if !same {
            std::fs::write(&marker, build_json).map_err(io)?;
        }
        Ok(Self { dir })
    }

    /// The spool folder (root of the chunk files' relative paths).
    pub fn root(&self) -> &Path {
        &self.dir
    }

    /// Relative path of a chunk's file with extension `ext` (`parquet` or `facts`); `tmp`
    /// names the file while it is being written.
    pub fn chunk_rel(task_id: &str, chunk: u64, ext: &str, tmp: bool) -> String {
        let tmp = if tmp { ".tmp" } else { "" };
        format!("spool/{task_id}/{chunk:06}{tmp}.{ext}")
    }

    /// Path of a finished chunk's Parquet file.
    pub fn chunk_path(&self, task_id: &str, chunk: u64) -> PathBuf {
        self.dir
            .join(Self::chunk_rel(task_id, chunk, "parquet", false))
    }

    /// Path of a finished chunk's facts file (its rows' facts, for the tally).
    pub fn facts_path(&self, task_id: &str, chunk: u64) -> PathBuf {
        self.dir
            .join(Self::chunk_rel(task_id, chunk, "facts", false))
    }

    /// A finished chunk as a piece for assembly.
    /// Path of a finished chunk's verdicts (empty without `verify:`).
    pub fn verdicts_path(&self, task_id: &str, chunk: u64) -> PathBuf {
        self.dir
            .join(Self::chunk_rel(task_id, chunk, VERDICTS, false))
    }

    pub fn piece(&self, task_id: &str, chunk: u64) -> Piece {
        Piece {
            data: self.chunk_path(task_id, chunk),
            facts: Some(self.facts_path(task_id, chunk)),
        }
    }

    /// Whether the chunk was finished by this or an earlier run.
    pub fn is_done(&self, task_id: &str, chunk: u64) -> bool {
        self.chunk_path(task_id, chunk).is_file()
            && self.facts_path(task_id, chunk).is_file()
            && self.verdicts_path(task_id, chunk).is_file()
    }

    /// Marks a chunk written under its temporary names as finished: the facts first, then
    /// the Parquet file, whose final name is what marks the chunk done.
    pub fn commit_chunk(&self, task_id: &str, chunk: u64) -> Result<(), Failure> {
        let renames = [VERDICTS, "facts", "parquet"].map(|ext| {
            let rel = |tmp| self.dir.join(Self::chunk_rel(task_id, chunk, ext, tmp));
            (rel(true), rel(false))
        });
        for (from, to) in renames {
            std::fs::rename(&from, &to)
                .map_err(|e| Failure::Io(format!("cannot finish {} ({e})", to.display())))?;
        }
        Ok(())
    }

    /// Deletes the spool (after publishing, or when the spec failed).
    pub fn remove(self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// `<parent>/.<name>.partial` for a target `<parent>/<name>`.
pub fn spool_dir(target: &Path) -> PathBuf {
    super::staging::hidden_sibling(target, "partial")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_spool_of_another_build_is_discarded_and_the_same_build_reuses_it() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("ds");
        let spool = Spool::open(&target, "{\"a\":1}").unwrap();
        let chunk = spool.chunk_path("t", 0);
        std::fs::create_dir_all(chunk.parent().unwrap()).unwrap();
        std::fs::write(&chunk, b"x").unwrap();
        assert!(
            !spool.is_done("t", 0),
            "a chunk is done only with its facts"
        );
        std::fs::write(spool.facts_path("t", 0), b"x").unwrap();
        assert!(!spool.is_done("t", 0), "and its verdicts");
        std::fs::write(spool.verdicts_path("t", 0), b"").unwrap();
        assert!(Spool::open(&target, "{\"a\":1}").unwrap().is_done("t", 0));
        let other = Spool::open(&target, "{\"a\":2}").unwrap();
        assert!(!other.is_done("t", 0), "chunks of another build are gone");
        other.remove();
        assert!(!spool_dir(&target).exists());
    }

    #[test]
    fn the_spool_sits_beside_the_target() {
        assert_eq!(
            spool_dir(Path::new("out/x/1.0.0")),
            Path::new("out/x/.1.0.0.partial")
        );
        assert_eq!(spool_dir(Path::new("ds")), Path::new("./.ds.partial"));
    }
}
