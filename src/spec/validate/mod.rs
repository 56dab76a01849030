//! Validation: the only road from [`RawTaskSpec`] to [`TaskSpec`].
//!
//! Every pass runs even when an earlier one failed, so the user sees all errors at once.
//! The raw spec is destructured field by field, so a new spec field cannot be ignored
//! silently. Names are checked in evaluation order: constants, grid, vars, answers.

mod answers;
mod check;
mod forms;
mod grid;
mod meta;
mod scene;
mod verify;

use indexmap::{IndexMap, IndexSet};

pub use check::{Checker, is_builtin};

use crate::diag::{DiagResult, Diagnostic};
use crate::expr::{Budget, EvalCtx, Value};
use crate::limits::Limits;
use crate::spec::load::Source;
use crate::spec::raw::{
    ColorMode, Compression, RawConstraint, RawOutput, RawSampling, RawTaskSpec,
};
use crate::spec::types::{
    Balance, Constraint, NamedExpr, OutputOptions, Param, Sampling, TaskSpec,
};

/// Default redraws per sample.
pub const DEFAULT_RETRIES: u32 = 1000;

/// Validates a raw spec, returning every error found.
pub fn validate(raw: RawTaskSpec, src: Source, limits: &Limits) -> DiagResult<TaskSpec> {
    // Constants may measure text, so the bundled font metrics must be available.
    crate::render::metrics::install();
    let RawTaskSpec {
        name,
        version,
        task,
        description,
        license,
        citation,
        seed,
        split,
        tags,
        task_categories,
        constants,
        grid,
        sampling,
        vars,
        constraints,
        scene,
        answers,
        prompts,
        answer_formats,
        metadata,
        output,
        verify,
    } = raw;
    let mut ck = Checker::new(&src);
    ck.limits = *limits;
    let ident = meta::identity(&mut ck, &name, &version, &task, split.as_deref(), &license);
    let mut known = IndexSet::new();
    let constants = eval_constants(&mut ck, &constants, &mut known);
    let axes = grid::axes(&mut ck, &grid, &mut known);
    let grid_vars: Vec<String> = axes.iter().flat_map(|a| a.vars.clone()).collect();
    let raw_sampling = sampling.unwrap_or_default();
    let mut sampling = resolve_sampling(&mut ck, raw_sampling.clone(), &axes);
    let vars = named(&mut ck, &vars, "vars", &mut known, true);
    let constraints = resolve_constraints(&mut ck, &constraints, &known, "constraints", true);
    resolve_quota(&mut ck, &raw_sampling, &known, &mut sampling);
    let scene = scene::scene(&mut ck, &scene, &known);
    let answers = named(&mut ck, &answers, "answers", &mut known, true);
    let (prompts, templates) = meta::prompts(&mut ck, &prompts, &known);
    let formats = answers::formats(&mut ck, &answer_formats, &prompts);
    let answer_names: Vec<String> = answers.iter().map(|a| a.name.clone()).collect();
    let verify =
        (verify.as_ref()).and_then(|v| verify::verify(&mut ck, v, &known, &answer_names, &prompts));
    let metadata = match metadata {
        Some(m) => named(&mut ck, &m, "metadata", &mut known.clone(), true),
        None => grid_vars.iter().filter_map(|v| default_meta(v)).collect(),
    };
    let (Some(ident), Some(scene), Some(templates), true) =
        (ident, scene, templates, ck.diags.is_empty())
    else {
        if ck.diags.is_empty() {
            ck.diags.push(Diagnostic::error(
                "internal",
                "validation failed without a diagnostic",
            ));
        }
        return Err(ck.diags);
    };
    let output = resolve_output(output.unwrap_or_default());
    Ok(TaskSpec {
        name,
        version,
        task_id: ident.task_id,
        group: task.group.unwrap_or_else(|| task.label.clone()),
        label: task.label,
        description: description.unwrap_or_default().trim().to_string(),
        license,
        citation: citation.map(|c| c.trim().to_string()),
        seed,
        split: ident.split,
        tags,
        task_categories: task_categories
            .unwrap_or_else(|| vec!["visual-question-answering".into()]),
        constants,
        axes,
        sampling,
        vars,
        constraints,
        scene,
        answers,
        prompts,
        formats,
        templates,
        metadata,
        output,
        verify,
        limits: *limits,
        source: src,
    })
}

/// The metadata column of a grid variable; `None` for a name that is not an identifier
/// (already reported as `bad-name`).
fn default_meta(var: &str) -> Option<NamedExpr> {
    let expr = crate::expr::Expr::parse(var).ok()?;
    Some(NamedExpr {
        name: var.to_string(),
        param: Param::Expr(expr, 0),
        path: format!("grid.{var}"),
    })
}

fn eval_constants(
    ck: &mut Checker<'_>,
    raw: &IndexMap<String, serde_json::Value>,
    known: &mut IndexSet<String>,
) -> IndexMap<String, Value> {
    let mut values = IndexMap::new();
    for (name, v) in raw {
        let path = format!("constants.{name}");
        meta::check_name(ck, name, &path);
        let parsed = ck.expr_or_literal(v, &path, known, false);
        // A broken constant still defines its name, so later sections do not cascade errors.
        known.insert(name.clone());
        let Some(param) = parsed else {
            continue;
        };
        let value = match param {
            Param::Const(v) => v,
            // Only vars hold plugin calls and sequences.
            Param::Plugin(_) | Param::Sequence(_) => continue,
            Param::Expr(e, _) => {
                let mut budget = Budget::new(ck.limits.eval_steps);
                let mut ctx = EvalCtx {
                    scope: &values,
                    rng: None,
                    budget: &mut budget,
                };
                match e.eval(&mut ctx) {
                    Ok(v) => v,
                    Err(err) => {
                        ck.error("eval-error", err.message.clone(), &path, None);
                        continue;
                    }
                }
            }
        };
        known.insert(name.clone());
        values.insert(name.clone(), value);
    }
    values
}

