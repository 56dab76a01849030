//! `blindspot diff OLD NEW`: what changed between two releases, row by row (keyed by `id`)
//! and in their manifest headers, so CI can check that a rebuild reproduces a published
//! release.
//!
//! Invariants:
//! - Two releases have *identical rows* when they have the same ids and, for every id, the
//!   same image (`image_sha256`), prompt text, ground truth, answer format and choices, and
//!   metadata. Header differences (name, version, spec hashes, compiler) are reported but do
//!   not make rows differ.
//! - Reports are deterministic: tasks and example ids sorted, JSON keys in struct order.
//! - Memory: only the old release's row fingerprints (ids and hashes, never image bytes) are
//!   held; the new release is streamed against them.
//!
//! The text and JSON reports are in `text`; exit statuses (0 identical, 1 differ, 2 unreadable)
//! are the CLI's.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::dataset::{Dataset, DatasetRow};

mod text;

/// Example ids kept per kind of difference (the first ones in byte order).
pub const EXAMPLES: usize = 5;

/// A kind of row difference.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// The id is only in the new release.
    Added,
    /// The id is only in the old release.
    Removed,
    /// `image_sha256` differs.
    Image,
    /// `groundtruth` differs.
    Groundtruth,
    /// `prompt` text differs.
    Prompt,
    /// `answer_format` or `answer_choices` differs.
    Format,
    /// `metadata` differs.
    Metadata,
}

impl Kind {
    /// Every kind, in report order.
    pub const ALL: [Kind; 7] = [
        Kind::Added,
        Kind::Removed,
        Kind::Image,
        Kind::Groundtruth,
        Kind::Prompt,
        Kind::Format,
        Kind::Metadata,
    ];

    /// The kind's name in reports (also its JSON key).
    pub fn name(self) -> &'static str {
        match self {
            Kind::Added => "added",
            Kind::Removed => "removed",
            Kind::Image => "image",
            Kind::Groundtruth => "groundtruth",
            Kind::Prompt => "prompt",
            Kind::Format => "format",
            Kind::Metadata => "metadata",
        }
    }
}

/// Row counts of one task (or all), by kind. A changed row counts once in `changed` and once
/// under each field that differs; `unchanged` rows are in both releases, identical.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[allow(missing_docs)]
pub struct Counts {
    pub added: u64,
    pub removed: u64,
    pub changed: u64,
    pub image: u64,
    pub groundtruth: u64,
    pub prompt: u64,
    pub format: u64,
    pub metadata: u64,
    pub unchanged: u64,
}

impl Counts {
    /// The count of one kind.
    pub fn get(&self, kind: Kind) -> u64 {
        let mut copy = *self;
        *copy.slot(kind)
    }

    fn bump(&mut self, kind: Kind) {
        *self.slot(kind) += 1;
    }

    fn sum(items: impl IntoIterator<Item = Counts>) -> Counts {
        let mut t = Counts::default();
        for c in items {
            for k in Kind::ALL {
                *t.slot(k) += c.get(k);
            }
            t.changed += c.changed;
            t.unchanged += c.unchanged;
        }
        t
    }

    fn slot(&mut self, kind: Kind) -> &mut u64 {
        match kind {
            Kind::Added => &mut self.added,
            Kind::Removed => &mut self.removed,
            Kind::Image => &mut self.image,
            Kind::Groundtruth => &mut self.groundtruth,
            Kind::Prompt => &mut self.prompt,
            Kind::Format => &mut self.format,
            Kind::Metadata => &mut self.metadata,
        }
    }
}

/// The first [`EXAMPLES`] ids (byte order) of each kind.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[allow(missing_docs)]
pub struct Examples {
    pub added: Vec<String>,
    pub removed: Vec<String>,
    pub image: Vec<String>,
    pub groundtruth: Vec<String>,
    pub prompt: Vec<String>,
    pub format: Vec<String>,
    pub metadata: Vec<String>,
}

