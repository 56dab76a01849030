//! The sandboxed expression language of task specs.
//!
//! Spec authors write small Python-flavoured expressions in YAML strings:
//! `(1 + d) * diameter / 2`, `'Yes' if d <= 0 else 'No'`,
//! `[c[0] * S for c in centres if c[1] > 0]`, `sample(T, 2)`, `round(i / 12, 2)`.
//! [`Expr::parse`] compiles one into a tree (checking that every called function exists and
//! gets a plausible number of arguments); [`Expr::eval`] evaluates it against a [`Scope`].
//!
//! Invariants:
//! - Sandboxed: no I/O, no access to anything but the scope, the optional random source,
//!   the budget and the process-wide text metrics. Random functions fail unless the caller
//!   provides a [`SampleRng`]; text-metrics functions fail until the renderer registers
//!   a [`TextMetrics`] with [`set_text_metrics`] (the module never depends on the renderer).
//! - Total: no input makes parsing or evaluation panic or overflow the stack. Sources are at
//!   most [`MAX_SOURCE_LEN`] bytes, nesting at most [`MAX_DEPTH`] levels (flat operator
//!   chains are n-ary nodes, so tree depth is bounded by nesting); int arithmetic is
//!   checked; strings are indexed by character, never by byte.
//! - Bounded: every evaluated node costs one [`Budget`] step and producing or copying data
//!   costs steps in proportion to its size; lists are capped at [`MAX_LIST_LEN`] elements
//!   and strings at [`MAX_STR_LEN`] bytes.
//! - Finite: evaluation never produces NaN or an infinite float (such results are errors),
//!   so every result converts to JSON.
//! - Deterministic: results depend only on the source, the scope and the random source's
//!   state; no hash-map iteration order is observable.
//! - Strict booleans: conditions, `and`, `or`, `not` and comprehension filters need bools.
//!
//! The built-in functions are one static table ([`functions()`]) that drives parsing,
//! dispatch and documentation alike.

mod access;
mod ast;
mod error;
mod eval;
mod fn_geom;
mod fn_layout;
mod fn_list;
mod fn_math;
mod fn_random;
mod fn_text;
mod fn_text_metrics;
mod functions;
mod geom;
mod lexer;
mod ops;
mod parser;
mod value;

#[cfg(test)]
mod tests;

use std::collections::BTreeSet;
use std::f64::consts::{E, PI, TAU};
use std::fmt;

use indexmap::IndexMap;

pub use error::{ExprError, Span};
pub use fn_text_metrics::{GlyphMetrics, TextLayout, TextMetrics, set_text_metrics};
pub use functions::{CATEGORIES, FunctionDoc, functions};
pub use parser::{MAX_DEPTH, MAX_SOURCE_LEN};
pub use value::Value;

use crate::rng::SampleRng;

/// Default number of evaluation steps for one evaluation.
pub const DEFAULT_STEPS: u64 = 1_000_000;

/// Maximum number of elements of any list an expression builds.
pub const MAX_LIST_LEN: usize = 1_000_000;

/// Maximum length in bytes of any string an expression builds.
pub const MAX_STR_LEN: usize = 1 << 20;

const CONSTANTS: &[(&str, f64, &str)] = &[
    (
        "pi",
        PI,
        "Ratio of a circle's circumference to its diameter, 3.14159…",
    ),
    ("tau", TAU, "One full turn in radians, 2·pi = 6.28318…"),
    (
        "e",
        E,
        "Euler's number, the base of natural logarithms, 2.71828…",
    ),
];

/// Built-in constants as (name, value, doc). A scope variable of the same name shadows one.
pub fn constants() -> &'static [(&'static str, f64, &'static str)] {
    CONSTANTS
}

/// Variables visible to an expression.
pub trait Scope {
    /// The value of variable `name`, if defined.
    fn get(&self, name: &str) -> Option<&Value>;
    /// All defined names (used for "did you mean" hints).
    fn names(&self) -> Vec<String>;
}

impl Scope for IndexMap<String, Value> {
    fn get(&self, name: &str) -> Option<&Value> {
        IndexMap::get(self, name)
    }

    fn names(&self) -> Vec<String> {
        self.keys().cloned().collect()
    }
}

/// Remaining evaluation steps. Share one budget across several evaluations to bound
/// their total work.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Budget {
    /// Steps still available.
    pub steps_left: u64,
}

impl Budget {
    /// A budget of `steps` steps.
    pub fn new(steps: u64) -> Budget {
        Budget { steps_left: steps }
    }

    /// Spends `n` steps, or fails with "evaluation step limit exceeded" (leaving 0).
    pub fn charge(&mut self, n: u64) -> Result<(), ExprError> {
        match self.steps_left.checked_sub(n) {
            Some(left) => {
                self.steps_left = left;
                Ok(())
            }
            None => {
                self.steps_left = 0;
                Err(ExprError::new("evaluation step limit exceeded").with_hint(
                    "the expression does too much work; simplify it, use smaller lists, \
                     or split it into several parameters (or raise `--limit eval-steps=N`)",
                ))
            }
        }
    }
}

impl Default for Budget {
    fn default() -> Budget {
        Budget::new(DEFAULT_STEPS)
    }
}

/// What an evaluation may use: variables, an optional random source, and a step budget.
pub struct EvalCtx<'a> {
    /// Variables.
    pub scope: &'a dyn Scope,
    /// Random source; `None` makes random functions an error.
    pub rng: Option<&'a mut SampleRng>,
    /// Steps left; decremented by the evaluation.
    pub budget: &'a mut Budget,
}

/// A parsed expression together with its source text.
#[derive(Clone, Debug)]
pub struct Expr {
    src: String,
    root: ast::Node,
}

impl Expr {
    /// Parses `src`, checking syntax, limits, function names and arities.
    pub fn parse(src: &str) -> Result<Expr, ExprError> {
        Ok(Expr {
            src: src.to_string(),
            root: parser::parse(src)?,
        })
    }

    /// The source text.
    pub fn source(&self) -> &str {
        &self.src
    }

    /// Names read from the scope: identifiers excluding comprehension variables and
    /// built-in constants; sorted and deduplicated.
    pub fn free_vars(&self) -> Vec<String> {
        let mut out = BTreeSet::new();
        self.root.free_vars(&mut Vec::new(), &mut out);
        out.into_iter().collect()
    }

    /// Whether the expression calls any random function.
    pub fn uses_random(&self) -> bool {
        self.root.uses_random()
    }

    /// Evaluates the expression. Error spans are byte offsets into [`Expr::source`].
    pub fn eval(&self, ctx: &mut EvalCtx<'_>) -> Result<Value, ExprError> {
        let env = eval::Env {
            scope: ctx.scope,
            frame: None,
        };
        let mut st = eval::State {
            budget: &mut *ctx.budget,
            rng: ctx.rng.as_deref_mut(),
        };
        let v = eval::eval(&self.root, &env, &mut st)?;
        st.own(v, self.root.span)
    }

    /// Evaluates without a random source, with a fresh [`DEFAULT_STEPS`] budget.
    pub fn eval_in(&self, scope: &dyn Scope) -> Result<Value, ExprError> {
        let mut budget = Budget::default();
        self.eval(&mut EvalCtx {
            scope,
            rng: None,
            budget: &mut budget,
        })
    }
}

impl fmt::Display for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.src)
    }
}
