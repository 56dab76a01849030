//! Diagnostics: one model for every error and warning blindspot reports.
//!
//! A [`Diagnostic`] has a stable kebab-case `id` (part of the public interface: tests and
//! users match on it), a message in the form "what failed (why)", an optional source
//! [`Location`], the spec path of the offending value (e.g. `scene.shapes[2].r`) and hints.
//! Stages accumulate diagnostics and return them together ([`DiagResult`]); the CLI renders
//! them with [`render`]. Rendering is deterministic: no colours, no timestamps.

use std::fmt::Write as _;

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    /// The input cannot be compiled.
    Error,
    /// The input compiles, but something is probably wrong.
    Warning,
}

/// Where in a source file a diagnostic points (1-based line and column).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// The file as the user named it.
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// Number of characters to underline (at least 1).
    pub len: usize,
    /// The text of the line, for the snippet.
    pub line_text: String,
}

/// One error or warning.
#[derive(Debug, Clone, PartialEq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// Stable kebab-case identifier, e.g. `unknown-field`.
    pub id: &'static str,
    /// What went wrong.
    pub message: String,
    /// The file, when there is no exact position.
    pub file: Option<String>,
    /// Position in the source, where known.
    pub location: Option<Location>,
    /// Spec path of the offending value, e.g. `scene.shapes[2].r`.
    pub path: Option<String>,
    /// Suggestions for the user.
    pub hints: Vec<String>,
}

/// A result that carries every error found, not only the first.
pub type DiagResult<T> = Result<T, Vec<Diagnostic>>;

impl Diagnostic {
    /// A new error with the given id and message.
    pub fn error(id: &'static str, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Error,
            id,
            message: message.into(),
            file: None,
            location: None,
            path: None,
            hints: Vec::new(),
        }
    }

    /// A new warning with the given id and message.
    pub fn warning(id: &'static str, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Warning,
            ..Self::error(id, message)
        }
    }

    /// Sets the spec path.
    pub fn at(mut self, path: impl Into<String>) -> Self {
        self.path = Some(path.into());
        self
    }

    /// Sets the file.
    pub fn in_file(mut self, file: impl Into<String>) -> Self {
        self.file = Some(file.into());
        self
    }

    /// Sets the location.
    pub fn with_location(mut self, loc: Option<Location>) -> Self {
        if loc.is_some() {
            self.location = loc;
        }
        self
    }

    /// Adds a hint.
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hints.push(hint.into());
        self
    }

    /// Adds a hint when there is one.
    pub fn maybe_hint(self, hint: Option<String>) -> Self {
        match hint {
            Some(h) => self.hint(h),
            None => self,
        }
    }

    /// Whether this is an error (not a warning).
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// Renders diagnostics for a terminal or a log, rustc style.
pub fn render(diags: &[Diagnostic]) -> String {
    let mut out = String::new();
    for d in diags {
        render_one(&mut out, d);
    }
    let errors = diags.iter().filter(|d| d.is_error()).count();
    if errors > 1 {
        let _ = writeln!(out, "error: {errors} errors found");
    }
    out
}

fn render_one(out: &mut String, d: &Diagnostic) {
    let sev = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let _ = writeln!(out, "{sev}[{}]: {}", d.id, d.message);
    let at = d
        .path
        .as_deref()
        .map(|p| format!(" (at {p})"))
        .unwrap_or_default();
    match (&d.location, &d.file) {
        (Some(loc), _) => render_snippet(out, loc, &at),
        (None, Some(file)) => {
            let _ = writeln!(out, "  --> {file}{at}");
        }
        (None, None) if !at.is_empty() => {
            let _ = writeln!(out, "  -->{at}");
        }
        _ => {}
    }
    for h in &d.hints {
        let _ = writeln!(out, "   = hint: {h}");
    }
    out.push('\n');
}

fn render_snippet(out: &mut String, loc: &Location, at: &str) {
    let num = loc.line.to_string();
    let pad = " ".repeat(num.len());
    let _ = writeln!(out, "{pad}--> {}:{}:{}{at}", loc.file, loc.line, loc.column);
    if loc.line_text.is_empty() {
        return;
    }
    let (text, caret_col) = window(loc.line_text.trim_end(), loc.column.saturating_sub(1));
    let _ = writeln!(out, "{pad} |");
    let _ = writeln!(out, "{num} | {text}");
    let lead: String = text
        .chars()
        .take(caret_col)
        .map(|c| if c == '\t' { '\t' } else { ' ' })
        .collect();
    let room = text.chars().count().saturating_sub(caret_col).max(1);
    let _ = writeln!(out, "{pad} | {lead}{}", "^".repeat(loc.len.clamp(1, room)));
}

/// Longest snippet line shown; longer lines are cut to a window around the column.
const MAX_SNIPPET: usize = 100;

fn window(line: &str, col: usize) -> (String, usize) {
    let chars: Vec<char> = line.chars().collect();
    if chars.len() <= MAX_SNIPPET {
        return (line.to_string(), col);
    }
    let start = col
        .saturating_sub(MAX_SNIPPET / 2)
        .min(chars.len().saturating_sub(MAX_SNIPPET));
    let end = (start + MAX_SNIPPET).min(chars.len());
    let mut text: String = chars[start..end].iter().collect();
    let mut caret = col - start;
    if start > 0 {
        text.insert(0, '…');
        caret += 1;
    }
    if end < chars.len() {
        text.push('…');
    }
    (text, caret)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_snippet_with_caret() {
        let d = Diagnostic::error("unknown-variable", "unknown variable `dimater`")
            .at("vars.rad")
            .with_location(Some(Location {
                file: "t.yaml".into(),
                line: 3,
                column: 9,
                len: 7,
                line_text: "  rad: \"dimater / 2\"".into(),
            }))
            .hint("did you mean `diameter`?");
        let text = render(&[d]);
        assert_eq!(
            text,
            "error[unknown-variable]: unknown variable `dimater`\n \
             --> t.yaml:3:9 (at vars.rad)\n  |\n3 |   rad: \"dimater / 2\"\n  |         ^^^^^^^\n   \
             = hint: did you mean `diameter`?\n\n"
        );
    }
}
