//! Grid axes: explicit lists, numeric ranges and zipped lists, materialised into values.
//!
//! Invariants: every axis has at least one position; range values are computed as
//! `from + i·step` and rounded to 10 decimals so `0.1`-steps print as written; a grid larger
//! than [`MAX_CELLS`] is an error, not an allocation.

use indexmap::{IndexMap, IndexSet};
use serde_json::Value as Json;

use super::check::Checker;
use crate::expr::Value;
use crate::spec::types::Axis;

/// Largest number of grid cells a spec may declare.
pub const MAX_CELLS: u64 = 100_000_000;
/// Largest number of values one range may produce.
pub const MAX_RANGE: u64 = 10_000_000;

/// Interprets every axis; names bound are checked and added to `known`.
pub fn axes(
    ck: &mut Checker<'_>,
    grid: &IndexMap<String, Json>,
    known: &mut IndexSet<String>,
) -> Vec<Axis> {
    let mut out = Vec::new();
    for (name, raw) in grid {
        let path = format!("grid.{name}");
        let parsed = axis(ck, name, raw, &path);
        // A broken axis still defines its names, so later sections do not cascade errors.
        let names = match &parsed {
            Some(a) => a.vars.clone(),
            None => declared_names(name, raw),
        };
        for v in names {
            super::meta::check_name(ck, &v, &path);
            if !known.insert(v.clone()) {
                let msg = format!("`{v}` is defined twice");
                ck.error("duplicate-name", msg, &path, None);
            }
        }
        out.extend(parsed);
    }
    let cells = out
        .iter()
        .try_fold(1u64, |acc, a| acc.checked_mul(a.len() as u64));
    if cells.is_none_or(|c| c > MAX_CELLS) {
        ck.error(
            "grid-too-large",
            format!("the grid has more than {MAX_CELLS} cells"),
            "grid",
            None,
        )
        .hints
        .push("split the task, or draw values randomly in `vars:` instead".into());
    }
    out
}

fn declared_names(name: &str, raw: &Json) -> Vec<String> {
    match raw.get("zip").and_then(Json::as_object) {
        Some(map) => map.keys().cloned().collect(),
        None => vec![name.to_string()],
    }
}

fn axis(ck: &mut Checker<'_>, name: &str, raw: &Json, path: &str) -> Option<Axis> {
    let axis = match raw {
        Json::Array(items) => list_axis(ck, name, items, path),
        Json::Object(map) if map.len() == 1 && map.contains_key("range") => {
            range_axis(ck, name, &map["range"], &format!("{path}.range"))
        }
        Json::Object(map) if map.len() == 1 && map.contains_key("zip") => {
            zip_axis(ck, name, &map["zip"], &format!("{path}.zip"))
        }
        _ => {
            ck.error(
                "bad-axis",
                format!("axis `{name}` must be a list, `{{range: …}}` or `{{zip: …}}`"),
                path,
                None,
            )
            .hints
            .push("e.g. `d: [0.1, 0.2]`, `d: {range: {from: 0, to: 1, step: 0.1}}`".into());
            None
        }
    }?;
    if axis.is_empty() {
        ck.error(
            "empty-axis",
            format!("axis `{name}` has no values"),
            path,
            None,
        )
        .hints
        .push("an empty axis would make the whole grid empty; give it at least one value".into());
        return None;
    }
    Some(axis)
}

fn list_axis(ck: &mut Checker<'_>, name: &str, items: &[Json], path: &str) -> Option<Axis> {
    let mut values = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        values.push(vec![ck.literal(item, &format!("{path}[{i}]"))?]);
    }
    Some(Axis {
        name: name.to_string(),
        vars: vec![name.to_string()],
        values,
    })
}

