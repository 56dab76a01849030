//! Expression text → `Expr::parse` → evaluation with a small scope, a seeded random source
//! and a bounded budget. Nothing may panic; evaluation stays within the budget and is
//! deterministic for a given seed.
#![no_main]

use blindspot::expr::{Budget, EvalCtx, Expr, Value};
use blindspot::rng::SampleRng;
use indexmap::IndexMap;
use libfuzzer_sys::fuzz_target;

const STEPS: u64 = 200_000;

fn scope() -> IndexMap<String, Value> {
    let point = |x: f64, y: f64| Value::List(vec![Value::Float(x), Value::Float(y)]);
    let mut m = IndexMap::new();
    m.insert("w".to_string(), Value::Int(3));
    m.insert("h".to_string(), Value::Float(0.5));
    let entries = [
        ("n", Value::Int(7)),
        ("x", Value::Float(2.5)),
        ("neg", Value::Int(-4)),
        ("big", Value::Int(i64::MAX)),
        ("flag", Value::Bool(true)),
        ("s", Value::Str("Touching".into())),
        ("xs", Value::List((0..5).map(Value::Int).collect())),
        (
            "pts",
            Value::List(vec![point(0.0, 0.0), point(3.0, 4.0), point(-1.0, 2.5)]),
        ),
        ("m", Value::Map(m)),
    ];
    entries
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect()
}

fn run(expr: &Expr, scope: &IndexMap<String, Value>) -> (Result<Value, String>, Budget) {
    let mut rng = SampleRng::new(42);
    let mut budget = Budget::new(STEPS);
    let result = expr.eval(&mut EvalCtx {
        scope,
        rng: Some(&mut rng),
        budget: &mut budget,
    });
    (result.map_err(|e| e.message), budget)
}

fuzz_target!(|data: &[u8]| {
    let Ok(src) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(expr) = Expr::parse(src) else {
        return;
    };
    assert_eq!(expr.source(), src);
    let _ = (expr.free_vars(), expr.uses_random());
    blindspot::render::metrics::install();
    let scope = scope();
    let (first, budget) = run(&expr, &scope);
    assert!(budget.steps_left <= STEPS);
    if let Ok(v) = &first {
        // Results are finite, so they always convert to JSON.
        v.to_json().expect("a result converts to JSON");
        let _ = v.display();
    }
    let (second, again) = run(&expr, &scope);
    assert_eq!(first, second, "same seed, same result");
    assert_eq!(budget, again, "same seed, same work");
});
