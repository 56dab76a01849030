//! Tree-walking evaluator.
//!
//! Values are passed as `Cow`: variables, literals and elements reached through indexing
//! are borrowed, so `xs[i]` or `len(xs)` inside a loop never copy `xs`. Copying a
//! borrowed value into a result costs budget steps proportional to its size, so the
//! budget bounds both time and memory. Comprehension variables live in a chain of stack
//! frames that shadow the caller's scope.

use std::borrow::Cow;

use super::ast::{CmpOp, Comp, Kind, Logic, Node, Post};
use super::error::{ExprError, Span, did_you_mean, suggest};
use super::functions::{self, Args, FuncDef};
use super::value::Value;
use super::{Budget, MAX_LIST_LEN, MAX_STR_LEN, Scope, access, constants, ops};
use crate::rng::SampleRng;

/// Mutable evaluation state: the step budget and the optional random source.
pub(crate) struct State<'s> {
    pub budget: &'s mut Budget,
    pub rng: Option<&'s mut SampleRng>,
}

impl State<'_> {
    /// Spends `n` steps; the error points at `span`.
    pub fn charge(&mut self, n: u64, span: Span) -> Result<(), ExprError> {
        self.budget.charge(n).map_err(|e| e.or_span(span))
    }

    /// [`State::charge`] for a count of elements.
    pub fn charge_n(&mut self, n: usize, span: Span) -> Result<(), ExprError> {
        self.charge(u64::try_from(n).unwrap_or(u64::MAX), span)
    }

    /// A copy of `v`, paid for by its weight.
    pub fn copy(&mut self, v: &Value, span: Span) -> Result<Value, ExprError> {
        self.charge(v.weight(), span)?;
        Ok(v.clone())
    }

    /// Takes ownership, copying (and paying) only if `v` is borrowed.
    pub fn own(&mut self, v: Cow<'_, Value>, span: Span) -> Result<Value, ExprError> {
        match v {
            Cow::Borrowed(b) => self.copy(b, span),
            Cow::Owned(o) => Ok(o),
        }
    }

    /// The random source, or an error naming the function that needs it.
    pub fn rng(&mut self, name: &str, span: Span) -> Result<&mut SampleRng, ExprError> {
        self.rng.as_deref_mut().ok_or_else(|| no_rng(name, span))
    }
}

fn no_rng(name: &str, span: Span) -> ExprError {
    ExprError::at(
        format!("random functions are not allowed here (`{name}` needs a random source, and this expression is evaluated deterministically)"),
        span,
    )
    .with_hint("draw random values only where the spec samples per item")
}

/// Errors unless a list of `len` elements is within [`MAX_LIST_LEN`].
pub(crate) fn check_list_len(len: usize, span: Span) -> Result<(), ExprError> {
    if len > MAX_LIST_LEN {
        return Err(ExprError::at(
            format!("list would have {len} elements; the limit is {MAX_LIST_LEN}"),
            span,
        ));
    }
    Ok(())
}

/// Errors unless a string of `len` bytes is within [`MAX_STR_LEN`].
pub(crate) fn check_str_len(len: usize, span: Span) -> Result<(), ExprError> {
    if len > MAX_STR_LEN {
        return Err(ExprError::at(
            format!("string would have {len} bytes; the limit is {MAX_STR_LEN}"),
            span,
        ));
    }
    Ok(())
}

/// Variables visible during evaluation: comprehension frames over the caller's scope.
pub(crate) struct Env<'a> {
    pub scope: &'a dyn Scope,
    pub frame: Option<&'a Frame<'a>>,
}

/// The loop variables of one comprehension iteration.
pub(crate) struct Frame<'a> {
    binds: Vec<(&'a str, Cow<'a, Value>)>,
    parent: Option<&'a Frame<'a>>,
}

/// Requires a bool; `what` names the construct for the error message.
pub(crate) fn truth(v: &Value, span: Span, what: &str) -> Result<bool, ExprError> {
    match v {
        Value::Bool(b) => Ok(*b),
        other => Err(ExprError::at(
            format!("{what} needs a bool, got {}", other.type_name()),
            span,
        )
        .with_hint("booleans are strict: compare explicitly, e.g. `x != 0` or `len(xs) > 0`")),
    }
}

