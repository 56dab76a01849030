//! Output sink: turns finished dataset rows into the files a Hugging Face–ready
//! dataset folder consists of.
//!
//! * [`parquet`]: streaming Parquet shard writer ([`ShardWriter`]) with the exact
//!   schema, `huggingface` feature metadata and writer settings the consumers need.
//! * [`card`]: the dataset card `README.md` (YAML front matter + prose).
//! * [`croissant`]: `croissant.json`, MLCommons Croissant 1.1 metadata over the
//!   Parquet files (sha256 per file, fields from the column table).
//! * [`manifest`]: blindspot's own `manifest.json` (per-file and per-row hashes,
//!   counts, content digest), plus [`Tally`] which accumulates the row statistics
//!   that both the card and the manifest report.
//! * [`spill`]: the tally's disk-backed logs (manifest rows, external sort of digest
//!   lines), so memory does not grow with the row count.
//! * [`facts`]: what the tally needs of a row, and the small file format a build keeps
//!   beside each chunk so chunks are tallied without decoding their Parquet.
//! * [`read`] reads our own Parquet files back into rows; [`shards`] lays rows (or whole
//!   row groups copied from such files) into size-bounded, Hub-named files.
//!
//! Invariants shared by every file this module writes:
//! * **Deterministic bytes**: the same inputs give the same bytes. No timestamps,
//!   no hash-map iteration order, no library version strings that drift
//!   (Parquet `created_by` is pinned).
//! * **One schema**: the column list lives in [`schema::COLUMNS`]; the Arrow schema,
//!   the `huggingface` Parquet metadata, the card's `dataset_info.features` and the
//!   Croissant fields are all derived from it, so they cannot disagree.
//! * **No atomicity here**: files are written to the path given. The caller writes
//!   into a temporary directory and renames it into place.
//! * **Errors, not panics**: every I/O or encoder failure becomes a [`SinkError`].

pub mod card;
pub mod croissant;
pub mod facts;
pub mod manifest;
pub mod parquet;
pub mod read;
pub mod schema;
pub mod shards;
pub mod spill;

#[cfg(test)]
mod e2e_tests;
#[cfg(test)]
mod test_support;

use std::fmt;
use std::fs;
use std::io::Write;
use std::path::{Component, Path, PathBuf};

use serde::Serialize;
use sha2::{Digest, Sha256};

pub use card::{CardConfig, CardInfo, CardPrompt, TaskCount, render_card};
pub use croissant::{CroissantInfo, RecordSetInfo, render_croissant};
pub use manifest::{
    CompilerInfo, Counts, FontInfo, Manifest, ManifestHeader, ManifestRow, RendererInfo, RowStats,
    SpecInfo, Tally, TaskSpecInfo, TaskStats, content_digest_line, render_manifest, write_manifest,
};
pub use parquet::{ShardWriter, features_json};

/// Maximum number of rows per Parquet row group (the `datasets` convention for
/// image datasets; keeps the Hub viewer's per-row-group memory bounded).
pub const ROWS_PER_ROW_GROUP: usize = 100;

/// One dataset row. Field order matches the Parquet column order, except that
/// `image` and `image_path` together form the `image` struct column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// Stable unique row id, e.g. `"touching-circles/000123/p1"`.
    pub id: String,
    /// Display label of the task, e.g. `"Touching Circles"`.
    pub task: String,
    /// Task slug, e.g. `"touching-circles"`.
    pub task_id: String,
    /// Encoded PNG bytes (stored in `image.bytes`).
    pub image: Vec<u8>,
    /// File name for the image (stored in `image.path`), e.g. `"touching-circles-000123.png"`.
    pub image_path: String,
    /// Full prompt text, including the answer-format instruction.
    pub prompt: String,
    /// Canonical answer string.
    pub groundtruth: String,
    /// Generator parameters as JSON object text.
    pub metadata: String,
    /// Image width in pixels; must equal the PNG IHDR width.
    pub width: i32,
    /// Image height in pixels; must equal the PNG IHDR height.
    pub height: i32,
    /// Per-sample seed (a `u64` bit-cast to `i64`).
    pub seed: i64,
    /// Lower-case hex SHA-256 of `image`.
    pub image_sha256: String,
    /// Prompt id within the task, e.g. `"p1"`.
    pub prompt_id: String,
    /// Name of the answer format replies are scored with (see `scoring/formats.json`).
    pub answer_format: String,
    /// JSON array of every possible answer, or `[]` when the prompt declares none.
    pub answer_choices: String,
}

/// Error raised by any sink operation. Carries a human-readable message that
/// includes the offending path where one is known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SinkError {
    /// What went wrong.
    pub message: String,
}

impl SinkError {
    /// Creates an error from any message.
    pub fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
        }
    }

    /// Prefixes the message with context, e.g. the file being written.
    pub fn context(self, what: impl fmt::Display) -> Self {
        Self::new(format!("{what}: {}", self.message))
    }
}

impl fmt::Display for SinkError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for SinkError {}

impl From<std::io::Error> for SinkError {
    fn from(e: std::io::Error) -> Self {
        Self::new(format!("I/O error: {e}"))
    }
}

impl From<::parquet::errors::ParquetError> for SinkError {
    fn from(e: ::parquet::errors::ParquetError) -> Self {
        Self::new(format!("Parquet error: {e}"))
    }
}

