//! `manifest.json`: blindspot's own machine-readable record of a build.
//!
//! Role: tie the output files to their inputs (spec hash, compiler and renderer
//! versions, fonts, seed) and to their content (per-file and per-row hashes,
//! counts, and a content digest that survives re-serialisation).
//!
//! Invariants:
//! * Key order is fixed by struct field order (`format` first); maps are
//!   `BTreeMap`s, so the JSON is byte-deterministic.
//! * `rows` lists rows in the order they were added to the [`Tally`] (the
//!   Parquet order when the caller feeds both the same sequence).
//! * `content_digest` is independent of row order and of file encoding: it is
//!   the lower-case hex SHA-256 over the concatenation, for all rows **sorted
//!   by `id`** (byte-wise UTF-8 order), of the lines
//!   `esc(id) \t esc(image_sha256) \t esc(prompt) \t esc(groundtruth) \n`,
//!   where `esc` replaces `\` by `\\`, TAB by `\t`, LF by `\n` and CR by `\r`
//!   (so multi-line prompts cannot make two different row sets collide).
//!   Python equivalent:
//!   ```text
//!   esc = lambda s: s.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
//!   body = "".join("\t".join(map(esc, (r["id"], r["image_sha256"], r["prompt"], r["groundtruth"]))) + "\n"
//!                  for r in sorted(rows, key=lambda r: r["id"].encode()))
//!   digest = hashlib.sha256(body.encode()).hexdigest()
//!   ```

use std::collections::BTreeMap;
use std::path::Path;

use serde::Serialize;
use sha2::{Digest, Sha256};

use super::card::TaskCount;
use super::facts::RowFacts;
use super::spill::{RecordLog, RowRecords, SORT_BUDGET_BYTES, SortedLines};
use super::{FileSummary, Row, SinkError, hex};

/// Value of the manifest's `format` key.
pub const MANIFEST_FORMAT: &str = "blindspot-manifest-v1";

/// The compiler that produced the build.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CompilerInfo {
    /// Always `"blindspot"` in practice.
    pub name: String,
    /// Compiler version.
    pub version: String,
}

/// The spec file the build came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SpecInfo {
    /// Spec path as given by the user (informational).
    pub path: String,
    /// Hex SHA-256 of the spec bytes.
    pub sha256: String,
}

/// One task spec of the build: suites have several, a single-task build one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TaskSpecInfo {
    /// Task slug.
    pub task_id: String,
    /// Spec path as given (informational).
    pub path: String,
    /// Hex SHA-256 of the spec bytes.
    pub sha256: String,
    /// The task's global seed.
    pub seed: u64,
    /// Task display label.
    pub label: String,
    /// Score column the task counts towards.
    pub group: String,
}

/// One font file used by the renderer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FontInfo {
    /// Font family name.
    pub family: String,
    /// Font file name.
    pub file: String,
    /// Hex SHA-256 of the font file.
    pub sha256: String,
    /// License id of the font, e.g. `"OFL-1.1"`.
    pub license: String,
}

/// Renderer versions and inputs that determine pixels.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RendererInfo {
    /// resvg version string.
    pub resvg: String,
    /// Fonts available to the renderer, in a fixed order.
    pub fonts: Vec<FontInfo>,
}

/// Counts for one task.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct TaskStats {
    /// Distinct images (distinct `image_path` values) of the task.
    pub images: u64,
    /// Rows of the task.
    pub rows: u64,
    /// Rows per ground-truth value.
    pub per_groundtruth: BTreeMap<String, u64>,
    /// Rows per ground-truth value, per prompt id.
    pub per_prompt: BTreeMap<String, BTreeMap<String, u64>>,
}

/// Dataset-wide counts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Total rows.
    pub rows: u64,
    /// Total distinct images (sum over tasks).
    pub images: u64,
    /// Per-task counts keyed by `task_id`.
    pub per_task: BTreeMap<String, TaskStats>,
}

/// The per-row record in the manifest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ManifestRow {
    /// Row id.
    pub id: String,
    /// Hex SHA-256 of the row's PNG.
    pub image_sha256: String,
    /// Ground-truth answer.
    pub groundtruth: String,
}

/// The build-level fields of a manifest (everything not derived from rows).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ManifestHeader {
    /// Dataset name.
    pub name: String,
    /// Dataset version.
    pub version: String,
    /// Compiler name and version.
    pub compiler: CompilerInfo,
    /// Master seed.
    pub seed: u64,
    /// How per-sample seeds derive from the master seed (free text).
    pub seeding_scheme: String,
    /// Copies of the spec's samples (`build --repeat`); 1 = the spec as written.
    pub repeat: u64,
    /// Spec path and hash.
    pub spec: SpecInfo,
    /// Every task spec with its hash and seed.
    pub task_specs: Vec<TaskSpecInfo>,
    /// Renderer version and fonts.
    pub renderer: RendererInfo,
}

