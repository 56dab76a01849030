//! Syntax and semantics: operators, conditionals, comprehensions, access, errors.

use super::*;

#[test]
fn arithmetic() {
    assert_eq!(ev("(1 + d) * diameter / 2"), Value::Float(15.0));
    assert_eq!(ev("2 ** 3"), Value::Int(8));
    assert_eq!(ev("7 // 2"), Value::Int(3));
    assert_eq!(ev("-7 % 3"), Value::Int(2));
    assert_eq!(ev("-7 // 2"), Value::Int(-4));
    assert_eq!(ev("-2**2"), Value::Int(-4));
    assert_eq!(ev("(-2)**2"), Value::Int(4));
    assert_eq!(ev("2 ** 3 ** 2"), Value::Int(512));
    assert_eq!(ev("4 / 2"), Value::Float(2.0));
    assert_eq!(ev("1 + 2.0"), Value::Float(3.0));
    assert_eq!(ev("2 ** -1"), Value::Float(0.5));
    assert_eq!(ev("7.5 // 2"), Value::Float(3.0));
    assert_eq!(ev("1 - 2 - 3"), Value::Int(-4));
    assert_eq!(ev("--3"), Value::Int(3));
    assert_eq!(ev("'ab' + 'c'"), Value::from("abc"));
    assert_eq!(ev("[1] + [2] * 2"), list(&[1, 2, 2]));
    assert_eq!(show("0.1 + 0.2"), "0.30000000000000004");
}

#[test]
fn arithmetic_errors() {
    let e = err("1 + 9223372036854775807");
    assert_eq!(e.message, "integer overflow in `+`");
    let e = err("d + 'x'");
    assert_eq!(e.message, "cannot add int and string");
    assert_eq!(e.span, Some(Span::new(0, 7)));
    let e = err("1 + 5 // (d - 2)");
    assert_eq!(e.message, "division by zero");
    assert_eq!(e.span, Some(Span::new(4, 16)));
    assert_eq!(err("1.0 % 0").message, "division by zero");
    assert!(err("10.0 ** 400").message.contains("finite"));
    assert_eq!(err("-'a'").message, "cannot negate string");
}

#[test]
fn conditionals_and_logic() {
    assert_eq!(ev("'Yes' if d <= 0 else 'No'"), Value::from("No"));
    assert_eq!(ev("1 if d == 2 else 2 if d == 3 else 3"), Value::Int(1));
    assert_eq!(ev("not a and (b or c)"), Value::Bool(false));
    assert_eq!(ev("not b"), Value::Bool(true));
    assert_eq!(ev("a and b or c"), Value::Bool(true));
    // Short-circuiting never evaluates the erroneous operand.
    assert_eq!(ev("b and nope"), Value::Bool(false));
    assert_eq!(ev("a or nope"), Value::Bool(true));
    assert_eq!(ev("1 if a else nope"), Value::Int(1));
    assert_eq!(ev("1 > 2 < nope"), Value::Bool(false));
}

#[test]
fn booleans_are_strict() {
    let e = err("1 and a");
    assert_eq!(e.message, "`and` needs a bool, got int");
    assert_eq!(e.span, Some(Span::new(0, 1)));
    assert!(e.hint.unwrap().contains("strict"));
    assert!(err("b or 'x'").message.contains("got string"));
    assert!(err("not 0").message.contains("`not` needs a bool"));
    assert!(err("1 if d else 2").message.contains("condition"));
    assert!(err("[x for x in xs if x]").message.contains("filter"));
}

#[test]
fn comparisons() {
    assert_eq!(ev("0 <= d < 3"), Value::Bool(true));
    assert_eq!(ev("1 < d < 2"), Value::Bool(false));
    assert_eq!(ev("1 < 3 > 2"), Value::Bool(true));
    assert_eq!(ev("1 == 1.0"), Value::Bool(true));
    assert_eq!(ev("0.1 + 0.2 == 0.3"), Value::Bool(false));
    assert_eq!(ev("[1, 2] == [1, 2.0]"), Value::Bool(true));
    assert_eq!(ev("'a' == 1"), Value::Bool(false));
    assert_eq!(ev("true == 1"), Value::Bool(false));
    assert_eq!(ev("'abc' < 'abd'"), Value::Bool(true));
    assert_eq!(ev("m == m"), Value::Bool(true));
    assert_eq!(ev("2 in xs"), Value::Bool(true));
    assert_eq!(ev("4 not in xs"), Value::Bool(true));
    assert_eq!(ev("'ll' in word"), Value::Bool(true));
    assert_eq!(ev("'key' in m"), Value::Bool(true));
    let e = err("'a' < 1");
    assert_eq!(e.message, "cannot compare string and int with `<`");
    assert!(err("1 in 'abc'").message.contains("needs a string"));
}

