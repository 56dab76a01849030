//! End-to-end tests of the expression language: parse and evaluate against a scope.

mod builtins;
mod geometry;
mod language;
mod parser;
mod robustness;
mod text_metrics;

use indexmap::IndexMap;

use super::*;

fn list(xs: &[i64]) -> Value {
    Value::List(xs.iter().map(|x| Value::Int(*x)).collect())
}

/// The scope most tests run against.
fn scope() -> IndexMap<String, Value> {
    let mut m = IndexMap::new();
    m.insert("key".to_string(), Value::Int(5));
    m.insert("name".to_string(), Value::from("x"));
    let mut s = IndexMap::new();
    let mut put = |k: &str, v: Value| s.insert(k.to_string(), v);
    put("d", Value::Int(2));
    put("diameter", Value::Float(10.0));
    put("xs", list(&[1, 2, 3]));
    put("word", Value::from("héllo"));
    put("m", Value::Map(m));
    put(
        "centres",
        Value::List(vec![list(&[1, 2]), list(&[3, -1]), list(&[5, 4])]),
    );
    put("S", Value::Int(2));
    put(
        "T",
        Value::List(["a", "b", "c", "d"].map(Value::from).to_vec()),
    );
    put("i", Value::Int(5));
    put("a", Value::Bool(true));
    put("b", Value::Bool(false));
    put("c", Value::Bool(true));
    s
}

fn try_ev(src: &str) -> Result<Value, ExprError> {
    Expr::parse(src)?.eval_in(&scope())
}

fn ev(src: &str) -> Value {
    try_ev(src).unwrap_or_else(|e| panic!("{src}: {}", e.render(src)))
}

fn show(src: &str) -> String {
    ev(src).display()
}

fn err(src: &str) -> ExprError {
    match try_ev(src) {
        Ok(v) => panic!("{src} evaluated to {v:?}"),
        Err(e) => e,
    }
}

/// Evaluates with the test scope, no random source and the given budget.
fn ev_budget(expr: &Expr, budget: &mut Budget) -> Result<Value, ExprError> {
    expr.eval(&mut EvalCtx {
        scope: &scope(),
        rng: None,
        budget,
    })
}

fn ev_rng(src: &str, seed: u64) -> Result<Value, ExprError> {
    let expr = Expr::parse(src)?;
    let mut rng = SampleRng::new(seed);
    let mut budget = Budget::default();
    expr.eval(&mut EvalCtx {
        scope: &scope(),
        rng: Some(&mut rng),
        budget: &mut budget,
    })
}
