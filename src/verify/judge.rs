//! Judging one rendered sample: cut the masks, take the measures, evaluate the checks and
//! margins, and compare each re-derived answer with the label.
//!
//! Invariants: a verdict depends only on the spec, the sample's values, its labels and its
//! pixels; measures are evaluated in spec order and each mask is cut once per image.
//! Labels and re-derived answers are compared in the prompt's answer format's canonical
//! form, the way the scorer compares a reply with the truth.

use std::collections::BTreeMap;

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

use super::pixels::{self, Image, Joined, Line, Mask, MaskRule, Rect};
use super::types::{MaskRuleSpec, MeasureKind, MeasureSpec, VerifySpec};
use crate::compose::ComposeError;
use crate::compose::eval::{Evaluator, Layer};
use crate::expr::{Budget, Value};
use crate::rng::SampleRng;
use crate::scene::color::{self, Rgb};
use crate::spec::TaskSpec;

/// What the pixels say about one sample.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Verdict {
    /// Every measure, in spec order.
    pub measures: IndexMap<String, serde_json::Value>,
    /// One outcome per (check, prompt).
    pub checks: Vec<Outcome>,
    /// The margins the sample is inside (their messages or expressions).
    pub inside: Vec<String>,
}

/// One prompt's label against its re-derivation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Outcome {
    /// The check key.
    pub check: String,
    /// The prompt id.
    pub prompt: String,
    /// The label (ground truth) as stored.
    pub label: String,
    /// What the pixels say.
    pub measured: String,
    /// Whether they agree in the answer format's canonical form.
    pub agrees: bool,
}

impl Verdict {
    /// Whether every check agrees.
    pub fn agrees(&self) -> bool {
        self.checks.iter().all(|c| c.agrees)
    }
}

/// Judges one image. `labels` holds each prompt's ground truth, in prompt order;
/// `scene_background` is the background the masks default to.
pub fn judge(
    spec: &TaskSpec,
    v: &VerifySpec,
    values: &IndexMap<String, Value>,
    labels: &[String],
    scene_background: Rgb,
    image: &Image<'_>,
) -> Result<Verdict, ComposeError> {
    let mut rng = SampleRng::new(0);
    let mut budget = Budget::new(spec.limits.eval_steps);
    let mut ev = Evaluator {
        rng: &mut rng,
        budget: &mut budget,
    };
    let background = match &v.background {
        Some(p) => colour(&mut ev, p, values, "verify.background")?,
        None => scene_background,
    };
    let rules = mask_rules(&mut ev, v, values)?;
    let Rgb(r, g, b) = background;
    let background = [r, g, b];
    let masks = pixels::masks_for(image, background, &rules, &v.cut_in_full);
    let mut pixels = Pixels {
        image,
        background,
        rules: &rules,
        masks: &masks,
        joined: BTreeMap::new(),
    };
    // The measures join the sample's names for the checks and margins.
    let mut scope = Layer::over(values);
    let mut verdict = Verdict::default();
    for m in &v.measures {
        let value = measure(&mut ev, m, &mut pixels, values)?;
        verdict.measures.insert(m.name.clone(), json(&value));
        scope.local.push((m.name.clone(), value));
    }
    for c in &v.checks {
        let got = ev.expr(&c.expr, c.offset, &scope, &c.path)?;
        for &p in &c.prompts {
            let prompt = &spec.prompts[p];
            let format = &spec.formats[&prompt.format];
            let (label, measured) = (labels[p].clone(), got.display());
            let agrees = format.canonical(&label) == format.canonical(&measured);
            verdict.checks.push(Outcome {
                check: c.key.clone(),
                prompt: prompt.id.clone(),
                label,
                measured,
                agrees,
            });
        }
    }
    for m in &v.margins {
        if !ev.holds(m, &scope)? {
            verdict.inside.push(m.describe());
        }
    }
    Ok(verdict)
}

fn colour(
    ev: &mut Evaluator<'_>,
    p: &crate::spec::types::Param,
    values: &IndexMap<String, Value>,
    path: &str,
) -> Result<Rgb, ComposeError> {
    let text = ev.string(p, &Layer::over(values), path)?;
    match color::parse(&text) {
        Ok(Some(rgb)) => Ok(rgb),
        Ok(None) => Err(ComposeError::new(
            "bad-colour",
            "a mask colour cannot be `none`",
            path,
        )),
        Err(e) => Err(ComposeError::new("bad-colour", e, path)),
    }
}

/// One image's pixels, its masks, and the joined labels measures have asked for so far.
struct Pixels<'a> {
    image: &'a Image<'a>,
    background: [u8; 3],
    rules: &'a [MaskRule],
    masks: &'a [Mask],
    /// Labels by (mask, join) — `connects` over the same masks asks once per mask.
    joined: BTreeMap<(usize, u64), Joined<'a>>,
}

impl<'a> Pixels<'a> {
    fn joined(&mut self, mask: usize, join: f64) -> &Joined<'a> {
        let masks = self.masks;
        (self.joined.entry((mask, join.to_bits())))
            .or_insert_with(|| Joined::new(&masks[mask], join))
    }
}

