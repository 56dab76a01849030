//! Indexing, slicing and attribute access.
//!
//! Borrowed containers yield borrowed elements (no copy); owned temporaries give up the
//! element by moving it out. Strings index by Unicode scalar value, never by byte, so no
//! access can split a character.

use std::borrow::Cow;

use super::error::{ExprError, Span, did_you_mean, suggest};
use super::eval::State;
use super::functions;
use super::value::Value;

/// Normalizes a possibly negative index against `len`.
fn resolve(i: i64, len: usize, what: &str, span: Span) -> Result<usize, ExprError> {
    let len_i = i64::try_from(len).unwrap_or(i64::MAX);
    let j = if i < 0 { i.checked_add(len_i) } else { Some(i) };
    match j {
        Some(j) if (0..len_i).contains(&j) => Ok(j as usize),
        _ => Err(ExprError::at(
            format!("index {i} is out of range for {what} of length {len}"),
            span,
        )
        .with_hint(if len == 0 {
            format!("the {what} is empty")
        } else {
            format!("valid indices are 0..{} and -{len}..-1", len - 1)
        })),
    }
}

/// Element `at` of a list or entry `at` of a map, borrowed or moved out.
fn take(target: Cow<'_, Value>, at: usize) -> Option<Cow<'_, Value>> {
    match target {
        Cow::Borrowed(Value::List(xs)) => xs.get(at).map(Cow::Borrowed),
        Cow::Borrowed(Value::Map(m)) => m.get_index(at).map(|(_, v)| Cow::Borrowed(v)),
        Cow::Owned(Value::List(mut xs)) => (at < xs.len()).then(|| Cow::Owned(xs.swap_remove(at))),
        Cow::Owned(Value::Map(mut m)) => m.swap_remove_index(at).map(|(_, v)| Cow::Owned(v)),
        _ => None,
    }
}

fn missing_key(m: &indexmap::IndexMap<String, Value>, key: &str, span: Span) -> ExprError {
    let err = ExprError::at(format!("key `{key}` not found in map"), span);
    let near = suggest(key, m.keys().map(String::as_str), 3);
    match did_you_mean(&near) {
        Some(hint) => err.with_hint(hint),
        None if m.is_empty() => err.with_hint("the map is empty"),
        None => {
            let keys: Vec<&str> = m.keys().take(12).map(String::as_str).collect();
            err.with_hint(format!(
                "keys: {}{}",
                keys.join(", "),
                if m.len() > 12 { ", ..." } else { "" }
            ))
        }
    }
}

/// `target[idx]`; `span` covers the whole indexing expression, `idx_span` the index.
pub(crate) fn index<'a>(
    target: Cow<'a, Value>,
    idx: &Value,
    span: Span,
    idx_span: Span,
    st: &mut State<'_>,
) -> Result<Cow<'a, Value>, ExprError> {
    let at = match (&*target, idx) {
        (Value::List(xs), Value::Int(i)) => resolve(*i, xs.len(), "list", idx_span)?,
        (Value::Str(s), Value::Int(i)) => {
            st.charge(1 + s.len() as u64 / 16, span)?;
            let at = resolve(*i, s.chars().count(), "string", idx_span)?;
            let ch = s.chars().nth(at).map(String::from).unwrap_or_default();
            return Ok(Cow::Owned(Value::Str(ch)));
        }
        (Value::Map(m), Value::Str(k)) => m
            .get_index_of(k.as_str())
            .ok_or_else(|| missing_key(m, k, idx_span))?,
        (Value::List(_) | Value::Str(_), other) => {
            let err = ExprError::at(
                format!("indices must be ints, got {}", other.type_name()),
                idx_span,
            );
            return Err(if matches!(other, Value::Float(_)) {
                err.with_hint("convert with int(...) or round(...)")
            } else {
                err
            });
        }
        (Value::Map(_), other) => {
            return Err(ExprError::at(
                format!("map keys are strings, got {}", other.type_name()),
                idx_span,
            ));
        }
        (other, _) => {
            return Err(ExprError::at(
                format!("cannot index into {}", other.type_name()),
                span,
            ));
        }
    };
    take(target, at).ok_or_else(|| ExprError::at("internal error: index vanished", span))
}

