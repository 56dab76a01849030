//! Errors of the expression language and "did you mean" suggestions.
//!
//! Every error carries a human message, optionally the byte span of the offending
//! sub-expression in the source and a hint. Suggestions use Levenshtein distance and are
//! deterministic: ties keep the candidates' given order.

use std::fmt;

/// A byte range `start..end` into the expression source.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Span {
    /// First byte of the range.
    pub start: usize,
    /// One past the last byte of the range.
    pub end: usize,
}

impl Span {
    /// Creates a span.
    pub fn new(start: usize, end: usize) -> Span {
        Span { start, end }
    }

    /// The smallest span covering `self` and `other`.
    pub fn to(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }
}

/// An error from parsing or evaluating an expression. `Display` prints the message only.
#[derive(Clone, Debug, PartialEq)]
pub struct ExprError {
    /// What went wrong, e.g. "cannot add string and int".
    pub message: String,
    /// The offending sub-expression, as byte offsets into the source.
    pub span: Option<Span>,
    /// How to fix it, e.g. "did you mean `diameter`?".
    pub hint: Option<String>,
}

impl ExprError {
    /// An error without span or hint.
    pub fn new(message: impl Into<String>) -> ExprError {
        ExprError {
            message: message.into(),
            span: None,
            hint: None,
        }
    }

    /// An error pointing at `span`.
    pub fn at(message: impl Into<String>, span: Span) -> ExprError {
        ExprError {
            message: message.into(),
            span: Some(span),
            hint: None,
        }
    }

    /// Adds a hint.
    pub fn with_hint(mut self, hint: impl Into<String>) -> ExprError {
        self.hint = Some(hint.into());
        self
    }

    /// Sets the span unless one is already present.
    pub fn or_span(mut self, span: Span) -> ExprError {
        self.span.get_or_insert(span);
        self
    }

    /// Renders the message, the source line with carets under the span, and the hint.
    pub fn render(&self, src: &str) -> String {
        let mut out = format!("error: {}", self.message);
        if let Some(span) = self.span {
            out.push_str(&excerpt(src, span));
        }
        if let Some(hint) = &self.hint {
            out.push_str("\n  = hint: ");
            out.push_str(hint);
        }
        out
    }
}

impl fmt::Display for ExprError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ExprError {}

/// The source line containing `span.start`, with carets below the spanned part.
fn excerpt(src: &str, span: Span) -> String {
    let start = floor_boundary(src, span.start);
    let end = floor_boundary(src, span.end.max(start));
    let line_start = src[..start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = src[start..].find('\n').map_or(src.len(), |i| start + i);
    let line = &src[line_start..line_end];
    let pad = src[line_start..start].chars().count();
    let width = src[start..end.min(line_end).max(start)]
        .chars()
        .count()
        .max(1);
    format!("\n  | {line}\n  | {}{}", " ".repeat(pad), "^".repeat(width))
}

/// The largest char boundary of `s` that is `<= i`.
fn floor_boundary(s: &str, i: usize) -> usize {
    let mut i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Levenshtein distance over Unicode scalars; names longer than 64 chars never match.
pub(crate) fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len() > 64 || b.len() > 64 {
        return usize::MAX;
    }
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != cb);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// Up to `max` candidates within 2 edits of `name` (1 edit for names of 1–2 chars), closest
/// first; case-insensitive equality counts as distance 0. Ties keep the candidates' order.
pub(crate) fn suggest<'c>(
    name: &str,
    candidates: impl IntoIterator<Item = &'c str>,
    max: usize,
) -> Vec<&'c str> {
    let limit = if name.chars().count() <= 2 { 1 } else { 2 };
    let lower = name.to_lowercase();
    let mut scored: Vec<(usize, usize, &str)> = Vec::new();
    for (order, cand) in candidates.into_iter().enumerate() {
        if cand == name || scored.iter().any(|s| s.2 == cand) {
            continue;
        }
        let d = if cand.to_lowercase() == lower {
            0
        } else {
            edit_distance(name, cand)
        };
        if d <= limit {
            scored.push((d, order, cand));
        }
    }
    scored.sort_by_key(|s| (s.0, s.1));
    scored.into_iter().take(max).map(|s| s.2).collect()
}

/// "did you mean `a`?" or "did you mean `a`, `b` or `c`?"; `None` for no suggestions.
pub(crate) fn did_you_mean(names: &[&str]) -> Option<String> {
    let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    match quoted.as_slice() {
        [] => None,
        [one] => Some(format!("did you mean {one}?")),
        [init @ .., last] => Some(format!("did you mean {} or {last}?", init.join(", "))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_distance_basics() {
        assert_eq!(edit_distance("diameter", "diamter"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("é", "e"), 1);
    }

    #[test]
    fn suggestions_are_close_and_ordered() {
        let names = ["diameter", "radius", "diamond", "Radius"];
        assert_eq!(suggest("diamter", names, 3), vec!["diameter"]);
        assert_eq!(suggest("radius", names, 3), vec!["Radius"]);
        assert!(suggest("zzz", names, 3).is_empty());
        assert_eq!(suggest("x", ["y", "xy", "xyz"], 3), vec!["y", "xy"]);
    }

    #[test]
    fn did_you_mean_formats() {
        assert_eq!(did_you_mean(&[]), None);
        assert_eq!(did_you_mean(&["a"]).unwrap(), "did you mean `a`?");
        assert_eq!(
            did_you_mean(&["a", "b", "c"]).unwrap(),
            "did you mean `a`, `b` or `c`?"
        );
    }

    #[test]
    fn render_points_at_span() {
        let e = ExprError::at("boom", Span::new(4, 7)).with_hint("fix it");
        assert_eq!(
            e.render("1 + abc"),
            "error: boom\n  | 1 + abc\n  |     ^^^\n  = hint: fix it"
        );
        assert_eq!(e.to_string(), "boom");
        // Out-of-range and mid-character spans never panic.
        let odd = ExprError::at("x", Span::new(1, 99));
        assert!(odd.render("é").contains('^'));
    }
}
