//! `blindspot score`: reads model replies (or draws a uniformly random guesser's) for a built
//! release, parses each with its row's answer format, and reports accuracy per task, prompt,
//! score column and overall, with CSV files and a plot per task of accuracy against each
//! numeric metadata parameter.
//!
//! Invariants: every dataset row is scored exactly once (a row without a reply is `missing`
//! and counts as not correct); reports list tasks in dataset order and prompts in id order, so
//! the same inputs give the same bytes; the random guesser's reply for a row depends only on
//! the seed and the row id.

mod plot;
mod predictions;
mod report;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use indexmap::IndexMap;

use crate::answer::{Compiled, Outcome, Parsed, release};
use crate::dataset::{Dataset, DatasetRow};

pub use predictions::read_predictions;

/// Where replies come from.
#[derive(Debug, Clone)]
pub enum Replies {
    /// A JSONL file of `{"id": …, "reply": …}` records.
    File(PathBuf),
    /// A uniformly random guesser over each row's answer set, seeded.
    Random(u64),
}

/// How one row scored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowOutcome {
    /// Parsed: correct, wrong or unparseable.
    Scored(Outcome),
    /// No reply for this row.
    Missing,
}

/// One scored row.
#[derive(Debug, Clone)]
pub struct RowScore {
    /// The dataset row (without image bytes).
    pub row: DatasetRow,
    /// The reply, if any.
    pub reply: Option<String>,
    /// The parsed answer, if it parsed.
    pub parsed: Option<String>,
    /// How it scored.
    pub outcome: RowOutcome,
    /// A uniform guesser's chance of being right on this row (1 / answer-set size).
    pub chance: f64,
}

/// Scores of a release.
#[derive(Debug, Clone)]
pub struct Scores {
    /// Dataset name and version.
    pub dataset: String,
    /// Task ids in dataset order, each with its label and score column.
    pub tasks: Vec<(String, String, String)>,
    /// Every row, in dataset order.
    pub rows: Vec<RowScore>,
    /// Reply ids that match no row.
    pub unknown_ids: Vec<String>,
}

/// Scores a release against replies.
pub fn score(root: &Path, replies: &Replies) -> Result<Scores, String> {
    let ds = Dataset::open(root)?;
    let formats = release::read_formats(root)?;
    let rows = ds.rows()?;
    let answer_sets = answer_sets(&rows, &formats)?;
    let (mut by_id, unknown_ids) = match replies {
        Replies::File(path) => {
            let preds = read_predictions(path)?;
            split_known(preds, &rows)
        }
        Replies::Random(seed) => (random_replies(&rows, &answer_sets, &formats, *seed), vec![]),
    };
    let tasks = task_order(&ds, &rows);
    let mut scored = Vec::with_capacity(rows.len());
    for (i, row) in rows.into_iter().enumerate() {
        let format = &formats[&row.answer_format];
        let reply = by_id.remove(&row.id);
        let (parsed, outcome) = match &reply {
            Some(r) => read_reply(format, r, &row.groundtruth),
            None => (None, RowOutcome::Missing),
        };
        scored.push(RowScore {
            chance: 1.0 / answer_sets[i].len() as f64,
            row,
            reply,
            parsed,
            outcome,
        });
    }
    Ok(Scores {
        dataset: format!("{} {}", ds.name, ds.version),
        tasks,
        rows: scored,
        unknown_ids,
    })
}

fn read_reply(format: &Compiled, reply: &str, truth: &str) -> (Option<String>, RowOutcome) {
    let parsed = format.parse(reply);
    let outcome = RowOutcome::Scored(format.judge(&parsed, truth));
    match parsed {
        Parsed::Answer(a) => (Some(a), outcome),
        _ => (None, outcome),
    }
}