/// `target.name` on maps.
pub(crate) fn attr<'a>(
    target: Cow<'a, Value>,
    name: &str,
    span: Span,
) -> Result<Cow<'a, Value>, ExprError> {
    let at = match &*target {
        Value::Map(m) => m
            .get_index_of(name)
            .ok_or_else(|| missing_key(m, name, span))?,
        other => {
            let err = ExprError::at(
                format!("cannot read attribute `{name}` of {}", other.type_name()),
                span,
            );
            return Err(if functions::lookup(name).is_some() {
                err.with_hint(format!("call the function instead: `{name}(...)`"))
            } else {
                err.with_hint("attributes are only available on maps")
            });
        }
    };
    take(target, at).ok_or_else(|| ExprError::at("internal error: key vanished", span))
}

/// Python's slice index arithmetic: the selected positions of a sequence of `len` items.
fn slice_positions(len: usize, lo: Option<i64>, hi: Option<i64>, step: i64) -> Vec<usize> {
    let n = i64::try_from(len).unwrap_or(i64::MAX);
    let clamp = |v: i64, low: i64, high: i64| {
        let v = if v < 0 { v.saturating_add(n) } else { v };
        v.clamp(low, high)
    };
    let mut out = Vec::new();
    if step > 0 {
        let (mut i, stop) = (
            lo.map_or(0, |v| clamp(v, 0, n)),
            hi.map_or(n, |v| clamp(v, 0, n)),
        );
        while i < stop {
            out.push(i as usize);
            i = i.saturating_add(step);
        }
    } else {
        let (mut i, stop) = (
            lo.map_or(n - 1, |v| clamp(v, -1, n - 1)),
            hi.map_or(-1, |v| clamp(v, -1, n - 1)),
        );
        while i > stop {
            out.push(i as usize);
            i = i.saturating_add(step);
        }
    }
    out
}

/// `target[lo:hi:step]` on lists and strings.
pub(crate) fn slice(
    target: &Value,
    lo: Option<i64>,
    hi: Option<i64>,
    step: Option<i64>,
    span: Span,
    st: &mut State<'_>,
) -> Result<Value, ExprError> {
    let step = step.unwrap_or(1);
    if step == 0 {
        return Err(ExprError::at("slice step cannot be zero", span));
    }
    match target {
        Value::List(xs) => {
            let picks = slice_positions(xs.len(), lo, hi, step);
            let mut out = Vec::with_capacity(picks.len());
            for i in picks {
                out.push(st.copy(&xs[i], span)?);
            }
            Ok(Value::List(out))
        }
        Value::Str(s) => {
            st.charge(1 + s.len() as u64 / 16, span)?;
            let chars: Vec<char> = s.chars().collect();
            Ok(Value::Str(
                slice_positions(chars.len(), lo, hi, step)
                    .into_iter()
                    .map(|i| chars[i])
                    .collect(),
            ))
        }
        other => Err(ExprError::at(
            format!("cannot slice {}", other.type_name()),
            span,
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slice_positions_match_python() {
        let p = slice_positions;
        assert_eq!(p(5, None, None, 1), [0, 1, 2, 3, 4]);
        assert_eq!(p(5, Some(1), Some(-1), 1), [1, 2, 3]);
        assert_eq!(p(5, Some(-2), None, 1), [3, 4]);
        assert_eq!(p(5, None, None, -1), [4, 3, 2, 1, 0]);
        assert_eq!(p(5, None, None, 2), [0, 2, 4]);
        assert_eq!(p(5, Some(3), Some(0), -1), [3, 2, 1]);
        assert_eq!(p(5, Some(10), Some(-10), -2), [4, 2, 0]);
        assert_eq!(p(5, Some(-100), Some(100), 1), [0, 1, 2, 3, 4]);
        assert!(p(5, Some(4), Some(1), 1).is_empty());
        assert!(p(0, None, None, -1).is_empty());
        assert_eq!(p(3, Some(i64::MIN), Some(i64::MAX), i64::MAX), [0]);
        assert_eq!(p(3, Some(i64::MAX), Some(i64::MIN), i64::MIN), [2]);
    }

    #[test]
    fn index_resolution() {
        let s = Span::new(0, 1);
        assert_eq!(resolve(-1, 3, "list", s).unwrap(), 2);
        assert_eq!(resolve(0, 3, "list", s).unwrap(), 0);
        let e = resolve(3, 3, "list", s).unwrap_err();
        assert_eq!(e.message, "index 3 is out of range for list of length 3");
        assert!(resolve(-4, 3, "list", s).is_err());
        assert!(resolve(i64::MIN, 3, "list", s).is_err());
        assert!(
            resolve(0, 0, "list", s)
                .unwrap_err()
                .hint
                .unwrap()
                .contains("empty")
        );
    }
}
