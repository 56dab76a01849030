//! The answer contract as files in a release: `scoring/formats.json` (every format the rows
//! use, in full) and `scoring/conformance.jsonl` (replies with their expected parse and
//! score). Both are deterministic: formats in first-use order, vectors in table order.

use std::path::Path;

use indexmap::IndexMap;
use serde_json::json;

use super::{AnswerFormat, Compiled, vectors};

/// Where the format definitions live in a release.
pub const FORMATS_PATH: &str = "scoring/formats.json";
/// Where the conformance vectors live in a release.
pub const CONFORMANCE_PATH: &str = "scoring/conformance.jsonl";
/// Identifies the layout of `formats.json`.
pub const FORMATS_SCHEMA: &str = "blindspot-answer-formats-v1";

/// The reading rule, stated once for people who implement it elsewhere.
pub const RULE: &str = "Remove '*' and '`' from the reply and trim it. Try the patterns in \
order; for a pattern, normalise each match's groups (trim; if integers: drop '+' and leading \
zeros, '-0' is '0'; if fold_case: lower-case) and join them with ','. If the pattern matches, \
all its matches must agree (else the reply is ambiguous); if no pattern matches there is no \
answer. Ambiguous and no-answer replies are unparseable and score 0. The ground truth is \
normalised the same way (split on ',' when the patterns capture several groups); the reply \
is correct iff both are equal.";

/// `formats.json` for the given formats.
pub fn formats_json(formats: &[&AnswerFormat]) -> String {
    let by_name: serde_json::Map<String, serde_json::Value> = formats
        .iter()
        .map(|f| {
            (
                f.name.clone(),
                serde_json::to_value(f).expect("formats serialise"),
            )
        })
        .collect();
    let doc = json!({"format": FORMATS_SCHEMA, "rule": RULE, "formats": by_name});
    serde_json::to_string_pretty(&doc).expect("json serialises") + "\n"
}

/// `conformance.jsonl` for the given format names (built-in formats have vectors).
pub fn conformance_jsonl(names: &[&str]) -> String {
    vectors::for_formats(names)
        .iter()
        .map(|v| serde_json::to_string(v).expect("vectors serialise") + "\n")
        .collect()
}

/// Reads a release's `formats.json`, compiled, by name.
pub fn read_formats(root: &Path) -> Result<IndexMap<String, Compiled>, String> {
    let path = root.join(FORMATS_PATH);
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    #[derive(serde::Deserialize)]
    struct Doc {
        format: String,
        formats: IndexMap<String, AnswerFormat>,
    }
    let doc: Doc = serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    if doc.format != FORMATS_SCHEMA {
        return Err(format!(
            "{}: unknown layout {:?}",
            path.display(),
            doc.format
        ));
    }
    doc.formats
        .into_iter()
        .map(|(name, f)| {
            let c = Compiled::new(f).map_err(|e| format!("{}: `{name}`: {e}", path.display()))?;
            Ok((name, c))
        })
        .collect()
}
