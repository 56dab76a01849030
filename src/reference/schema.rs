//! The spec-key, value-form and primitive parts of the reference, read from the JSON Schema
//! of the raw spec types: the same serde types the loader deserialises, whose doc comments
//! become the schema's descriptions. A key the loader accepts is therefore a key listed here.
//!
//! Invariants: properties and variants keep their declaration order (schemars preserves it);
//! a description's trailing `Default: …` sentence becomes the "required / default" column.
//! Value types with their own section (scene values, literal-or-expression, primitives) are
//! named, not expanded, where they occur.

use std::fmt::Write as _;

use serde_json::Value as Json;

use super::markdown::{cell, code, one_line, table};

/// Display names of the schema's value types.
const TYPE_NAMES: &[(&str, &str)] = &[
    ("ParamSchema", "scene value"),
    ("LiteralOrExpr", "literal or expression"),
    ("VarSchema", "var"),
    ("AxisSchema", "axis"),
    ("RawConstraint", "constraint"),
    ("RawShape", "primitive"),
];

/// Value types described in their own section rather than at each use.
const OWN_SECTION: &[&str] = &["ParamSchema", "LiteralOrExpr", "RawShape"];

const KEY_HEADERS: &[&str] = &["key", "type", "required / default", "meaning"];

/// The task spec's JSON Schema, parsed.
pub(super) struct Schema {
    root: Json,
}

impl Schema {
    /// The schema of task specs, as `blindspot schema` prints it.
    pub fn task() -> Self {
        let root = serde_json::from_str(&crate::spec::json_schema()).expect("the schema is JSON");
        Schema { root }
    }

    /// The `## Spec keys` section: every key, nested mappings and union forms in turn.
    pub fn spec_keys(&self, out: &mut String) {
        out.push_str(
            "## Spec keys\n\nEvery key a task spec may hold, in the order the loader declares \
             them; `[]` stands for each element of a list and `<name>` for each entry of a \
             mapping. Unknown keys are errors everywhere.\n\n",
        );
        self.object(out, "", &self.root);
    }

    /// The `## Values` section: the forms of the two value types used across the spec.
    pub fn value_forms(&self, out: &mut String) {
        out.push_str("## Values\n\n");
        for (name, title) in [
            (
                "LiteralOrExpr",
                "`constants`, `vars`, `answers`, `metadata`: literal or expression",
            ),
            (
                "ParamSchema",
                "Scene fields and plugin parameters: scene value",
            ),
        ] {
            self.forms(out, title, "", self.def(name));
        }
    }

    fn def(&self, name: &str) -> &Json {
        &self.root["definitions"][name]
    }

    /// A mapping's key table, then its nested mappings and unions.
    fn object(&self, out: &mut String, path: &str, def: &Json) {
        match path.is_empty() {
            true => out.push_str("### Top level\n\n"),
            false => {
                let desc = def["description"].as_str().unwrap_or_default();
                let _ = writeln!(out, "### {}\n\n{}\n", code(path), cell(desc));
            }
        }
        let rows = properties(def).map(|(k, s)| self.row(k, s, is_required(def, k)));
        table(out, KEY_HEADERS, rows);
        for (key, s) in properties(def) {
            self.child(out, &join(path, key), s);
        }
    }

    /// Expands what a property holds: a mapping or union definition, through lists and maps.
    fn child(&self, out: &mut String, path: &str, s: &Json) {
        let s = unwrap(s);
        match (ref_name(s), first_type(s)) {
            (Some(name), _) if OWN_SECTION.contains(&name) => {}
            (Some(name), _) if self.def(name)["properties"].is_object() => {
                self.object(out, path, self.def(name));
            }
            (Some(name), _) if variants(self.def(name)).is_some() => {
                self.forms(out, &code(path), path, self.def(name));
            }
            (None, Some("array")) => self.child(out, &format!("{path}[]"), &s["items"]),
            (None, Some("object")) if s["additionalProperties"].is_object() => {
                self.child(out, &format!("{path}.<name>"), &s["additionalProperties"]);
            }
            _ => {}
        }
    }

