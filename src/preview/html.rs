//! `blindspot preview --html`: the previewed samples as one static gallery page, `index.html`.
//!
//! The page groups thumbnails by grid cell (one section per distinct cell, in expansion
//! order); each sample shows its picture, row ids, prompts with ground truth (and choices),
//! metadata, and how many draws were rejected before it, per reason.
//!
//! Invariants: the page is self-contained apart from the PNG and SVG files written beside
//! it, which it links by relative file name — inline CSS, no script, no remote resource — so
//! it opens from `file://`; every piece of text from the spec or a sample is HTML-escaped;
//! the output depends only on the spec and the samples (no time, no hash-map order).

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::compose::{Rejection, Rejections, Sample, quota_target};
use crate::spec::TaskSpec;
use crate::verify::report::Checked;

const STYLE: &str = include_str!("gallery.css");
/// Thumbnails are scaled, up or down, to fit this box (CSS pixels).
const THUMB_BOX: (f64, f64) = (280.0, 240.0);

/// The gallery page of `samples`, each with the file stem of its PNG and SVG.
pub fn page(spec: &TaskSpec, samples: &[(String, Sample)], verdicts: &[Option<Checked>]) -> String {
    let cells = by_cell(samples);
    let judged: Judged<'_> = (samples.iter().zip(verdicts))
        .filter_map(|((_, s), v)| Some((s.plan.index, v.as_ref()?)))
        .collect();
    let title = format!("{} ({}) — preview", spec.label, spec.task_id);
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<style>\n{STYLE}</style>\n</head>\n<body>\n",
        escape(&title)
    );
    header(&mut out, spec, samples, &cells);
    out.push_str("<main>\n");
    for (k, (cell, members)) in cells.iter().enumerate() {
        section(&mut out, spec, k, cell, members, &judged);
    }
    let _ = write!(
        out,
        "</main>\n<footer>blindspot {} preview</footer>\n</body>\n</html>\n",
        crate::VERSION
    );
    out
}

/// Text made safe both between tags and inside quoted attribute values: the XML escaping of
/// the SVG writer (`&`, `<`, `>`, `"`, `'` as references, control characters dropped), which
/// HTML reads the same way.
pub use crate::scene::svg::escape;

/// Escaped text whose `backtick` spans (source text in reasons) become `<code>` elements;
/// text with an odd number of backticks is only escaped.
fn with_code(text: &str) -> String {
    let parts: Vec<&str> = text.split('`').collect();
    if parts.len().is_multiple_of(2) {
        return escape(text);
    }
    let mut out = String::new();
    for (k, part) in parts.iter().enumerate() {
        match k % 2 {
            0 => out.push_str(&escape(part)),
            _ => {
                let _ = write!(out, "<code>{}</code>", escape(part));
            }
        }
    }
    out
}

/// `n` and the noun, with an `s` unless `n` is 1.
fn plural(n: usize, noun: &str) -> String {
    match n {
        1 => format!("1 {noun}"),
        _ => format!("{n} {noun}s"),
    }
}

/// The axis values of a grid cell, e.g. `size: resolution=100, C=384 · linewidth=2`: an
/// axis binding only its own name shows `name=value`.
pub fn cell_label(spec: &TaskSpec, cell: &[usize]) -> String {
    if spec.axes.is_empty() {
        return "no grid axes (one cell)".to_string();
    }
    let parts: Vec<String> = spec
        .axes
        .iter()
        .zip(cell)
        .map(|(axis, &pos)| {
            let vars: Vec<String> = axis
                .vars
                .iter()
                .zip(&axis.values[pos])
                .map(|(var, v)| format!("{var}={}", v.display()))
                .collect();
            match axis.vars.as_slice() {
                [only] if *only == axis.name => vars.join(", "),
                _ => format!("{}: {}", axis.name, vars.join(", ")),
            }
        })
        .collect();
    parts.join(" · ")
}

type Cells<'s> = BTreeMap<&'s [usize], Vec<&'s (String, Sample)>>;

/// The samples grouped by cell; cells in expansion order (positions compared axis by axis,
/// first axis outermost), samples in the order given.
fn by_cell(samples: &[(String, Sample)]) -> Cells<'_> {
    let mut cells: Cells<'_> = BTreeMap::new();
    for s in samples {
        cells.entry(s.1.plan.cell.as_slice()).or_default().push(s);
    }
    cells
}

