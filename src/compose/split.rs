//! Which vars the draw loop must evaluate, and whether a seed key's draw can be shared.
//!
//! The *draw* is the smallest set of vars that every attempt has to evaluate: the random
//! vars (random expressions, plugins, sequences) and whatever the constraints, the balance
//! expression and the `unique` expressions read, closed over what those vars read in turn.
//! Every other var is *derived*: it uses no randomness and nothing in the draw reads it, so
//! it is evaluated once, after a draw is accepted, with the same value it would have had
//! inside the accepted attempt.
//!
//! When the draw reads nothing but constants and the variables of `seed_by` axes, every
//! sample of a seed key makes the same attempts, accepts the same one and leaves the random
//! source and the step budget in the same state: the draw is *per key*, and
//! [`super::Composer`] computes it once for consecutive samples of a key (line plots draw
//! one random pair and render it six ways). Both facts are conservative: a name is a
//! dependency whenever it appears free in an expression, whether or not it is read.

use std::collections::BTreeSet;

use crate::spec::TaskSpec;
use crate::spec::types::{NamedExpr, Param};

/// The spec's vars divided into the draw and the derived rest.
#[derive(Debug, Clone)]
pub struct DrawSplit {
    /// Per var, in spec order: whether it belongs to the draw.
    pub in_draw: Vec<bool>,
    /// The draw's vars, in spec order.
    pub draw_vars: Vec<NamedExpr>,
    /// Whether the draw depends only on constants and `seed_by` axes.
    pub per_key: bool,
    /// Whether any var is random, i.e. whether redrawing can change anything.
    pub random: bool,
}

impl DrawSplit {
    /// Analyses a validated spec.
    pub fn of(spec: &TaskSpec) -> Self {
        let deps: Vec<BTreeSet<String>> = spec.vars.iter().map(|v| param_deps(&v.param)).collect();
        let mut wanted = acceptance_deps(spec);
        let mut in_draw = vec![false; spec.vars.len()];
        // Vars read only earlier vars, so one backward pass closes the set.
        for (i, var) in spec.vars.iter().enumerate().rev() {
            if random(&var.param) || wanted.contains(&var.name) {
                in_draw[i] = true;
                wanted.extend(deps[i].iter().cloned());
            }
        }
        let cell_names = non_seed_axis_vars(spec);
        let per_key = wanted.is_disjoint(&cell_names);
        let draw_vars = spec
            .vars
            .iter()
            .zip(&in_draw)
            .filter(|(_, d)| **d)
            .map(|(v, _)| v.clone())
            .collect();
        Self {
            in_draw,
            draw_vars,
            per_key,
            random: spec.vars.iter().any(|v| random(&v.param)),
        }
    }
}

/// Whether evaluating a var consumes the random source.
pub fn random(p: &Param) -> bool {
    match p {
        Param::Expr(e, _) => e.uses_random(),
        Param::Plugin(_) | Param::Sequence(_) => true,
        Param::Const(_) => false,
    }
}

/// Names that the constraints, the balance expression and the `unique` expressions read.
fn acceptance_deps(spec: &TaskSpec) -> BTreeSet<String> {
    let s = &spec.sampling;
    spec.constraints
        .iter()
        .chain(s.balance.as_ref().map(|b| &b.on))
        .chain(&s.unique)
        .flat_map(|c| c.expr.free_vars())
        .collect()
}

/// Names a parameter may read (sequence-local names included: an over-approximation).
fn param_deps(p: &Param) -> BTreeSet<String> {
    match p {
        Param::Const(_) => BTreeSet::new(),
        Param::Expr(e, _) => e.free_vars().into_iter().collect(),
        Param::Plugin(call) => call.args.iter().flat_map(|(_, a)| param_deps(a)).collect(),
        Param::Sequence(seq) => [&seq.length, &seq.first, &seq.next]
            .into_iter()
            .flat_map(param_deps)
            .collect(),
    }
}

/// Variables bound by grid axes that do not key the random draws.
fn non_seed_axis_vars(spec: &TaskSpec) -> BTreeSet<String> {
    spec.axes
        .iter()
        .enumerate()
        .filter(|(i, _)| !spec.sampling.seed_axes.contains(i))
        .flat_map(|(_, a)| a.vars.iter().cloned())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(rel: &str) -> TaskSpec {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(rel);
        crate::spec::load(&path).expect("spec loads")
    }

    fn names(split: &DrawSplit) -> Vec<&str> {
        split.draw_vars.iter().map(|v| v.name.as_str()).collect()
    }

    #[test]
    fn line_plot_draws_the_pair_once_per_key_and_scales_it_per_cell() {
        let spec = load("tasks/blindtest/line_plot_intersections.yaml");
        let split = DrawSplit::of(&spec);
        // `gt` is balanced and `blue`, `red` are unique; `px`, `py`, `width_px` read the size.
        assert_eq!(names(&split), ["left", "mid", "right", "blue", "red", "gt"]);
        assert!(split.per_key);
    }

    #[test]
    fn a_draw_that_reads_a_non_seed_axis_is_not_shared() {
        let src = "name: t\nversion: 1.0.0\ntask: {id: t, label: T}\nlicense: mit\nseed: 1\n\
            grid:\n  k: [1, 2]\n  size: [100, 200]\nsampling: {seed_by: [k]}\n\
            vars:\n  r: uniform(0, size / 4)\n  d: 2 * k\n\
            scene: {width: 64, height: 64, shapes: []}\n\
            answers: {a: d}\n\
            prompts:\n  - {template: 'd?', answer: a}\n";
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.yaml");
        std::fs::write(&path, src).unwrap();
        let spec = crate::spec::load(&path).expect("spec loads");
        let split = DrawSplit::of(&spec);
        assert_eq!(names(&split), ["r"]);
        assert_eq!(split.in_draw, [true, false]);
        assert!(!split.per_key, "r reads `size`, which is not a seed axis");
    }
}
