//! Composing one sample: grid point + seed → values, scene, answers, prompts, metadata.
//!
//! Order of evaluation: constants and grid variables; then the *draw* ([`DrawSplit`]: the
//! random vars and whatever the constraints, quota and uniqueness read), with the sample's
//! random source; constraints are checked and a failing draw is redrawn (the random source
//! continues, so redraws differ) up to the retry limit; then the remaining vars in spec
//! order, answers, metadata, scene and prompts. A sample's result depends only on the spec
//! and its [`SamplePlan`]; [`Composer`] shares one draw among consecutive samples of a
//! seed key when that cannot change it.

mod draw;
pub mod eval;
mod reject;
pub mod scene;
pub mod split;

use indexmap::IndexMap;

pub use draw::{DrawStart, quota_target, unique_skips};
pub use eval::ComposeError;
use eval::{Evaluator, Layer};
pub use reject::{Rejection, Rejections};
pub use split::DrawSplit;

use crate::expand::SamplePlan;
use crate::expr::{Budget, Value};
use crate::rng::SampleRng;
use crate::scene::Scene;
use crate::spec::TaskSpec;
use crate::spec::types::{NamedExpr, PromptSpec};

/// One prompt row of a sample.
#[derive(Debug, Clone)]
pub struct PromptRow {
    /// Prompt id, e.g. `p1`.
    pub id: String,
    /// Rendered prompt text.
    pub text: String,
    /// Expected answer, as text.
    pub answer: String,
    /// Answer format name.
    pub format: String,
    /// Every possible answer, when the prompt declares them.
    pub choices: Option<Vec<String>>,
}

/// Everything a sample contributes to the dataset, before rendering.
#[derive(Debug, Clone)]
pub struct Sample {
    /// Where the sample sits in the expansion.
    pub plan: SamplePlan,
    /// The picture.
    pub scene: Scene,
    /// Rows, one per prompt.
    pub prompts: Vec<PromptRow>,
    /// The `metadata` column as JSON object text.
    pub metadata: String,
    /// Draws rejected (by constraints, the balance quota or uniqueness) before this one was
    /// accepted, per reason.
    pub rejected: Rejections,
    /// Every name the sample defines (constants, grid variables, vars, answers), for the
    /// checks of `verify:`.
    pub values: IndexMap<String, Value>,
}

/// Composes the sample described by `plan`.
pub fn compose(spec: &TaskSpec, plan: &SamplePlan) -> Result<Sample, ComposeError> {
    Composer::new(spec).compose(plan)
}

/// Composes the samples of one spec in sequence, reusing a seed key's draw for the
/// following samples of the same key when the draw is per key ([`DrawSplit`]).
///
/// The result of [`Composer::compose`] never depends on which samples came before: a
/// reused draw is the draw the sample would have made itself.
pub struct Composer<'s> {
    spec: &'s TaskSpec,
    split: DrawSplit,
    last: Option<Drawn>,
}

/// An accepted draw and the state it leaves behind.
#[derive(Clone)]
struct Drawn {
    /// The seed key it belongs to: (seed, key index, copy, skip).
    key: (u64, u64, u64, u32),
    /// Values of the draw's vars, in order.
    values: Vec<Value>,
    rng: SampleRng,
    budget: Budget,
    rejected: Rejections,
}

impl<'s> Composer<'s> {
    /// A composer for `spec`.
    pub fn new(spec: &'s TaskSpec) -> Self {
        Self {
            spec,
            split: DrawSplit::of(spec),
            last: None,
        }
    }

    /// The spec it composes.
    pub fn spec(&self) -> &'s TaskSpec {
        self.spec
    }

    /// Whether the samples draw anything at random, so that a redraw can differ.
    pub fn draws_at_random(&self) -> bool {
        self.split.random
    }

    /// Composes the sample described by `plan`.
    pub fn compose(&mut self, plan: &SamplePlan) -> Result<Sample, ComposeError> {
        crate::render::metrics::install();
        let spec = self.spec;
        let Drawn {
            values: drawn,
            mut rng,
            mut budget,
            rejected,
            ..
        } = self.draw(plan)?;
        let mut ev = Evaluator {
            rng: &mut rng,
            budget: &mut budget,
        };
        let mut values = self.values(plan, drawn, &mut ev)?;
        eval_named(&spec.answers, &mut values, &mut ev)?;
        let metadata = metadata(spec, &values, &mut ev)?;
        let scene = scene::build(&spec.scene, &values, &mut ev, spec.limits.canvas_pixels)?;
        let prompts = prompts(spec, &values, &mut ev)?;
        Ok(Sample {
            plan: plan.clone(),
            scene,
            prompts,
            metadata,
            rejected,
            values,
        })
    }

    /// The accepted draw of the plan's seed key: the previous sample's when it shares the
    /// key and the draw is per key, else drawn now.
    fn draw(&mut self, plan: &SamplePlan) -> Result<Drawn, ComposeError> {
        let key = (plan.seed, plan.key_index, plan.repeat, plan.skip);
        if let Some(last) = self.last.as_ref().filter(|d| d.key == key) {
            return Ok(last.clone());
        }
        let mut rng = SampleRng::new(plan.seed);
        let mut budget = Budget::new(self.spec.limits.eval_steps);
        let mut ev = Evaluator {
            rng: &mut rng,
            budget: &mut budget,
        };
        let split = &self.split;
        let drawn = draw::draw_plan(self.spec, plan, split, &mut ev)?;
        let (mut values, rejected) = (drawn.values, drawn.start.rejected);
        let values = (split.draw_vars.iter())
            .map(|v| values.swap_remove(&v.name).expect("the draw bound it"))
            .collect();
        let drawn = Drawn {
            key,
            values,
            rng,
            budget,
            rejected,
        };
        if self.split.per_key {
            self.last = Some(drawn.clone());
        }
        Ok(drawn)
    }

    /// The sample's scope: base, then every var in spec order, drawn or derived.
    fn values(
        &self,
        plan: &SamplePlan,
        drawn: Vec<Value>,
        ev: &mut Evaluator<'_>,
    ) -> Result<IndexMap<String, Value>, ComposeError> {
        let mut values = base_scope(self.spec, plan);
        let mut drawn = drawn.into_iter();
        for (var, &in_draw) in self.spec.vars.iter().zip(&self.split.in_draw) {
            let v = match in_draw {
                true => drawn.next().expect("one value per draw var"),
                false => ev.eval(&var.param, &Layer::over(&values), &var.path)?,
            };
            values.insert(var.name.clone(), v);
        }
        Ok(values)
    }
}