fn header(out: &mut String, spec: &TaskSpec, samples: &[(String, Sample)], cells: &Cells<'_>) {
    let _ = writeln!(
        out,
        "<header>\n<h1>{} <span class=\"muted\">{}</span></h1>",
        escape(&spec.label),
        escape(&spec.task_id)
    );
    let description = match spec.description.trim() {
        "" => String::new(),
        text => format!(" — {}", escape(text)),
    };
    let _ = writeln!(
        out,
        "<p class=\"lead\"><b>{} {}</b>{description}</p>",
        escape(&spec.name),
        escape(&spec.version),
    );
    let _ = writeln!(
        out,
        "<p>{} samples previewed, spread evenly over the expansion of {} images \
         ({} cells × {} per cell, {}); {} cells shown. \
         <a href=\"contact-sheet.png\">contact sheet</a> · <a href=\"samples.txt\">samples.txt</a></p>",
        samples.len(),
        spec.images(),
        spec.cells(),
        spec.sampling.per_cell,
        plural(spec.prompts.len(), "prompt"),
        cells.len()
    );
    let mut all = Rejections::default();
    for (_, s) in samples {
        all.merge(&s.rejected);
    }
    draws_summary(out, spec, samples.len(), &all);
    nav(out, spec, cells);
    out.push_str("</header>\n");
}

fn draws_summary(out: &mut String, spec: &TaskSpec, n: usize, all: &Rejections) {
    let rejected = u64::from(all.total());
    let attempts = n as u64 + rejected;
    let share = 100.0 * rejected as f64 / attempts.max(1) as f64;
    let _ = writeln!(
        out,
        "<p class=\"draws\">Draws: {attempts} for {n} samples; {rejected} rejected ({share:.1} %).</p>"
    );
    if rejected > 0 {
        out.push_str("<ul class=\"reasons\">\n");
        for &(why, count) in all.counts() {
            let _ = writeln!(
                out,
                "<li><span class=\"n\">{count} ×</span> {}</li>",
                with_code(&why.describe(spec))
            );
        }
        out.push_str("</ul>\n");
    }
}

fn nav(out: &mut String, spec: &TaskSpec, cells: &Cells<'_>) {
    out.push_str("<nav><ul>\n");
    for (k, (cell, members)) in cells.iter().enumerate() {
        let _ = writeln!(
            out,
            "<li><a href=\"#cell-{k}\">{}</a> <span class=\"muted\">({})</span></li>",
            escape(&cell_label(spec, cell)),
            members.len()
        );
    }
    out.push_str("</ul></nav>\n");
}

fn section(
    out: &mut String,
    spec: &TaskSpec,
    k: usize,
    cell: &[usize],
    members: &[&(String, Sample)],
    judged: &Judged<'_>,
) {
    let _ = writeln!(
        out,
        "<section class=\"cell\" id=\"cell-{k}\" style=\"--n: {}\">\n<h2>{}</h2>\n<div class=\"samples\">",
        members.len().min(4),
        escape(&cell_label(spec, cell))
    );
    for (stem, sample) in members {
        card(
            out,
            spec,
            stem,
            sample,
            judged.get(&sample.plan.index).copied(),
        );
    }
    out.push_str("</div>\n</section>\n");
}

fn card(out: &mut String, spec: &TaskSpec, stem: &str, s: &Sample, checked: Option<&Checked>) {
    let (png, svg) = (
        escape(&format!("{stem}.png")),
        escape(&format!("{stem}.svg")),
    );
    let (w, h) = (s.scene.width, s.scene.height);
    let scale = (THUMB_BOX.0 / f64::from(w.max(1))).min(THUMB_BOX.1 / f64::from(h.max(1)));
    let (tw, th) = (
        (f64::from(w) * scale).round(),
        (f64::from(h) * scale).round(),
    );
    let _ = writeln!(
        out,
        "<article class=\"sample\" id=\"sample-{index}\">\n\
         <a class=\"thumb\" href=\"{png}\"><img src=\"{png}\" alt=\"sample {index}\" width=\"{tw}\" height=\"{th}\"></a>\n\
         <div class=\"info\">\n<h3>sample {index} <span class=\"muted\">replicate {r} · {w}×{h} · \
         <a href=\"{png}\">PNG</a> · <a href=\"{svg}\">SVG</a></span></h3>",
        index = s.plan.index,
        r = s.plan.replicate,
    );
    prompts(out, spec, s);
    metadata(out, &s.metadata);
    rejections(out, spec, s);
    if let Some(c) = checked {
        verdict(out, c);
    }
    out.push_str("</div>\n</article>\n");
}

/// Verdicts by sample index.
type Judged<'a> = BTreeMap<u64, &'a Checked>;

