//! Drawing a sample's vars: constraints, answer quotas (`sampling.balance`) and
//! uniqueness across seed keys (`sampling.unique`).
//!
//! Invariants: every attempt continues the sample's own random source, so redraws differ
//! and the n-th accepted draw of a seed key is always the same; each attempt gets a fresh
//! evaluation budget; the number of attempts is bounded by `retries × (skip + 1)`. Since an
//! attempt depends only on the random source at its start, composing from the planner's
//! [`DrawStart`] gives the values, random source, budget and rejection counts of replaying
//! every attempt before it.

use std::collections::BTreeSet;

use indexmap::IndexMap;

use super::eval::{ComposeError, Evaluator, Layer};
use super::reject::{Rejection, Rejections};
use super::split::DrawSplit;
use super::{base_scope, eval_named};
use crate::expand::{SamplePlan, plan};
use crate::expr::{Budget, Value};
use crate::rng::SampleRng;
use crate::spec::TaskSpec;
use crate::spec::types::Constraint;

/// Where the accepted draw of a seed key begins, found by the planner (which draws every
/// key of a spec with `sampling.unique` to count its skips): the random source at the start
/// of the accepted attempt and the attempts rejected before it. With it, a sample evaluates
/// that one attempt instead of replaying every rejected one ([`from_start`]); the values,
/// the random source and the budget it leaves are those of the replay.
///
/// Only [`unique_skips`] makes one: [`from_start`] checks constraints and quota but cannot
/// re-check uniqueness, so a start must be the planner's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DrawStart {
    /// The sample's random source as the accepted attempt begins.
    pub(super) rng: SampleRng,
    /// The attempts rejected before it, per reason.
    pub(super) rejected: Rejections,
}

impl DrawStart {
    /// The accepted draws skipped before this one: the draw loop counts each as a
    /// [`Rejection::Unique`].
    pub fn skip(&self) -> u32 {
        self.rejected.count(Rejection::Unique)
    }
}

/// An accepted draw: its values and where it began.
pub(super) struct Accepted {
    pub values: IndexMap<String, Value>,
    pub start: DrawStart,
}

/// The accepted draw of `plan`: evaluated from the planner's start when the plan carries
/// one for its `skip` (a margin redraw raises the plan's `skip`, so its start no longer
/// applies), else replayed from the seed, skipping `plan.skip` accepted draws.
pub(super) fn draw_plan(
    spec: &TaskSpec,
    plan: &SamplePlan,
    split: &DrawSplit,
    ev: &mut Evaluator<'_>,
) -> Result<Accepted, ComposeError> {
    let start = (plan.draw_start.as_ref()).filter(|s| s.skip() == plan.skip);
    let from = start.map(|s| from_start(spec, plan, split, ev, s));
    if let Some(drawn) = from.transpose()?.flatten() {
        return Ok(drawn);
    }
    let mut accepted = 0u32;
    draw_until(spec, plan, split, ev, |_| {
        accepted += 1;
        Ok(accepted > plan.skip)
    })
}

/// Draws until `accept` says yes for an accepted draw; returns the values, with the
/// random source at the accepted attempt's start and the rejected attempts. Each attempt
/// evaluates the draw of `split` over the sample's base scope. `accept` sees each draw that
/// meets the constraints and quota; a draw it refuses counts as [`Rejection::Unique`].
pub(super) fn draw_until(
    spec: &TaskSpec,
    plan: &SamplePlan,
    split: &DrawSplit,
    ev: &mut Evaluator<'_>,
    mut accept: impl FnMut(&IndexMap<String, Value>) -> Result<bool, ComposeError>,
) -> Result<Accepted, ComposeError> {
    let base = base_scope(spec, plan);
    let limit = u64::from(spec.sampling.retries) * (u64::from(plan.skip) + 1);
    let (mut rejected, mut last) = (Rejections::default(), None);
    for _ in 0..limit {
        let rng = ev.rng.clone();
        let (values, why) = attempt(spec, plan, split, ev, &base)?;
        match why {
            None if accept(&values)? => {
                let start = DrawStart { rng, rejected };
                return Ok(Accepted { values, start });
            }
            None => rejected.add(Rejection::Unique),
            Some(r) if !split.random => {
                return Err(failure(
                    spec,
                    plan,
                    r,
                    "no var is random, so redrawing cannot help",
                ));
            }
            Some(r) => {
                rejected.add(r);
                last = Some(r);
            }
        }
    }
    let why = format!("{limit} draws did not meet it");
    Err(match last {
        Some(r) => failure(spec, plan, r, &why),
        None => uniqueness_failure(spec, &why),
    })
}

