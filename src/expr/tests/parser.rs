//! Parser unit tests: precedence, spans, syntax errors and limits.

use crate::expr::ast::{Kind, Node, Post};
use crate::expr::error::{ExprError, Span};
use crate::expr::parser::parse;

/// Renders the tree as fully parenthesized text.
fn show(n: &Node) -> String {
    match &n.kind {
        Kind::Lit(v) => v.display(),
        Kind::Var(name) => name.clone(),
        Kind::List(items) => format!(
            "[{}]",
            items.iter().map(show).collect::<Vec<_>>().join(", ")
        ),
        Kind::Comp(c) => format!(
            "[{} for {} in {}]",
            show(&c.elem),
            c.targets.join(","),
            show(&c.iter)
        ),
        Kind::Neg(x) => format!("(-{})", show(x)),
        Kind::Pos(x) => format!("(+{})", show(x)),
        Kind::Not(x) => format!("(not {})", show(x)),
        Kind::Arith(first, rest) => rest.iter().fold(show(first), |acc, (op, x, _)| {
            format!("({acc} {op:?} {})", show(x))
        }),
        Kind::Pow(a, b) => format!("({} ** {})", show(a), show(b)),
        Kind::Logic(op, items) => {
            format!(
                "({})",
                items
                    .iter()
                    .map(show)
                    .collect::<Vec<_>>()
                    .join(&format!(" {op:?} "))
            )
        }
        Kind::Compare(first, rest) => {
            let tail: String = rest
                .iter()
                .map(|(op, x)| format!(" {op:?} {}", show(x)))
                .collect();
            format!("({}{tail})", show(first))
        }
        Kind::Cond(p) => format!("({} if {} else {})", show(&p[0]), show(&p[1]), show(&p[2])),
        Kind::Call(def, args) => {
            format!(
                "{}({})",
                def.doc.name,
                args.iter().map(show).collect::<Vec<_>>().join(", ")
            )
        }
        Kind::Postfix(base, ops) => ops.iter().fold(show(base), |acc, op| match &op.op {
            Post::Index(i) => format!("{acc}[{}]", show(i)),
            Post::Slice(..) => format!("{acc}[:]"),
            Post::Attr(a) => format!("{acc}.{a}"),
        }),
    }
}

fn p(src: &str) -> String {
    show(&parse(src).unwrap())
}

#[test]
fn precedence() {
    assert_eq!(p("1 + 2 * 3"), "(1 Add (2 Mul 3))");
    assert_eq!(
        p("(1 + d) * diameter / 2"),
        "(((1 Add d) Mul diameter) Div 2)"
    );
    assert_eq!(p("-2 ** 2"), "(-(2 ** 2))");
    assert_eq!(p("2 ** -1"), "(2 ** (-1))");
    assert_eq!(p("2 ** 3 ** 2"), "(2 ** (3 ** 2))");
    assert_eq!(p("not a and (b or c)"), "((not a) And (b Or c))");
    assert_eq!(p("a or b and c"), "(a Or (b And c))");
    assert_eq!(p("not x in xs"), "(not (x In xs))");
    assert_eq!(p("0 <= x < 1"), "(0 Le x Lt 1)");
    assert_eq!(p("x not in xs"), "(x NotIn xs)");
    assert_eq!(p("'Yes' if d <= 0 else 'No'"), "(Yes if (d Le 0) else No)");
    assert_eq!(
        p("a if b else c if d else e"),
        "(a if b else (c if d else e))"
    );
    assert_eq!(p("-a.b[0]"), "(-a.b[0])");
    assert_eq!(p("7 // 2 % 3 - 1"), "(((7 FloorDiv 2) Mod 3) Sub 1)");
}

#[test]
fn lists_comprehensions_calls() {
    assert_eq!(p("[]"), "[]");
    assert_eq!(p("[1, 2,]"), "[1, 2]");
    assert_eq!(
        p("[c[0] * S for c in centres if c[1] > 0]"),
        "[(c[0] Mul S) for c in centres]"
    );
    assert_eq!(
        p("[x for i, x in enumerate(xs)]"),
        "[x for i,x in enumerate(xs)]"
    );
    assert_eq!(
        p("[a for (a, b) in zip(xs, ys)]"),
        "[a for a,b in zip(xs, ys)]"
    );
    assert_eq!(p("round(i / 12, 2)"), "round((i Div 12), 2)");
    assert_eq!(p("xs[1:]"), "xs[:]");
    assert_eq!(p("xs[::-1]"), "xs[:]");
}

