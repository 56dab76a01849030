//! Limits, budgets, hostile inputs and fuzzing: nothing may panic or run away.

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

fn pick<'s>(rng: &mut SampleRng, xs: &[&'s str]) -> &'s str {
    xs[rng.below(xs.len() as u64) as usize]
}

/// A random, mostly well-formed expression of nesting depth about `depth`.
fn gen_expr(rng: &mut SampleRng, depth: u32) -> String {
    let sub = |rng: &mut SampleRng| gen_expr(rng, depth + 1);
    match rng.below(if depth > 3 { 3 } else { 12 }) {
        0 => pick(
            rng,
            &[
                "0",
                "1",
                "-1",
                "2.5",
                "1e308",
                "9223372036854775807",
                "0.1",
                "3",
                "-0.0",
            ],
        )
        .into(),
        1 => pick(
            rng,
            &[
                "x", "xs", "word", "m", "d", "T", "centres", "a", "b", "pi", "nope",
            ],
        )
        .into(),
        2 => pick(rng, &["'a'", "'héllo'", "''", "\"x\\n\""]).into(),
        3 => {
            let ops = [
                "+", "-", "*", "/", "//", "%", "**", "==", "!=", "<", "<=", "in", "not in", "and",
                "or",
            ];
            format!("{} {} {}", sub(rng), pick(rng, &ops), sub(rng))
        }
        4 => format!("{}{}", pick(rng, &["-", "not ", "+"]), sub(rng)),
        5 => format!("({})", sub(rng)),
        6 => format!("[{}, {}]", sub(rng), sub(rng)),
        7 => {
            let f = functions()[rng.below(functions().len() as u64) as usize].name;
            let args: Vec<String> = (0..rng.below(4)).map(|_| sub(rng)).collect();
            format!("{f}({})", args.join(", "))
        }
        8 => match rng.below(3) {
            0 => format!("{}[{}]", sub(rng), sub(rng)),
            1 => format!("{}[{}:]", sub(rng), sub(rng)),
            _ => format!("{}[::{}]", sub(rng), sub(rng)),
        },
        9 => format!("{}.{}", sub(rng), pick(rng, &["key", "name", "x"])),
        10 => format!(
            "[{} for {} in {} if {}]",
            sub(rng),
            pick(rng, &["x", "j", "p, q"]),
            sub(rng),
            sub(rng)
        ),
        _ => format!("{} if {} else {}", sub(rng), sub(rng), sub(rng)),
    }
}

/// A pseudo-random source: a generated expression (sometimes with a byte cut out or
/// spliced in), or raw bytes.
fn fuzz_source(rng: &mut SampleRng) -> String {
    if rng.below(8) == 0 {
        let bytes: Vec<u8> = (0..rng.below(24)).map(|_| rng.below(256) as u8).collect();
        return String::from_utf8_lossy(&bytes).into_owned();
    }
    let src = gen_expr(rng, 0);
    if rng.below(3) != 0 || src.is_empty() {
        return src;
    }
    let mut bytes = src.into_bytes();
    let at = rng.below(bytes.len() as u64) as usize;
    if rng.below(2) == 0 {
        bytes.remove(at);
    } else {
        bytes.insert(
            at,
            *b"()[],:.'\" -*"
                .get(rng.below(12) as usize)
                .unwrap_or(&b' '),
        );
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

/// Set `EXPR_FUZZ_ITERS` (and optionally `EXPR_FUZZ_SEED`) to fuzz longer.
#[test]
fn fuzzed_sources_never_panic() {
    let env = |k: &str| std::env::var(k).ok().and_then(|v| v.parse::<u64>().ok());
    let iters = env("EXPR_FUZZ_ITERS").unwrap_or(4_000);
    let mut source_rng = SampleRng::new(env("EXPR_FUZZ_SEED").unwrap_or(2024));
    let mut s = scope();
    s.insert("x".into(), Value::Float(0.5));
    let (mut parsed, mut evaluated) = (0, 0);
    for _ in 0..iters {
        let src = fuzz_source(&mut source_rng);
        let check_span = |e: &ExprError| {
            if let Some(sp) = e.span {
                assert!(sp.start <= sp.end && sp.end <= src.len(), "{src:?}: {e:?}");
                assert!(
                    src.is_char_boundary(sp.start) && src.is_char_boundary(sp.end),
                    "{src:?}"
                );
            }
            e.render(&src);
        };
        let expr = match Expr::parse(&src) {
            Ok(expr) => expr,
            Err(e) => {
                check_span(&e);
                continue;
            }
        };
        parsed += 1;
        let _ = (expr.free_vars(), expr.uses_random());
        let mut rng = SampleRng::new(1);
        let mut budget = Budget::new(20_000);
        match expr.eval(&mut EvalCtx {
            scope: &s,
            rng: Some(&mut rng),
            budget: &mut budget,
        }) {
            Ok(v) => {
                evaluated += 1;
                assert!(v.to_json().is_ok(), "{src:?} gave a non-finite value");
                v.display();
            }
            Err(e) => check_span(&e),
        }
    }
    assert!(
        parsed * 10 > iters * 3 && evaluated * 10 > iters,
        "fuzzer too weak: {parsed} parsed, {evaluated} evaluated"
    );
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