fn mask_rules(
    ev: &mut Evaluator<'_>,
    v: &VerifySpec,
    values: &IndexMap<String, Value>,
) -> Result<Vec<MaskRule>, ComposeError> {
    let mut rules = Vec::with_capacity(v.masks.len());
    for m in &v.masks {
        rules.push(match &m.rule {
            MaskRuleSpec::Color(p, tolerance) => {
                let Rgb(r, g, b) =
                    colour(ev, p, values, &format!("verify.masks.{}.color", m.name))?;
                MaskRule::Color {
                    rgb: [r, g, b],
                    tolerance: *tolerance,
                }
            }
            MaskRuleSpec::Ink(t) => MaskRule::Ink { threshold: *t },
            MaskRuleSpec::Dark(t) => MaskRule::Dark { threshold: *t },
        });
    }
    Ok(rules)
}

fn measure(
    ev: &mut Evaluator<'_>,
    m: &MeasureSpec,
    px: &mut Pixels<'_>,
    values: &IndexMap<String, Value>,
) -> Result<Value, ComposeError> {
    let mut opts = Options { ev, m, values };
    let masks = px.masks;
    let first = &masks[m.masks[0]];
    let second = || &masks[m.masks[1]];
    let count = |n: u64| Value::Int(n.min(i64::MAX as u64) as i64);
    Ok(match m.kind {
        MeasureKind::Components => count(pixels::components(first, opts.count("min_area", 1)?)),
        MeasureKind::Contours => count(pixels::contours(first, opts.count("min_area", 1)?)),
        MeasureKind::Runs => {
            let min_len = opts.count("min_len", 1)?.min(u64::from(u32::MAX)) as u32;
            let line = opts.line()?;
            let (image, bg, rules) = (px.image, px.background, px.rules);
            count(pixels::runs_on_line(
                image, bg, rules, m.masks[0], line, min_len,
            ))
        }
        MeasureKind::Gap => match pixels::gap(first, second()) {
            Some(g) => Value::Float(g),
            None => Value::Float(f64::INFINITY),
        },
        MeasureKind::Contact => count(pixels::contact(first, second())),
        MeasureKind::Crossings => count(pixels::crossings(first, second(), opts.num("join", 1.0)?)),
        MeasureKind::Connects => {
            let (from, to, join) = (opts.rect("from")?, opts.rect("to")?, opts.num("join", 1.0)?);
            let hits = (m.masks.iter()).filter(|&&i| px.joined(i, join).connects(from, to));
            count(hits.count() as u64)
        }
    })
}

/// Evaluates a measure's options in the sample's scope.
struct Options<'e, 'a, 'v> {
    ev: &'e mut Evaluator<'a>,
    m: &'v MeasureSpec,
    values: &'v IndexMap<String, Value>,
}

impl Options<'_, '_, '_> {
    fn path(&self, name: &str) -> String {
        format!("{}.{name}", self.m.path)
    }

    fn num(&mut self, name: &str, default: f64) -> Result<f64, ComposeError> {
        match self.m.option(name) {
            Some(p) => {
                let x = self
                    .ev
                    .num(p, &Layer::over(self.values), &self.path(name))?;
                match x.is_finite() && x >= 0.0 {
                    true => Ok(x),
                    false => Err(ComposeError::new(
                        "bad-measure",
                        format!("`{name}` must be a finite number ≥ 0, got {x}"),
                        &self.path(name),
                    )),
                }
            }
            None => Ok(default),
        }
    }

    fn count(&mut self, name: &str, default: u64) -> Result<u64, ComposeError> {
        Ok(self.num(name, default as f64)?.floor() as u64)
    }

    fn line(&mut self) -> Result<Line, ComposeError> {
        let at = |x: f64| x.floor().min(f64::from(u32::MAX)) as u32;
        match self.m.option("row") {
            Some(_) => Ok(Line::Row(at(self.num("row", 0.0)?))),
            None => Ok(Line::Column(at(self.num("column", 0.0)?))),
        }
    }

    fn rect(&mut self, name: &str) -> Result<Rect, ComposeError> {
        let path = self.path(name);
        let p = self.m.option(name).expect("validation requires the region");
        let v = self.ev.eval(p, &Layer::over(self.values), &path)?;
        let nums: Option<Vec<f64>> = match &v {
            Value::List(items) if items.len() == 4 => items.iter().map(Value::as_f64).collect(),
            _ => None,
        };
        match nums {
            Some(n) if n.iter().all(|x| x.is_finite()) => Ok(Rect {
                x0: n[0].floor() as i64,
                y0: n[1].floor() as i64,
                x1: n[2].ceil() as i64,
                y1: n[3].ceil() as i64,
            }),
            _ => Err(crate::compose::eval::type_error(
                "a region [x0, y0, x1, y1] of numbers",
                &v,
                &path,
            )),
        }
    }
}

fn json(v: &Value) -> serde_json::Value {
    match v {
        Value::Float(f) if !f.is_finite() => serde_json::Value::Null,
        other => other.to_json().unwrap_or(serde_json::Value::Null),
    }
}
