//! The verification report: per task, how many samples were checked, agreed, disagreed and
//! sat inside a margin, with the sample ids, as `verification.json` in the release and a
//! table in the dataset card.
//!
//! Invariants: entries are in sample order (the order verdicts are added, which callers
//! keep to the release's sample order), so the report's bytes depend only on the release.
//! Per-sample verdicts travel between a build's workers and its assembly as JSON lines of
//! [`Checked`].

use std::collections::BTreeMap;
use std::io::{BufRead, Write};
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::judge::{Outcome, Verdict};
use crate::spec::TaskSpec;

/// File name of the report in a release.
pub const FILE: &str = "verification.json";

/// Format tag of the report.
const FORMAT: &str = "blindspot-verification-v1";

/// At most this many sample entries per list in the card's text (the JSON has them all).
const CARD_EXAMPLES: usize = 5;

/// One judged sample, as spooled.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Checked {
    /// Sample index within the task.
    pub index: u64,
    /// Redraws it took to leave the margins (random draws only).
    pub redraws: u32,
    /// What the pixels said about the sample that was kept.
    pub verdict: Verdict,
}

/// The report of a release.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Report {
    format: &'static str,
    /// One entry per task that declares `verify:`.
    pub tasks: Vec<TaskReport>,
}

/// One task's part of the report.
#[derive(Debug, Clone, Serialize)]
pub struct TaskReport {
    /// Task slug.
    pub task_id: String,
    /// Check keys, in spec order.
    pub checks: Vec<String>,
    /// Margin descriptions, in spec order.
    pub margins: Vec<String>,
    /// Samples judged.
    pub checked: u64,
    /// Samples whose every check agreed.
    pub agreed: u64,
    /// Samples with a check that disagreed.
    pub disagreed: u64,
    /// Samples kept inside a margin (fixed draws, or random ones out of redraws).
    pub inside_margin: u64,
    /// Samples redrawn to leave a margin.
    pub redrawn: u64,
    /// Every disagreeing sample.
    pub disagreements: Vec<Entry>,
    /// Every sample inside a margin.
    pub inside: Vec<Entry>,
    /// Every redrawn sample with its redraw count (what `blindspot verify` replays).
    pub redraws: Vec<Redraw>,
}

/// A sample named in the report.
#[derive(Debug, Clone, Serialize)]
pub struct Entry {
    /// `task_id/index`.
    pub id: String,
    /// The failing checks (disagreements) — empty for margin entries.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub checks: Vec<Outcome>,
    /// The margins it is inside. A disagreement lists them too (usually none): inside a
    /// margin the spec itself says the pixels cannot decide, so it does not fail a build.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub margins: Vec<String>,
    /// Every measure of the sample.
    pub measures: indexmap::IndexMap<String, serde_json::Value>,
}

impl Entry {
    /// Whether the sample lies inside a margin, where the spec declares its image ambiguous:
    /// a disagreement there is reported but contradicts nothing.
    pub fn ambiguous(&self) -> bool {
        !self.margins.is_empty()
    }
}

/// A redrawn sample.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Redraw {
    /// `task_id/index`.
    pub id: String,
    /// Redraws taken.
    pub redraws: u32,
}

impl TaskReport {
    /// An empty report for a task with `verify:`.
    pub fn new(spec: &TaskSpec) -> Option<Self> {
        let v = spec.verify.as_ref()?;
        Some(Self {
            task_id: spec.task_id.clone(),
            checks: v.checks.iter().map(|c| c.key.clone()).collect(),
            margins: v.margins.iter().map(|m| m.describe()).collect(),
            checked: 0,
            agreed: 0,
            disagreed: 0,
            inside_margin: 0,
            redrawn: 0,
            disagreements: Vec::new(),
            inside: Vec::new(),
            redraws: Vec::new(),
        })
    }

    /// Counts one judged sample.
    pub fn add(&mut self, c: &Checked) {
        let id = format!("{}/{:06}", self.task_id, c.index);
        let v = &c.verdict;
        self.checked += 1;
        if v.agrees() {
            self.agreed += 1;
        } else {
            self.disagreed += 1;
            self.disagreements.push(Entry {
                id: id.clone(),
                checks: v.checks.iter().filter(|o| !o.agrees).cloned().collect(),
                margins: v.inside.clone(),
                measures: v.measures.clone(),
            });
        }
        if !v.inside.is_empty() {
            self.inside_margin += 1;
            self.inside.push(Entry {
                id: id.clone(),
                checks: Vec::new(),
                margins: v.inside.clone(),
                measures: v.measures.clone(),
            });
        }
        if c.redraws > 0 {
            self.redrawn += 1;
            self.redraws.push(Redraw {
                id,
                redraws: c.redraws,
            });
        }
    }

    /// The disagreements outside every margin: labels their pixels contradict.
    pub fn contradicted(&self) -> impl Iterator<Item = &Entry> {
        self.disagreements.iter().filter(|e| !e.ambiguous())
    }