    /// A union's forms as a list, then a key table per mapping form.
    fn forms(&self, out: &mut String, title: &str, path: &str, def: &Json) {
        let desc = def["description"].as_str().unwrap_or_default();
        let _ = writeln!(out, "### {title}\n\n{}\n", cell(desc));
        let all = variants(def).unwrap_or_default();
        for v in all {
            let desc = v["description"].as_str().unwrap_or_default();
            let _ = writeln!(out, "- **{}**: {}", self.type_of(v), cell(desc));
        }
        out.push('\n');
        for v in all.iter().filter(|v| v["properties"].is_object()) {
            let keys: Vec<String> = properties(v).map(|(k, _)| code(k)).collect();
            let _ = writeln!(out, "The {} form:\n", keys.join(", "));
            let rows = properties(v).map(|(k, s)| self.row(k, s, is_required(v, k)));
            table(out, KEY_HEADERS, rows);
            for (key, s) in properties(v) {
                self.child(out, &join(path, key), s);
            }
        }
    }

    fn row(&self, key: &str, s: &Json, required: bool) -> Vec<String> {
        let desc = s["description"].as_str().unwrap_or_default();
        let (meaning, default) = split_default(desc);
        let req = match (required, default) {
            (true, _) => "required",
            (false, Some(d)) => d,
            (false, None) => "optional",
        };
        vec![code(key), self.type_of(s), cell(req), cell(meaning)]
    }

    /// A short type name: `string`, `int`, `list of string`, `map of axis`, `mapping`, ….
    fn type_of(&self, s: &Json) -> String {
        let s = unwrap(s);
        if let Some(name) = ref_name(s) {
            return match TYPE_NAMES.iter().find(|(n, _)| *n == name) {
                Some((_, label)) => (*label).to_string(),
                None => consts(self.def(name)).unwrap_or_else(|| "mapping".into()),
            };
        }
        match first_type(s) {
            Some("array") if s["items"].is_object() => {
                format!("list of {}", self.type_of(&s["items"]))
            }
            Some("array") => "list".into(),
            Some("object") if s["additionalProperties"].is_object() => {
                format!("map of {}", self.type_of(&s["additionalProperties"]))
            }
            Some("object") => "mapping".into(),
            Some("integer") => "int".into(),
            Some("boolean") => "bool".into(),
            Some(t) => t.into(),
            None => "any".into(),
        }
    }
}

/// One field of a scene primitive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldDoc {
    /// Name as written in specs.
    pub name: String,
    /// Whether every entry must give it.
    pub required: bool,
    /// Its doc comment, joined onto one line.
    pub doc: String,
}

impl FieldDoc {
    /// The reference's table row: field, required or default, meaning.
    pub(super) fn row(&self) -> Vec<String> {
        let (meaning, default) = split_default(&self.doc);
        let req = match (self.required, default) {
            (true, _) => "required",
            (false, Some(d)) => d,
            (false, None) => "optional",
        };
        vec![code(&self.name), cell(req), cell(meaning)]
    }
}

/// One scene primitive with its fields, in declaration order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrimitiveDoc {
    /// The YAML key, e.g. `regular_polygon`.
    pub name: String,
    /// Its doc comment, joined onto one line.
    pub doc: String,
    /// Every field it accepts, geometry first, then controls and style.
    pub fields: Vec<FieldDoc>,
}

impl PrimitiveDoc {
    /// Whether the primitive takes field `name`.
    pub fn has(&self, name: &str) -> bool {
        self.fields.iter().any(|f| f.name == name)
    }

    /// Its fields beyond the `common` ones, when it takes them all; else every field.
    pub fn own_fields<'a>(&'a self, common: &'a [String]) -> impl Iterator<Item = &'a FieldDoc> {
        let shares = common.iter().all(|c| self.has(c));
        (self.fields.iter()).filter(move |f| !shares || !common.contains(&f.name))
    }
}