/// Resolves an ordered name → expression map, adding each name to `known` after its value.
fn named(
    ck: &mut Checker<'_>,
    raw: &IndexMap<String, serde_json::Value>,
    section: &str,
    known: &mut IndexSet<String>,
    allow_random: bool,
) -> Vec<NamedExpr> {
    let mut out = Vec::new();
    for (name, v) in raw {
        let path = format!("{section}.{name}");
        meta::check_name(ck, name, &path);
        let form = match section {
            "vars" => forms::var_form(ck, v, &path, known),
            _ => None,
        };
        let param = form.unwrap_or_else(|| ck.expr_or_literal(v, &path, known, allow_random));
        if let Some(param) = param {
            out.push(NamedExpr {
                name: name.clone(),
                param,
                path: path.clone(),
            });
        }
        if section != "metadata" && !known.insert(name.clone()) {
            ck.error(
                "duplicate-name",
                format!("`{name}` is already defined"),
                &path,
                None,
            )
            .hints
            .push("names are shared by constants, grid variables, vars and answers".into());
        }
    }
    out
}

fn resolve_sampling(
    ck: &mut Checker<'_>,
    raw: RawSampling,
    axes: &[crate::spec::types::Axis],
) -> Sampling {
    let per_cell = raw.per_cell.unwrap_or(1);
    if per_cell == 0 {
        ck.error(
            "bad-sampling",
            "`per_cell` must be at least 1",
            "sampling.per_cell",
            None,
        );
    }
    let retries = raw.retries.unwrap_or(DEFAULT_RETRIES).max(1);
    if u64::from(retries) > ck.limits.retries {
        let msg = format!(
            "`retries` is {retries}, more than the limit of {}",
            ck.limits.retries
        );
        let d = ck.error("too-many-retries", msg, "sampling.retries", None);
        d.hints.push(crate::limits::hint("retries"));
    }
    let seed_axes = match raw.seed_by {
        None => (0..axes.len()).collect(),
        Some(names) => names
            .iter()
            .enumerate()
            .filter_map(|(i, n)| {
                let found = axes.iter().position(|a| &a.name == n);
                if found.is_none() {
                    ck.error(
                        "unknown-axis",
                        format!("`{n}` is not a grid axis"),
                        &format!("sampling.seed_by[{i}]"),
                        None,
                    );
                }
                found
            })
            .collect(),
    };
    Sampling {
        per_cell,
        retries,
        seed_axes,
        balance: None,
        unique: Vec::new(),
        repeat: 1,
    }
}

/// Resolves `balance` and `unique`, which read the vars.
fn resolve_quota(
    ck: &mut Checker<'_>,
    raw: &RawSampling,
    known: &IndexSet<String>,
    sampling: &mut Sampling,
) {
    let constraint = |ck: &mut Checker<'_>, text: &str, path: String| {
        ck.expr(text, &path, known, false)
            .map(|(expr, _)| Constraint {
                expr,
                message: None,
                path,
            })
    };
    if let Some(b) = &raw.balance {
        let on = constraint(ck, &b.on, "sampling.balance.on".into());
        let values: Vec<Value> = b
            .values
            .iter()
            .enumerate()
            .filter_map(|(i, v)| ck.literal(v, &format!("sampling.balance.values[{i}]")))
            .collect();
        if b.values.is_empty() {
            ck.error(
                "bad-sampling",
                "`balance.values` must not be empty",
                "sampling.balance.values",
                None,
            );
        }
        if let (Some(on), false) = (on, values.is_empty()) {
            sampling.balance = Some(Balance { on, values });
        }
    }
    for (i, u) in raw.unique.iter().flatten().enumerate() {
        sampling
            .unique
            .extend(constraint(ck, u, format!("sampling.unique[{i}]")));
    }
}

/// Resolves a list of conditions (`constraints`, `verify.margins`) at spec path `section`.
fn resolve_constraints(
    ck: &mut Checker<'_>,
    raw: &[RawConstraint],
    known: &IndexSet<String>,
    section: &str,
    allow_random: bool,
) -> Vec<Constraint> {
    let mut out = Vec::new();
    for (i, c) in raw.iter().enumerate() {
        let (text, message, path) = match c {
            RawConstraint::Expr(e) => (e, None, format!("{section}[{i}]")),
            RawConstraint::WithMessage { expr, message } => {
                (expr, Some(message.clone()), format!("{section}[{i}].expr"))
            }
        };
        if let Some((expr, _)) = ck.expr(text, &path, known, allow_random) {
            out.push(Constraint {
                expr,
                message,
                path,
            });
        }
    }
    out
}

fn resolve_output(raw: RawOutput) -> OutputOptions {
    OutputOptions {
        color: raw.color.unwrap_or(ColorMode::Auto),
        compression: raw.compression.unwrap_or(Compression::Fast),
    }
}
