//! The answer contract: how a model's free-text reply is read and scored.
//!
//! Every prompt declares an answer format ([`AnswerFormat`]): regular expressions tried in
//! order, plus how a captured answer is normalised. The same definition is
//! * checked against every ground-truth answer when a dataset is built (the answer, written
//!   the way the format's `reply` shows, must parse back to itself),
//! * stored by name in each row's `answer_format` column and in full in the release's
//!   `scoring/formats.json`, so any harness can apply it,
//! * used by `blindspot score` and by the Python scorers the exports ship.
//!
//! # Reading a reply (the rule every implementation follows)
//! 1. Remove `*` and `` ` `` (markdown emphasis and code), then trim whitespace.
//! 2. For each pattern in order: collect every match; each match's capture groups are
//!    normalised (trimmed; `integers`: sign and leading zeros made canonical; `fold_case`:
//!    lower-cased) and joined with `,`. No match: try the next pattern. All matches equal:
//!    that is the answer. Matches that differ: the reply is **ambiguous**.
//! 3. No pattern matches: **no answer**. Ambiguous and no-answer replies are *unparseable*,
//!    reported apart from wrong ones; both score 0.
//! 4. The ground truth is normalised the same way (split on `,` when the format captures
//!    several groups); the reply is correct iff the two normalised strings are equal.
//!
//! Invariant: patterns use only the regex subset Rust's `regex` and Python's `re` share;
//! the conformance vectors ([`vectors`]) are run through both.

mod builtin;
pub mod release;
pub mod vectors;

use regex::{Regex, RegexBuilder};
use serde::{Deserialize, Serialize};

pub use builtin::{DEFAULT_FORMAT, builtin, builtins};

/// Largest compiled pattern accepted (patterns come from untrusted specs).
const MAX_PATTERN_BYTES: usize = 1 << 20;

/// One answer format, as data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnswerFormat {
    /// Name stored in the `answer_format` column.
    pub name: String,
    /// What a reply must look like, for people (the card and the guide show it).
    pub description: String,
    /// Regular expressions tried in order; all capture the same number (≥ 1) of groups.
    pub patterns: Vec<String>,
    /// Compare case-insensitively (captures and ground truth are lower-cased).
    pub fold_case: bool,
    /// Captures are whole numbers: `+007` and `7` are the same answer.
    pub integers: bool,
    /// How a correct reply is written, with `$1`, `$2`, … for the answer's parts (used for
    /// the random baseline and the conformance vectors).
    pub reply: String,
}

/// What a reply says, read by one format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Parsed {
    /// One answer, normalised.
    Answer(String),
    /// No pattern matched.
    NoAnswer,
    /// A pattern matched several different answers (normalised, in reply order, distinct).
    Ambiguous(Vec<String>),
}

/// How one reply scores.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Outcome {
    /// Parsed and equal to the ground truth.
    Correct,
    /// Parsed and different.
    Wrong,
    /// No answer or an ambiguous one.
    Unparseable,
}

/// An answer format with its patterns compiled.
#[derive(Debug, Clone)]
pub struct Compiled {
    def: AnswerFormat,
    regexes: Vec<Regex>,
    groups: usize,
}

impl Compiled {
    /// Compiles and checks a format: at least one pattern, each valid with the same number of
    /// capture groups, and `reply` placeholders within that number.
    pub fn new(def: AnswerFormat) -> Result<Self, String> {
        if def.patterns.is_empty() {
            return Err("an answer format needs at least one pattern".into());
        }
        let mut regexes = Vec::with_capacity(def.patterns.len());
        for (i, p) in def.patterns.iter().enumerate() {
            let re = RegexBuilder::new(p)
                .size_limit(MAX_PATTERN_BYTES)
                .build()
                .map_err(|e| format!("pattern {} does not compile: {e}", i + 1))?;
            regexes.push(re);
        }
        let groups = regexes[0].captures_len() - 1;
        if groups == 0 || regexes.iter().any(|r| r.captures_len() - 1 != groups) {
            return Err("every pattern must capture the same number (at least 1) of groups".into());
        }
        if let Some(bad) = placeholders(&def.reply).find(|&n| n == 0 || n > groups) {
            return Err(format!(
                "`reply` uses ${bad} but the patterns capture {groups} group(s)"
            ));
        }
        Ok(Self {
            def,
            regexes,
            groups,
        })
    }

