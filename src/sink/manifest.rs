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

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use sha2::{Digest, Sha256};

use super::card::TaskCount;
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
    pub rows: Vec<ManifestRow>,
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
    pub rows: Vec<ManifestRow>,
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
pub fn render_manifest(m: &Manifest) -> String {
    // Cannot fail: every map key is a string and no value has a fallible Serialize.
    let mut s = serde_json::to_string_pretty(m).expect("manifest serialises infallibly");
    s.push('\n');
    s
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
    images: BTreeSet<String>,
    rows: u64,
    per_groundtruth: BTreeMap<String, u64>,
    per_prompt: BTreeMap<String, BTreeMap<String, u64>>,
    arrow_bytes: u64,
}

/// Accumulates row statistics while rows stream to the Parquet writer; feeds
/// both the card ([`Tally::task_counts`]) and the manifest ([`Tally::finish`]).
/// Keeps only ids, hashes, prompts, answers and image names, never image bytes.
#[derive(Debug, Default)]
pub struct Tally {
    tasks: BTreeMap<String, TaskTally>,
    /// (id, digest line, manifest row) in insertion order.
    entries: Vec<(String, String, ManifestRow)>,
    label_conflict: Option<String>,
    arrow_bytes: u64,
}

impl Tally {
    /// An empty tally.
    pub fn new() -> Self {
        Self::default()
    }

    /// Records one row.
    pub fn add(&mut self, row: &Row) {
        let task = self.tasks.entry(row.task_id.clone()).or_default();
        if task.rows == 0 {
            task.label.clone_from(&row.task);
        } else if task.label != row.task && self.label_conflict.is_none() {
            self.label_conflict = Some(format!(
                "task {:?} has two labels: {:?} and {:?}",
                row.task_id, task.label, row.task
            ));
        }
        let arrow_bytes = arrow_row_bytes(row);
        task.rows += 1;
        task.arrow_bytes += arrow_bytes;
        task.images.insert(row.image_path.clone());
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
        let line = content_digest_line(&row.id, &row.image_sha256, &row.prompt, &row.groundtruth);
        let record = ManifestRow {
            id: row.id.clone(),
            image_sha256: row.image_sha256.clone(),
            groundtruth: row.groundtruth.clone(),
        };
        self.entries.push((row.id.clone(), line, record));
        self.arrow_bytes += arrow_bytes;
    }

    /// Records several rows.
    pub fn add_all(&mut self, rows: &[Row]) {
        rows.iter().for_each(|r| self.add(r));
    }

    /// Rows recorded so far.
    pub fn rows(&self) -> u64 {
        self.entries.len() as u64
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
                images: t.images.len() as u64,
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
        let content_digest = digest_sorted(&self.entries)?;
        let per_task: BTreeMap<String, TaskStats> = self
            .tasks
            .into_iter()
            .map(|(id, t)| {
                let stats = TaskStats {
                    images: t.images.len() as u64,
                    rows: t.rows,
                    per_groundtruth: t.per_groundtruth,
                    per_prompt: t.per_prompt,
                };
                (id, stats)
            })
            .collect();
        let counts = Counts {
            rows: self.entries.len() as u64,
            images: per_task.values().map(|t| t.images).sum(),
            per_task,
        };
        let rows = self.entries.into_iter().map(|(_, _, r)| r).collect();
        Ok(RowStats {
            counts,
            rows,
            content_digest,
        })
    }
}

/// Variable-length Arrow arrays per row: 10 string columns plus `image.bytes`
/// and `image.path`.
const VAR_LEN_ARRAYS: u64 = 12;

/// Data plus one `i32` offset per variable-length value (pyarrow's `nbytes`
/// does not count the closing offset of an array), plus the fixed-width
/// `width`, `height` (4 bytes each) and `seed` (8 bytes).
fn arrow_row_bytes(row: &Row) -> u64 {
    let var_len = [
        row.id.len(),
        row.task.len(),
        row.task_id.len(),
        row.image.len(),
        row.image_path.len(),
        row.prompt.len(),
        row.groundtruth.len(),
        row.metadata.len(),
        row.image_sha256.len(),
        row.prompt_id.len(),
        row.answer_format.len(),
        row.answer_choices.len(),
    ];
    let data: u64 = var_len.iter().map(|&n| n as u64).sum();
    data + VAR_LEN_ARRAYS * 4 + 4 + 4 + 8
}

/// SHA-256 over the digest lines sorted by id; rejects duplicate ids.
fn digest_sorted(entries: &[(String, String, ManifestRow)]) -> Result<String, SinkError> {
    let mut order: Vec<&(String, String, ManifestRow)> = entries.iter().collect();
    order.sort_by(|a, b| a.0.cmp(&b.0));
    if let Some(w) = order.windows(2).find(|w| w[0].0 == w[1].0) {
        return Err(SinkError::new(format!("duplicate row id {:?}", w[0].0)));
    }
    let mut hasher = Sha256::new();
    for (_, line, _) in order {
        hasher.update(line.as_bytes());
    }
    Ok(hex(&hasher.finalize()))
}

#[cfg(test)]
#[path = "manifest_tests.rs"]
mod tests;
