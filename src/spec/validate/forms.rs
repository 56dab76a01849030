//! Structured var forms: plugin calls `{plugin, with}` and dependent sequences
//! `{sequence: {length, first, next}}`.

use indexmap::IndexSet;
use serde_json::Value as Json;

use super::check::Checker;
use crate::plugins;
use crate::spec::types::{Param, PluginCall, SequenceSpec};

/// Interprets a var value that is a mapping with `plugin` or `sequence`; `None` when the
/// value is not such a form (it is then a literal).
pub fn var_form(
    ck: &mut Checker<'_>,
    v: &Json,
    path: &str,
    known: &IndexSet<String>,
) -> Option<Option<Param>> {
    let map = v.as_object()?;
    if map.contains_key("plugin") {
        return Some(plugin(ck, map, path, known));
    }
    if map.contains_key("sequence") && map.len() == 1 {
        return Some(sequence(
            ck,
            &map["sequence"],
            &format!("{path}.sequence"),
            known,
        ));
    }
    None
}

fn plugin(
    ck: &mut Checker<'_>,
    map: &serde_json::Map<String, Json>,
    path: &str,
    known: &IndexSet<String>,
) -> Option<Param> {
    if let Some(extra) = map.keys().find(|k| *k != "plugin" && *k != "with") {
        ck.error(
            "unknown-field",
            format!("a plugin call takes `plugin` and `with`, not `{extra}`"),
            path,
            None,
        );
        return None;
    }
    let name = map["plugin"].as_str().unwrap_or_default();
    let Some(generator) = plugins::find(name) else {
        let all: Vec<&str> = plugins::GENERATORS.iter().map(|g| g.name()).collect();
        ck.error(
            "unknown-plugin",
            format!("no plugin is called `{name}`"),
            &format!("{path}.plugin"),
            None,
        )
        .hints
        .push(format!("available: {}", all.join(", ")));
        return None;
    };
    let empty = serde_json::Map::new();
    let with = match map.get("with") {
        None => &empty,
        Some(Json::Object(w)) => w,
        Some(_) => {
            ck.error(
                "wrong-type",
                "`with` must be a mapping of parameters",
                &format!("{path}.with"),
                None,
            );
            return None;
        }
    };
    let mut args = Vec::new();
    let mut ok = true;
    for (k, v) in with {
        let at = format!("{path}.with.{k}");
        if !generator.params().iter().any(|d| d.name == k) {
            ck.error(
                "unknown-field",
                format!("`{name}` has no parameter `{k}`"),
                &at,
                None,
            )
            .hints
            .push(format!("it takes: {}", plugins::names(generator)));
            ok = false;
        } else if let Some(p) = ck.param(v, &at, known) {
            args.push((k.clone(), p));
        } else {
            ok = false;
        }
    }
    for d in generator
        .params()
        .iter()
        .filter(|d| d.required && !with.contains_key(d.name))
    {
        ck.error(
            "missing-field",
            format!("`{name}` needs parameter `{}` ({})", d.name, d.doc),
            path,
            None,
        );
        ok = false;
    }
    ok.then_some(Param::Plugin(PluginCall { generator, args }))
}

fn sequence(ck: &mut Checker<'_>, v: &Json, path: &str, known: &IndexSet<String>) -> Option<Param> {
    let Some(map) = v.as_object() else {
        ck.error(
            "wrong-type",
            "`sequence` needs `length`, `first` and `next`",
            path,
            None,
        );
        return None;
    };
    if let Some(extra) = map
        .keys()
        .find(|k| !["length", "first", "next"].contains(&k.as_str()))
    {
        ck.error(
            "unknown-field",
            format!("a sequence takes `length`, `first` and `next`, not `{extra}`"),
            path,
            None,
        );
        return None;
    }
    let mut get = |key: &str, extra: &[&str]| -> Option<Param> {
        let Some(raw) = map.get(key) else {
            ck.error(
                "missing-field",
                format!("a sequence needs `{key}`"),
                path,
                None,
            );
            return None;
        };
        let mut names = known.clone();
        names.extend(extra.iter().map(|s| s.to_string()));
        ck.expr_or_literal(raw, &format!("{path}.{key}"), &names, true)
    };
    let length = get("length", &[]);
    let first = get("first", &["index"]);
    let next = get("next", &["index", "prev"]);
    Some(Param::Sequence(Box::new(SequenceSpec {
        length: length?,
        first: first?,
        next: next?,
    })))
}