    /// Adds every verdict of a JSON-lines file written by [`write_lines`].
    pub fn add_lines(&mut self, path: &Path) -> std::io::Result<()> {
        let file = std::io::BufReader::new(std::fs::File::open(path)?);
        for line in file.lines() {
            let c: Checked = serde_json::from_str(&line?)
                .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))?;
            self.add(&c);
        }
        Ok(())
    }
}

/// The redraw counts the report in release `dir` records, by sample id (none without one):
/// what `blindspot verify` replays.
pub fn recorded_redraws(dir: &Path) -> Result<BTreeMap<String, u32>, String> {
    #[derive(Deserialize)]
    struct Stored {
        tasks: Vec<StoredTask>,
    }
    #[derive(Deserialize)]
    struct StoredTask {
        redraws: Vec<Redraw>,
    }
    let path = dir.join(FILE);
    let Ok(text) = std::fs::read_to_string(&path) else {
        return Ok(BTreeMap::new());
    };
    let stored: Stored =
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    let redraws = stored.tasks.into_iter().flat_map(|t| t.redraws);
    Ok(redraws.map(|r| (r.id, r.redraws)).collect())
}

/// Appends verdicts as JSON lines.
pub fn write_lines(out: &mut impl Write, checked: &[Checked]) -> std::io::Result<()> {
    for c in checked {
        serde_json::to_writer(&mut *out, c)?;
        out.write_all(b"\n")?;
    }
    Ok(())
}

impl Report {
    /// A report of these task reports.
    pub fn new(tasks: Vec<TaskReport>) -> Self {
        Self {
            format: FORMAT,
            tasks,
        }
    }

    /// Samples with a disagreeing check, over all tasks.
    pub fn disagreed(&self) -> u64 {
        self.tasks.iter().map(|t| t.disagreed).sum()
    }

    /// Samples whose labels their pixels contradict (disagreements outside every margin),
    /// over all tasks.
    pub fn contradicted(&self) -> u64 {
        self.tasks
            .iter()
            .map(|t| t.contradicted().count() as u64)
            .sum()
    }

    /// The table for a terminal: [`Report::table`], then a line on disagreements inside
    /// margins (kept) when there are any.
    pub fn summary(&self) -> String {
        let mut out = self.table();
        let inside = self.disagreed() - self.contradicted();
        if inside > 0 {
            out.push_str(&format!("{inside} disagreeing sample(s) lie inside a margin, where the spec declares the pixels ambiguous: kept and listed in verification.json\n"));
        }
        out
    }

    /// The report as pretty JSON text.
    pub fn to_json(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).expect("report serialises");
        text.push('\n');
        text
    }

    /// The agreement table, as Markdown.
    pub fn table(&self) -> String {
        let mut out = String::from(
            "| task | checks | checked | agreed | disagreed | inside margin | redrawn |\n|---|---|---:|---:|---:|---:|---:|\n",
        );
        for t in &self.tasks {
            out.push_str(&format!(
                "| {} | {} | {} | {} | {} | {} | {} |\n",
                t.task_id,
                t.checks.join(", "),
                t.checked,
                t.agreed,
                t.disagreed,
                t.inside_margin,
                t.redrawn
            ));
        }
        out
    }

    /// The card section: the table, then a few named samples per list.
    pub fn card_section(&self) -> String {
        let mut out = String::from(
            "\n## Label verification\n\nEvery label a task's `verify:` section can re-derive was checked against the rendered pixels (`blindspot verify` repeats it; details in `verification.json`).\n\n",
        );
        out.push_str(&self.table());
        for t in &self.tasks {
            let id = &t.task_id;
            let (outside, inside): (Vec<&Entry>, Vec<&Entry>) =
                t.disagreements.iter().partition(|e| !e.ambiguous());
            push_named(&mut out, &format!("`{id}` disagreements"), &outside);
            let kept = format!("`{id}` disagreements inside a margin (ambiguous, kept)");
            push_named(&mut out, &kept, &inside);
            let margins = format!("`{id}` inside a margin ({})", t.margins.join("; "));
            push_named(&mut out, &margins, &t.inside.iter().collect::<Vec<_>>());
        }
        out.push('\n');
        out
    }
}

/// Appends the line "- `label`: id, id, … and N more" (at most [`CARD_EXAMPLES`] ids) when
/// `list` is not empty.
fn push_named(out: &mut String, label: &str, list: &[&Entry]) {
    if list.is_empty() {
        return;
    }
    let ids: Vec<&str> = (list.iter().take(CARD_EXAMPLES))
        .map(|e| e.id.as_str())
        .collect();
    let more = list.len().saturating_sub(CARD_EXAMPLES);
    let tail = match more {
        0 => String::new(),
        n => format!(" and {n} more"),
    };
    out.push_str(&format!("\n- {label}: {}{tail}", ids.join(", ")));
}
