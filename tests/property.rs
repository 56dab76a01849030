//! Property tests over untrusted input: thousands of deterministic pseudo-random spec files
//! and expressions. Spec text must load to a spec or to error diagnostics (never a panic),
//! and expression parsing and evaluation must be total, deterministic and exactly bounded
//! by their step budget. The generators are in `property/generate.rs`; `fuzz/` runs the same
//! entry points under cargo-fuzz for longer.
//!
//! Set `BLINDSPOT_PROPERTY_CASES` to multiply the number of cases (default 1).

mod common;
#[path = "property/generate.rs"]
mod generate;

use std::panic::{AssertUnwindSafe, catch_unwind};

use blindspot::diag::Diagnostic;
use blindspot::expr::{Budget, EvalCtx, Expr, ExprError, Value};
use blindspot::rng::SampleRng;
use blindspot::spec::{self, Source, TaskSpec};
use blindspot::{compose, expand};
use indexmap::IndexMap;

use generate::{expression, mutate, scope};

fn cases(n: u64) -> u64 {
    let k = std::env::var("BLINDSPOT_PROPERTY_CASES").ok();
    n * k.and_then(|k| k.parse().ok()).unwrap_or(1)
}

/// Every spec of the repository (tasks and test fixtures, valid and invalid), as text.
fn real_specs() -> Vec<(String, String)> {
    let root = common::root();
    let mut out = Vec::new();
    let mut dirs = vec![root.join("tasks"), root.join("tests/fixtures")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "yaml") {
                let name = path.strip_prefix(&root).unwrap().display().to_string();
                let bytes = std::fs::read(&path).unwrap();
                out.push((name, String::from_utf8_lossy(&bytes).into_owned()));
            }
        }
    }
    out.sort();
    assert!(out.len() >= 50, "only {} specs found", out.len());
    out
}

/// Parses spec text, turning a panic into a test failure that shows the input.
fn parse_or_report(what: &str, text: &str) -> Result<TaskSpec, Vec<Diagnostic>> {
    catch_unwind(|| spec::parse(Source::new("mutant.yaml", text)))
        .unwrap_or_else(|_| panic!("loading {what} panicked; input:\n{text}"))
}

/// A rejection has at least one error, kebab-case ids, and locations that point at real
/// lines of the text.
fn check_diagnostics(what: &str, text: &str, diags: &[Diagnostic]) {
    assert!(diags.iter().any(Diagnostic::is_error), "{what}: no error");
    let lines: Vec<&str> = text.split('\n').collect();
    for d in diags {
        let kebab = d.id.chars().all(|c| c.is_ascii_lowercase() || c == '-');
        assert!(!d.id.is_empty() && kebab, "{what}: id {:?}", d.id);
        assert!(!d.message.is_empty(), "{what}: [{}] has no message", d.id);
        if let Some(loc) = &d.location {
            let line = lines.get(loc.line - 1).map(|l| l.trim_end_matches('\r'));
            let shown = loc.line_text.trim_end_matches('\r');
            assert_eq!(line, Some(shown), "{what}: [{}] line {}", d.id, loc.line);
            assert!(loc.column >= 1 && loc.column <= shown.chars().count() + 1);
        }
    }
    let _ = blindspot::diag::render(diags);
}

/// Ids, lines and columns of diagnostics. (Not messages: libyaml words some syntax errors
/// differently depending on what came before.)
fn positions(diags: &[Diagnostic], shift: usize) -> Vec<(&str, Option<(usize, usize)>)> {
    diags
        .iter()
        .map(|d| {
            (
                d.id,
                d.location.as_ref().map(|l| (l.line + shift, l.column)),
            )
        })
        .collect()
}

/// Composes the first sample of an accepted spec; errors are fine, panics are not.
fn compose_first(what: &str, text: &str, spec: &TaskSpec) -> bool {
    if spec.images() == 0 {
        return false;
    }
    let plan = expand::plan(spec, 0);
    let run = catch_unwind(AssertUnwindSafe(|| compose::compose(spec, &plan)));
    let composed = run.unwrap_or_else(|_| panic!("composing {what} panicked; input:\n{text}"));
    composed.is_ok()
}

/// The specs that load as they are (with the same file name as the mutants).
fn loadable(specs: &[(String, String)]) -> Vec<(String, String)> {
    let ok: Vec<_> = specs
        .iter()
        .filter(|(_, text)| spec::parse(Source::new("mutant.yaml", text.as_str())).is_ok())
        .cloned()
        .collect();
    assert!(ok.len() >= 10, "only {} specs load", ok.len());
    ok
}

#[test]
fn mutated_specs_load_or_fail_with_diagnostics() {
    let specs = real_specs();
    let valid = loadable(&specs);
    let mut rng = SampleRng::new(0x5eed);
    let (mut accepted, mut rejected, mut composed) = (0u64, 0u64, 0u64);
    for case in 0..cases(4_000) {
        // Mostly mutants of specs that load, so that mutations reach validation and beyond.
        let pool = if rng.below(4) == 0 { &specs } else { &valid };
        let (name, original) = &pool[rng.below(pool.len() as u64) as usize];
        let text = mutate(&mut rng, original);
        let what = format!("case {case} (a mutant of {name})");
        match parse_or_report(&what, &text) {
            Ok(spec) => {
                accepted += 1;
                if compose_first(&what, &text, &spec) {
                    composed += 1;
                }
            }
            Err(diags) => {
                rejected += 1;
                check_diagnostics(&what, &text, &diags);
            }
        }
    }
    // The mutations must neither be all fatal nor all harmless.
    eprintln!("{accepted} mutants loaded, {rejected} rejected, {composed} composed");
    assert!(
        accepted * 20 > cases(4_000),
        "only {accepted} mutants loaded"
    );
    assert!(
        rejected * 2 > cases(4_000),
        "only {rejected} mutants were rejected"
    );
    assert!(composed > 0, "no mutant composed");
}

