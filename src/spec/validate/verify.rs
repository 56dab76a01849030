//! Validates the `verify:` section into a [`VerifySpec`].
//!
//! Names: masks live in their own namespace; measures join the sample's names (so they must
//! not shadow a constant, grid variable, var or answer) and are what checks and margins
//! read besides those names. A check's key is an answer name (it then checks every prompt
//! whose answer is exactly that name) or a prompt id.

use indexmap::{IndexMap, IndexSet};

use super::check::Checker;
use super::meta;
use crate::spec::raw_verify::{RawMask, RawMeasure, RawVerify};
use crate::spec::types::{Param, PromptSpec};
use crate::verify::types::{
    CheckSpec, DEFAULT_REDRAWS, MaskRuleSpec, MaskSpec, MeasureKind, MeasureSpec, VerifySpec,
};

/// Largest RGB distance: between black and white.
const MAX_DISTANCE: f64 = 441.68;

/// Resolves `verify:`; `known` holds every name a sample defines (vars, answers, …).
pub fn verify(
    ck: &mut Checker<'_>,
    raw: &RawVerify,
    known: &IndexSet<String>,
    answers: &[String],
    prompts: &[PromptSpec],
) -> Option<VerifySpec> {
    let errors = ck.diags.len();
    let background = raw
        .background
        .as_ref()
        .and_then(|b| ck.param(b, "verify.background", known));
    let masks = masks(ck, &raw.masks, known);
    // Measures find masks by their declared names, so a broken mask causes no second error.
    let declared: Vec<&str> = raw.masks.keys().map(String::as_str).collect();
    let mut scope = known.clone();
    let measures = measures(ck, &raw.measures, &declared, &mut scope);
    let checks = checks(ck, &raw.checks, &scope, answers, prompts);
    let margins = super::resolve_constraints(ck, &raw.margins, &scope, "verify.margins", false);
    let cut_in_full = (0..masks.len())
        .map(|i| (measures.iter()).any(|m| m.kind != MeasureKind::Runs && m.masks.contains(&i)))
        .collect();
    (ck.diags.len() == errors).then(|| VerifySpec {
        cut_in_full,
        background,
        masks,
        measures,
        checks,
        margins,
        redraws: raw.redraws.unwrap_or(DEFAULT_REDRAWS),
    })
}

fn masks(
    ck: &mut Checker<'_>,
    raw: &IndexMap<String, RawMask>,
    known: &IndexSet<String>,
) -> Vec<MaskSpec> {
    let mut out = Vec::new();
    for (name, m) in raw {
        let path = format!("verify.masks.{name}");
        meta::check_name(ck, name, &path);
        if let Some(rule) = mask_rule(ck, m, &path, known) {
            out.push(MaskSpec {
                name: name.clone(),
                rule,
            });
        }
    }
    out
}

fn mask_rule(
    ck: &mut Checker<'_>,
    m: &RawMask,
    path: &str,
    known: &IndexSet<String>,
) -> Option<MaskRuleSpec> {
    let kinds = [m.color.is_some(), m.ink.is_some(), m.dark.is_some()];
    if kinds.iter().filter(|k| **k).count() != 1 {
        let d = ck.error(
            "bad-mask",
            "a mask needs exactly one of `color`, `ink` and `dark`",
            path,
            None,
        );
        d.hints.push(
            "e.g. `blue: {color: \"#0000ff\"}`, `lines: {ink: 64}` or `text: {dark: 128}`".into(),
        );
        return None;
    }
    if m.tolerance.is_some() && m.color.is_none() {
        ck.error(
            "bad-mask",
            "`tolerance` belongs to a `color` mask",
            path,
            None,
        );
        return None;
    }
    if let Some(color) = &m.color {
        let tolerance = m.tolerance.unwrap_or(MAX_DISTANCE);
        if !(0.0..=MAX_DISTANCE).contains(&tolerance) {
            let msg = format!("`tolerance` must be between 0 and {MAX_DISTANCE}, got {tolerance}");
            ck.error("bad-mask", msg, &format!("{path}.tolerance"), None);
            return None;
        }
        let p = ck.param(color, &format!("{path}.color"), known)?;
        return Some(MaskRuleSpec::Color(p, tolerance));
    }
    match (m.ink, m.dark) {
        (Some(255), _) => bad_threshold(ck, &format!("{path}.ink"), "0–254"),
        (Some(t), _) => Some(MaskRuleSpec::Ink(t)),
        (_, Some(0)) => bad_threshold(ck, &format!("{path}.dark"), "1–255"),
        (_, Some(t)) => Some(MaskRuleSpec::Dark(t)),
        _ => None,
    }
}

