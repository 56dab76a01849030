//! Conformance vectors: replies with the parse and score blindspot gives them, shipped in
//! every release (`scoring/conformance.jsonl`) so a harness can test its own parser against
//! the answer contract. Written by hand from the rules in the module docs of [`super`]; the
//! Rust scorer and the Python scorer the exports ship both run them in the test suite.

use serde::Serialize;

use super::{Compiled, Outcome, Parsed};

/// One vector: `(format, ground truth, reply, expected parse, expected outcome)`. The parse
/// is the normalised answer, or `!none` / `!ambiguous`.
type Vector = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    Outcome,
);

use Outcome::{Correct as C, Unparseable as U, Wrong as W};

const VECTORS: &[Vector] = &[
    ("yes_no", "Yes", "Yes", "yes", C),
    ("yes_no", "Yes", "Yes.", "yes", C),
    ("yes_no", "Yes", "**Yes**", "yes", C),
    ("yes_no", "No", "no, they are not touching.", "no", C),
    ("yes_no", "No", "YES", "yes", W),
    ("yes_no", "No", "Yes and no.", "!ambiguous", U),
    ("yes_no", "No", "The circles are apart.", "!none", U),
    ("yes_no", "No", "Nope", "!none", U),
    ("integer", "5", "5", "5", C),
    ("integer", "5", "15", "15", W),
    ("integer", "5", "There are 5 circles.", "5", C),
    ("integer", "5", "{5}", "5", C),
    ("integer", "5", "05", "5", C),
    ("integer", "5", "3 or 4", "!ambiguous", U),
    ("integer", "5", "five", "!none", U),
    ("integer", "7", "I count {7}, not 6.", "7", C),
    ("braced_integer", "3", "{3}", "3", C),
    ("braced_integer", "3", "**{3}**", "3", C),
    ("braced_integer", "3", "The answer is {3}.", "3", C),
    ("braced_integer", "3", "{ 3 }", "3", C),
    ("braced_integer", "3", "3", "3", C),
    ("braced_integer", "3", "3.", "3", C),
    ("braced_integer", "3", "{13}", "13", W),
    ("braced_integer", "3", "There are 3 squares.", "!none", U),
    ("braced_integer", "3", "{2} or {3}", "!ambiguous", U),
    (
        "braced_integer",
        "3",
        "I count {3}; final answer {3}.",
        "3",
        C,
    ),
    ("braced_integer", "0", "{0}", "0", C),
    ("braced_integer", "2", "`{2}`", "2", C),
    ("braced_letter", "c", "{c}", "c", C),
    ("braced_letter", "c", "The circled letter is {c}.", "c", C),
    ("braced_letter", "c", "{C}", "c", C),
    ("braced_letter", "A", "{a}", "a", C),
    ("braced_letter", "t", "The letter is {e}", "e", W),
    ("braced_letter", "t", "t", "t", C),
    ("braced_letter", "t", "The letter t.", "!none", U),
    ("braced_letter", "t", "{t} or {e}", "!ambiguous", U),
    ("braced_text", "left", "{Left}", "left", C),
    ("braced_text", "left", "{ right }", "right", W),
    ("rows_columns", "5,6", "rows={5} columns={6}", "5,6", C),
    ("rows_columns", "5,6", "**Rows={5} Columns={6}**", "5,6", C),
    ("rows_columns", "5,6", "rows: 5, columns: 6", "5,6", C),
    ("rows_columns", "5,6", "(5, 6)", "5,6", C),
    ("rows_columns", "5,6", "{5}{6}", "5,6", C),
    (
        "rows_columns",
        "5,6",
        "The table has 5 rows and 6 columns.",
        "5,6",
        C,
    ),
    ("rows_columns", "5,6", "rows={6} columns={5}", "6,5", W),
    ("rows_columns", "5,6", "rows={5}", "!none", U),
    ("pair", "5,6", "(5,6)", "5,6", C),
    ("pair", "5,6", "(5, 6).", "5,6", C),
    ("pair", "5,6", "5, 6", "5,6", C),
    ("pair", "5,6", "rows={5} columns={6}", "5,6", C),
    ("pair", "5,6", "(6,5)", "6,5", W),
    ("pair", "5,6", "(5,6) or (6,5)", "!ambiguous", U),
    ("pair", "5,6", "five by six", "!none", U),
    ("exact", "blue", "Blue.", "blue", C),
    ("exact", "blue", "red", "red", W),
];

/// One conformance vector as shipped.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConformanceVector {
    /// Answer format name.
    pub format: String,
    /// Ground truth as stored in the dataset.
    pub groundtruth: String,
    /// The model's reply.
    pub reply: String,
    /// The normalised answer, or `null` when the reply is unparseable.
    pub parsed: Option<String>,
    /// `no_answer` or `ambiguous` when unparseable, else `null`.
    pub unparseable: Option<String>,
    /// `correct`, `wrong` or `unparseable`.
    pub outcome: &'static str,
}

/// The vectors for the given formats (all built-ins have vectors), in table order.
pub fn for_formats(names: &[&str]) -> Vec<ConformanceVector> {
    VECTORS
        .iter()
        .filter(|v| names.contains(&v.0))
        .map(
            |&(format, truth, reply, parsed, outcome)| ConformanceVector {
                format: format.into(),
                groundtruth: truth.into(),
                reply: reply.into(),
                parsed: (!parsed.starts_with('!')).then(|| parsed.into()),
                unparseable: match parsed {
                    "!none" => Some("no_answer".into()),
                    "!ambiguous" => Some("ambiguous".into()),
                    _ => None,
                },
                outcome: outcome_name(outcome),
            },
        )
        .collect()
}

/// The name of an outcome in reports and vectors.
pub fn outcome_name(o: Outcome) -> &'static str {
    match o {
        Outcome::Correct => "correct",
        Outcome::Wrong => "wrong",
        Outcome::Unparseable => "unparseable",
    }
}

/// Runs one vector through a compiled format; `Err` says how it differs.
pub fn check(format: &Compiled, v: &ConformanceVector) -> Result<(), String> {
    let (parsed, why) = match format.parse(&v.reply) {
        Parsed::Answer(a) => (Some(a), None),
        Parsed::NoAnswer => (None, Some("no_answer".to_string())),
        Parsed::Ambiguous(_) => (None, Some("ambiguous".to_string())),
    };
    let outcome = outcome_name(format.score(&v.reply, &v.groundtruth));
    if parsed != v.parsed || why != v.unparseable || outcome != v.outcome {
        return Err(format!(
            "{} {:?} (truth {:?}): got {parsed:?}/{why:?}/{outcome}, want {:?}/{:?}/{}",
            v.format, v.reply, v.groundtruth, v.parsed, v.unparseable, v.outcome
        ));
    }
    Ok(())
}