#[test]
fn comprehensions() {
    assert_eq!(
        ev("[c[0] * S for c in centres if c[1] > 0]"),
        list(&[2, 10])
    );
    assert_eq!(ev("[i * x for i, x in enumerate(xs)]"), list(&[0, 2, 6]));
    assert_eq!(ev("[p + q for p, q in zip(xs, [10, 20])]"), list(&[11, 22]));
    assert_eq!(ev("[x for (x, y) in centres]"), list(&[1, 3, 5]));
    assert_eq!(show("[k for k in m]"), r#"["key","name"]"#);
    assert_eq!(show("[ch for ch in 'ab']"), r#"["a","b"]"#);
    assert_eq!(ev("[[x * y for y in xs] for x in xs][2]"), list(&[3, 6, 9]));
    // The loop variable shadows the scope and is unbound afterwards.
    assert_eq!(ev("[d for d in xs]"), list(&[1, 2, 3]));
    assert_eq!(ev("[i for i in range(2)] + [i]"), list(&[0, 1, 5]));
    assert_eq!(
        err("[p for p, q in xs]").message,
        "cannot unpack int into 2 names"
    );
    assert_eq!(
        err("[p for p, q in [[1, 2, 3]]]").message,
        "cannot unpack a list of 3 elements into 2 names"
    );
    assert!(
        err("[x for x in 3]")
            .message
            .contains("cannot iterate over int")
    );
}

#[test]
fn indexing_slicing_attributes() {
    assert_eq!(ev("xs[-1]"), Value::Int(3));
    assert_eq!(ev("centres[1][0]"), Value::Int(3));
    assert_eq!(ev("word[1]"), Value::from("é"));
    assert_eq!(ev("word[-1]"), Value::from("o"));
    assert_eq!(ev("m.key"), Value::Int(5));
    assert_eq!(ev("m['name']"), Value::from("x"));
    assert_eq!(ev("xs[1:]"), list(&[2, 3]));
    assert_eq!(ev("xs[:-1]"), list(&[1, 2]));
    assert_eq!(ev("xs[::-1]"), list(&[3, 2, 1]));
    assert_eq!(ev("xs[5:]"), list(&[]));
    assert_eq!(ev("word[1:3]"), Value::from("él"));
    assert_eq!(ev("[[1, 2], [3]][0][1]"), Value::Int(2));
    let e = err("xs[5]");
    assert_eq!(e.message, "index 5 is out of range for list of length 3");
    assert_eq!(e.span, Some(Span::new(3, 4)));
    assert!(err("xs[1.0]").hint.unwrap().contains("int("));
    let e = err("m.nmae");
    assert_eq!(e.message, "key `nmae` not found in map");
    assert_eq!(e.hint.as_deref(), Some("did you mean `name`?"));
    assert!(err("xs.len").hint.unwrap().contains("len(...)"));
    assert!(err("xs[::0]").message.contains("zero"));
    assert!(err("d[0]").message.contains("cannot index into int"));
}

#[test]
fn unknown_variables_get_suggestions() {
    let e = err("diamter * 2");
    assert_eq!(e.message, "unknown variable `diamter`");
    assert_eq!(e.span, Some(Span::new(0, 7)));
    assert_eq!(e.hint.as_deref(), Some("did you mean `diameter`?"));
    assert!(
        err("zzzzzz")
            .hint
            .unwrap()
            .starts_with("defined variables: S, T, a,")
    );
    assert!(err("len").hint.unwrap().contains("is a function"));
    assert!(
        err("[x for x in xs if xx > 0]")
            .hint
            .unwrap()
            .contains("`x`")
    );
}

#[test]
fn constants_and_shadowing() {
    assert_eq!(ev("pi"), Value::Float(std::f64::consts::PI));
    let mut s = scope();
    s.insert("pi".into(), Value::Int(3));
    assert_eq!(
        Expr::parse("pi").unwrap().eval_in(&s).unwrap(),
        Value::Int(3)
    );
    assert_eq!(
        constants().iter().map(|c| c.0).collect::<Vec<_>>(),
        ["pi", "tau", "e"]
    );
}

#[test]
fn free_vars_and_source() {
    let fv = |src: &str| Expr::parse(src).unwrap().free_vars();
    assert_eq!(
        fv("[c[0] * S for c in centres if c[1] > k]"),
        ["S", "centres", "k"]
    );
    assert_eq!(fv("[x for x in xs] + [x]"), ["x", "xs"]);
    assert_eq!(fv("e * x + len(y) + pi + y"), ["x", "y"]);
    assert_eq!(fv("m.key + n['k']"), ["m", "n"]);
    assert_eq!(fv("[[x + y for y in ys] for x in xs]"), ["xs", "ys"]);
    assert!(fv("1 + 2").is_empty());
    let e = Expr::parse(" d + 1 ").unwrap();
    assert_eq!(e.source(), " d + 1 ");
    assert_eq!(e.to_string(), " d + 1 ");
}

#[test]
fn errors_render_with_carets() {
    let src = "1 + diamter";
    let e = Expr::parse(src).unwrap().eval_in(&scope()).unwrap_err();
    assert_eq!(
        e.render(src),
        "error: unknown variable `diamter`\n  | 1 + diamter\n  |     ^^^^^^^\n  = hint: did you mean `diameter`?"
    );
}

#[test]
fn expr_is_thread_safe_and_cloneable() {
    fn check<T: Send + Sync + Clone + std::fmt::Debug>() {}
    check::<Expr>();
    check::<Value>();
    check::<ExprError>();
}