fn bad_threshold(ck: &mut Checker<'_>, path: &str, range: &str) -> Option<MaskRuleSpec> {
    let msg = format!("the threshold must be in {range}, or the mask is always empty");
    ck.error("bad-mask", msg, path, None);
    None
}

fn measures(
    ck: &mut Checker<'_>,
    raw: &IndexMap<String, RawMeasure>,
    masks: &[&str],
    scope: &mut IndexSet<String>,
) -> Vec<MeasureSpec> {
    let mut out = Vec::new();
    let known = scope.clone();
    for (name, m) in raw {
        let path = format!("verify.measures.{name}");
        meta::check_name(ck, name, &path);
        if !scope.insert(name.clone()) {
            let d = ck.error(
                "duplicate-name",
                format!("`{name}` is already defined"),
                &path,
                None,
            );
            d.hints.push(
                "measures share names with constants, grid variables, vars and answers".into(),
            );
            continue;
        }
        out.extend(measure(ck, name, m, &path, masks, &known));
    }
    out
}

fn measure(
    ck: &mut Checker<'_>,
    name: &str,
    m: &RawMeasure,
    path: &str,
    masks: &[&str],
    known: &IndexSet<String>,
) -> Option<MeasureSpec> {
    let (kind, names) = kind_of(ck, m, path)?;
    let indices = mask_indices(ck, kind, &names, path, masks)?;
    let options = options(ck, kind, m, path, known)?;
    Some(MeasureSpec {
        name: name.to_string(),
        kind,
        masks: indices,
        options,
        path: path.to_string(),
    })
}

/// The one measure kind a raw measure names, with the mask names it takes.
fn kind_of(ck: &mut Checker<'_>, m: &RawMeasure, path: &str) -> Option<(MeasureKind, Vec<String>)> {
    let one = |s: &Option<String>| s.clone().map(|s| vec![s]);
    let set = [
        (MeasureKind::Components, one(&m.components)),
        (MeasureKind::Contours, one(&m.contours)),
        (MeasureKind::Runs, one(&m.runs)),
        (MeasureKind::Gap, m.gap.clone()),
        (MeasureKind::Contact, m.contact.clone()),
        (MeasureKind::Crossings, m.crossings.clone()),
        (MeasureKind::Connects, m.connects.clone()),
    ];
    let mut given = set.into_iter().filter_map(|(k, v)| v.map(|v| (k, v)));
    match (given.next(), given.next()) {
        (Some(found), None) => Some(found),
        _ => {
            let keys: Vec<&str> = MeasureKind::ALL.iter().map(|(_, k)| *k).collect();
            let msg = format!("a measure needs exactly one of {}", keys.join(", "));
            let d = ck.error("bad-measure", msg, path, None);
            d.hints
                .push("e.g. `squares: {contours: ink}` or `gap: {gap: [blue, red]}`".into());
            None
        }
    }
}

fn mask_indices(
    ck: &mut Checker<'_>,
    kind: MeasureKind,
    names: &[String],
    path: &str,
    masks: &[&str],
) -> Option<Vec<usize>> {
    let (min, max) = kind.arity();
    let key = kind.key();
    if names.len() < min || names.len() > max {
        let want = match (min, max) {
            (1, 1) => "one mask".to_string(),
            (a, b) if a == b => format!("{a} masks"),
            (a, _) => format!("at least {a} mask"),
        };
        ck.error(
            "bad-measure",
            format!("`{key}` takes {want}, got {}", names.len()),
            path,
            None,
        );
        return None;
    }
    let mut out = Vec::new();
    for (i, n) in names.iter().enumerate() {
        match masks.iter().position(|m| m == n) {
            Some(ix) => out.push(ix),
            None => {
                let at = if max == 1 {
                    format!("{path}.{key}")
                } else {
                    format!("{path}.{key}[{i}]")
                };
                let d = ck.error("unknown-mask", format!("no mask is named `{n}`"), &at, None);
                d.hints.push(format!("masks: {}", masks.join(", ")));
            }
        }
    }
    (out.len() == names.len()).then_some(out)
}

