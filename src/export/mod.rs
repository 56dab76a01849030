//! `blindspot export`: a built release rewritten for one evaluation harness.
//!
//! | format | writes |
//! |---|---|
//! | `lmms-eval` | `<task>.yaml` listing the release's Parquet files by relative path, `utils.py` |
//! | `vlmevalkit` | `<Name>.tsv` (base64 PNGs), `<Name>.tsv.md5`, `cfg.json`, `blindspot_scoring.py` |
//! | `inspect` | `test.jsonl` (chat-message samples), `images/*.png`, `task.py` |
//! | `plain` | `samples.jsonl`, `images/*.png`, `blindspot_scoring.py` |
//!
//! Every export ships blindspot's Python scorer (`assets/export/blindspot_scoring.py`) with the
//! release's `scoring/formats.json` embedded, so replies are scored by the answer contract
//! ([`crate::answer`]) with nothing but the export and the standard library.
//!
//! Invariants:
//! - rows are streamed ([`Dataset::for_each_row`]): images are held one record batch at a
//!   time, never all at once;
//! - everything is written into a staging folder that is renamed into place when complete;
//! - the bytes depend only on the release and (for lmms-eval's relative paths) on where the
//!   export goes: no dates, rows in release order, images named by their Parquet path;
//! - an export never writes into the release except under `harness/`, and replaces an
//!   existing folder only when it is empty or holds an export of the same kind.

mod files;
mod inspect;
mod lmms_eval;
mod plain;
mod vlmevalkit;

use std::path::{Path, PathBuf};

use indexmap::IndexMap;

use crate::answer::Compiled;
use crate::answer::release::{FORMATS_PATH, read_formats};
use crate::dataset::{Dataset, DatasetRow};
use crate::pipeline::{Failure, Staging};

/// The blindspot scorer, as shipped inside every export.
const SCORER: &str = include_str!("../../assets/export/blindspot_scoring.py");

/// The harness an export is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// lmms-eval task folder over the release's Parquet files.
    #[value(name = "lmms-eval")]
    LmmsEval,
    /// VLMEvalKit TSV.
    #[value(name = "vlmevalkit")]
    VlmEvalKit,
    /// inspect_ai JSONL dataset and task.
    Inspect,
    /// Images and one JSON line per row, for anything else.
    Plain,
}

impl Format {
    /// The default folder under `DATASET/harness/`.
    pub fn folder(self) -> &'static str {
        match self {
            Self::LmmsEval => "lmms_eval",
            Self::VlmEvalKit => "vlmevalkit",
            Self::Inspect => "inspect",
            Self::Plain => "plain",
        }
    }

    /// A file every export of this kind has (an existing folder without it is not replaced).
    fn marker(self) -> &'static str {
        match self {
            Self::LmmsEval => "utils.py",
            Self::VlmEvalKit => "cfg.json",
            Self::Inspect => "task.py",
            Self::Plain => "samples.jsonl",
        }
    }
}

/// What an export wrote.
#[derive(Debug, Clone, Default)]
pub struct ExportReport {
    /// The export folder.
    pub out: PathBuf,
    /// Rows exported.
    pub rows: usize,
    /// Distinct image files written (0 when the export points at the Parquet files).
    pub images: usize,
    /// Things a user of the export must know (e.g. a TSV column pandas will not read as text).
    pub warnings: Vec<String>,
}

/// Exports the release at `root` for `format` into `out` (default `root/harness/<folder>`).
pub fn export(root: &Path, format: Format, out: Option<&Path>) -> Result<ExportReport, Failure> {
    let src = Source::open(root).map_err(Failure::Io)?;
    let target = files::resolve_target(root, format, out).map_err(Failure::Io)?;
    let staging = Staging::create(&target)?;
    let dir = staging.path();
    let report = match format {
        Format::LmmsEval => lmms_eval::write(&src, dir, &target),
        Format::VlmEvalKit => vlmevalkit::write(&src, dir),
        Format::Inspect => inspect::write(&src, dir),
        Format::Plain => plain::write(&src, dir),
    }
    .map_err(Failure::Io)?;
    staging.commit()?;
    Ok(ExportReport {
        out: target,
        ..report
    })
}

/// A release opened for exporting: its rows, answer formats and score groups.
pub(crate) struct Source {
    ds: Dataset,
    /// `scoring/formats.json` as the release ships it.
    formats_doc: String,
    formats: IndexMap<String, Compiled>,
    /// Task id → score group, from the manifest.
    groups: IndexMap<String, String>,
}

