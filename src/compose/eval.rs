//! Evaluation helpers for composing a sample: layered scopes and typed field access.
//!
//! Invariant: every error produced here carries the spec path of the value being evaluated
//! and, for expressions, the span inside the YAML string, so the CLI can point at it.

use indexmap::IndexMap;

use crate::expr::MAX_LIST_LEN;
use crate::expr::{Budget, EvalCtx, Expr, ExprError, Scope, Value};
use crate::rng::SampleRng;
use crate::spec::types::{Constraint, Param, PluginCall, SequenceSpec};

/// An error while composing one sample.
#[derive(Debug, Clone)]
pub struct ComposeError {
    /// Stable diagnostic id.
    pub id: &'static str,
    /// What went wrong.
    pub message: String,
    /// Spec path of the value.
    pub path: String,
    /// (offset, len) inside the value's text.
    pub span: Option<(usize, usize)>,
    /// A suggestion.
    pub hint: Option<String>,
}

impl ComposeError {
    /// A new error at a spec path.
    pub fn new(id: &'static str, message: impl Into<String>, path: &str) -> Self {
        Self {
            id,
            message: message.into(),
            path: path.to_string(),
            span: None,
            hint: None,
        }
    }

    fn from_expr(e: ExprError, path: &str, offset: usize) -> Self {
        let span = e
            .span
            .as_ref()
            .map(|s| (offset + s.start, (s.end - s.start).max(1)));
        Self {
            id: "eval-error",
            message: e.message,
            path: path.to_string(),
            span,
            hint: e.hint,
        }
    }
}

/// Bindings of `for` loops layered over the sample scope.
pub struct Layer<'a> {
    /// The sample's names.
    pub base: &'a dyn Scope,
    /// Loop variables, innermost last.
    pub local: Vec<(String, Value)>,
}

impl<'a> Layer<'a> {
    /// A layer with no loop variables yet.
    pub fn over(base: &'a dyn Scope) -> Self {
        Self {
            base,
            local: Vec::new(),
        }
    }
}

impl Scope for Layer<'_> {
    fn get(&self, name: &str) -> Option<&Value> {
        self.local
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v)
            .or_else(|| self.base.get(name))
    }

    fn names(&self) -> Vec<String> {
        let mut names = self.base.names();
        names.extend(self.local.iter().map(|(n, _)| n.clone()));
        names
    }
}

/// Everything needed to evaluate a value for one sample.
pub struct Evaluator<'a> {
    /// The sample's random source.
    pub rng: &'a mut SampleRng,
    /// Steps left for all expressions of this sample.
    pub budget: &'a mut Budget,
}

impl Evaluator<'_> {
    /// Evaluates a parameter in a scope.
    pub fn eval(
        &mut self,
        p: &Param,
        scope: &dyn Scope,
        path: &str,
    ) -> Result<Value, ComposeError> {
        match p {
            Param::Const(v) => Ok(v.clone()),
            Param::Expr(e, off) => self.expr(e, *off, scope, path),
            Param::Plugin(call) => self.plugin(call, scope, path),
            Param::Sequence(seq) => self.sequence(seq, scope, path),
        }
    }

    /// Evaluates an expression whose text starts `offset` bytes into its YAML value.
    pub fn expr(
        &mut self,
        e: &Expr,
        offset: usize,
        scope: &dyn Scope,
        path: &str,
    ) -> Result<Value, ComposeError> {
        let mut ctx = EvalCtx {
            scope,
            rng: Some(&mut *self.rng),
            budget: &mut *self.budget,
        };
        e.eval(&mut ctx)
            .map_err(|err| ComposeError::from_expr(err, path, offset))
    }

    /// Whether a condition (a constraint, a margin) holds; it must be a boolean.
    pub fn holds(&mut self, c: &Constraint, scope: &dyn Scope) -> Result<bool, ComposeError> {
        must_be_bool(self.expr(&c.expr, 0, scope, &c.path)?, &c.path)
    }

    fn plugin(
        &mut self,
        call: &PluginCall,
        scope: &dyn Scope,
        path: &str,
    ) -> Result<Value, ComposeError> {
        let mut args = IndexMap::new();
        for (name, p) in &call.args {
            args.insert(
                name.clone(),
                self.eval(p, scope, &format!("{path}.with.{name}"))?,
            );
        }
        let g = call.generator;
        crate::plugins::check_params(g, &args)
            .map_err(|e| ComposeError::new("plugin-params", e, path))?;
        g.generate(&args, self.rng).map_err(|e| {
            ComposeError::new(
                "plugin-error",
                format!("plugin `{}` failed ({e})", g.name()),
                path,
            )
        })
    }

    fn sequence(
        &mut self,
        seq: &SequenceSpec,
        scope: &dyn Scope,
        path: &str,
    ) -> Result<Value, ComposeError> {
        let len = self.eval(&seq.length, scope, &format!("{path}.sequence.length"))?;
        let n = match len.as_i64() {
            Some(n) if (0..=MAX_LIST_LEN as i64).contains(&n) => n,
            _ => return Err(type_error("a length between 0 and 1000000", &len, path)),
        };
        let mut items: Vec<Value> = Vec::with_capacity(n as usize);
        for i in 0..n {
            let mut layer = Layer {
                base: scope,
                local: vec![("index".into(), Value::Int(i))],
            };
            let (p, at) = match items.last() {
                None => (&seq.first, "first"),
                Some(prev) => {
                    layer.local.push(("prev".into(), prev.clone()));
                    (&seq.next, "next")
                }
            };
            let v = self.eval(p, &layer, &format!("{path}.sequence.{at}"))?;
            items.push(v);
        }
        Ok(Value::List(items))
    }

    /// Evaluates a parameter that must be a finite number.
    pub fn num(&mut self, p: &Param, scope: &dyn Scope, path: &str) -> Result<f64, ComposeError> {
        let v = self.eval(p, scope, path)?;
        match v.as_f64() {
            Some(x) if x.is_finite() => Ok(x),
            Some(x) => Err(ComposeError::new(
                "not-finite",
                format!("expected a finite number, got {x}"),
                path,
            )),
            None => Err(type_error("a number", &v, path)),
        }
    }

    /// Evaluates a parameter that must be a boolean.
    pub fn boolean(
        &mut self,
        p: &Param,
        scope: &dyn Scope,
        path: &str,
    ) -> Result<bool, ComposeError> {
        must_be_bool(self.eval(p, scope, path)?, path)
    }

    /// Evaluates a parameter that must be a string.
    pub fn string(
        &mut self,
        p: &Param,
        scope: &dyn Scope,
        path: &str,
    ) -> Result<String, ComposeError> {
        let v = self.eval(p, scope, path)?;
        v.as_str()
            .map(str::to_string)
            .ok_or_else(|| type_error("a string", &v, path))
    }
}

/// A value that must be a boolean.
fn must_be_bool(v: Value, path: &str) -> Result<bool, ComposeError> {
    v.as_bool().ok_or_else(|| type_error("a boolean", &v, path))
}

/// A type mismatch error.
pub fn type_error(expected: &str, got: &Value, path: &str) -> ComposeError {
    ComposeError::new(
        "wrong-type",
        format!(
            "expected {expected}, got {} `{}`",
            got.type_name(),
            short(got)
        ),
        path,
    )
}

fn short(v: &Value) -> String {
    let s = v.display();
    if s.chars().count() > 40 {
        format!("{}…", s.chars().take(40).collect::<String>())
    } else {
        s
    }
}