impl From<arrow_schema::ArrowError> for SinkError {
    fn from(e: arrow_schema::ArrowError) -> Self {
        Self::new(format!("Arrow error: {e}"))
    }
}

/// Size, row count and hash of one written file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileSummary {
    /// Path relative to the dataset root, always with `/` separators.
    pub path: String,
    /// Number of dataset rows in the file (0 for non-tabular files).
    pub rows: u64,
    /// File size in bytes.
    pub bytes: u64,
    /// Lower-case hex SHA-256 of the file bytes.
    pub sha256: String,
}

/// Relative path of a Parquet shard in the default-config layout:
/// `data/<split>-<index:05>-of-<count:05>.parquet` (`index` is 0-based).
pub fn shard_path(split: &str, index: usize, count: usize) -> String {
    format!("data/{split}-{index:05}-of-{count:05}.parquet")
}

/// Lower-case hex encoding of a SHA-256 digest (or any bytes).
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(char::from(DIGITS[usize::from(b >> 4)]));
        s.push(char::from(DIGITS[usize::from(b & 0x0f)]));
    }
    s
}

/// Lower-case hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// Writes a small non-tabular file (README.md, croissant.json, manifest.json, …) at
/// `root/rel_path`, creating parent directories, and returns its summary
/// (`rows` = 0).
pub fn write_text_file(root: &Path, rel_path: &str, text: &str) -> Result<FileSummary, SinkError> {
    write_streamed(root, rel_path, |w| Ok(w.write_all(text.as_bytes())?))
}

/// Writes `root/rel_path` through `write` (buffered), hashing the bytes as they go, and
/// returns its summary (`rows` = 0): for files too large to build in memory first.
pub fn write_streamed(
    root: &Path,
    rel_path: &str,
    write: impl FnOnce(
        &mut std::io::BufWriter<parquet::HashingWriter<fs::File>>,
    ) -> Result<(), SinkError>,
) -> Result<FileSummary, SinkError> {
    let full = resolve(root, rel_path)?;
    create_parent(&full)?;
    let ctx = |e: SinkError| e.context(full.display());
    let file = fs::File::create(&full).map_err(|e| ctx(e.into()))?;
    let mut out = std::io::BufWriter::new(parquet::HashingWriter::new(file));
    write(&mut out).map_err(ctx)?;
    let hashing = out.into_inner().map_err(|e| ctx(e.into_error().into()))?;
    let (file, sha256, bytes) = hashing.into_parts();
    file.sync_all().map_err(|e| ctx(e.into()))?;
    Ok(FileSummary {
        path: rel_path.to_owned(),
        rows: 0,
        bytes,
        sha256,
    })
}

/// Joins a `/`-separated relative path onto `root`, rejecting absolute paths,
/// `..`, empty components and backslashes so that output never escapes the root
/// and the recorded path is portable.
pub(crate) fn resolve(root: &Path, rel_path: &str) -> Result<PathBuf, SinkError> {
    let bad = rel_path.is_empty()
        || rel_path.contains('\\')
        || rel_path
            .split('/')
            .any(|c| c.is_empty() || c == "." || c == "..")
        || Path::new(rel_path)
            .components()
            .any(|c| !matches!(c, Component::Normal(_)));
    if bad {
        return Err(SinkError::new(format!(
            "invalid relative output path {rel_path:?}: use '/'-separated names without '.', '..' or a leading '/'"
        )));
    }
    Ok(rel_path
        .split('/')
        .fold(root.to_path_buf(), |p, c| p.join(c)))
}

/// Creates the parent directory of `path` if it does not exist.
pub(crate) fn create_parent(path: &Path) -> Result<(), SinkError> {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => fs::create_dir_all(dir)
            .map_err(|e| SinkError::from(e).context(format!("creating {}", dir.display()))),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shard_path_layout() {
        assert_eq!(
            shard_path("valid", 0, 1),
            "data/valid-00000-of-00001.parquet"
        );
        assert_eq!(
            shard_path("test", 3, 12),
            "data/test-00003-of-00012.parquet"
        );
    }

    #[test]
    fn sha256_of_empty_input() {
        assert_eq!(
            sha256_hex(b""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }

    #[test]
    fn resolve_rejects_escapes() {
        let root = Path::new("/tmp/root");
        for bad in ["", "/abs", "../x", "a/../b", "a//b", "./a", "a\\b", "a/"] {
            assert!(resolve(root, bad).is_err(), "{bad:?} accepted");
        }
        assert_eq!(
            resolve(root, "data/x.parquet").unwrap(),
            root.join("data").join("x.parquet")
        );
    }

    #[test]
    fn write_text_file_summarises() {
        let dir = tempfile::tempdir().unwrap();
        let s = write_text_file(dir.path(), "sub/a.txt", "hi\n").unwrap();
        assert_eq!(s.path, "sub/a.txt");
        assert_eq!(s.bytes, 3);
        assert_eq!(s.sha256, sha256_hex(b"hi\n"));
        assert_eq!(fs::read(dir.path().join("sub/a.txt")).unwrap(), b"hi\n");
    }

    #[test]
    fn error_messages_carry_context() {
        let e = SinkError::from(std::io::Error::other("disk full")).context("data/x.parquet");
        assert_eq!(e.to_string(), "data/x.parquet: I/O error: disk full");
    }
}
