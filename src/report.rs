//! Text reports: `blindspot check` (counts without rendering) and `blindspot list`
//! (the language's primitives, functions, plugins, answer formats, fonts and palettes).
//!
//! Invariant: reports are deterministic (fixed order, no timing) so they can be snapshotted.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use rayon::prelude::*;

use crate::compose;
use crate::pipeline::{Failure, compose_failure, planner};
use crate::spec::TaskSpec;

/// Composes every sample (no rendering) and summarises counts and answers.
pub fn check(spec: &TaskSpec) -> Result<String, Failure> {
    let indices: Vec<u64> = (0..spec.images()).collect();
    let samples = compose_samples(spec, &indices)?;
    let mut out = String::new();
    header(&mut out, spec);
    axis_counts(&mut out, spec, &samples);
    answer_counts(&mut out, spec, &samples);
    let rejected: u64 = samples.iter().map(|s| u64::from(s.rejected.total())).sum();
    let _ = writeln!(
        out,
        "constraint rejections: {rejected} redraws over {} samples",
        samples.len()
    );
    Ok(out)
}

/// Composes (without rendering, in parallel) the samples at `indices`, in that order; the
/// earliest failing index's error wins.
pub(crate) fn compose_samples(
    spec: &TaskSpec,
    indices: &[u64],
) -> Result<Vec<compose::Sample>, Failure> {
    let planner = planner(spec)?;
    indices
        .par_iter()
        .map(|&i| compose::compose(spec, &planner.plan(i)).map_err(|e| compose_failure(spec, i, e)))
        .collect()
}

pub(crate) fn header(out: &mut String, spec: &TaskSpec) {
    let _ = writeln!(
        out,
        "{} {} — task `{}` ({})",
        spec.name, spec.version, spec.task_id, spec.label
    );
    let axes: Vec<String> = spec
        .axes
        .iter()
        .map(|a| format!("{} ({})", a.name, a.len()))
        .collect();
    let grid = if axes.is_empty() {
        "no axes".to_string()
    } else {
        axes.join(" × ")
    };
    let _ = writeln!(
        out,
        "grid: {grid} = {} cells × {} per cell",
        spec.cells(),
        spec.sampling.per_cell
    );
    let _ = writeln!(
        out,
        "images: {}   prompts: {}   rows: {}   split: {}",
        spec.images(),
        spec.prompts.len(),
        spec.rows(),
        spec.split
    );
}

fn axis_counts(out: &mut String, spec: &TaskSpec, samples: &[compose::Sample]) {
    for (a, axis) in spec.axes.iter().enumerate() {
        let _ = writeln!(out, "axis {}:", axis.name);
        let mut counts = vec![0u64; axis.len()];
        for s in samples {
            counts[s.plan.cell[a]] += 1;
        }
        for (pos, n) in counts.iter().enumerate() {
            let label: Vec<String> = match axis.vars.as_slice() {
                [_] => vec![axis.values[pos][0].display()],
                vars => vars
                    .iter()
                    .zip(&axis.values[pos])
                    .map(|(n, v)| format!("{n}={}", v.display()))
                    .collect(),
            };
            let rows = n * spec.prompts.len() as u64;
            let _ = writeln!(
                out,
                "  {:<24} images {n:>7}   rows {rows:>7}",
                label.join(", ")
            );
        }
    }
}

fn answer_counts(out: &mut String, spec: &TaskSpec, samples: &[compose::Sample]) {
    for (p, prompt) in spec.prompts.iter().enumerate() {
        let mut counts: BTreeMap<&str, u64> = BTreeMap::new();
        for s in samples {
            *counts.entry(s.prompts[p].answer.as_str()).or_default() += 1;
        }
        let parts: Vec<String> = counts.iter().map(|(k, v)| format!("{k}: {v}")).collect();
        let _ = writeln!(out, "answers {}: {}", prompt.id, parts.join(", "));
    }
}

/// The per-task image and row table of a suite, with totals.
pub fn suite_table(suite: &crate::spec::suite::Suite) -> String {
    let mut out = format!(
        "suite {} {} — split {}\n",
        suite.info.name, suite.info.version, suite.split
    );
    let _ = writeln!(out, "{:<34} {:>8} {:>8}", "task", "images", "rows");
    for t in &suite.tasks {
        let _ = writeln!(out, "{:<34} {:>8} {:>8}", t.label, t.images(), t.rows());
    }
    let images: u64 = suite.tasks.iter().map(TaskSpec::images).sum();
    let rows: u64 = suite.tasks.iter().map(TaskSpec::rows).sum();
    let _ = writeln!(out, "{:<34} {images:>8} {rows:>8}", "total");
    out
}

/// The catalogue printed by `blindspot list`: the registries `blindspot reference` prints in
/// full, as Markdown.
pub fn list_text() -> String {
    let mut out = String::from("Primitives (scene.shapes entries; [optional fields]):\n");
    let primitives = crate::reference::primitives();
    let common = crate::reference::common_fields(&primitives);
    for p in &primitives {
        let (req, opt): (Vec<_>, Vec<_>) = p.own_fields(&common).partition(|f| f.required);
        let mut fields: Vec<String> = req.iter().map(|f| f.name.clone()).collect();
        fields.extend(opt.iter().map(|f| format!("[{}]", f.name)));
        let _ = writeln!(out, "  {:<16} {}", p.name, fields.join(", "));
    }
    let _ = writeln!(
        out,
        "  every primitive but group also takes: {}",
        common.join(", ")
    );
    out.push_str("\nFunctions (expressions):\n");
    let mut category = "";
    for f in crate::expr::functions() {
        if f.category != category {
            category = f.category;
            let _ = writeln!(out, "  [{category}]");
        }
        let _ = writeln!(out, "    {:<28} {}", f.signature, f.doc);
    }
    out.push_str("\nConstants:\n");
    for (name, value, doc) in crate::expr::constants() {
        let _ = writeln!(out, "  {name:<6} = {value:<20} {doc}");
    }
    plugins_and_formats(&mut out);
    fonts_and_colours(&mut out);
    out
}

fn plugins_and_formats(out: &mut String) {
    out.push_str("\nPlugins (vars: {plugin: NAME, with: {...}}):\n");
    for g in crate::plugins::GENERATORS {
        let _ = writeln!(out, "  {} → {}", g.name(), g.returns());
        for p in g.params() {
            let req = if p.required { "required" } else { "optional" };
            let (name, kind) = (p.name, p.kind.name());
            let _ = writeln!(out, "    {name:<20} {kind:<7} {req:<9} {}", p.doc);
        }
    }
    out.push_str("\nAnswer formats (prompts[].format; a correct reply looks like):\n");
    for f in crate::answer::builtins() {
        let _ = writeln!(out, "  {:<16} {}", f.name, f.reply);
    }
}

fn fonts_and_colours(out: &mut String) {
    out.push_str("\nFonts (bundled; the only fonts the renderer loads):\n");
    for f in crate::render::fonts::FONTS {
        let _ = writeln!(
            out,
            "  {:<14} weight {}  {} ({})",
            f.family, f.weight, f.file, f.license
        );
    }
    out.push_str("\nColours: CSS names, #rgb, #rrggbb, none, and matplotlib's tab10:\n  ");
    out.push_str(
        &crate::scene::color::palette_names()
            .collect::<Vec<_>>()
            .join(", "),
    );
    out.push('\n');
}
