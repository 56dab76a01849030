//! List and map built-ins. Every function pays budget steps for the elements it touches
//! or copies, so work and memory stay bounded by the budget.

use std::borrow::Cow;
use std::cmp::Ordering;

use super::error::ExprError;
use super::eval::{State, check_list_len};
use super::functions::Args;
use super::ops;
use super::value::{Value, compare, values_equal};

type R = Result<Value, ExprError>;

/// The elements of argument `i`: list elements (borrowed) or string characters.
fn items<'x>(a: &'x Args<'_, '_>, i: usize) -> Result<Vec<Cow<'x, Value>>, ExprError> {
    match a.val(i)? {
        Value::List(xs) => Ok(xs.iter().map(Cow::Borrowed).collect()),
        Value::Str(s) => Ok(s
            .chars()
            .map(|c| Cow::Owned(Value::Str(c.to_string())))
            .collect()),
        _ => Err(a.type_err(i, "a list or string")),
    }
}

pub(super) fn len(a: &Args<'_, '_>, st: &mut State<'_>) -> R {
    let n = match a.val(0)? {
        Value::List(xs) => xs.len(),
        Value::Map(m) => m.len(),
        Value::Str(s) => {
            st.charge(s.len() as u64 / 16, a.span)?;
            s.chars().count()
        }
        _ => return Err(a.type_err(0, "a list, string or map")),
    };
    Ok(Value::Int(i64::try_from(n).unwrap_or(i64::MAX)))
}

pub(super) fn range(a: &Args<'_, '_>, st: &mut State<'_>) -> R {
    let (start, stop, step) = match a.len() {
        1 => (0, a.int(0)?, 1),
        2 => (a.int(0)?, a.int(1)?, 1),
        _ => (a.int(0)?, a.int(1)?, a.int(2)?),
    };
    if step == 0 {
        return Err(a.err_at(2, "`range` step must not be zero"));
    }
    let (start, stop, step) = (i128::from(start), i128::from(stop), i128::from(step));
    let n = if step > 0 {
        (stop - start + step - 1) / step
    } else {
        (start - stop - step - 1) / -step
    }
    .max(0);
    let n = usize::try_from(n).unwrap_or(usize::MAX);
    check_list_len(n, a.span)?;
    st.charge_n(n, a.span)?;
    // Every element lies between start and stop, so the conversion cannot fail.
    Ok(Value::List(
        (0..n as i128)
            .map(|k| Value::Int(i64::try_from(start + k * step).unwrap_or(0)))
            .collect(),
    ))
}

pub(super) fn sum(a: &Args<'_, '_>, st: &mut State<'_>) -> R {
    let xs = a.list(0)?;
    st.charge_n(xs.len(), a.span)?;
    let mut int_acc: i64 = 0;
    let mut float: Option<(f64, f64)> = None; // Neumaier sum and compensation, as in Python 3.12+
    for (i, x) in xs.iter().enumerate() {
        match (x, &mut float) {
            (Value::Int(v), None) => {
                int_acc = int_acc
                    .checked_add(*v)
                    .ok_or_else(|| a.err("integer overflow in `sum`"))?;
            }
            (Value::Int(_) | Value::Float(_), acc) => {
                let v = x.as_f64().unwrap_or(0.0);
                let (s, c) = acc.get_or_insert((int_acc as f64, 0.0));
                let t = *s + v;
                *c += if s.abs() >= v.abs() {
                    (*s - t) + v
                } else {
                    (v - t) + *s
                };
                *s = t;
            }
            _ => {
                return Err(a.err_at(
                    0,
                    format!("`sum` needs numbers; element {i} is {}", x.type_name()),
                ));
            }
        }
    }
    match float {
        None => Ok(Value::Int(int_acc)),
        Some((s, c)) => a.float(s + c),
    }
}

fn bools(a: &Args<'_, '_>, st: &mut State<'_>, stop: bool) -> R {
    let xs = a.list(0)?;
    st.charge_n(xs.len(), a.span)?;
    for (i, x) in xs.iter().enumerate() {
        match x {
            Value::Bool(b) if *b == stop => return Ok(Value::Bool(stop)),
            Value::Bool(_) => {}
            other => {
                return Err(a
                    .err_at(
                        0,
                        format!(
                            "`{}` needs a list of bools; element {i} is {}",
                            a.name(),
                            other.type_name()
                        ),
                    )
                    .with_hint("map to bools first, e.g. `any([x > 0 for x in xs])`"));
            }
        }
    }
    Ok(Value::Bool(!stop))
}

