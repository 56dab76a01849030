//! String and conversion built-ins. Results are checked against the string size limit
//! before they are built where the size is known in advance.

use super::error::ExprError;
use super::eval::{State, check_list_len, check_str_len};
use super::functions::Args;
use super::value::{Value, float_to_i64};

type R = Result<Value, ExprError>;

/// Pays for producing or scanning `bytes` bytes of text.
fn pay(a: &Args<'_, '_>, st: &mut State<'_>, bytes: usize) -> Result<(), ExprError> {
    st.charge(1 + bytes as u64 / 16, a.span)
}

fn checked(a: &Args<'_, '_>, s: String) -> R {
    check_str_len(s.len(), a.span)?;
    Ok(Value::Str(s))
}

pub(super) fn upper(a: &Args<'_, '_>, st: &mut State<'_>) -> R {
    let s = a.text(0)?;
    pay(a, st, s.len())?;
    checked(a, s.to_uppercase())
}

pub(super) fn lower(a: &Args<'_, '_>, st: &mut State<'_>) -> R {
    let s = a.text(0)?;
    pay(a, st, s.len())?;
    checked(a, s.to_lowercase())
}

pub(super) fn chars(a: &Args<'_, '_>, st: &mut State<'_>) -> R {
    let s = a.text(0)?;
    let n = s.chars().count();
    check_list_len(n, a.span)?;
    st.charge_n(n, a.span)?;
    Ok(Value::List(
        s.chars().map(|c| Value::Str(c.to_string())).collect(),
    ))
}

pub(super) fn join(a: &Args<'_, '_>, st: &mut State<'_>) -> R {
    let xs = a.list(0)?;
    let sep = if a.len() > 1 { a.text(1)? } else { "" };
    let mut out = String::new();
    for (i, x) in xs.iter().enumerate() {
        if i > 0 {
            out.push_str(sep);
        }
        match x {
            Value::Str(s) => out.push_str(s),
            other => {
                st.charge(other.weight(), a.span)?;
                out.push_str(&other.display());
            }
        }
        check_str_len(out.len(), a.span)?;
    }
    pay(a, st, out.len())?;
    Ok(Value::Str(out))
}

pub(super) fn replace(a: &Args<'_, '_>, st: &mut State<'_>) -> R {
    let (s, old, new) = (a.text(0)?, a.text(1)?, a.text(2)?);
    pay(a, st, s.len())?;
    let hits = s.matches(old).count();
    let len = (s.len() - hits * old.len()).saturating_add(hits.saturating_mul(new.len()));
    check_str_len(len, a.span)?;
    pay(a, st, len)?;
    Ok(Value::Str(s.replace(old, new)))
}

pub(super) fn int(a: &Args<'_, '_>, st: &mut State<'_>) -> R {
    let range_err = || a.err("`int` result is out of the int range");
    match a.val(0)? {
        Value::Int(i) => Ok(Value::Int(*i)),
        Value::Bool(b) => Ok(Value::Int(i64::from(*b))),
        Value::Float(f) => float_to_i64(*f).map(Value::Int).ok_or_else(range_err),
        Value::Str(s) => {
            pay(a, st, s.len())?;
            let t = s.trim();
            if let Ok(i) = t.replace('_', "").parse::<i64>() {
                return Ok(Value::Int(i));
            }
            match parse_float(t) {
                Some(f) => float_to_i64(f).map(Value::Int).ok_or_else(range_err),
                None => Err(a.err_at(0, format!("cannot convert {:?} to int", truncated(s)))),
            }
        }
        _ => Err(a.type_err(0, "a number, bool or numeric string")),
    }
}

pub(super) fn float(a: &Args<'_, '_>, st: &mut State<'_>) -> R {
    match a.val(0)? {
        Value::Int(i) => Ok(Value::Float(*i as f64)),
        Value::Float(f) => Ok(Value::Float(*f)),
        Value::Bool(b) => Ok(Value::Float(f64::from(u8::from(*b)))),
        Value::Str(s) => {
            pay(a, st, s.len())?;
            parse_float(s.trim())
                .map(Value::Float)
                .ok_or_else(|| a.err_at(0, format!("cannot convert {:?} to float", truncated(s))))
        }
        _ => Err(a.type_err(0, "a number, bool or numeric string")),
    }
}

/// A finite decimal number; rejects "nan", "inf" and friends.
fn parse_float(t: &str) -> Option<f64> {
    let looks_numeric = t
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '+' | '-' | '_'));
    t.replace('_', "")
        .parse::<f64>()
        .ok()
        .filter(|f| looks_numeric && f.is_finite())
}

fn truncated(s: &str) -> String {
    if s.chars().count() > 40 {
        format!("{}...", s.chars().take(40).collect::<String>())
    } else {
        s.to_string()
    }
}

pub(super) fn str(a: &Args<'_, '_>, st: &mut State<'_>) -> R {
    let v = a.val(0)?;
    st.charge(v.weight(), a.span)?;
    checked(a, v.display())
}