/// Evaluates `node`, borrowing from the tree or the environment where possible.
pub(crate) fn eval<'a>(
    node: &'a Node,
    env: &Env<'a>,
    st: &mut State<'_>,
) -> Result<Cow<'a, Value>, ExprError> {
    st.charge(1, node.span)?;
    let owned = |v: Value| Ok(Cow::Owned(v));
    match &node.kind {
        Kind::Lit(v) => Ok(Cow::Borrowed(v)),
        Kind::Var(name) => lookup(name, env, node.span),
        Kind::List(items) => owned(list(items, env, st, node.span)?),
        Kind::Comp(c) => owned(comprehension(c, env, st, node.span)?),
        Kind::Neg(x) => owned(ops::negate(&*eval(x, env, st)?, node.span)?),
        Kind::Pos(x) => owned(ops::plus(&*eval(x, env, st)?, node.span)?),
        Kind::Not(x) => owned(Value::Bool(!truth(&*eval(x, env, st)?, x.span, "`not`")?)),
        Kind::Arith(first, rest) => {
            let mut acc = eval(first, env, st)?;
            for (op, rhs, span) in rest {
                let r = eval(rhs, env, st)?;
                acc = Cow::Owned(ops::binary(*op, &acc, &r, *span, st)?);
            }
            Ok(acc)
        }
        Kind::Pow(a, b) => {
            let (x, y) = (eval(a, env, st)?, eval(b, env, st)?);
            owned(ops::pow(&x, &y, node.span)?)
        }
        Kind::Logic(op, items) => owned(Value::Bool(logic(*op, items, env, st)?)),
        Kind::Compare(first, rest) => owned(Value::Bool(chain(first, rest, env, st)?)),
        Kind::Cond(parts) => {
            let [then, cond, other] = &**parts;
            let pick = truth(&*eval(cond, env, st)?, cond.span, "the condition of `if`")?;
            eval(if pick { then } else { other }, env, st)
        }
        Kind::Call(def, args) => owned(call(def, args, env, st, node.span)?),
        Kind::Postfix(base, post) => {
            let mut cur = eval(base, env, st)?;
            for op in post {
                cur = postfix(cur, &op.op, op.span, env, st)?;
            }
            Ok(cur)
        }
    }
}

fn list<'a>(
    items: &'a [Node],
    env: &Env<'a>,
    st: &mut State<'_>,
    span: Span,
) -> Result<Value, ExprError> {
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        let v = eval(item, env, st)?;
        out.push(st.own(v, item.span)?);
    }
    check_list_len(out.len(), span)?;
    Ok(Value::List(out))
}

fn logic<'a>(
    op: Logic,
    items: &'a [Node],
    env: &Env<'a>,
    st: &mut State<'_>,
) -> Result<bool, ExprError> {
    let (what, stop) = match op {
        Logic::And => ("`and`", false),
        Logic::Or => ("`or`", true),
    };
    for item in items {
        if truth(&*eval(item, env, st)?, item.span, what)? == stop {
            return Ok(stop);
        }
    }
    Ok(!stop)
}

/// A comparison chain with Python semantics: `a < b < c` is `a < b and b < c`, evaluating
/// `b` once and stopping at the first false link.
fn chain<'a>(
    first: &'a Node,
    rest: &'a [(CmpOp, Node)],
    env: &Env<'a>,
    st: &mut State<'_>,
) -> Result<bool, ExprError> {
    let mut left = eval(first, env, st)?;
    let mut left_span = first.span;
    for (op, rhs) in rest {
        let right = eval(rhs, env, st)?;
        if !ops::compare(*op, &left, &right, left_span.to(rhs.span), st)? {
            return Ok(false);
        }
        (left, left_span) = (right, rhs.span);
    }
    Ok(true)
}

fn postfix<'a>(
    cur: Cow<'a, Value>,
    op: &'a Post,
    span: Span,
    env: &Env<'a>,
    st: &mut State<'_>,
) -> Result<Cow<'a, Value>, ExprError> {
    match op {
        Post::Index(i) => {
            let idx = eval(i, env, st)?;
            access::index(cur, &idx, span, i.span, st)
        }
        Post::Attr(name) => access::attr(cur, name, span),
        Post::Slice(lo, hi, step) => {
            let mut bound = |n: &'a Option<Node>| -> Result<Option<i64>, ExprError> {
                let Some(n) = n else { return Ok(None) };
                match &*eval(n, env, st)? {
                    Value::Int(i) => Ok(Some(*i)),
                    other => Err(ExprError::at(
                        format!("slice bounds must be ints, got {}", other.type_name()),
                        n.span,
                    )),
                }
            };
            let (lo, hi, step) = (bound(lo)?, bound(hi)?, bound(step)?);
            Ok(Cow::Owned(access::slice(&cur, lo, hi, step, span, st)?))
        }
    }
}

fn call<'a>(
    def: &'static FuncDef,
    args: &'a [Node],
    env: &Env<'a>,
    st: &mut State<'_>,
    span: Span,
) -> Result<Value, ExprError> {
    if def.random() && st.rng.is_none() {
        return Err(no_rng(def.doc.name, span));
    }
    let mut vals = Vec::with_capacity(args.len());
    for a in args {
        vals.push(eval(a, env, st)?);
    }
    let spans: Vec<Span> = args.iter().map(|a| a.span).collect();
    let args = Args {
        def,
        vals: &vals,
        spans: &spans,
        span,
    };
    (def.call)(&args, st).map_err(|e| e.or_span(span))
}