/// Row-derived parts of a manifest, produced by [`Tally::finish`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowStats {
    /// Counts per task and in total.
    pub counts: Counts,
    /// Per-row records in insertion order.
    pub rows: RowRecords,
    /// Content digest (see the module docs).
    pub content_digest: String,
}

/// The whole `manifest.json`. Build it with [`Manifest::new`]; serialised keys
/// follow the field order below.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Manifest {
    format: &'static str,
    /// Dataset name.
    pub name: String,
    /// Dataset version.
    pub version: String,
    /// Compiler name and version.
    pub compiler: CompilerInfo,
    /// Master seed.
    pub seed: u64,
    /// How per-sample seeds derive from the master seed.
    pub seeding_scheme: String,
    /// Copies of the spec's samples (`build --repeat`); written only when above 1.
    #[serde(skip_serializing_if = "is_one")]
    pub repeat: u64,
    /// Spec path and hash.
    pub spec: SpecInfo,
    /// Every task spec with its hash and seed.
    pub task_specs: Vec<TaskSpecInfo>,
    /// Renderer version and fonts.
    pub renderer: RendererInfo,
    /// Output files (Parquet shards, optionally README.md and others).
    pub files: Vec<FileSummary>,
    /// Row counts.
    pub counts: Counts,
    /// Per-row ids, image hashes and answers.
    pub rows: RowRecords,
    /// Order-independent digest over row content (see the module docs).
    pub content_digest: String,
}

impl Manifest {
    /// Assembles a manifest with `format` = [`MANIFEST_FORMAT`].
    pub fn new(header: ManifestHeader, stats: RowStats, files: Vec<FileSummary>) -> Self {
        Self {
            format: MANIFEST_FORMAT,
            name: header.name,
            version: header.version,
            compiler: header.compiler,
            seed: header.seed,
            seeding_scheme: header.seeding_scheme,
            repeat: header.repeat,
            spec: header.spec,
            task_specs: header.task_specs,
            renderer: header.renderer,
            files,
            counts: stats.counts,
            rows: stats.rows,
            content_digest: stats.content_digest,
        }
    }

    /// The manifest format identifier.
    pub fn format(&self) -> &'static str {
        self.format
    }
}

fn is_one(n: &u64) -> bool {
    *n == 1
}

/// Pretty-printed JSON (two-space indent) with a trailing newline.
pub fn render_manifest(m: &Manifest) -> Result<String, SinkError> {
    let mut out = Vec::new();
    write_json(m, &mut out)?;
    String::from_utf8(out).map_err(|e| SinkError::new(e.to_string()))
}

/// Writes `root/manifest.json` as [`render_manifest`] would render it, streaming the rows
/// from the tally's log instead of building the text in memory.
pub fn write_manifest(root: &Path, m: &Manifest) -> Result<FileSummary, SinkError> {
    super::write_streamed(root, "manifest.json", |w| write_json(m, w))
}

fn write_json(m: &Manifest, w: &mut impl std::io::Write) -> Result<(), SinkError> {
    serde_json::to_writer_pretty(&mut *w, m)
        .map_err(|e| SinkError::new(format!("manifest.json: {e}")))?;
    w.write_all(b"\n")?;
    Ok(())
}

/// One line of the content digest input, including its trailing `\n`.
pub fn content_digest_line(
    id: &str,
    image_sha256: &str,
    prompt: &str,
    groundtruth: &str,
) -> String {
    let fields = [id, image_sha256, prompt, groundtruth].map(escape);
    format!("{}\n", fields.join("\t"))
}

fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c => out.push(c),
        }
    }
    out
}

/// Per-task accumulator.
#[derive(Debug, Default)]
struct TaskTally {
    label: String,
    images: u64,
    last_image: String,
    rows: u64,
    per_groundtruth: BTreeMap<String, u64>,
    per_prompt: BTreeMap<String, BTreeMap<String, u64>>,
    arrow_bytes: u64,
}

/// Accumulates row statistics while rows stream to the Parquet writer; feeds
/// both the card ([`Tally::task_counts`]) and the manifest ([`Tally::finish`]).
/// Keeps counts in memory and the per-row records (ids, hashes, answers, digest lines) in
/// [`super::spill`] logs: in memory by default, in files with [`Tally::spilling_to`], which
/// keeps memory flat however many rows a build has.
///
/// Rows of one image must be added one after another (as builds write them): images are
/// counted as changes of `image_path` within a task.
#[derive(Debug)]
pub struct Tally {
    tasks: BTreeMap<String, TaskTally>,
    records: RecordLog,
    digest: SortedLines,
    label_conflict: Option<String>,
    arrow_bytes: u64,
}

impl Default for Tally {
    fn default() -> Self {
        Self::new()
    }
}

impl Tally {
    /// An empty tally that keeps its records in memory.
    pub fn new() -> Self {
        let records = RecordLog::new(None).expect("an in-memory log cannot fail");
        Self::with_logs(records, SortedLines::new(None, SORT_BUDGET_BYTES))
    }