impl Examples {
    /// The examples of one kind.
    pub fn get(&self, kind: Kind) -> &[String] {
        match kind {
            Kind::Added => &self.added,
            Kind::Removed => &self.removed,
            Kind::Image => &self.image,
            Kind::Groundtruth => &self.groundtruth,
            Kind::Prompt => &self.prompt,
            Kind::Format => &self.format,
            Kind::Metadata => &self.metadata,
        }
    }

    /// Keeps `id` if it is among the first [`EXAMPLES`] of its kind so far.
    fn keep(&mut self, kind: Kind, id: &str) {
        let list = match kind {
            Kind::Added => &mut self.added,
            Kind::Removed => &mut self.removed,
            Kind::Image => &mut self.image,
            Kind::Groundtruth => &mut self.groundtruth,
            Kind::Prompt => &mut self.prompt,
            Kind::Format => &mut self.format,
            Kind::Metadata => &mut self.metadata,
        };
        if let Err(at) = list.binary_search_by(|x| x.as_str().cmp(id))
            && at < EXAMPLES
        {
            list.insert(at, id.to_owned());
            list.truncate(EXAMPLES);
        }
    }
}

/// What a row is compared by: its task and hashes of the compared fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fingerprint {
    task_id: String,
    image: String,
    prompt: [u8; 32],
    groundtruth: [u8; 32],
    format: [u8; 32],
    metadata: [u8; 32],
}

impl Fingerprint {
    /// The fingerprint of a row read back from a release.
    pub fn of(row: &DatasetRow) -> Self {
        Self {
            task_id: row.task_id.clone(),
            image: row.image_sha256.clone(),
            prompt: hash(&[&row.prompt]),
            groundtruth: hash(&[&row.groundtruth]),
            format: hash(&[&row.answer_format, &row.answer_choices]),
            metadata: hash(&[&row.metadata]),
        }
    }

    /// The kinds of change from `self` (old) to `new`.
    fn changes(&self, new: &Fingerprint) -> Vec<Kind> {
        [
            (Kind::Image, self.image != new.image),
            (Kind::Groundtruth, self.groundtruth != new.groundtruth),
            (Kind::Prompt, self.prompt != new.prompt),
            (Kind::Format, self.format != new.format),
            (Kind::Metadata, self.metadata != new.metadata),
        ]
        .into_iter()
        .filter_map(|(k, differs)| differs.then_some(k))
        .collect()
    }
}

/// SHA-256 over length-prefixed parts (so `["ab", "c"]` and `["a", "bc"]` differ).
fn hash(parts: &[&str]) -> [u8; 32] {
    let mut h = Sha256::new();
    for p in parts {
        h.update((p.len() as u64).to_le_bytes());
        h.update(p.as_bytes());
    }
    h.finalize().into()
}

/// Per-task counts and examples, accumulated row by row.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RowDiff {
    /// Counts keyed by `task_id`.
    pub tasks: BTreeMap<String, Counts>,
    /// Example ids per kind.
    pub examples: Examples,
}

impl RowDiff {
    /// Records a row of the new release against its old fingerprint, if the id existed.
    pub fn compare(&mut self, id: &str, old: Option<&Fingerprint>, new: &Fingerprint) {
        let Some(old) = old else {
            return self.mark(&new.task_id, id, Kind::Added);
        };
        let kinds = old.changes(new);
        let counts = self.tasks.entry(new.task_id.clone()).or_default();
        if kinds.is_empty() {
            counts.unchanged += 1;
            return;
        }
        counts.changed += 1;
        for k in kinds {
            counts.bump(k);
            self.examples.keep(k, id);
        }
    }

    /// Records a row of the old release whose id the new one lacks.
    pub fn removed(&mut self, id: &str, old: &Fingerprint) {
        self.mark(&old.task_id, id, Kind::Removed);
    }

    fn mark(&mut self, task_id: &str, id: &str, kind: Kind) {
        self.tasks.entry(task_id.to_owned()).or_default().bump(kind);
        self.examples.keep(kind, id);
    }