impl Source {
    fn open(root: &Path) -> Result<Self, String> {
        let ds = Dataset::open(root)?;
        let formats = read_formats(root)?;
        let path = root.join(FORMATS_PATH);
        let formats_doc =
            std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let groups = ds
            .tasks
            .iter()
            .filter_map(|t| Some((t.task_id.clone(), t.group.clone()?)))
            .collect();
        Ok(Self {
            ds,
            formats_doc,
            formats,
            groups,
        })
    }

    /// Calls `f` on every row (with its image when `images`), after checking that the
    /// row's answer format is defined in the release.
    fn rows(
        &self,
        images: bool,
        mut f: impl FnMut(DatasetRow) -> Result<(), String>,
    ) -> Result<usize, String> {
        let mut count = 0;
        self.ds.for_each_row(images, |row| {
            if !self.formats.contains_key(&row.answer_format) {
                return Err(format!(
                    "row {}: answer format `{}` is not in {FORMATS_PATH}",
                    row.id, row.answer_format
                ));
            }
            count += 1;
            f(row)
        })?;
        Ok(count)
    }

    /// The row's score group: the manifest's, else the task label.
    fn group(&self, row: &DatasetRow) -> String {
        self.groups
            .get(&row.task_id)
            .cloned()
            .unwrap_or_else(|| row.task.clone())
    }

    /// Python source of the scorer with this release's formats bound to `FORMATS`,
    /// preceded by `title` (one line).
    fn scorer_module(&self, title: &str) -> String {
        let mut out = format!(
            "# {title}\n# Written by `blindspot export` from {} {}; export again rather than edit.\n",
            self.ds.name, self.ds.version
        );
        out.push_str(SCORER);
        out.push_str("\n\n# The answer formats of this release: its scoring/formats.json.\n");
        out.push_str("FORMATS = load_formats(\n");
        for line in self.formats_doc.lines() {
            out.push_str(&format!("    {}\n", quoted(&format!("{line}\n"))));
        }
        out.push_str(")\n");
        out
    }
}

/// A double-quoted, ASCII-only string literal whose value is `s`, read alike by Python and
/// YAML (both know `\"`, `\\`, `\n`, `\xXX`, `\uXXXX` and `\UXXXXXXXX`).
pub(crate) fn quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            ' '..='~' => out.push(c),
            c if (c as u32) < 0x100 => out.push_str(&format!("\\x{:02x}", c as u32)),
            c if (c as u32) < 0x10000 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push_str(&format!("\\U{:08x}", c as u32)),
        }
    }
    out.push('"');
    out
}

/// A Python identifier / lmms-eval task name from a dataset name (`blindtest-touching-circles`
/// → `blindtest_touching_circles`).
pub(crate) fn snake(name: &str) -> String {
    let s: String = name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    match s.chars().next() {
        Some(c) if c.is_ascii_alphabetic() => s,
        _ => format!("d_{s}"),
    }
}

/// The row's `answer_choices` (a JSON list) and `metadata` (a JSON object) as JSON values.
pub(crate) fn row_json(row: &DatasetRow) -> Result<(serde_json::Value, serde_json::Value), String> {
    let parse = |text: &str, empty: serde_json::Value, what: &str| {
        if text.is_empty() {
            return Ok(empty);
        }
        serde_json::from_str(text)
            .map_err(|e| format!("row {}: `{what}` is not JSON ({e})", row.id))
    };
    let choices = parse(&row.answer_choices, serde_json::json!([]), "answer_choices")?;
    let metadata = parse(&row.metadata, serde_json::json!({}), "metadata")?;
    Ok((choices, metadata))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_literals_are_ascii_and_exact() {
        assert_eq!(quoted("a\"b\\c\n"), r#""a\"b\\c\n""#);
        assert_eq!(
            quoted("\t\u{e9}\u{2028}\u{1f600}"),
            r#""\x09\xe9\u2028\U0001f600""#
        );
    }

    #[test]
    fn names_become_identifiers() {
        assert_eq!(
            snake("blindtest-touching-circles"),
            "blindtest_touching_circles"
        );
        assert_eq!(snake("3d"), "d_3d");
    }

    #[test]
    fn the_scorer_asset_defines_the_api() {
        for def in [
            "def parse(",
            "def score(",
            "def load_formats(",
            "def reply_for(",
        ] {
            assert!(SCORER.contains(def), "{def}");
        }
    }
}
