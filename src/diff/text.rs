//! The reports of [`Diff`]: the human-readable table and the `--json` document.

use std::fmt::Write as _;

use super::{Counts, Diff, Kind};

impl Diff {
    /// The `--json` report: pretty-printed, keys in struct order, trailing newline.
    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).expect("the diff serialises infallibly");
        s.push('\n');
        s
    }

    /// The human-readable report.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        self.header_text(&mut out);
        out.push('\n');
        out.push_str(&self.table());
        self.examples_text(&mut out);
        out.push('\n');
        out.push_str(&self.summary());
        out.push('\n');
        out
    }

    fn header_text(&self, out: &mut String) {
        for (label, s) in [("old", &self.old), ("new", &self.new)] {
            let _ = writeln!(
                out,
                "{label}: {}  ({} {}, blindspot {}, {} rows)",
                s.path, s.name, s.version, s.compiler_version, s.rows
            );
        }
        let (o, n) = (&self.old, &self.new);
        let release = change(
            &format!("{} {}", o.name, o.version),
            &format!("{} {}", n.name, n.version),
        );
        let _ = writeln!(out, "name/version:   {release}");
        let _ = writeln!(
            out,
            "compiler:       {}",
            change(&o.compiler_version, &n.compiler_version)
        );
        let _ = writeln!(out, "task specs:     {}", self.specs_text());
        let digest = match self.content_digest_match {
            true => "same".to_string(),
            false => format!(
                "differs ({})",
                short_change(&o.content_digest, &n.content_digest)
            ),
        };
        let _ = writeln!(out, "content digest: {digest}");
    }

    fn specs_text(&self) -> String {
        if self.spec_changes.is_empty() {
            return "same".into();
        }
        let parts: Vec<String> = self
            .spec_changes
            .iter()
            .map(|c| match (&c.old, &c.new) {
                (Some(o), Some(n)) => format!("{} changed ({})", c.task_id, short_change(o, n)),
                (None, _) => format!("{} added", c.task_id),
                (_, None) => format!("{} removed", c.task_id),
            })
            .collect();
        parts.join("; ")
    }

    /// The per-task table with a total line.
    pub fn table(&self) -> String {
        let width = self
            .tasks
            .keys()
            .map(String::len)
            .chain([4, 5])
            .max()
            .unwrap_or(5);
        let mut out = format!("{:<width$}", "task");
        for h in COLUMNS {
            let _ = write!(out, "  {h:>w$}", w = h.len().max(6));
        }
        out.push('\n');
        let lines = self.tasks.iter().map(|(t, c)| (t.as_str(), c));
        for (task, c) in lines.chain([("total", &self.total)]) {
            let _ = write!(out, "{task:<width$}");
            for (v, h) in columns(c).iter().zip(COLUMNS) {
                let _ = write!(out, "  {v:>w$}", w = h.len().max(6));
            }
            out.push('\n');
        }
        out
    }

    fn examples_text(&self, out: &mut String) {
        for k in Kind::ALL {
            let ids = self.examples.get(k);
            if ids.is_empty() {
                continue;
            }
            let n = self.total.get(k);
            let more = if n as usize > ids.len() { ", …" } else { "" };
            let _ = write!(out, "\n{} ({n}): {}{more}", k.name(), ids.join(", "));
        }
        if Kind::ALL.iter().any(|&k| !self.examples.get(k).is_empty()) {
            out.push('\n');
        }
    }

    /// The closing line: identical, or how the rows differ.
    pub fn summary(&self) -> String {
        let t = &self.total;
        if self.identical {
            return format!("rows identical: {} rows", t.unchanged);
        }
        format!(
            "rows differ: {} added, {} removed, {} changed, {} unchanged",
            t.added, t.removed, t.changed, t.unchanged
        )
    }
}

const COLUMNS: [&str; 9] = [
    "added",
    "removed",
    "changed",
    "image",
    "groundtruth",
    "prompt",
    "format",
    "metadata",
    "unchanged",
];

fn columns(c: &Counts) -> [u64; 9] {
    [
        c.added,
        c.removed,
        c.changed,
        c.image,
        c.groundtruth,
        c.prompt,
        c.format,
        c.metadata,
        c.unchanged,
    ]
}

fn change(old: &str, new: &str) -> String {
    match old == new {
        true => "same".into(),
        false => format!("{old} → {new}"),
    }
}

/// `old → new` with hashes cut to 12 characters.
fn short_change(old: &str, new: &str) -> String {
    let cut = |s: &str| s.chars().take(12).collect::<String>();
    format!("{} → {}", cut(old), cut(new))
}