#[test]
fn spans_cover_subexpressions() {
    let n = parse("a + b * c").unwrap();
    assert_eq!(n.span, Span::new(0, 9));
    let Kind::Arith(_, rest) = &n.kind else {
        panic!()
    };
    assert_eq!(rest[0].1.span, Span::new(4, 9));
    let n = parse(" (x) ").unwrap();
    assert_eq!(n.span, Span::new(1, 4));
    let n = parse("m.k[1]").unwrap();
    let Kind::Postfix(_, ops) = &n.kind else {
        panic!()
    };
    assert_eq!(ops[0].span, Span::new(0, 3));
    assert_eq!(ops[1].span, Span::new(0, 6));
}

fn err(src: &str) -> ExprError {
    parse(src).unwrap_err()
}

#[test]
fn syntax_errors() {
    assert_eq!(err("").message, "empty expression");
    assert_eq!(
        err("1 +").message,
        "expected a value, found end of expression"
    );
    assert_eq!(err("(1").message, "expected `)`, found end of expression");
    assert_eq!(err("1 2").span, Some(Span::new(2, 3)));
    assert!(err("a if b").message.contains("`else`"));
    assert_eq!(err("a = 1").hint.as_deref(), Some("use `==` to compare"));
    assert!(
        err("[x for x in xs for y in ys]")
            .message
            .contains("one `for`")
    );
    assert!(err("xs[]").message.contains("an index"));
    assert!(err(&"1+".repeat(6000)).message.contains("too long"));
}

#[test]
fn function_checks() {
    let e = err("sqr(xs)");
    assert_eq!(e.message, "unknown function `sqr`");
    assert_eq!(
        e.hint.as_deref(),
        Some("did you mean `sqrt`, `str` or `sin`?")
    );
    assert_eq!(e.span, Some(Span::new(0, 3)));
    assert_eq!(
        err("sn(1)").hint.as_deref(),
        Some("did you mean `ln` or `sin`?")
    );
    let e = err("clamp(1, 2)");
    assert_eq!(e.message, "`clamp(x, lo, hi)` takes 3 arguments, got 2");
    assert_eq!(e.span, Some(Span::new(0, 11)));
    assert!(err("max()").message.contains("at least 1"));
    assert!(err("round(x, n=2)").message.contains("keyword"));
    assert!(err("f(x)(y)").message.contains("unknown function"));
    assert!(err("(x)(y)").message.contains("only named functions"));
    let e = err("word.upper()");
    assert!(e.hint.unwrap().contains("`upper(...)`"));
}

#[test]
fn nesting_limit_is_an_error_not_a_crash() {
    let deep = format!("{}1{}", "(".repeat(10_000), ")".repeat(10_000));
    assert!(err(&deep).message.contains("too long"));
    assert!(
        err(&"(".repeat(9_999))
            .message
            .contains("nested too deeply")
    );
    let deep = format!("{}1{}", "(".repeat(4_000), ")".repeat(4_000));
    assert!(err(&deep).message.contains("nested too deeply"));
    assert!(
        err(&"-".repeat(5_000))
            .message
            .contains("nested too deeply")
    );
    assert!(
        err(&format!("{}x", "not ".repeat(2_000)))
            .message
            .contains("nested too deeply")
    );
    assert!(
        err(&"[".repeat(5_000))
            .message
            .contains("nested too deeply")
    );
    let ok = format!("{}1{}", "(".repeat(60), ")".repeat(60));
    assert!(parse(&ok).is_ok());
    // Long flat chains are fine: they are n-ary nodes, not deep trees.
    assert!(parse(&vec!["1"; 4_000].join("+")).is_ok());
    assert!(parse(&format!("x{}", "[0]".repeat(3_000))).is_ok());
}