/// The accepted draw evaluated from where it begins, as one attempt of [`draw_until`]
/// (fresh budget, same evaluation, same checks), leaving `ev` as the replay would. `None`,
/// with `ev` untouched, if that attempt is not accepted, which a `start` the planner found
/// for this plan never is.
fn from_start(
    spec: &TaskSpec,
    plan: &SamplePlan,
    split: &DrawSplit,
    ev: &mut Evaluator<'_>,
    start: &DrawStart,
) -> Result<Option<Accepted>, ComposeError> {
    let (mut rng, mut budget) = (start.rng.clone(), *ev.budget);
    let mut own = Evaluator {
        rng: &mut rng,
        budget: &mut budget,
    };
    let (values, why) = attempt(spec, plan, split, &mut own, &base_scope(spec, plan))?;
    if why.is_some() {
        return Ok(None);
    }
    (*ev.rng, *ev.budget) = (rng, budget);
    let start = start.clone();
    Ok(Some(Accepted { values, start }))
}

/// One attempt: a fresh budget, the draw's vars over the base scope, and the first reason
/// (constraint or quota) to reject it.
fn attempt(
    spec: &TaskSpec,
    plan: &SamplePlan,
    split: &DrawSplit,
    ev: &mut Evaluator<'_>,
    base: &IndexMap<String, Value>,
) -> Result<(IndexMap<String, Value>, Option<Rejection>), ComposeError> {
    *ev.budget = Budget::new(spec.limits.eval_steps);
    let mut values = base.clone();
    eval_named(&split.draw_vars, &mut values, ev)?;
    let why = rejection(spec, plan, &values, ev)?;
    Ok((values, why))
}

fn rejection(
    spec: &TaskSpec,
    plan: &SamplePlan,
    values: &IndexMap<String, Value>,
    ev: &mut Evaluator<'_>,
) -> Result<Option<Rejection>, ComposeError> {
    let scope = Layer::over(values);
    for (i, c) in spec.constraints.iter().enumerate() {
        if !ev.holds(c, &scope)? {
            return Ok(Some(Rejection::Constraint(i)));
        }
    }
    if let Some(b) = &spec.sampling.balance {
        let got = ev.expr(&b.on.expr, 0, &scope, &b.on.path)?;
        if !same(&got, quota_target(b.values.as_slice(), plan)) {
            return Ok(Some(Rejection::Quota));
        }
    }
    Ok(None)
}

/// The value a seed key must produce: keys are split into equal consecutive blocks.
pub fn quota_target<'v>(values: &'v [Value], plan: &SamplePlan) -> &'v Value {
    let k = values.len() as u64;
    let i = (plan.key_index * k / plan.key_count.max(1)).min(k - 1);
    &values[i as usize]
}

fn same(a: &Value, b: &Value) -> bool {
    match (a.as_f64(), b.as_f64()) {
        (Some(x), Some(y)) => x == y,
        _ => a == b,
    }
}