fn range_axis(ck: &mut Checker<'_>, name: &str, raw: &Json, path: &str) -> Option<Axis> {
    let get = |k: &str| raw.get(k).and_then(Json::as_f64);
    let (Some(from), Some(to), Some(step)) = (get("from"), get("to"), get("step")) else {
        ck.error(
            "bad-range",
            "a range needs numeric `from`, `to` and `step`",
            path,
            None,
        );
        return None;
    };
    let extra = raw.as_object().map_or(0, |m| {
        m.keys()
            .filter(|k| !["from", "to", "step"].contains(&k.as_str()))
            .count()
    });
    if extra > 0 {
        ck.error(
            "unknown-field",
            "a range takes only `from`, `to` and `step`",
            path,
            None,
        );
        return None;
    }
    if step == 0.0 || !step.is_finite() || (to - from) * step < 0.0 {
        ck.error(
            "bad-range",
            format!("step {step} never goes from {from} to {to}"),
            path,
            None,
        )
        .hints
        .push("use a non-zero step with the sign of `to - from`".into());
        return None;
    }
    let count = ((to - from) / step + 1e-9).floor() as u64 + 1;
    if count > MAX_RANGE {
        ck.error(
            "bad-range",
            format!("the range has {count} values, more than {MAX_RANGE}"),
            path,
            None,
        );
        return None;
    }
    let ints = [from, to, step]
        .iter()
        .all(|x| x.fract() == 0.0 && x.abs() < 1e15);
    let values = (0..count)
        .map(|i| {
            let x = from + i as f64 * step;
            vec![if ints {
                Value::Int(x as i64)
            } else {
                Value::Float(round10(x))
            }]
        })
        .collect();
    Some(Axis {
        name: name.to_string(),
        vars: vec![name.to_string()],
        values,
    })
}

fn round10(x: f64) -> f64 {
    format!("{x:.10}").parse().unwrap_or(x)
}

fn zip_axis(ck: &mut Checker<'_>, name: &str, raw: &Json, path: &str) -> Option<Axis> {
    let Some(map) = raw.as_object().filter(|m| !m.is_empty()) else {
        ck.error(
            "bad-axis",
            "`zip` needs a mapping of names to lists",
            path,
            None,
        );
        return None;
    };
    let mut vars = Vec::new();
    let mut columns = Vec::new();
    for (var, list) in map {
        let Some(items) = list.as_array() else {
            ck.error(
                "bad-axis",
                format!("`{var}` in a zip must be a list"),
                &format!("{path}.{var}"),
                None,
            );
            return None;
        };
        vars.push(var.clone());
        columns.push(items.clone());
    }
    let len = columns[0].len();
    if let Some(i) = columns.iter().position(|c| c.len() != len) {
        let msg = format!(
            "zipped lists differ in length: `{}` has {len}, `{}` has {}",
            vars[0],
            vars[i],
            columns[i].len()
        );
        ck.error("zip-length-mismatch", msg, path, None);
        return None;
    }
    let mut values = Vec::with_capacity(len);
    for row in 0..len {
        let mut vals = Vec::with_capacity(vars.len());
        for (j, col) in columns.iter().enumerate() {
            vals.push(ck.literal(&col[row], &format!("{path}.{}[{row}]", vars[j]))?);
        }
        values.push(vals);
    }
    Some(Axis {
        name: name.to_string(),
        vars,
        values,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::load::Source;

    fn run(yaml: &str) -> (Vec<Axis>, Vec<&'static str>) {
        let grid: IndexMap<String, Json> = serde_yaml::from_str(yaml).unwrap();
        let src = Source::new("t", yaml);
        let mut ck = Checker::new(&src);
        let axes = axes(&mut ck, &grid, &mut IndexSet::new());
        (axes, ck.diags.iter().map(|d| d.id).collect())
    }

    #[test]
    fn ranges_lists_and_zips() {
        let (axes, errs) = run(
            "d: {range: {from: -0.15, to: 0.5, step: 0.05}}\nr: [4, 5]\ns: {zip: {w: [1, 2], h: [3, 4]}}\n",
        );
        assert!(errs.is_empty(), "{errs:?}");
        assert_eq!(axes[0].len(), 14);
        assert_eq!(axes[0].values[3][0], Value::Float(0.0));
        assert_eq!(axes[0].values[13][0], Value::Float(0.5));
        assert_eq!(axes[2].vars, vec!["w", "h"]);
        assert_eq!(axes[2].values[1], vec![Value::Int(2), Value::Int(4)]);
    }

    #[test]
    fn bad_axes_are_reported() {
        assert_eq!(run("d: []\n").1, vec!["empty-axis"]);
        assert_eq!(
            run("d: {range: {from: 0, to: 1, step: -1}}\n").1,
            vec!["bad-range"]
        );
        assert_eq!(
            run("d: {zip: {a: [1], b: [1, 2]}}\n").1,
            vec!["zip-length-mismatch"]
        );
        assert_eq!(run("d: 3\n").1, vec!["bad-axis"]);
    }
}
