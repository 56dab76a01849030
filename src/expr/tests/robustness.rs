//! Limits, budgets and hostile inputs: nothing may panic or run away (generated expressions
//! are covered by `tests/property.rs`).

use super::*;

#[test]
fn budget_is_enforced() {
    let expr = Expr::parse("[x for x in range(1000000)]").unwrap();
    let mut budget = Budget::new(10_000);
    let e = ev_budget(&expr, &mut budget).unwrap_err();
    assert_eq!(e.message, "evaluation step limit exceeded");
    assert!(e.hint.unwrap().contains("simplify"));
    assert_eq!(budget.steps_left, 0);

    let mut budget = Budget::new(100);
    let expr = Expr::parse("[x * 2 for x in range(40)]").unwrap();
    assert!(
        expr.eval(&mut EvalCtx {
            scope: &scope(),
            rng: None,
            budget: &mut budget
        })
        .is_err()
    );

    let mut budget = Budget::new(1_000);
    Expr::parse("1 + 2")
        .unwrap()
        .eval(&mut EvalCtx {
            scope: &scope(),
            rng: None,
            budget: &mut budget,
        })
        .unwrap();
    assert!(budget.steps_left < 1_000 && budget.steps_left > 990);
}

#[test]
fn copying_large_values_costs_steps() {
    let mut s = scope();
    s.insert("big".into(), Value::List(vec![Value::Int(0); 100_000]));
    let cost = |src: &str| {
        let mut budget = Budget::default();
        let r = Expr::parse(src).unwrap().eval(&mut EvalCtx {
            scope: &s,
            rng: None,
            budget: &mut budget,
        });
        (r.is_ok(), DEFAULT_STEPS - budget.steps_left)
    };
    // Reading through a borrowed variable is cheap...
    let (ok, steps) = cost("[big[j] + len(big) for j in range(1000)]");
    assert!(ok && steps < 20_000, "{steps}");
    // ...but copying it repeatedly exhausts the budget instead of memory.
    assert!(!cost("[big for j in range(1000)]").0);
    assert!(!cost("[big == big for j in range(1000)]").0);
}

#[test]
fn deep_and_long_inputs_do_not_overflow() {
    let deep = format!("{}1{}", "(".repeat(10_000), ")".repeat(10_000));
    assert!(Expr::parse(&deep).is_err());
    let deep = "(".repeat(9_999);
    assert!(
        Expr::parse(&deep)
            .unwrap_err()
            .message
            .contains("nested too deeply")
    );
    let long = vec!["1"; 4_000].join("+");
    assert_eq!(ev(&long), Value::Int(4_000));
    let chain = format!("xs{}", "[0:]".repeat(2_000));
    assert_eq!(ev(&chain), list(&[1, 2, 3]));
}

/// Values at the edges of every type, bound to `v0`, `v1`, … in a scope.
fn edge_scope() -> IndexMap<String, Value> {
    let mut m = IndexMap::new();
    m.insert("k".to_string(), Value::Int(1));
    let vals = vec![
        Value::Int(0),
        Value::Int(-1),
        Value::Int(2),
        Value::Int(i64::MAX),
        Value::Int(i64::MIN),
        Value::Float(0.5),
        Value::Float(-0.0),
        Value::Float(1e308),
        Value::Float(-1e308),
        Value::Float(5e-324),
        Value::Float(-2.5),
        Value::from(""),
        Value::from("héllo"),
        Value::Bool(true),
        list(&[]),
        Value::List(vec![Value::Int(1), Value::Float(2.5)]),
        Value::List(vec![list(&[1]), list(&[2, 3])]),
        Value::List(vec![Value::from("b"), Value::from("a")]),
        Value::Map(m),
    ];
    vals.into_iter()
        .enumerate()
        .map(|(i, v)| (format!("v{i}"), v))
        .collect()
}

/// Evaluates with a random source and a modest budget; only panics are failures.
fn survive(src: &str, scope: &IndexMap<String, Value>) {
    let expr = Expr::parse(src).unwrap_or_else(|e| panic!("{src}: {e}"));
    let mut rng = SampleRng::new(5);
    let mut budget = Budget::new(50_000);
    if let Ok(v) = expr.eval(&mut EvalCtx {
        scope,
        rng: Some(&mut rng),
        budget: &mut budget,
    }) {
        assert!(v.to_json().is_ok(), "{src} gave a non-finite value");
    }
}

#[test]
fn every_function_and_operator_survives_edge_arguments() {
    let s = edge_scope();
    let names: Vec<String> = s.keys().cloned().collect();
    for f in functions() {
        let def = functions::lookup(f.name).unwrap();
        for arity in def.min_args..=def.max_args.min(def.min_args + 1).min(3) {
            let mut idx = vec![0; arity];
            loop {
                let args: Vec<&str> = idx.iter().map(|i| names[*i].as_str()).collect();
                survive(&format!("{}({})", f.name, args.join(", ")), &s);
                // Odometer over all argument combinations.
                let Some(pos) = idx.iter().rposition(|i| *i + 1 < names.len()) else {
                    break;
                };
                idx[pos] += 1;
                idx[pos + 1..].iter_mut().for_each(|i| *i = 0);
            }
        }
    }
    let ops = [
        "+",
        "-",
        "*",
        "/",
        "//",
        "%",
        "**",
        "==",
        "<",
        "in",
        "and",
        "if v13 else",
        "[0:1] if v13 else",
    ];
    for a in &names {
        survive(&format!("-{a}"), &s);
        survive(&format!("{a}[-1]"), &s);
        survive(&format!("{a}[::-2]"), &s);
        for b in &names {
            for op in ops {
                survive(&format!("{a} {op} {b}"), &s);
            }
            survive(&format!("{a}[{b}]"), &s);
            survive(&format!("[{a} for x in {b}]"), &s);
        }
    }
}
