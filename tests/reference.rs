//! `docs/reference.md` is exactly what `blindspot reference` prints today, and it names every
//! registered key, primitive field, function, constant, plugin parameter, answer format, font
//! and colour. Regenerate with `blindspot reference --out docs/reference.md` (or
//! `BLINDSPOT_UPDATE=1 cargo test --test reference`).

mod common;

use serde_json::Value as Json;

#[test]
fn committed_reference_is_current() {
    let how = "run `blindspot reference --out docs/reference.md`";
    common::assert_current("docs/reference.md", &blindspot::reference::markdown(), how);
}

/// Every property name of every definition in the task schema, i.e. every key the loader
/// accepts, read straight from the schema rather than through the reference's own walk.
fn schema_keys() -> Vec<String> {
    let schema: Json = serde_json::from_str(&blindspot::spec::json_schema()).unwrap();
    let mut keys = Vec::new();
    let defs = schema["definitions"].as_object().unwrap().values();
    for def in std::iter::once(&schema).chain(defs) {
        let variants = def["anyOf"].as_array().into_iter().flatten();
        for d in std::iter::once(def).chain(variants) {
            if let Some(props) = d["properties"].as_object() {
                keys.extend(props.keys().cloned());
            }
        }
    }
    assert!(keys.len() > 50, "{keys:?}");
    keys
}

#[test]
fn reference_names_everything_the_compiler_registers() {
    let text = blindspot::reference::markdown();
    let mut wanted: Vec<String> = schema_keys().iter().map(|k| format!("`{k}`")).collect();
    let prims = blindspot::spec::shapes::PRIMITIVES.iter();
    wanted.extend(prims.map(|p| format!("### `{p}`")));
    for (category, _) in blindspot::expr::CATEGORIES {
        wanted.push(format!("### {category}"));
    }
    for f in blindspot::expr::functions() {
        wanted.push(format!("| `{}` | ", f.signature));
    }
    for (name, _, _) in blindspot::expr::constants() {
        wanted.push(format!("| `{name}` | "));
    }
    for g in blindspot::plugins::GENERATORS {
        wanted.push(format!("### `{}`", g.name()));
        wanted.extend(g.params().iter().map(|p| format!("| `{}` | ", p.name)));
    }
    for f in blindspot::answer::builtins() {
        wanted.push(format!("| `{}` | ", f.name));
    }
    for f in blindspot::render::fonts::FONTS {
        wanted.push(format!("| {} | {} | `{}` |", f.family, f.weight, f.file));
    }
    let colours = blindspot::scene::color::TAB10.iter().map(|(n, _)| *n);
    wanted.extend(colours.map(|n| format!("`{n}`")));
    let mut missing: Vec<&String> = wanted.iter().filter(|w| !text.contains(*w)).collect();
    let css = text
        .lines()
        .find(|l| l.starts_with("CSS names"))
        .unwrap_or("");
    let listed: Vec<&str> = css.split([' ', ',', '.', ':']).collect();
    let css_missing: Vec<String> = blindspot::scene::color::css_names()
        .filter(|n| !listed.contains(n))
        .map(String::from)
        .collect();
    missing.extend(&css_missing);
    assert!(missing.is_empty(), "docs/reference.md lacks {missing:?}");
}

#[test]
fn cli_prints_the_reference_or_writes_it_to_a_file() {
    let fresh = blindspot::reference::markdown();
    let o = common::blindspot(&["reference"]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(
        o.stdout == fresh.as_bytes(),
        "stdout differs from the library's text"
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("reference.md");
    let o = common::blindspot(&["reference", "--out", path.to_str().unwrap()]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(o.stdout.is_empty());
    assert_eq!(std::fs::read_to_string(&path).unwrap(), fresh);
}