pub(super) fn any(a: &Args<'_, '_>, st: &mut State<'_>) -> R {
    bools(a, st, true)
}

pub(super) fn all(a: &Args<'_, '_>, st: &mut State<'_>) -> R {
    bools(a, st, false)
}

/// Copies of `xs`, paid for.
fn copy_all<'v>(
    xs: impl IntoIterator<Item = &'v Value>,
    a: &Args<'_, '_>,
    st: &mut State<'_>,
) -> Result<Vec<Value>, ExprError> {
    xs.into_iter().map(|x| st.copy(x, a.span)).collect()
}

pub(super) fn sorted(a: &Args<'_, '_>, st: &mut State<'_>) -> R {
    let xs = a.list(0)?;
    if let Some(first) = xs.first() {
        for (i, x) in xs.iter().enumerate() {
            if compare(first, x).is_none() {
                return Err(a
                    .err_at(
                        0,
                        format!(
                            "`sorted` cannot order {} and {} (element {i})",
                            first.type_name(),
                            x.type_name()
                        ),
                    )
                    .with_hint("sort a list of numbers only, or of strings only"));
            }
        }
    }
    let log = u64::from(usize::BITS - xs.len().leading_zeros());
    st.charge((xs.len() as u64).saturating_mul(log), a.span)?;
    let mut out = copy_all(xs, a, st)?;
    out.sort_by(|x, y| compare(x, y).unwrap_or(Ordering::Equal));
    Ok(Value::List(out))
}

pub(super) fn reversed(a: &Args<'_, '_>, st: &mut State<'_>) -> R {
    match a.val(0)? {
        Value::Str(s) => {
            st.charge(1 + s.len() as u64 / 16, a.span)?;
            Ok(Value::Str(s.chars().rev().collect()))
        }
        _ => Ok(Value::List(copy_all(a.list(0)?.iter().rev(), a, st)?)),
    }
}

pub(super) fn enumerate(a: &Args<'_, '_>, st: &mut State<'_>) -> R {
    let start = if a.len() > 1 { a.int(1)? } else { 0 };
    let xs = items(a, 0)?;
    check_list_len(xs.len(), a.span)?;
    st.charge_n(xs.len(), a.span)?;
    let mut out = Vec::with_capacity(xs.len());
    for (i, x) in xs.into_iter().enumerate() {
        let n = i64::try_from(i)
            .ok()
            .and_then(|i| i.checked_add(start))
            .ok_or_else(|| a.err("integer overflow in `enumerate`"))?;
        out.push(Value::List(vec![Value::Int(n), st.own(x, a.span)?]));
    }
    Ok(Value::List(out))
}

pub(super) fn zip(a: &Args<'_, '_>, st: &mut State<'_>) -> R {
    let cols = (0..a.len())
        .map(|i| items(a, i))
        .collect::<Result<Vec<_>, _>>()?;
    let n = cols.iter().map(Vec::len).min().unwrap_or(0);
    check_list_len(n, a.span)?;
    st.charge_n(n, a.span)?;
    let mut out = Vec::with_capacity(n);
    for row in 0..n {
        let tuple = cols
            .iter()
            .map(|c| st.copy(&c[row], a.span))
            .collect::<Result<Vec<_>, _>>()?;
        out.push(Value::List(tuple));
    }
    Ok(Value::List(out))
}

/// For strings: `(haystack, needle)` after checking that the needle is a string too.
fn substring<'x>(
    a: &'x Args<'_, '_>,
    st: &mut State<'_>,
) -> Result<Option<(&'x str, &'x str)>, ExprError> {
    let Value::Str(s) = a.val(0)? else {
        return Ok(None);
    };
    st.charge(1 + s.len() as u64 / 16, a.span)?;
    Ok(Some((s, a.text(1)?)))
}

/// Counts equal elements, paying for the comparisons.
fn equal_positions(a: &Args<'_, '_>, st: &mut State<'_>) -> Result<Vec<usize>, ExprError> {
    let (xs, x) = (a.list(0)?, a.val(1)?);
    let mut work = 0;
    let hits = xs
        .iter()
        .enumerate()
        .filter(|(_, y)| values_equal(y, x, &mut work))
        .map(|(i, _)| i)
        .collect();
    st.charge(work, a.span)?;
    Ok(hits)
}

fn int(n: usize) -> Value {
    Value::Int(i64::try_from(n).unwrap_or(i64::MAX))
}