/// Every scene primitive the loader accepts, in declaration order, from the schema.
pub fn primitives() -> Vec<PrimitiveDoc> {
    let schema = Schema::task();
    let shapes = schema.def("RawShape")["oneOf"].as_array().cloned();
    let mut out = Vec::new();
    for v in shapes.unwrap_or_default() {
        for (name, s) in properties(&v) {
            let def = schema.def(ref_name(s).unwrap_or_default());
            let fields = properties(def)
                .map(|(k, f)| FieldDoc {
                    name: k.to_string(),
                    required: is_required(def, k),
                    doc: one_line(f["description"].as_str().unwrap_or_default()),
                })
                .collect();
            let doc = one_line(def["description"].as_str().unwrap_or_default());
            out.push(PrimitiveDoc {
                name: name.to_string(),
                doc,
                fields,
            });
        }
    }
    out
}

/// The fields shared by every primitive except the `group` container (controls and style),
/// in declaration order.
pub fn common_fields(all: &[PrimitiveDoc]) -> Vec<String> {
    let mut drawn = all.iter().filter(|p| p.name != "group");
    let Some(first) = drawn.next() else {
        return Vec::new();
    };
    let mut common: Vec<String> = first.fields.iter().map(|f| f.name.clone()).collect();
    for p in drawn {
        common.retain(|name| p.has(name));
    }
    common
}

fn properties(def: &Json) -> impl Iterator<Item = (&str, &Json)> {
    let props = def["properties"].as_object().into_iter().flatten();
    props.map(|(k, v)| (k.as_str(), v))
}

fn is_required(def: &Json, key: &str) -> bool {
    let list = def["required"].as_array().into_iter().flatten();
    list.into_iter().any(|k| k == key)
}

fn join(path: &str, key: &str) -> String {
    match path.is_empty() {
        true => key.to_string(),
        false => format!("{path}.{key}"),
    }
}

/// `s` without an optional wrapper (`anyOf [x, null]`) or a single-element `allOf`.
fn unwrap(s: &Json) -> &Json {
    if let Some([one]) = s["allOf"].as_array().map(Vec::as_slice) {
        return unwrap(one);
    }
    if let Some([x, null]) = s["anyOf"].as_array().map(Vec::as_slice)
        && null["type"] == "null"
    {
        return unwrap(x);
    }
    s
}

/// The definition name a (possibly wrapped) `$ref` points at.
fn ref_name(s: &Json) -> Option<&str> {
    unwrap(s)["$ref"].as_str()?.rsplit('/').next()
}

/// The first non-null JSON type of a schema.
fn first_type(s: &Json) -> Option<&str> {
    match &s["type"] {
        Json::Array(types) => types.iter().filter_map(Json::as_str).find(|t| *t != "null"),
        t => t.as_str(),
    }
}

/// The forms of a union definition (`anyOf` / `oneOf` of more than one schema).
fn variants(def: &Json) -> Option<&[Json]> {
    let list = def["anyOf"].as_array().or(def["oneOf"].as_array())?;
    (list.len() > 1 && consts(def).is_none()).then_some(list.as_slice())
}

/// The values of a string enum (`oneOf` of `const`s), as code spans.
fn consts(def: &Json) -> Option<String> {
    let values = def["oneOf"].as_array()?.iter().map(|v| v["const"].as_str());
    let names: Option<Vec<String>> = values.map(|v| v.map(code)).collect();
    names.map(|n| n.join(", "))
}

/// A description split into its meaning and its trailing `Default: …` sentence, if any.
fn split_default(desc: &str) -> (&str, Option<&str>) {
    let Some(at) = desc.find("Default: ") else {
        return (desc, None);
    };
    let default = desc[at + "Default: ".len()..].trim().trim_end_matches('.');
    (desc[..at].trim_end(), Some(default))
}
