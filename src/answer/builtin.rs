//! The built-in answer formats. Each is plain data ([`AnswerFormat`]): a spec can define more
//! of the same shape under `answer_formats:`.
//!
//! Patterns are written in the regular-expression subset that Rust's `regex` crate and
//! Python's `re` read alike (no look-around, no back-references, inline `(?i)` only at the
//! start), because the release ships them to Python harnesses in `scoring/formats.json`.

use super::AnswerFormat;

/// `(name, description, patterns, fold_case, integers, reply)` of every built-in format.
type Row = (
    &'static str,
    &'static str,
    &'static [&'static str],
    bool,
    bool,
    &'static str,
);

/// Pairs written `rows={r} columns={c}`, `rows: r, columns: c`, `r rows and c columns`,
/// `(r, c)` or `{r}{c}`.
const ROWS_COLUMNS: &str =
    r"(?i)\brows?\s*[=:]?\s*\{\s*(\d+)\s*\}[^{}\n]*?\bcol(?:umn)?s?\s*[=:]?\s*\{\s*(\d+)\s*\}";
const ROWS_COLUMNS_PLAIN: &str =
    r"(?i)\brows?\s*[=:]\s*(\d+)[^\d\n]*?\bcol(?:umn)?s?\s*[=:]\s*(\d+)";
const N_ROWS_N_COLUMNS: &str = r"(?i)(\d+)\s*rows?\b[^\d\n]{0,20}?(\d+)\s*col(?:umn)?s?\b";
const PAREN_PAIR: &str = r"\(\s*(\d+)\s*,\s*(\d+)\s*\)";
const BRACED_PAIR: &str = r"\{\s*(\d+)\s*\}\s*\{\s*(\d+)\s*\}";

const TABLE: &[Row] = &[
    (
        "yes_no",
        "Yes or No. Case, punctuation and markdown do not matter (`Yes.`, `**no**`); a reply \
         that says both is ambiguous.",
        &[r"(?i)\b(yes|no)\b"],
        true,
        false,
        "$1",
    ),
    (
        "integer",
        "A whole number, bare or in curly brackets. Every number in the reply must agree, so \
         `15` is never read as 5 and `3 or 4` is ambiguous.",
        &[r"\{\s*(-?\d+)\s*\}", r"(-?\d+)"],
        false,
        true,
        "$1",
    ),
    (
        "braced_integer",
        "A whole number in curly brackets (`{3}`, `The answer is {3}.`); a reply that is only \
         the number is accepted too. Brackets that disagree are ambiguous.",
        &[r"\{\s*(-?\d+)\s*\}", r"^\s*(-?\d+)\s*[.!]?\s*$"],
        false,
        true,
        "{$1}",
    ),
    (
        "braced_letter",
        "One character in curly brackets (`{a}`), compared case-insensitively; a reply that is \
         only the letter is accepted too.",
        &[r"\{\s*([^\s{}])\s*\}", r"^\s*([^\W_])\s*[.!]?\s*$"],
        true,
        false,
        "{$1}",
    ),
    (
        "braced_text",
        "Free text in curly brackets (`{left}`), trimmed and compared case-insensitively.",
        &[r"\{\s*([^{}\n]*?)\s*\}"],
        true,
        false,
        "{$1}",
    ),
    (
        "rows_columns",
        "A row and column count written `rows={r} columns={c}` (also `(r, c)`, `{r}{c}`, \
         `rows: r, columns: c`, `r rows and c columns`); the answer is `r,c`.",
        &[
            ROWS_COLUMNS,
            ROWS_COLUMNS_PLAIN,
            PAREN_PAIR,
            BRACED_PAIR,
            N_ROWS_N_COLUMNS,
        ],
        false,
        true,
        "rows={$1} columns={$2}",
    ),
    (
        "pair",
        "Two whole numbers written `(a, b)` (also `rows={a} columns={b}`, `{a}{b}`, or a reply \
         that is only `a, b`); the answer is `a,b`.",
        &[
            PAREN_PAIR,
            ROWS_COLUMNS,
            BRACED_PAIR,
            r"^\s*(\d+)\s*,\s*(\d+)\s*[.!]?\s*$",
        ],
        false,
        true,
        "($1,$2)",
    ),
    (
        "exact",
        "The whole reply (one line), trimmed, without a final full stop, compared \
         case-insensitively. The default when a prompt declares no format.",
        &[r"^\s*(.*?)\s*[.!]?\s*$"],
        true,
        false,
        "$1",
    ),
];

/// Name of the format used when a prompt declares none.
pub const DEFAULT_FORMAT: &str = "exact";

/// The built-in formats, in documentation order.
pub fn builtins() -> Vec<AnswerFormat> {
    TABLE
        .iter()
        .map(
            |&(name, description, patterns, fold_case, integers, reply)| AnswerFormat {
                name: name.to_owned(),
                description: description.to_owned(),
                patterns: patterns.iter().map(|p| (*p).to_owned()).collect(),
                fold_case,
                integers,
                reply: reply.to_owned(),
            },
        )
        .collect()
}

/// The built-in format called `name`.
pub fn builtin(name: &str) -> Option<AnswerFormat> {
    builtins().into_iter().find(|f| f.name == name)
}