fn options(
    ck: &mut Checker<'_>,
    kind: MeasureKind,
    m: &RawMeasure,
    path: &str,
    known: &IndexSet<String>,
) -> Option<Vec<(&'static str, Param)>> {
    let given: [(&'static str, &Option<serde_json::Value>); 7] = [
        ("min_area", &m.min_area),
        ("min_len", &m.min_len),
        ("row", &m.row),
        ("column", &m.column),
        ("join", &m.join),
        ("from", &m.from),
        ("to", &m.to),
    ];
    let mut out = Vec::new();
    let mut ok = true;
    for (name, value) in given {
        let Some(v) = value else { continue };
        let at = format!("{path}.{name}");
        if !kind.options().contains(&name) {
            let msg = format!("`{}` does not read `{name}`", kind.key());
            let d = ck.error("bad-measure", msg, &at, None);
            d.hints
                .push(format!("`{}` reads: {}", kind.key(), list(kind.options())));
            ok = false;
            continue;
        }
        match ck.param(v, &at, known) {
            Some(p) => out.push((name, p)),
            None => ok = false,
        }
    }
    ok &= required(ck, kind, &out, path);
    ok.then_some(out)
}

/// Options a kind cannot do without: `runs` needs one line, `connects` both regions.
fn required(ck: &mut Checker<'_>, kind: MeasureKind, got: &[(&str, Param)], path: &str) -> bool {
    let has = |n: &str| got.iter().any(|(g, _)| *g == n);
    let problem = match kind {
        MeasureKind::Runs if has("row") == has("column") => {
            Some("`runs` needs exactly one of `row` and `column`")
        }
        MeasureKind::Connects if !(has("from") && has("to")) => {
            Some("`connects` needs `from` and `to` regions")
        }
        _ => None,
    };
    if let Some(msg) = problem {
        ck.error("bad-measure", msg, path, None);
    }
    problem.is_none()
}

fn list(names: &[&str]) -> String {
    if names.is_empty() {
        return "no options".into();
    }
    names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn checks(
    ck: &mut Checker<'_>,
    raw: &IndexMap<String, String>,
    scope: &IndexSet<String>,
    answers: &[String],
    prompts: &[PromptSpec],
) -> Vec<CheckSpec> {
    let mut out = Vec::new();
    for (key, text) in raw {
        let path = format!("verify.checks.{key}");
        let covered = covered_prompts(key, answers, prompts);
        if covered.is_empty() {
            let d = ck.error(
                "unknown-check",
                format!("`{key}` is neither a prompt id nor an answer a prompt reports"),
                &path,
                None,
            );
            let ids: Vec<&str> = prompts.iter().map(|p| p.id.as_str()).collect();
            d.hints.push(format!(
                "answers: {}; prompt ids: {} (an answer counts when a prompt's `answer` is exactly its name)",
                answers.join(", "),
                ids.join(", ")
            ));
        }
        let parsed = ck.expr(text, &path, scope, false);
        if let (Some((expr, offset)), false) = (parsed, covered.is_empty()) {
            out.push(CheckSpec {
                key: key.clone(),
                expr,
                offset,
                prompts: covered,
                path,
            });
        }
    }
    out
}

/// The prompts a check key covers: the prompt with that id, or every prompt whose answer
/// expression is exactly that answer's name.
fn covered_prompts(key: &str, answers: &[String], prompts: &[PromptSpec]) -> Vec<usize> {
    if let Some(i) = prompts.iter().position(|p| p.id == key) {
        return vec![i];
    }
    if !answers.iter().any(|a| a == key) {
        return Vec::new();
    }
    (prompts.iter().enumerate())
        .filter(|(_, p)| matches!(&p.answer, Param::Expr(e, _) if e.source().trim() == key))
        .map(|(i, _)| i)
        .collect()
}