/// What `verify:` said: each check's label against the pixels, the margins the sample is
/// inside, redraws, and the measures.
fn verdict(out: &mut String, c: &Checked) {
    let v = &c.verdict;
    let head = match (v.agrees(), v.inside.is_empty()) {
        (false, _) => "pixels <b>disagree</b> with a label",
        (true, false) => "labels agree with the pixels; <b>inside a margin</b>",
        (true, true) => "labels agree with the pixels",
    };
    let _ = writeln!(
        out,
        "<p class=\"draws\">verify: {head}</p>\n<ul class=\"reasons\">"
    );
    for o in &v.checks {
        let mark = if o.agrees { "✓" } else { "✗" };
        let _ = writeln!(
            out,
            "<li>{mark} <code>{}</code> {}: label <b>{}</b>, pixels <b>{}</b></li>",
            escape(&o.check),
            escape(&o.prompt),
            escape(&o.label),
            escape(&o.measured)
        );
    }
    for m in &v.inside {
        let _ = writeln!(out, "<li>inside: {}</li>", escape(m));
    }
    if c.redraws > 0 {
        let _ = writeln!(
            out,
            "<li>{} to leave the margins</li>",
            plural(c.redraws as usize, "redraw")
        );
    }
    let measures: Vec<String> = (v.measures.iter())
        .map(|(k, x)| format!("{} = {}", escape(k), escape(&x.to_string())))
        .collect();
    let _ = writeln!(
        out,
        "<li class=\"muted\">{}</li>\n</ul>",
        measures.join(" · ")
    );
}

fn prompts(out: &mut String, spec: &TaskSpec, s: &Sample) {
    out.push_str("<ol class=\"prompts\">\n");
    for p in &s.prompts {
        let id = format!("{}/{:06}/{}", spec.task_id, s.plan.index, p.id);
        let _ = write!(
            out,
            "<li><div class=\"pid\"><code>{}</code> <span class=\"muted\">{}</span></div>\n\
             <p class=\"text\">{}</p>\n<p class=\"answer\">answer <b>{}</b>",
            escape(&id),
            escape(&p.format),
            escape(&p.text),
            escape(&p.answer)
        );
        if let Some(choices) = &p.choices {
            let list: Vec<String> = choices.iter().map(|c| escape(c)).collect();
            let _ = write!(
                out,
                " <span class=\"choices\">of {}</span>",
                list.join(" · ")
            );
        }
        out.push_str("</p></li>\n");
    }
    out.push_str("</ol>\n");
}

/// The metadata object as a definition list, in its key order; text that is not a JSON
/// object is shown as it is.
fn metadata(out: &mut String, json: &str) {
    let fields = match serde_json::from_str::<serde_json::Value>(json) {
        Ok(serde_json::Value::Object(map)) => map,
        _ => {
            let _ = writeln!(out, "<p class=\"meta\"><code>{}</code></p>", escape(json));
            return;
        }
    };
    if fields.is_empty() {
        return;
    }
    out.push_str("<dl class=\"meta\">\n");
    for (key, value) in &fields {
        let shown = match value {
            serde_json::Value::String(text) => text.clone(),
            other => other.to_string(),
        };
        let _ = writeln!(out, "<dt>{}</dt><dd>{}</dd>", escape(key), escape(&shown));
    }
    out.push_str("</dl>\n");
}

fn rejections(out: &mut String, spec: &TaskSpec, s: &Sample) {
    let total = s.rejected.total();
    if total == 0 {
        out.push_str("<p class=\"draws\">accepted at the first draw</p>\n");
        return;
    }
    let _ = writeln!(
        out,
        "<p class=\"draws\">{} rejected before this one:</p>\n<ul class=\"reasons\">",
        plural(total as usize, "draw")
    );
    for &(why, count) in s.rejected.counts() {
        let mut text = why.describe(spec);
        if let (Rejection::Quota, Some(b)) = (why, &spec.sampling.balance) {
            let target = quota_target(&b.values, &s.plan).display();
            let _ = write!(text, "; this sample needs {target}");
        }
        let _ = writeln!(
            out,
            "<li><span class=\"n\">{count} ×</span> {}</li>",
            with_code(&text)
        );
    }
    out.push_str("</ul>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_replaces_markup_and_quotes() {
        assert_eq!(
            escape(r#"<b>&"x'</b>"#),
            "&lt;b&gt;&amp;&quot;x&apos;&lt;/b&gt;"
        );
        assert_eq!(escape("plain text · ü"), "plain text · ü");
        assert_eq!(escape("&amp;"), "&amp;amp;", "escaping is not idempotent");
        assert_eq!(escape(""), "");
    }

    #[test]
    fn backtick_spans_become_code_and_stay_escaped() {
        assert_eq!(
            with_code("constraint `a < b` (keep <it> apart)"),
            "constraint <code>a &lt; b</code> (keep &lt;it&gt; apart)"
        );
        assert_eq!(with_code("odd ` tick <"), "odd ` tick &lt;");
        assert_eq!(plural(1, "draw"), "1 draw");
        assert_eq!(plural(3, "draw"), "3 draws");
    }
}
