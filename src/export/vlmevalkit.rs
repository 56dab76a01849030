//! VLMEvalKit: `<Name>.tsv` for `$LMUData`, its MD5, a `cfg.json` that scores it with the
//! stock `VLMBlind` class, and the blindspot scorer for scoring predictions by the contract.
//!
//! The TSV is read with `pandas.read_csv(path, sep='\t')`, so fields holding a tab, a line
//! break or `"` are quoted RFC-4180 style. pandas infers column types from the values, and
//! nothing in the file can stop it: a column whose values all look like numbers (or like
//! booleans) is read as numbers however it is quoted, and `NA`, `None`, `null`, … are read as
//! missing. An all-numeric answer column then breaks VLMBlind's `prediction == answers`, so
//! the export warns and names the reader-side fix (`dtype=str, keep_default_na=False`).

use std::io::Write;
use std::path::Path;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use md5::{Digest, Md5};

use super::files::write_text;
use super::{ExportReport, Source};

/// Columns, in order.
const HEADER: [&str; 9] = [
    "index",
    "image",
    "question",
    "answer",
    "answers",
    "task",
    "category",
    "id",
    "answer_format",
];

/// Values pandas reads as missing by default (`na_values`).
const PANDAS_NA: [&str; 19] = [
    "", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND", "1.#QNAN",
    "<NA>", "N/A", "NA", "NULL", "NaN", "None", "n/a", "nan", "null",
];

/// Writes the TSV, its MD5, `cfg.json` and `blindspot_scoring.py` into `dir`.
pub(super) fn write(src: &Source, dir: &Path) -> Result<ExportReport, String> {
    let name = tsv_name(&src.ds.name);
    let file = format!("{name}.tsv");
    let path = dir.join(&file);
    let io = |e: std::io::Error| format!("cannot write {} ({e})", path.display());
    let mut out = Md5Writer::new(std::fs::File::create(&path).map_err(io)?);
    out.line(&HEADER.map(String::from)).map_err(io)?;
    let mut index = 0usize;
    let mut answers = AnswerKinds::default();
    let rows = src.rows(true, |row| {
        answers.see(&row.groundtruth);
        let record = [
            index.to_string(),
            BASE64.encode(&row.image),
            row.prompt,
            row.groundtruth.clone(),
            row.groundtruth,
            row.task.clone(),
            row.task,
            row.id,
            row.answer_format,
        ];
        index += 1;
        out.line(&record).map_err(io)
    })?;
    let md5 = out.finish().map_err(io)?;
    write_text(dir, &format!("{file}.md5"), &format!("{md5}  {file}\n"))?;
    write_text(dir, "cfg.json", &cfg_json(&name))?;
    let scorer =
        src.scorer_module("blindspot's answer contract, for scoring VLMEvalKit predictions.");
    write_text(dir, "blindspot_scoring.py", &scorer)?;
    Ok(ExportReport {
        rows,
        warnings: answers.warnings(&file),
        ..ExportReport::default()
    })
}

/// `Blindspot` + the dataset name in CamelCase (`blindtest-touching-circles` →
/// `BlindspotBlindtestTouchingCircles`): not a name VLMEvalKit already knows.
fn tsv_name(dataset: &str) -> String {
    let mut out = String::from("Blindspot");
    for part in dataset.split(|c: char| !c.is_ascii_alphanumeric()) {
        let mut chars = part.chars();
        if let Some(first) = chars.next() {
            out.push(first.to_ascii_uppercase());
            out.extend(chars);
        }
    }
    out
}

/// VLMEvalKit's config route: `python run.py --config cfg.json` after naming a model.
fn cfg_json(name: &str) -> String {
    let cfg = serde_json::json!({
        "model": {"REPLACE_WITH_A_MODEL_NAME": {}},
        "data": {name: {"class": "VLMBlind", "dataset": name}},
    });
    serde_json::to_string_pretty(&cfg).expect("json serialises") + "\n"
}

/// One TSV field: quoted (with `"` doubled) when it holds a tab, a line break or `"`.
fn field(s: &str) -> std::borrow::Cow<'_, str> {
    if s.contains(['\t', '\n', '\r', '"']) {
        format!("\"{}\"", s.replace('"', "\"\"")).into()
    } else {
        s.into()
    }
}

/// A buffered file that hashes what it writes.
struct Md5Writer {
    out: std::io::BufWriter<std::fs::File>,
    md5: Md5,
}

impl Md5Writer {
    fn new(file: std::fs::File) -> Self {
        Self {
            out: std::io::BufWriter::new(file),
            md5: Md5::new(),
        }
    }

    fn line(&mut self, fields: &[String]) -> std::io::Result<()> {
        let mut line = fields
            .iter()
            .map(|f| field(f))
            .collect::<Vec<_>>()
            .join("\t");
        line.push('\n');
        self.md5.update(line.as_bytes());
        self.out.write_all(line.as_bytes())
    }

    /// Flushes the file; the MD5 of everything written, in hex.
    fn finish(mut self) -> std::io::Result<String> {
        self.out.flush()?;
        Ok(crate::sink::hex(&self.md5.finalize()))
    }
}

/// What pandas will make of the answer column.
#[derive(Debug, Default)]
struct AnswerKinds {
    rows: usize,
    numeric_or_bool: usize,
    missing: Vec<String>,
}

impl AnswerKinds {
    fn see(&mut self, answer: &str) {
        self.rows += 1;
        let t = answer.trim();
        if t.parse::<f64>().is_ok()
            || matches!(t, "True" | "TRUE" | "true" | "False" | "FALSE" | "false")
        {
            self.numeric_or_bool += 1;
        }
        if PANDAS_NA.contains(&answer) && !self.missing.iter().any(|m| m == answer) {
            self.missing.push(answer.to_owned());
        }
    }

    fn warnings(&self, file: &str) -> Vec<String> {
        let fix = "read it with pd.read_csv(path, sep='\\t', dtype={'answer': str, 'answers': str}, \
                   keep_default_na=False)";
        let mut out = Vec::new();
        if self.rows > 0 && self.numeric_or_bool == self.rows {
            out.push(format!(
                "{file}: every answer looks like a number or a boolean, so pandas.read_csv (how \
                 VLMEvalKit loads TSVs) reads the answer columns as numbers and VLMBlind's \
                 `==` never matches; nothing in a TSV prevents that: {fix}, or export a release \
                 whose answers are mixed"
            ));
        }
        if !self.missing.is_empty() {
            out.push(format!(
                "{file}: pandas.read_csv reads the answers {:?} as missing values: {fix}",
                self.missing
            ));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_quoted_only_when_needed() {
        assert_eq!(field("plain text"), "plain text");
        assert_eq!(field("a\tb"), "\"a\tb\"");
        assert_eq!(field("say \"hi\"\n"), "\"say \"\"hi\"\"\n\"");
    }

    #[test]
    fn names_are_prefixed_camel_case() {
        assert_eq!(tsv_name("blindtest"), "BlindspotBlindtest");
        assert_eq!(
            tsv_name("blindtest-touching-circles"),
            "BlindspotBlindtestTouchingCircles"
        );
    }

    #[test]
    fn all_numeric_and_missing_answers_warn() {
        let mut k = AnswerKinds::default();
        for a in ["3", "12", "-1"] {
            k.see(a);
        }
        assert_eq!(k.warnings("x.tsv").len(), 1);
        k.see("Yes");
        assert!(k.warnings("x.tsv").is_empty());
        k.see("NA");
        assert_eq!(k.warnings("x.tsv").len(), 1);
    }
}