#[test]
fn loading_is_deterministic_and_independent_of_a_leading_comment() {
    let specs = real_specs();
    let mut rng = SampleRng::new(77);
    for case in 0..cases(600) {
        let (name, original) = &specs[rng.below(specs.len() as u64) as usize];
        let text = mutate(&mut rng, original);
        let what = format!("case {case} (a mutant of {name})");
        let first = parse_or_report(&what, &text);
        let again = parse_or_report(&what, &text);
        // After a byte-order mark, which only the first character may be.
        let bom = if text.starts_with('\u{feff}') { 3 } else { 0 };
        let (bom, rest) = text.split_at(bom);
        let commented = parse_or_report(&what, &format!("{bom}# a comment\n{rest}"));
        match (first, again, commented) {
            (Ok(a), Ok(b), Ok(c)) => {
                assert_eq!((a.images(), a.rows()), (b.images(), b.rows()), "{what}");
                assert_eq!((a.task_id, a.seed), (c.task_id, c.seed), "{what}");
            }
            (Err(a), Err(b), Err(c)) => {
                assert_eq!(a, b, "{what}: the same text gave other diagnostics");
                assert_eq!(positions(&a, 1), positions(&c, 0), "{what}\n{text}");
            }
            _ => panic!("{what}: acceptance changed between loads\n{text}"),
        }
    }
}

/// Evaluates with a fresh seeded random source and a budget of `steps`.
fn eval(
    expr: &Expr,
    scope: &IndexMap<String, Value>,
    steps: u64,
) -> (Result<Value, ExprError>, u64) {
    let mut rng = SampleRng::new(9);
    let mut budget = Budget::new(steps);
    let result = expr.eval(&mut EvalCtx {
        scope,
        rng: Some(&mut rng),
        budget: &mut budget,
    });
    assert!(budget.steps_left <= steps);
    (result, steps - budget.steps_left)
}

fn is_step_limit(r: &Result<Value, ExprError>) -> bool {
    r.as_ref()
        .is_err_and(|e| e.message == "evaluation step limit exceeded")
}

fn check_span(src: &str, e: &ExprError) {
    if let Some(sp) = &e.span {
        assert!(sp.start <= sp.end && sp.end <= src.len(), "{src:?}: {e:?}");
        assert!(src.is_char_boundary(sp.start) && src.is_char_boundary(sp.end));
    }
    let _ = e.render(src);
}

/// The properties of one parsed expression: source round trip, determinism, an exact
/// budget, and independence from names it does not read. Returns whether it evaluated.
fn check_expression(src: &str, expr: &Expr, scope: &IndexMap<String, Value>) -> bool {
    const STEPS: u64 = 30_000;
    assert_eq!(expr.source(), src);
    assert_eq!(expr.to_string(), src);
    let (result, used) = eval(expr, scope, STEPS);
    let (again, used_again) = eval(expr, scope, STEPS);
    assert_eq!(
        result.as_ref().map_err(|e| &e.message),
        again.as_ref().map_err(|e| &e.message),
        "{src:?}"
    );
    assert_eq!(used, used_again, "{src:?}: same input, other step count");
    if is_step_limit(&result) {
        assert_eq!(
            used, STEPS,
            "{src:?}: a budget failure spends the whole budget"
        );
        return false;
    }
    let value = match result {
        Ok(v) => v,
        Err(e) => {
            check_span(src, &e);
            return false;
        }
    };
    assert!(value.to_json().is_ok(), "{src:?} gave a non-finite value");
    // The step count is exact: that many steps suffice, one fewer does not.
    let (exact, _) = eval(expr, scope, used);
    assert_eq!(
        exact.ok().as_ref(),
        Some(&value),
        "{src:?} with {used} steps"
    );
    assert!(is_step_limit(&eval(expr, scope, used - 1).0), "{src:?}");
    // Only the free variables matter.
    let free = expr.free_vars();
    let narrow: IndexMap<String, Value> = scope
        .iter()
        .filter(|(k, _)| free.contains(k))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    assert_eq!(eval(expr, &narrow, STEPS).0.ok(), Some(value), "{src:?}");
    true
}

#[test]
fn expressions_are_total_deterministic_and_exactly_budgeted() {
    blindspot::render::metrics::install();
    let scope = scope();
    let mut rng = SampleRng::new(2025);
    let (mut parsed, mut evaluated) = (0u64, 0u64);
    let n = cases(6_000);
    for _ in 0..n {
        let src = expression(&mut rng);
        let outcome = catch_unwind(|| match Expr::parse(&src) {
            Ok(expr) => Some(check_expression(&src, &expr, &scope)),
            Err(e) => {
                check_span(&src, &e);
                None
            }
        });
        match outcome {
            Ok(Some(ok)) => {
                parsed += 1;
                evaluated += u64::from(ok);
            }
            Ok(None) => {}
            Err(_) => panic!("expression {src:?} failed a property (see above)"),
        }
    }
    eprintln!("{parsed} of {n} expressions parsed, {evaluated} evaluated");
    assert!(parsed * 4 > n, "generator too weak: {parsed} of {n} parsed");
    assert!(
        evaluated * 10 > n,
        "generator too weak: {evaluated} of {n} evaluated"
    );
}