    /// The built-in format `name`, compiled.
    pub fn builtin(name: &str) -> Option<Self> {
        builtin(name).map(|f| Self::new(f).expect("built-in formats compile"))
    }

    /// The definition.
    pub fn def(&self) -> &AnswerFormat {
        &self.def
    }

    /// Reads a reply (see the module docs for the rule).
    pub fn parse(&self, reply: &str) -> Parsed {
        let text: String = reply.chars().filter(|c| !matches!(c, '*' | '`')).collect();
        let text = text.trim();
        for re in &self.regexes {
            let mut found: Vec<String> = Vec::new();
            for caps in re.captures_iter(text) {
                let parts: Vec<&str> = caps
                    .iter()
                    .skip(1)
                    .map(|m| m.map_or("", |m| m.as_str()))
                    .collect();
                let answer = self.normalise(&parts);
                if !found.contains(&answer) {
                    found.push(answer);
                }
            }
            match found.len() {
                0 => continue,
                1 => return Parsed::Answer(found.remove(0)),
                _ => return Parsed::Ambiguous(found),
            }
        }
        Parsed::NoAnswer
    }

    /// The ground truth, normalised like a parsed answer.
    pub fn canonical(&self, truth: &str) -> String {
        if self.groups == 1 {
            return self.normalise(&[truth]);
        }
        let parts: Vec<&str> = truth.split(',').collect();
        self.normalise(&parts)
    }

    /// Scores a reply against the ground truth.
    pub fn score(&self, reply: &str, truth: &str) -> Outcome {
        self.judge(&self.parse(reply), truth)
    }

    /// Scores an already parsed reply against the ground truth.
    pub fn judge(&self, parsed: &Parsed, truth: &str) -> Outcome {
        match parsed {
            Parsed::Answer(a) if *a == self.canonical(truth) => Outcome::Correct,
            Parsed::Answer(_) => Outcome::Wrong,
            _ => Outcome::Unparseable,
        }
    }

    /// A reply stating `answer` the way the format shows (`{3}`, `rows={3} columns={4}`).
    pub fn reply_for(&self, answer: &str) -> String {
        let parts: Vec<&str> = match self.groups {
            1 => vec![answer],
            _ => answer.split(',').collect(),
        };
        let mut out = self.def.reply.clone();
        for (i, part) in parts.iter().enumerate().rev() {
            out = out.replace(&format!("${}", i + 1), part.trim());
        }
        out
    }

    /// Checks that a ground-truth answer fits the format: written as [`Self::reply_for`]
    /// shows, it must read back as itself.
    pub fn check_truth(&self, truth: &str) -> Result<(), String> {
        let parts = if self.groups == 1 {
            1
        } else {
            truth.split(',').count()
        };
        let reply = self.reply_for(truth);
        match self.parse(&reply) {
            Parsed::Answer(a) if parts == self.groups && a == self.canonical(truth) => Ok(()),
            _ => Err(format!(
                "the answer {truth:?} does not fit the answer format `{}` (the reply {reply:?} \
                 does not read back as it)",
                self.def.name
            )),
        }
    }

    fn normalise(&self, parts: &[&str]) -> String {
        let parts: Vec<String> = parts
            .iter()
            .map(|p| {
                let p = p.trim();
                let p = if self.def.integers {
                    canonical_integer(p)
                } else {
                    p.to_owned()
                };
                if self.def.fold_case {
                    p.to_lowercase()
                } else {
                    p
                }
            })
            .collect();
        parts.join(",")
    }
}

/// `+007` → `7`, `-0` → `0`, `-12` → `-12`; anything else is returned unchanged.
fn canonical_integer(s: &str) -> String {
    let (neg, digits) = match s.strip_prefix('-') {
        Some(d) => (true, d),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
        return s.to_owned();
    }
    let trimmed = digits.trim_start_matches('0');
    match (neg, trimmed.is_empty()) {
        (_, true) => "0".to_owned(),
        (true, false) => format!("-{trimmed}"),
        (false, false) => trimmed.to_owned(),
    }
}

/// The `$n` placeholder numbers in a reply template.
fn placeholders(reply: &str) -> impl Iterator<Item = usize> + '_ {
    reply.split('$').skip(1).filter_map(|rest| {
        let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
        digits.parse().ok()
    })
}

#[cfg(test)]
mod tests;