fn comprehension<'a>(
    c: &'a Comp,
    env: &Env<'a>,
    st: &mut State<'_>,
    span: Span,
) -> Result<Value, ExprError> {
    let it = eval(&c.iter, env, st)?;
    let mut out = Vec::new();
    match &*it {
        Value::List(xs) => {
            for x in xs {
                comp_step(c, Cow::Borrowed(x), env, st, &mut out, span)?;
            }
        }
        Value::Str(s) => {
            for ch in s.chars() {
                comp_step(
                    c,
                    Cow::Owned(Value::Str(ch.to_string())),
                    env,
                    st,
                    &mut out,
                    span,
                )?;
            }
        }
        Value::Map(m) => {
            for k in m.keys() {
                comp_step(
                    c,
                    Cow::Owned(Value::Str(k.clone())),
                    env,
                    st,
                    &mut out,
                    span,
                )?;
            }
        }
        other => {
            return Err(ExprError::at(
                format!("cannot iterate over {}", other.type_name()),
                c.iter.span,
            )
            .with_hint("iterate over a list, e.g. `range(n)`"));
        }
    }
    Ok(Value::List(out))
}

fn comp_step<'b>(
    c: &'b Comp,
    item: Cow<'b, Value>,
    env: &Env<'b>,
    st: &mut State<'_>,
    out: &mut Vec<Value>,
    span: Span,
) -> Result<(), ExprError> {
    st.charge(1, c.iter.span)?;
    let frame = Frame {
        binds: bind(&c.targets, item, c.iter.span)?,
        parent: env.frame,
    };
    let inner = Env {
        scope: env.scope,
        frame: Some(&frame),
    };
    if let Some(cond) = &c.cond {
        let keep = eval(cond, &inner, st)?;
        if !truth(&keep, cond.span, "a comprehension's `if` filter")? {
            return Ok(());
        }
    }
    let v = eval(&c.elem, &inner, st)?;
    let v = st.own(v, c.elem.span)?;
    check_list_len(out.len() + 1, span)?;
    out.push(v);
    Ok(())
}

/// Binds loop variables, unpacking a list element across several names.
fn bind<'b>(
    targets: &'b [String],
    item: Cow<'b, Value>,
    span: Span,
) -> Result<Vec<(&'b str, Cow<'b, Value>)>, ExprError> {
    if let [one] = targets {
        return Ok(vec![(one.as_str(), item)]);
    }
    let n = targets.len();
    let parts: Vec<Cow<'b, Value>> = match item {
        Cow::Borrowed(Value::List(xs)) if xs.len() == n => xs.iter().map(Cow::Borrowed).collect(),
        Cow::Owned(Value::List(xs)) if xs.len() == n => xs.into_iter().map(Cow::Owned).collect(),
        other => {
            let what = match &*other {
                Value::List(xs) => format!("a list of {} elements", xs.len()),
                v => v.type_name().to_string(),
            };
            return Err(ExprError::at(
                format!("cannot unpack {what} into {n} names"),
                span,
            ));
        }
    };
    Ok(targets.iter().map(String::as_str).zip(parts).collect())
}

/// Resolves a name: comprehension variables, then the scope, then built-in constants.
fn lookup<'a>(name: &str, env: &Env<'a>, span: Span) -> Result<Cow<'a, Value>, ExprError> {
    let mut frame = env.frame;
    while let Some(f) = frame {
        if let Some((_, v)) = f.binds.iter().rev().find(|(n, _)| *n == name) {
            return Ok(Cow::Borrowed(&**v));
        }
        frame = f.parent;
    }
    if let Some(v) = env.scope.get(name) {
        return Ok(Cow::Borrowed(v));
    }
    if let Some(c) = constants().iter().find(|c| c.0 == name) {
        return Ok(Cow::Owned(Value::Float(c.1)));
    }
    Err(unknown_variable(name, env, span))
}

fn unknown_variable(name: &str, env: &Env<'_>, span: Span) -> ExprError {
    let err = ExprError::at(format!("unknown variable `{name}`"), span);
    if functions::lookup(name).is_some() {
        return err.with_hint(format!("`{name}` is a function; call it as `{name}(...)`"));
    }
    if matches!(name, "None" | "null" | "none" | "nil") {
        return err.with_hint("there is no null value in expressions");
    }
    let mut names: Vec<String> = Vec::new();
    let mut frame = env.frame;
    while let Some(f) = frame {
        names.extend(f.binds.iter().map(|(n, _)| n.to_string()));
        frame = f.parent;
    }
    names.extend(env.scope.names());
    names.extend(constants().iter().map(|c| c.0.to_string()));
    if let Some(hint) = did_you_mean(&suggest(name, names.iter().map(String::as_str), 3)) {
        return err.with_hint(hint);
    }
    let mut defined = env.scope.names();
    defined.sort();
    defined.dedup();
    if defined.is_empty() {
        return err.with_hint("no variables are defined here");
    }
    let more = if defined.len() > 12 { ", ..." } else { "" };
    defined.truncate(12);
    err.with_hint(format!("defined variables: {}{more}", defined.join(", ")))
}
