//! Composing one sample: grid point + seed → values, scene, answers, prompts, metadata.
//!
//! Order of evaluation: constants, grid variables, then `vars` in order with the sample's
//! random source; constraints are checked and a failing draw is redrawn (the random source
//! continues, so redraws differ) up to the retry limit; then answers, metadata, scene and
//! prompts. A sample's result depends only on the spec and its [`SamplePlan`].

pub mod eval;
pub mod scene;

use indexmap::IndexMap;

pub use eval::ComposeError;
use eval::{Evaluator, Layer};

use crate::expand::SamplePlan;
use crate::expr::{Budget, DEFAULT_STEPS, Value};
use crate::rng::SampleRng;
use crate::scene::Scene;
use crate::spec::TaskSpec;
use crate::spec::types::NamedExpr;

/// One prompt row of a sample.
#[derive(Debug, Clone)]
pub struct PromptRow {
    /// Prompt id, e.g. `p1`.
    pub id: String,
    /// Rendered prompt text.
    pub text: String,
    /// Expected answer, as text.
    pub answer: String,
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
    /// Draws rejected by constraints before this one was accepted.
    pub rejected: u32,
}

/// Composes the sample described by `plan`.
pub fn compose(spec: &TaskSpec, plan: &SamplePlan) -> Result<Sample, ComposeError> {
    let mut rng = SampleRng::new(plan.seed);
    let mut budget = Budget::new(DEFAULT_STEPS);
    let mut ev = Evaluator {
        rng: &mut rng,
        budget: &mut budget,
    };
    let base = base_scope(spec, plan);
    let (mut values, rejected) = draw(spec, &base, &mut ev)?;
    eval_named(&spec.answers, &mut values, &mut ev)?;
    let metadata = metadata(spec, &values, &mut ev)?;
    let scene = scene::build(&spec.scene, &values, &mut ev)?;
    let prompts = prompts(spec, &values, &mut ev)?;
    Ok(Sample {
        plan: plan.clone(),
        scene,
        prompts,
        metadata,
        rejected,
    })
}

fn base_scope(spec: &TaskSpec, plan: &SamplePlan) -> IndexMap<String, Value> {
    let mut scope = spec.constants.clone();
    for (axis, &pos) in spec.axes.iter().zip(&plan.cell) {
        for (var, v) in axis.vars.iter().zip(&axis.values[pos]) {
            scope.insert(var.clone(), v.clone());
        }
    }
    scope
}

/// Evaluates the vars until every constraint holds; returns the values and the rejections.
fn draw(
    spec: &TaskSpec,
    base: &IndexMap<String, Value>,
    ev: &mut Evaluator<'_>,
) -> Result<(IndexMap<String, Value>, u32), ComposeError> {
    let random = spec
        .vars
        .iter()
        .any(|v| matches!(&v.param, crate::spec::types::Param::Expr(e, _) if e.uses_random()));
    let mut last_failed = None;
    for attempt in 0..spec.sampling.retries {
        let mut values = base.clone();
        eval_named(&spec.vars, &mut values, ev)?;
        match first_failed(spec, &values, ev)? {
            None => return Ok((values, attempt)),
            Some(i) if !random => {
                return Err(unsatisfiable(
                    spec,
                    i,
                    "no var is random, so redrawing cannot help",
                ));
            }
            Some(i) => last_failed = Some(i),
        }
    }
    let i = last_failed.unwrap_or(0);
    let why = format!("every one of {} draws failed it", spec.sampling.retries);
    Err(unsatisfiable(spec, i, &why))
}

fn first_failed(
    spec: &TaskSpec,
    values: &IndexMap<String, Value>,
    ev: &mut Evaluator<'_>,
) -> Result<Option<usize>, ComposeError> {
    let scope = Layer {
        base: values,
        local: Vec::new(),
    };
    for (i, c) in spec.constraints.iter().enumerate() {
        let p = crate::spec::types::Param::Expr(c.expr.clone(), 0);
        if !ev.boolean(&p, &scope, &c.path)? {
            return Ok(Some(i));
        }
    }
    Ok(None)
}

fn unsatisfiable(spec: &TaskSpec, i: usize, why: &str) -> ComposeError {
    let c = &spec.constraints[i];
    let mut e = ComposeError::new(
        "unsatisfiable",
        format!("constraint `{}` cannot be met ({why})", c.expr.source()),
        &c.path,
    );
    e.hint = Some(match &c.message {
        Some(m) => format!("{m}; loosen the constraint or raise `sampling.retries`"),
        None => "loosen the constraint, change the draws, or raise `sampling.retries`".into(),
    });
    e
}

fn eval_named(
    list: &[NamedExpr],
    values: &mut IndexMap<String, Value>,
    ev: &mut Evaluator<'_>,
) -> Result<(), ComposeError> {
    for n in list {
        let v = ev.eval(
            &n.param,
            &Layer {
                base: values,
                local: Vec::new(),
            },
            &n.path,
        )?;
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
    let scope = Layer {
        base: values,
        local: Vec::new(),
    };
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
    let scope = Layer {
        base: values,
        local: Vec::new(),
    };
    let mut rows = Vec::with_capacity(spec.prompts.len());
    for p in &spec.prompts {
        let answer = ev
            .eval(&p.answer, &scope, &format!("{}.answer", p.path))?
            .display();
        let text = crate::prompt::render(&spec.templates, &p.id, values).map_err(|e| {
            ComposeError::new(
                "template-error",
                format!("prompt does not render ({e})"),
                &format!("{}.template", p.path),
            )
        })?;
        rows.push(PromptRow {
            id: p.id.clone(),
            text,
            answer,
        });
    }
    Ok(rows)
}