    /// An empty tally that writes its records into files in `dir` (which the caller
    /// creates and removes once the manifest is written).
    pub fn spilling_to(dir: &Path) -> Result<Self, SinkError> {
        let digest = SortedLines::new(Some(dir), SORT_BUDGET_BYTES);
        Ok(Self::with_logs(RecordLog::new(Some(dir))?, digest))
    }

    fn with_logs(records: RecordLog, digest: SortedLines) -> Self {
        Self {
            tasks: BTreeMap::new(),
            records,
            digest,
            label_conflict: None,
            arrow_bytes: 0,
        }
    }

    /// Records one row.
    pub fn add(&mut self, row: &Row) -> Result<(), SinkError> {
        self.add_facts(&RowFacts::of(row))
    }

    /// Records one row from its facts (for rows whose image is not at hand).
    pub fn add_facts(&mut self, row: &RowFacts) -> Result<(), SinkError> {
        let task = self.tasks.entry(row.task_id.clone()).or_default();
        if task.rows == 0 {
            task.label.clone_from(&row.task);
        } else if task.label != row.task && self.label_conflict.is_none() {
            self.label_conflict = Some(format!(
                "task {:?} has two labels: {:?} and {:?}",
                row.task_id, task.label, row.task
            ));
        }
        task.rows += 1;
        task.arrow_bytes += row.arrow_bytes;
        if task.images == 0 || task.last_image != row.image_path {
            task.images += 1;
            task.last_image.clone_from(&row.image_path);
        }
        count_answer(task, row);
        let line = content_digest_line(&row.id, &row.image_sha256, &row.prompt, &row.groundtruth);
        self.digest.push(row.id.clone(), line)?;
        self.records.push(ManifestRow {
            id: row.id.clone(),
            image_sha256: row.image_sha256.clone(),
            groundtruth: row.groundtruth.clone(),
        })?;
        self.arrow_bytes += row.arrow_bytes;
        Ok(())
    }

    /// Records several rows.
    pub fn add_all(&mut self, rows: &[Row]) -> Result<(), SinkError> {
        rows.iter().try_for_each(|r| self.add(r))
    }

    /// Rows recorded so far.
    pub fn rows(&self) -> u64 {
        self.tasks.values().map(|t| t.rows).sum()
    }

    /// In-memory Arrow size of the recorded rows: what `pyarrow.Table.nbytes`
    /// (and so `datasets`' `num_bytes`) reports for them as one chunk without
    /// null bitmaps. Advisory: `datasets` does not verify it.
    pub fn arrow_bytes(&self) -> u64 {
        self.arrow_bytes
    }

    /// Per-task counts for the card, ordered by `task_id`.
    pub fn task_counts(&self) -> Vec<TaskCount> {
        self.tasks
            .iter()
            .map(|(task_id, t)| TaskCount {
                label: t.label.clone(),
                task_id: task_id.clone(),
                images: t.images,
                rows: t.rows,
                arrow_bytes: t.arrow_bytes,
            })
            .collect()
    }

    /// Final counts, rows and content digest. Fails on duplicate ids or on a
    /// task id seen with two different labels.
    pub fn finish(self) -> Result<RowStats, SinkError> {
        if let Some(conflict) = self.label_conflict {
            return Err(SinkError::new(conflict));
        }
        let content_digest = digest_sorted(self.digest)?;
        let per_task: BTreeMap<String, TaskStats> = self
            .tasks
            .into_iter()
            .map(|(id, t)| {
                let stats = TaskStats {
                    images: t.images,
                    rows: t.rows,
                    per_groundtruth: t.per_groundtruth,
                    per_prompt: t.per_prompt,
                };
                (id, stats)
            })
            .collect();
        let counts = Counts {
            rows: per_task.values().map(|t| t.rows).sum(),
            images: per_task.values().map(|t| t.images).sum(),
            per_task,
        };
        Ok(RowStats {
            counts,
            rows: self.records.finish()?,
            content_digest,
        })
    }
}

/// Counts the row's answer overall and per prompt.
fn count_answer(task: &mut TaskTally, row: &RowFacts) {
    *task
        .per_groundtruth
        .entry(row.groundtruth.clone())
        .or_default() += 1;
    *task
        .per_prompt
        .entry(row.prompt_id.clone())
        .or_default()
        .entry(row.groundtruth.clone())
        .or_default() += 1;
}

/// SHA-256 over the digest lines sorted by id; rejects duplicate ids.
fn digest_sorted(lines: SortedLines) -> Result<String, SinkError> {
    let mut hasher = Sha256::new();
    let (mut first, mut previous) = (true, String::new());
    lines.for_each_sorted(|id, line| {
        if !first && previous == id {
            return Err(SinkError::new(format!("duplicate row id {id:?}")));
        }
        first = false;
        previous.clear();
        previous.push_str(id);
        hasher.update(line.as_bytes());
        Ok(())
    })?;
    Ok(hex(&hasher.finalize()))
}

#[cfg(test)]
#[path = "manifest_tests.rs"]
mod tests;