pub(super) fn count(a: &Args<'_, '_>, st: &mut State<'_>) -> R {
    if let Some((s, sub)) = substring(a, st)? {
        return Ok(int(s.matches(sub).count()));
    }
    Ok(int(equal_positions(a, st)?.len()))
}

pub(super) fn index(a: &Args<'_, '_>, st: &mut State<'_>) -> R {
    if let Some((s, sub)) = substring(a, st)? {
        return match s.find(sub) {
            Some(b) => Ok(int(s[..b].chars().count())),
            None => Err(a.err(format!("substring {:?} not found", sub))),
        };
    }
    match equal_positions(a, st)?.first() {
        Some(i) => Ok(int(*i)),
        None => Err(a
            .err(format!("value {} not found in list", short(a.val(1)?)))
            .with_hint("check with `x in xs` first, or use `get`")),
    }
}

/// A display form of `v` cut to 40 characters, for messages.
fn short(v: &Value) -> String {
    let text = match v {
        Value::Str(s) => format!("{s:?}"),
        other => other.display(),
    };
    if text.chars().count() > 40 {
        format!("{}...", text.chars().take(40).collect::<String>())
    } else {
        text
    }
}

pub(super) fn contains(a: &Args<'_, '_>, st: &mut State<'_>) -> R {
    ops::contains(a.val(0)?, a.val(1)?, a.span, st).map(Value::Bool)
}

pub(super) fn unique(a: &Args<'_, '_>, st: &mut State<'_>) -> R {
    let xs = a.list(0)?;
    let mut kept: Vec<&Value> = Vec::new();
    for x in xs {
        let mut work = 0;
        let seen = kept.iter().any(|k| values_equal(k, x, &mut work));
        st.charge(work, a.span)?;
        if !seen {
            kept.push(x);
        }
    }
    Ok(Value::List(copy_all(kept, a, st)?))
}

pub(super) fn flatten(a: &Args<'_, '_>, st: &mut State<'_>) -> R {
    let mut out = Vec::new();
    for (i, x) in a.list(0)?.iter().enumerate() {
        let Value::List(inner) = x else {
            return Err(a.err_at(
                0,
                format!(
                    "`flatten` needs a list of lists; element {i} is {}",
                    x.type_name()
                ),
            ));
        };
        check_list_len(out.len() + inner.len(), a.span)?;
        out.extend(copy_all(inner, a, st)?);
    }
    Ok(Value::List(out))
}

pub(super) fn concat(a: &Args<'_, '_>, st: &mut State<'_>) -> R {
    let mut out = Vec::new();
    for i in 0..a.len() {
        let xs = a.list(i)?;
        check_list_len(out.len() + xs.len(), a.span)?;
        out.extend(copy_all(xs, a, st)?);
    }
    Ok(Value::List(out))
}

pub(super) fn repeat(a: &Args<'_, '_>, st: &mut State<'_>) -> R {
    let (x, n) = (a.val(0)?, a.int(1)?);
    let n =
        usize::try_from(n).map_err(|_| a.err_at(1, format!("`repeat` needs n >= 0, got {n}")))?;
    check_list_len(n, a.span)?;
    st.charge(x.weight().saturating_mul(n as u64), a.span)?;
    Ok(Value::List(vec![x.clone(); n]))
}

pub(super) fn keys(a: &Args<'_, '_>, st: &mut State<'_>) -> R {
    let m = a.map(0)?;
    st.charge_n(m.len(), a.span)?;
    Ok(Value::List(
        m.keys().map(|k| Value::Str(k.clone())).collect(),
    ))
}

pub(super) fn values(a: &Args<'_, '_>, st: &mut State<'_>) -> R {
    Ok(Value::List(copy_all(a.map(0)?.values(), a, st)?))
}

pub(super) fn get(a: &Args<'_, '_>, st: &mut State<'_>) -> R {
    let found = match (a.val(0)?, a.val(1)?) {
        (Value::Map(m), Value::Str(k)) => m.get(k.as_str()),
        (Value::Map(_), _) => return Err(a.type_err(1, "a string key")),
        (Value::List(xs), Value::Int(i)) => {
            let len = i64::try_from(xs.len()).unwrap_or(i64::MAX);
            let j = if *i < 0 { i.checked_add(len) } else { Some(*i) };
            j.and_then(|j| usize::try_from(j).ok())
                .and_then(|j| xs.get(j))
        }
        (Value::List(_), _) => return Err(a.type_err(1, "an int index")),
        _ => return Err(a.type_err(0, "a map or list")),
    };
    st.copy(found.map_or(a.val(2)?, |v| v), a.span)
}
