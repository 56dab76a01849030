//! Built-in functions, including rounding and random draws.

use super::*;

#[test]
fn functions_behave_like_their_docs() {
    let cases = [
        ("abs(-3)", "3"),
        ("abs(-2.5)", "2.5"),
        ("min(3, 1, 2)", "1"),
        ("max([1, 5, 2])", "5"),
        ("max(1, 2.0)", "2.0"),
        ("min('b', 'a')", "a"),
        ("clamp(5, 0, 3)", "3"),
        ("clamp(-1.5, 0, 3)", "0"),
        ("sign(-2.5)", "-1"),
        ("floor(-1.5)", "-2"),
        ("ceil(1.2)", "2"),
        ("sqrt(16)", "4.0"),
        ("pow(2, 10)", "1024"),
        ("exp(0)", "1.0"),
        ("ln(e)", "1.0"),
        ("log10(1000)", "3.0"),
        ("log(8, 2)", "3.0"),
        ("sind(30)", "0.5"),
        ("cosd(60)", "0.5"),
        ("tand(45)", "1.0"),
        ("atan2d(1, 1)", "45.0"),
        ("atan2(0, -1)", "3.141592653589793"),
        ("degrees(pi)", "180.0"),
        ("radians(180)", "3.141592653589793"),
        ("hypot(3, 4)", "5.0"),
        ("dist(1, 1, 4, 5)", "5.0"),
        ("pt(12, 144)", "24.0"),
        ("len([1, 2])", "2"),
        ("len(m)", "2"),
        ("len(word)", "5"),
        ("range(3)", "[0,1,2]"),
        ("range(1, 7, 2)", "[1,3,5]"),
        ("range(5, 0, -2)", "[5,3,1]"),
        ("range(0)", "[]"),
        ("sum(xs)", "6"),
        ("sum([0.1] * 10)", "1.0"),
        ("sum([1, 0.5])", "1.5"),
        ("sum([])", "0"),
        ("any([false, true])", "true"),
        ("all([])", "true"),
        ("sorted([3, 1.5, 2])", "[1.5,2,3]"),
        ("sorted(['b', 'a'])", r#"["a","b"]"#),
        ("reversed(xs)", "[3,2,1]"),
        ("reversed('abc')", "cba"),
        ("enumerate(['a'], 1)", r#"[[1,"a"]]"#),
        ("zip([1, 2, 3], 'ab')", r#"[[1,"a"],[2,"b"]]"#),
        ("count([1, 2, 1], 1)", "2"),
        ("count('banana', 'an')", "2"),
        ("index(xs, 3)", "2"),
        ("index(word, 'l')", "2"),
        ("contains(xs, 2)", "true"),
        ("unique([3, 1, 3, 2, 1.0])", "[3,1,2]"),
        ("flatten([[1], [2, 3], []])", "[1,2,3]"),
        ("concat([1], [2], [3])", "[1,2,3]"),
        ("repeat('x', 3)", r#"["x","x","x"]"#),
        ("keys(m)", r#"["key","name"]"#),
        ("values(m)", r#"[5,"x"]"#),
        ("get(m, 'nope', 7)", "7"),
        ("get(m, 'key', 7)", "5"),
        ("get(xs, -1, 0)", "3"),
        ("get(xs, 3, 0)", "0"),
        ("upper('abc')", "ABC"),
        ("lower('ÀBC')", "àbc"),
        ("chars('ab')", r#"["a","b"]"#),
        ("join(['a', 'b'], ', ')", "a, b"),
        ("join([1, 2.5])", "12.5"),
        ("replace('aXbX', 'X', '-')", "a-b-"),
        ("int(-2.7)", "-2"),
        ("int(' 42 ')", "42"),
        ("int('2.7')", "2"),
        ("int(true)", "1"),
        ("float('1e-3')", "0.001"),
        ("float(3)", "3.0"),
        ("str(0.5)", "0.5"),
        ("str(2.0)", "2.0"),
        ("str(1e16)", "1e+16"),
        ("str([1, 'a'])", r#"[1,"a"]"#),
        ("'n=' + str(d)", "n=2"),
        ("tau / pi", "2.0"),
    ];
    for (src, want) in cases {
        assert_eq!(show(src), want, "{src}");
    }
}

#[test]
fn python_rounding() {
    assert_eq!(ev("round(0.125, 2)"), Value::Float(0.12));
    assert_eq!(ev("round(0.375, 2)"), Value::Float(0.38));
    assert_eq!(ev("round(5/12, 2)"), Value::Float(0.42));
    assert_eq!(ev("round(i / 12, 2)"), Value::Float(0.42));
    assert_eq!(ev("round(2.5)"), Value::Int(2));
    assert_eq!(ev("round(3.5)"), Value::Int(4));
    assert_eq!(ev("round(-2.5)"), Value::Int(-2));
    assert_eq!(ev("round(7)"), Value::Int(7));
    assert_eq!(ev("round(1234.5678, -2)"), Value::Float(1200.0));
    assert!(err("round(1e300)").message.contains("int range"));
}

#[test]
fn function_errors() {
    let e = err("clamp(1, 'a', 2)");
    assert_eq!(e.message, "`clamp` expects a number for `lo`, got string");
    assert_eq!(e.span, Some(Span::new(9, 12)));
    assert!(err("clamp(1, 3, 2)").message.contains("lo <= hi"));
    assert!(err("sqrt(-1)").message.contains("undefined for negative"));
    assert!(err("ln(0)").message.contains("undefined"));
    assert!(err("log(2, 1)").message.contains("base"));
    assert!(err("asin(2)").message.contains("[-1, 1]"));
    assert!(err("tand(90)").message.contains("undefined"));
    assert!(err("exp(1000)").message.contains("finite"));
    assert!(err("index(xs, 9)").message.contains("not found"));
    assert!(err("range(0, 5, 0)").message.contains("zero"));
    assert!(err("range(2.0)").hint.unwrap().contains("int("));
    assert!(err("int('abc')").message.contains("cannot convert"));
    assert!(err("float('nan')").message.contains("cannot convert"));
    assert!(err("max([])").message.contains("empty"));
    assert!(err("max(1, 'a')").message.contains("cannot compare"));
    assert!(err("sorted([1, 'a'])").message.contains("cannot order"));
    assert!(err("sum(['a'])").message.contains("needs numbers"));
    assert!(err("any([1])").message.contains("list of bools"));
    assert!(err("flatten([1])").message.contains("list of lists"));
    assert!(err("repeat(1, -1)").message.contains(">= 0"));
    assert!(
        err("floor('x')")
            .message
            .contains("expects a number for `x`")
    );
}

#[test]
fn size_limits() {
    assert!(err("range(2000000)").message.contains("limit"));
    assert!(err("'ab' * 1000000").message.contains("limit"));
    assert!(err("repeat(0, 1000001)").message.contains("limit"));
    assert!(
        err("replace('a' * 1000, 'a', 'a' * 2000)")
            .message
            .contains("limit")
    );
    assert_eq!(ev("[] * 9223372036854775807"), list(&[]));
}

#[test]
fn random_functions_need_a_source() {
    let e = err("1 + sample(T, 2)[0]");
    assert!(
        e.message
            .starts_with("random functions are not allowed here"),
        "{}",
        e.message
    );
    assert_eq!(e.span, Some(Span::new(4, 16)));
    assert!(!Expr::parse("len(T)").unwrap().uses_random());
    assert!(Expr::parse("sample(T, 2)").unwrap().uses_random());
    assert!(
        Expr::parse("[uniform(0, 1) for j in range(3)]")
            .unwrap()
            .uses_random()
    );
}

#[test]
fn random_functions_are_deterministic_and_in_range() {
    for src in [
        "sample(T, 2)",
        "shuffle(range(20))",
        "uniform(2, 5)",
        "randint(1, 6)",
        "choice(T)",
        "choice(word)",
    ] {
        assert_eq!(ev_rng(src, 7).unwrap(), ev_rng(src, 7).unwrap(), "{src}");
    }
    assert_ne!(
        ev_rng("shuffle(range(20))", 7).unwrap(),
        ev_rng("shuffle(range(20))", 8).unwrap()
    );
    let draws = ev_rng("[randint(1, 6) for j in range(600)]", 1).unwrap();
    let Value::List(draws) = draws else { panic!() };
    for k in 1..=6 {
        assert!(draws.contains(&Value::Int(k)), "{k} never drawn");
    }
    assert!(draws.iter().all(|v| matches!(v, Value::Int(1..=6))));
    let Value::List(us) = ev_rng("[uniform(2, 5) for j in range(500)]", 2).unwrap() else {
        panic!()
    };
    assert!(
        us.iter()
            .all(|u| matches!(u, Value::Float(f) if (2.0..5.0).contains(f)))
    );
    let Value::List(s) = ev_rng("sample(range(10), 10)", 3).unwrap() else {
        panic!()
    };
    let mut got: Vec<i64> = s.iter().filter_map(Value::as_i64).collect();
    got.sort_unstable();
    assert_eq!(got, (0..10).collect::<Vec<_>>());
    let Value::List(s) = ev_rng("sample(T, 2)", 4).unwrap() else {
        panic!()
    };
    assert!(s.len() == 2 && s[0] != s[1]);
    assert!(
        ev_rng("sample(T, 5)", 1)
            .unwrap_err()
            .message
            .contains("between 0 and the list length 4")
    );
    assert!(
        ev_rng("randint(3, 1)", 1)
            .unwrap_err()
            .message
            .contains("a <= b")
    );
    assert!(
        ev_rng("choice([])", 1)
            .unwrap_err()
            .message
            .contains("empty")
    );
}