    /// Counts over every task.
    pub fn total(&self) -> Counts {
        Counts::sum(self.tasks.values().copied())
    }
}

/// One release's header, as the report shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[allow(missing_docs)]
pub struct Side {
    pub path: String,
    pub name: String,
    pub version: String,
    pub compiler_version: String,
    pub content_digest: String,
    pub rows: u64,
}

/// A task whose spec hash differs (`None`: the task is not in that release).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[allow(missing_docs)]
pub struct SpecChange {
    pub task_id: String,
    pub old: Option<String>,
    pub new: Option<String>,
}

/// The comparison of two releases; serialises as the `--json` report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diff {
    /// Whether the rows are identical (exit status 0).
    pub identical: bool,
    /// The old release.
    pub old: Side,
    /// The new release.
    pub new: Side,
    /// Whether the manifests' content digests are equal.
    pub content_digest_match: bool,
    /// Tasks whose spec sha256 differs, by `task_id`.
    pub spec_changes: Vec<SpecChange>,
    /// Counts over every task.
    pub total: Counts,
    /// Counts per `task_id`.
    pub tasks: BTreeMap<String, Counts>,
    /// The first ids of each kind.
    pub examples: Examples,
}

/// Compares the releases in folders `old` and `new`. Errors: a folder is not a readable
/// release.
pub fn diff(old: &Path, new: &Path) -> Result<Diff, String> {
    let (a, b) = (Dataset::open(old)?, Dataset::open(new)?);
    let mut pending: BTreeMap<String, Fingerprint> = BTreeMap::new();
    a.for_each_row(false, |r| {
        pending.insert(r.id.clone(), Fingerprint::of(&r));
        Ok(())
    })?;
    let old_rows = pending.len() as u64;
    let (mut rows, mut new_rows) = (RowDiff::default(), 0u64);
    b.for_each_row(false, |r| {
        rows.compare(&r.id, pending.remove(&r.id).as_ref(), &Fingerprint::of(&r));
        new_rows += 1;
        Ok(())
    })?;
    for (id, fp) in &pending {
        rows.removed(id, fp);
    }
    Ok(assemble(
        side(old, &a, old_rows),
        side(new, &b, new_rows),
        &a,
        &b,
        rows,
    ))
}

fn side(path: &Path, d: &Dataset, rows: u64) -> Side {
    Side {
        path: path.display().to_string(),
        name: d.name.clone(),
        version: d.version.clone(),
        compiler_version: d.compiler_version.clone(),
        content_digest: d.content_digest.clone(),
        rows,
    }
}

fn assemble(old: Side, new: Side, a: &Dataset, b: &Dataset, rows: RowDiff) -> Diff {
    let total = rows.total();
    Diff {
        identical: total.added + total.removed + total.changed == 0,
        content_digest_match: old.content_digest == new.content_digest,
        old,
        new,
        spec_changes: spec_changes(a, b),
        total,
        tasks: rows.tasks,
        examples: rows.examples,
    }
}

/// Tasks whose spec sha256 differs between the manifests (or that only one has).
fn spec_changes(a: &Dataset, b: &Dataset) -> Vec<SpecChange> {
    let mut by_task: BTreeMap<&str, (Option<&str>, Option<&str>)> = BTreeMap::new();
    for t in &a.tasks {
        by_task.entry(&t.task_id).or_default().0 = Some(&t.sha256);
    }
    for t in &b.tasks {
        by_task.entry(&t.task_id).or_default().1 = Some(&t.sha256);
    }
    by_task
        .into_iter()
        .filter(|(_, (o, n))| o != n)
        .map(|(task_id, (o, n))| SpecChange {
            task_id: task_id.to_owned(),
            old: o.map(str::to_owned),
            new: n.map(str::to_owned),
        })
        .collect()
}

#[cfg(test)]
mod tests;
