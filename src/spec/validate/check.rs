//! The validation context: collects diagnostics and turns spec values into expressions.
//!
//! Invariant: every diagnostic produced here carries the spec path and, where the scan in
//! `spec::locate` can find it, the file position, pointing inside expression strings.

use indexmap::IndexSet;

use crate::diag::Diagnostic;
use crate::expr::{Expr, Value};
use crate::limits::Limits;
use crate::spec::load::Source;
use crate::spec::locate::locate_path;
use crate::spec::types::Param;

/// Whether a name is a built-in constant of the expression language (`pi`, `tau`, `e`).
pub fn is_builtin(name: &str) -> bool {
    crate::expr::constants().iter().any(|(n, _, _)| *n == name)
}

/// Accumulates diagnostics while validating one spec.
pub struct Checker<'a> {
    /// The spec source, for locations.
    pub src: &'a Source,
    /// Everything found so far.
    pub diags: Vec<Diagnostic>,
    /// The limits the spec is checked against.
    pub limits: Limits,
}

impl<'a> Checker<'a> {
    /// A checker for one source.
    pub fn new(src: &'a Source) -> Self {
        Self {
            src,
            diags: Vec::new(),
            limits: Limits::default(),
        }
    }

    /// Records an error at a spec path; `span` is (offset, len) inside the value's text.
    pub fn error(
        &mut self,
        id: &'static str,
        message: impl Into<String>,
        path: &str,
        span: Option<(usize, usize)>,
    ) -> &mut Diagnostic {
        let loc = locate_path(&self.src.file, &self.src.text, path, span);
        let d = Diagnostic::error(id, message)
            .at(path)
            .in_file(self.src.file.clone())
            .with_location(loc);
        self.diags.push(d);
        self.diags.last_mut().expect("just pushed")
    }

    /// Parses an expression string (a leading `=` is allowed) and checks its names.
    pub fn expr(
        &mut self,
        text: &str,
        path: &str,
        known: &IndexSet<String>,
        allow_random: bool,
    ) -> Option<(Expr, usize)> {
        self.expr_at(text, 0, path, known, allow_random)
    }

    /// Like [`Checker::expr`] for text that starts `base` bytes into the YAML value.
    pub fn expr_at(
        &mut self,
        text: &str,
        base: usize,
        path: &str,
        known: &IndexSet<String>,
        allow_random: bool,
    ) -> Option<(Expr, usize)> {
        let offset = base + expr_offset(text);
        let body = &text[offset - base..];
        let expr = match Expr::parse(body) {
            Ok(e) => e,
            Err(e) => {
                let span = e
                    .span
                    .as_ref()
                    .map(|s| (offset + s.start, (s.end - s.start).max(1)));
                let hint = e.hint.clone();
                let d = self.error("expr-syntax", e.message.clone(), path, span);
                if let Some(h) = hint {
                    d.hints.push(h);
                }
                return None;
            }
        };
        let ok = self.check_names(&expr, offset, path, known);
        if !allow_random && expr.uses_random() {
            self.error(
                "random-not-allowed",
                "random functions are not allowed here",
                path,
                None,
            )
            .hints
            .push(
                "draw random values in `vars:`; constants must be the same for every sample".into(),
            );
            return None;
        }
        ok.then_some((expr, offset))
    }

    fn check_names(
        &mut self,
        expr: &Expr,
        offset: usize,
        path: &str,
        known: &IndexSet<String>,
    ) -> bool {
        let mut ok = true;
        for name in expr.free_vars() {
            if known.contains(&name) || is_builtin(&name) {
                continue;
            }
            ok = false;
            let span = expr
                .source()
                .find(name.as_str())
                .map(|i| (offset + i, name.chars().count()));
            let hint = suggest(&name, known.iter().map(String::as_str));
            let d = self.error(
                "unknown-variable",
                format!("unknown variable `{name}`"),
                path,
                span,
            );
            d.hints.push(match hint {
                Some(s) => format!("did you mean `{s}`?"),
                None => "names must be defined earlier: constants, grid axes, vars, answers".into(),
            });
        }
        ok
    }

    /// A value where strings are expressions (vars, answers, metadata, constants).
    pub fn expr_or_literal(
        &mut self,
        v: &serde_json::Value,
        path: &str,
        known: &IndexSet<String>,
        allow_random: bool,
    ) -> Option<Param> {
        match v {
            serde_json::Value::String(s) => self
                .expr(s, path, known, allow_random)
                .map(|(e, o)| Param::Expr(e, o)),
            other => self.literal(other, path).map(Param::Const),
        }
    }

    /// A scene value: strings starting with `=` are expressions, everything else a literal.
    pub fn param(
        &mut self,
        v: &serde_json::Value,
        path: &str,
        known: &IndexSet<String>,
    ) -> Option<Param> {
        match v {
            serde_json::Value::String(s) if s.trim_start().starts_with('=') => self
                .expr(s, path, known, true)
                .map(|(e, o)| Param::Expr(e, o)),
            other => self.literal(other, path).map(Param::Const),
        }
    }

    /// A YAML literal as a value.
    pub fn literal(&mut self, v: &serde_json::Value, path: &str) -> Option<Value> {
        match Value::from_json(v) {
            Ok(v) => Some(v),
            Err(e) => {
                self.error(
                    "bad-literal",
                    format!("unsupported value ({e})"),
                    path,
                    None,
                );
                None
            }
        }
    }
}

/// Byte offset where the expression starts inside its YAML string (after `=` and spaces).
pub fn expr_offset(text: &str) -> usize {
    let trimmed = text.trim_start();
    let lead = text.len() - trimmed.len();
    match trimmed.strip_prefix('=') {
        Some(rest) => lead + 1 + (rest.len() - rest.trim_start().len()),
        None => lead,
    }
}

/// The closest candidate within two edits, if any.
pub fn suggest<'a>(name: &str, candidates: impl Iterator<Item = &'a str>) -> Option<String> {
    candidates
        .map(|c| (edit_distance(name, c), c))
        .filter(|(d, _)| *d <= 2 && *d < name.chars().count())
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c.to_string())
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != *cb);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_skip_equals_and_spaces() {
        assert_eq!(expr_offset("= a + b"), 2);
        assert_eq!(expr_offset("a + b"), 0);
        assert_eq!(expr_offset("  =a"), 3);
    }

    #[test]
    fn suggestions_use_edit_distance() {
        let c = ["diameter", "distance", "dpi"];
        assert_eq!(
            suggest("dimater", c.iter().copied()).as_deref(),
            Some("diameter")
        );
        assert_eq!(suggest("zzzzzz", c.iter().copied()), None);
    }
}
