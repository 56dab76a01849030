//! Scene validation: canvas fields and shapes, recursively through groups.
//!
//! Invariant: every field value becomes a [`Param`] whose expression only reads names
//! defined for the scene (all sample names plus enclosing `for` variables).

use indexmap::IndexSet;

use super::check::Checker;
use crate::expr::Value;
use crate::spec::raw::RawScene;
use crate::spec::shapes::RawShape;
use crate::spec::types::{Param, Repeat, SceneSpec, ShapeKind, ShapeSpec};

/// Validates the scene against the names available to it.
pub fn scene(ck: &mut Checker<'_>, raw: &RawScene, known: &IndexSet<String>) -> Option<SceneSpec> {
    let width = ck.param(&raw.width, "scene.width", known);
    let height = ck.param(&raw.height, "scene.height", known);
    let background = match &raw.background {
        Some(b) => ck.param(b, "scene.background", known),
        None => Some(Param::Const(Value::Str("white".into()))),
    };
    let shapes = shapes(ck, &raw.shapes, "scene.shapes", known);
    Some(SceneSpec {
        width: width?,
        height: height?,
        background: background?,
        shapes: shapes?,
    })
}

fn shapes(
    ck: &mut Checker<'_>,
    raw: &[RawShape],
    path: &str,
    known: &IndexSet<String>,
) -> Option<Vec<ShapeSpec>> {
    let mut out = Vec::with_capacity(raw.len());
    let mut ok = true;
    for (i, s) in raw.iter().enumerate() {
        match shape(ck, s, &format!("{path}[{i}].{}", s.kind()), known) {
            Some(spec) => out.push(spec),
            None => ok = false,
        }
    }
    ok.then_some(out)
}

fn shape(
    ck: &mut Checker<'_>,
    raw: &RawShape,
    path: &str,
    known: &IndexSet<String>,
) -> Option<ShapeSpec> {
    let (fields, repeat_src, when_src) = raw.parts();
    let repeat = match repeat_src {
        Some(src) => Some(repeat(ck, src, &format!("{path}.for"), known)?),
        None => None,
    };
    let mut inner = known.clone();
    if let Some(r) = &repeat {
        inner.extend(r.names.iter().cloned());
    }
    let when = match when_src {
        Some(w) => Some(ck.param(&bool_expr(w), &format!("{path}.if"), &inner)?),
        None => None,
    };
    let mut params = Vec::new();
    let mut ok = true;
    for (name, value) in fields {
        if let Some(v) = value {
            match ck.param(v, &format!("{path}.{name}"), &inner) {
                Some(p) => params.push((name, p)),
                None => ok = false,
            }
        }
    }
    let children = match raw {
        RawShape::Group(g) => shapes(ck, &g.shapes, &format!("{path}.shapes"), &inner)?,
        _ => Vec::new(),
    };
    ok.then(|| ShapeSpec {
        kind: kind(raw),
        fields: params,
        children,
        repeat,
        when,
        path: path.to_string(),
    })
}

/// `if:` is always an expression: accept it with or without the leading `=`.
fn bool_expr(v: &serde_json::Value) -> serde_json::Value {
    match v {
        serde_json::Value::String(s) if !s.trim_start().starts_with('=') => {
            serde_json::Value::String(format!("={s}"))
        }
        other => other.clone(),
    }
}

fn repeat(ck: &mut Checker<'_>, src: &str, path: &str, known: &IndexSet<String>) -> Option<Repeat> {
    let Some((names, over)) = src.split_once(" in ") else {
        ck.error(
            "bad-for",
            format!("`for` must read `NAME in LIST`, got `{src}`"),
            path,
            None,
        )
        .hints
        .push("e.g. `for: \"i in range(n)\"` or `for: \"i, c in enumerate(colors)\"`".into());
        return None;
    };
    let names: Vec<String> = names.split(',').map(|n| n.trim().to_string()).collect();
    let valid = |n: &String| {
        n.chars()
            .next()
            .is_some_and(|c| c.is_alphabetic() || c == '_')
            && n.chars().all(|c| c.is_alphanumeric() || c == '_')
    };
    if names.is_empty() || names.len() > 2 || !names.iter().all(valid) {
        ck.error(
            "bad-for",
            format!("`for` binds one or two names, got `{}`", names.join(", ")),
            path,
            None,
        );
        return None;
    }
    let (expr, _) = ck.expr_at(over, src.len() - over.len(), path, known, true)?;
    Some(Repeat { names, over: expr })
}

fn kind(raw: &RawShape) -> ShapeKind {
    match raw {
        RawShape::Line(_) => ShapeKind::Line,
        RawShape::Polyline(_) => ShapeKind::Polyline,
        RawShape::Polygon(_) => ShapeKind::Polygon,
        RawShape::RegularPolygon(_) => ShapeKind::RegularPolygon,
        RawShape::Rect(_) => ShapeKind::Rect,
        RawShape::Circle(_) => ShapeKind::Circle,
        RawShape::Ellipse(_) => ShapeKind::Ellipse,
        RawShape::Path(_) => ShapeKind::Path,
        RawShape::Text(_) => ShapeKind::Text,
        RawShape::Group(_) => ShapeKind::Group,
    }
}