fn failure(spec: &TaskSpec, plan: &SamplePlan, r: Rejection, why: &str) -> ComposeError {
    match r {
        Rejection::Constraint(i) => unsatisfiable(&spec.constraints[i], why),
        Rejection::Unique => uniqueness_failure(spec, why),
        // Margin redraws are counted after the draw loop; it never rejects for a margin.
        Rejection::Margin => ComposeError::new(
            "unsatisfiable",
            format!("no draw left the `verify:` margins ({why})"),
            "verify.margins",
        ),
        Rejection::Quota => {
            let b = spec
                .sampling
                .balance
                .as_ref()
                .expect("quota rejections come from a balance");
            let target = quota_target(&b.values, plan).display();
            let msg = format!(
                "the quota for `{}` = {target} cannot be met ({why})",
                b.on.expr.source()
            );
            let mut e = ComposeError::new("quota-unmet", msg, &b.on.path);
            e.hint = Some(
                "check that every balanced value can occur, or raise `sampling.retries`".into(),
            );
            e
        }
    }
}

fn unsatisfiable(c: &Constraint, why: &str) -> ComposeError {
    let msg = format!("constraint `{}` cannot be met ({why})", c.expr.source());
    let mut e = ComposeError::new("unsatisfiable", msg, &c.path);
    e.hint = Some(match &c.message {
        Some(m) => format!("{m}; loosen the constraint or raise `sampling.retries`"),
        None => "loosen the constraint, change the draws, or raise `sampling.retries`".into(),
    });
    e
}

fn uniqueness_failure(spec: &TaskSpec, why: &str) -> ComposeError {
    let path = spec
        .sampling
        .unique
        .first()
        .map_or("sampling.unique", |c| c.path.as_str());
    let mut e = ComposeError::new(
        "unique-unmet",
        format!("no new value for `sampling.unique` ({why})"),
        path,
    );
    e.hint = Some("the draws have fewer distinct outcomes than the task has seed keys".into());
    e
}

/// For every seed key of copy `repeat` in order, the number of accepted draws to skip so
/// that its values of the `unique` expressions are not all taken by earlier keys of the same
/// copy, with where the accepted draw begins. `keys` is
/// [`crate::expand::key_representatives`] of the spec. Errors carry the sample index.
pub fn unique_skips(
    spec: &TaskSpec,
    keys: &[u64],
    repeat: u64,
) -> Result<Vec<DrawStart>, (u64, ComposeError)> {
    let mut seen: Vec<BTreeSet<String>> = vec![BTreeSet::new(); spec.sampling.unique.len()];
    let split = DrawSplit::of(spec);
    let mut skips = Vec::new();
    let offset = repeat * spec.base_images();
    for index in keys.iter().map(|i| i + offset) {
        let p = plan(spec, index);
        let mut rng = SampleRng::new(p.seed);
        let mut budget = Budget::new(spec.limits.eval_steps);
        let mut ev = Evaluator {
            rng: &mut rng,
            budget: &mut budget,
        };
        let mut keys = Vec::new();
        let accept = |values: &IndexMap<String, Value>| {
            keys = unique_keys(spec, values)?;
            Ok(keys.iter().zip(&seen).any(|(k, s)| !s.contains(k)))
        };
        let drawn = draw_until(spec, &p, &split, &mut ev, accept).map_err(|e| (index, e))?;
        for (k, s) in keys.into_iter().zip(&mut seen) {
            s.insert(k);
        }
        skips.push(drawn.start);
    }
    Ok(skips)
}

fn unique_keys(
    spec: &TaskSpec,
    values: &IndexMap<String, Value>,
) -> Result<Vec<String>, ComposeError> {
    let mut rng = SampleRng::new(0);
    let mut budget = Budget::new(spec.limits.eval_steps);
    let mut ev = Evaluator {
        rng: &mut rng,
        budget: &mut budget,
    };
    let scope = Layer::over(values);
    spec.sampling
        .unique
        .iter()
        .map(|c| ev.expr(&c.expr, 0, &scope, &c.path).map(|v| v.display()))
        .collect()
}

#[cfg(test)]
#[path = "draw_tests.rs"]
mod tests;
