//! Tests every registered plugin gets for free: well-formed declarations, an example spec that
//! validates, and parameter checking (by the validator and by [`check_params`]) that follows
//! the declarations, before the plugin runs.

use indexmap::IndexMap;

use super::{GENERATORS, Generator, ParamKind, check_params};
use crate::expr::Value;
use crate::spec::Source;

/// A value of the declared kind, and one of another kind.
fn values_of(kind: ParamKind) -> (Value, Value) {
    match kind {
        ParamKind::Int => (Value::Int(1), Value::Float(1.5)),
        ParamKind::Number => (Value::Float(1.5), Value::Str("x".into())),
        ParamKind::List => (Value::List(Vec::new()), Value::Int(1)),
    }
}

fn required(g: &dyn Generator) -> IndexMap<String, Value> {
    (g.params().iter())
        .filter(|d| d.required)
        .map(|d| (d.name.to_string(), values_of(d.kind).0))
        .collect()
}

#[test]
fn declarations_are_well_formed_and_the_example_spec_uses_the_plugin() {
    for (i, g) in GENERATORS.iter().enumerate() {
        let name = g.name();
        assert!(
            GENERATORS[..i].iter().all(|o| o.name() != name),
            "{name} twice"
        );
        assert!(!g.doc().is_empty() && !g.returns().is_empty(), "{name}");
        for (j, d) in g.params().iter().enumerate() {
            assert!(!d.doc.is_empty(), "{name}.{}", d.name);
            assert!(
                g.params()[..j].iter().all(|o| o.name != d.name),
                "{name}.{}",
                d.name
            );
        }
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(g.example());
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(&format!("plugin: {name}")), "{}", g.example());
        if let Err(d) = crate::spec::load(&path) {
            panic!("{}", crate::diag::render(&d));
        }
    }
}

#[test]
fn check_params_follows_the_declarations() {
    for g in GENERATORS {
        let ok = required(*g);
        assert_eq!(check_params(*g, &ok), Ok(()), "{}", g.name());
        for d in g.params() {
            let mut args = ok.clone();
            if d.required {
                args.shift_remove(d.name);
                let e = check_params(*g, &args).unwrap_err();
                assert!(e.contains(&format!("needs parameter `{}`", d.name)), "{e}");
            }
            args.insert(d.name.to_string(), values_of(d.kind).1);
            let e = check_params(*g, &args).unwrap_err();
            let want = format!("parameter `{}` must be {}", d.name, d.kind.name());
            assert!(e.contains(&want), "{e}");
        }
        let mut args = ok.clone();
        args.insert("no_such_parameter".into(), Value::Int(1));
        let e = check_params(*g, &args).unwrap_err();
        assert!(e.contains("has no parameter `no_such_parameter`"), "{e}");
    }
}

/// A minimal valid spec whose only var is `lattice: {plugin: NAME, with: WITH}`.
fn spec_with(plugin: &str, with: &str) -> Source {
    let yaml = format!(
        "name: t\nversion: 1.0.0\ntask: {{id: t, label: T}}\nlicense: mit\nseed: 1\n\
         vars:\n  data: {{plugin: {plugin}, with: {with}}}\n\
         scene: {{width: 8, height: 8}}\nanswers: {{a: 1}}\nprompts: [{{template: q, answer: a}}]\n"
    );
    Source::new("t.yaml", yaml)
}

fn diagnostic_ids(src: Source) -> Vec<&'static str> {
    match crate::spec::parse(src) {
        Ok(_) => Vec::new(),
        Err(d) => d.iter().map(|x| x.id).collect(),
    }
}

#[test]
fn specs_are_checked_against_the_declarations_before_anything_runs() {
    assert_eq!(
        diagnostic_ids(spec_with("no_such_plugin", "{}")),
        ["unknown-plugin"]
    );
    for g in GENERATORS {
        let ids = diagnostic_ids(spec_with(g.name(), "{no_such_parameter: 1}"));
        let missing = g.params().iter().filter(|d| d.required).count();
        assert_eq!(ids.iter().filter(|i| **i == "unknown-field").count(), 1);
        assert_eq!(
            ids.iter().filter(|i| **i == "missing-field").count(),
            missing
        );
    }
}
