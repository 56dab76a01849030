//! Markdown building blocks of the reference: table cells, code spans and tables.
//!
//! Invariant: a cell never breaks its table row (no newlines, `|` escaped as `\|`, which
//! GitHub-flavoured Markdown reads as a literal bar even inside code spans).

use std::fmt::Write as _;

/// Text on one line: lines trimmed and joined with spaces.
pub fn one_line(text: &str) -> String {
    let lines: Vec<&str> = text.lines().map(str::trim).collect();
    lines.join(" ").trim().to_string()
}

/// Text made safe for one table cell: on one line, bars escaped.
pub fn cell(text: &str) -> String {
    one_line(text).replace('|', "\\|")
}

/// A code span holding `text`, safe for a table cell.
pub fn code(text: &str) -> String {
    match text.contains('`') {
        true => format!("`` {} ``", cell(text)),
        false => format!("`{}`", cell(text)),
    }
}

/// A table with a header row, followed by a blank line.
pub fn table(out: &mut String, headers: &[&str], rows: impl Iterator<Item = Vec<String>>) {
    let _ = writeln!(out, "| {} |", headers.join(" | "));
    let _ = writeln!(out, "|{}", "---|".repeat(headers.len()));
    for row in rows {
        let _ = writeln!(out, "| {} |", row.join(" | "));
    }
    out.push('\n');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_stay_on_one_row() {
        assert_eq!(cell("a\n  b | c"), "a b \\| c");
        assert_eq!(code("x|y"), "`x\\|y`");
        assert_eq!(code("a `b`"), "`` a `b` ``");
        let mut out = String::new();
        table(
            &mut out,
            &["k", "v"],
            [vec!["1".into(), "2".into()]].into_iter(),
        );
        assert_eq!(out, "| k | v |\n|---|---|\n| 1 | 2 |\n\n");
    }
}