pub(crate) fn base_scope(spec: &TaskSpec, plan: &SamplePlan) -> IndexMap<String, Value> {
    let mut scope = spec.constants.clone();
    for (axis, &pos) in spec.axes.iter().zip(&plan.cell) {
        for (var, v) in axis.vars.iter().zip(&axis.values[pos]) {
            scope.insert(var.clone(), v.clone());
        }
    }
    scope
}

pub(crate) fn eval_named(
    list: &[NamedExpr],
    values: &mut IndexMap<String, Value>,
    ev: &mut Evaluator<'_>,
) -> Result<(), ComposeError> {
    for n in list {
        let v = ev.eval(&n.param, &Layer::over(values), &n.path)?;
        values.insert(n.name.clone(), v);
    }
    Ok(())
}

fn metadata(
    spec: &TaskSpec,
    values: &IndexMap<String, Value>,
    ev: &mut Evaluator<'_>,
) -> Result<String, ComposeError> {
    let mut obj = serde_json::Map::new();
    let scope = Layer::over(values);
    for m in &spec.metadata {
        let v = ev.eval(&m.param, &scope, &m.path)?;
        let json = v
            .to_json()
            .map_err(|e| ComposeError::new("bad-metadata", e, &m.path))?;
        obj.insert(m.name.clone(), json);
    }
    Ok(serde_json::Value::Object(obj).to_string())
}

fn prompts(
    spec: &TaskSpec,
    values: &IndexMap<String, Value>,
    ev: &mut Evaluator<'_>,
) -> Result<Vec<PromptRow>, ComposeError> {
    let scope = Layer::over(values);
    let mut rows = Vec::with_capacity(spec.prompts.len());
    for p in &spec.prompts {
        let answer = ev
            .eval(&p.answer, &scope, &format!("{}.answer", p.path))?
            .display();
        let choices = match &p.choices {
            Some(c) => Some(choices(
                ev.eval(c, &scope, &format!("{}.choices", p.path))?,
                p,
            )?),
            None => None,
        };
        check_answer(spec, p, &answer, choices.as_deref())?;
        let max = spec.limits.prompt_bytes;
        let text = crate::prompt::render(&spec.templates, &p.id, p.names.as_deref(), values, max)
            .map_err(|e| {
            let path = format!("{}.template", p.path);
            let mut err = ComposeError::new(
                "template-error",
                format!("prompt does not render ({e})"),
                &path,
            );
            err.hint = e.limit.map(crate::limits::hint);
            err
        })?;
        rows.push(PromptRow {
            id: p.id.clone(),
            text,
            answer,
            format: p.format.clone(),
            choices,
        });
    }
    Ok(rows)
}

/// A prompt's `choices` value as answer strings.
fn choices(v: Value, p: &PromptSpec) -> Result<Vec<String>, ComposeError> {
    match v {
        Value::List(items) if !items.is_empty() => Ok(items.iter().map(Value::display).collect()),
        other => Err(ComposeError::new(
            "bad-choices",
            format!(
                "`choices` must be a non-empty list, got {}",
                other.type_name()
            ),
            &format!("{}.choices", p.path),
        )),
    }
}

/// The answer must fit the prompt's format and be one of its choices.
fn check_answer(
    spec: &TaskSpec,
    p: &PromptSpec,
    answer: &str,
    choices: Option<&[String]>,
) -> Result<(), ComposeError> {
    let format = &spec.formats[&p.format];
    let path = format!("{}.answer", p.path);
    format
        .check_truth(answer)
        .map_err(|e| ComposeError::new("answer-format", e, &path))?;
    let want = format.canonical(answer);
    match choices {
        Some(c) if !c.iter().any(|c| format.canonical(c) == want) => Err(ComposeError::new(
            "answer-not-in-choices",
            format!("the answer {answer:?} is not among the prompt's choices {c:?}"),
            &path,
        )),
        _ => Ok(()),
    }
}