/// Each row's answer set, normalised and without repeats: its declared choices, else every
/// answer the dataset has for the same task and prompt.
fn answer_sets(
    rows: &[DatasetRow],
    formats: &IndexMap<String, Compiled>,
) -> Result<Vec<Vec<String>>, String> {
    let mut seen: BTreeMap<(&str, &str), Vec<String>> = BTreeMap::new();
    for r in rows {
        let f = formats
            .get(&r.answer_format)
            .ok_or_else(|| format!("row {}: unknown answer format {:?}", r.id, r.answer_format))?;
        push_unique(
            seen.entry((&r.task_id, &r.prompt_id)).or_default(),
            f.canonical(&r.groundtruth),
        );
    }
    rows.iter()
        .map(|r| {
            let f = &formats[&r.answer_format];
            let declared: Vec<String> = match r.answer_choices.trim() {
                "" | "[]" => Vec::new(),
                json => serde_json::from_str(json)
                    .map_err(|e| format!("row {}: answer_choices: {e}", r.id))?,
            };
            let mut set = Vec::new();
            declared
                .iter()
                .for_each(|c| push_unique(&mut set, f.canonical(c)));
            Ok(if set.is_empty() {
                seen[&(r.task_id.as_str(), r.prompt_id.as_str())].clone()
            } else {
                set
            })
        })
        .collect()
}

fn push_unique(set: &mut Vec<String>, v: String) {
    if !set.contains(&v) {
        set.push(v);
    }
}

/// A reply per row from a uniform guesser over the row's answer set, written the way the
/// row's format shows a correct reply.
fn random_replies(
    rows: &[DatasetRow],
    sets: &[Vec<String>],
    formats: &IndexMap<String, Compiled>,
    seed: u64,
) -> BTreeMap<String, String> {
    rows.iter()
        .zip(sets)
        .map(|(r, set)| {
            let mut rng = crate::rng::SampleRng::new(crate::rng::sample_seed(seed, &r.id, &[]));
            let pick = &set[rng.below(set.len() as u64) as usize];
            (r.id.clone(), formats[&r.answer_format].reply_for(pick))
        })
        .collect()
}

fn split_known(
    preds: BTreeMap<String, String>,
    rows: &[DatasetRow],
) -> (BTreeMap<String, String>, Vec<String>) {
    let ids: std::collections::BTreeSet<&str> = rows.iter().map(|r| r.id.as_str()).collect();
    let (known, unknown): (BTreeMap<_, _>, BTreeMap<_, _>) = preds
        .into_iter()
        .partition(|(id, _)| ids.contains(id.as_str()));
    (known, unknown.into_keys().collect())
}

/// Tasks in manifest order (falling back to first appearance), with label and score column.
fn task_order(ds: &Dataset, rows: &[DatasetRow]) -> Vec<(String, String, String)> {
    let mut out: Vec<(String, String, String)> = Vec::new();
    for r in rows {
        if out.iter().any(|t| t.0 == r.task_id) {
            continue;
        }
        let group = ds
            .tasks
            .iter()
            .find(|t| t.task_id == r.task_id)
            .and_then(|t| t.group.clone())
            .unwrap_or_else(|| r.task.clone());
        out.push((r.task_id.clone(), r.task.clone(), group));
    }
    let pos = |id: &str| {
        ds.tasks
            .iter()
            .position(|t| t.task_id == id)
            .unwrap_or(usize::MAX)
    };
    out.sort_by_key(|t| pos(&t.0));
    out
}

/// Writes the CSV files and plots into `dir` and returns the text report.
pub fn write_outputs(scores: &Scores, dir: &Path) -> Result<String, String> {
    let io = |p: &Path, e: std::io::Error| format!("{}: {e}", p.display());
    std::fs::create_dir_all(dir.join("plots")).map_err(|e| io(dir, e))?;
    for (name, text) in [
        ("summary.csv", report::summary_csv(scores)),
        ("rows.csv", report::rows_csv(scores)),
        ("params.csv", report::params_csv(scores)),
    ] {
        let p = dir.join(name);
        std::fs::write(&p, text).map_err(|e| io(&p, e))?;
    }
    for (task_id, png) in plot::task_plots(scores)? {
        let p = dir.join("plots").join(format!("{task_id}.png"));
        std::fs::write(&p, png).map_err(|e| io(&p, e))?;
    }
    Ok(report::text(scores))
}

#[cfg(test)]
mod tests;
