//! Math and unit-conversion built-ins.

use std::cmp::Ordering;
use std::f64::consts::FRAC_1_SQRT_2;

use super::error::ExprError;
use super::eval::State;
use super::functions::Args;
use super::ops;
use super::value::{Value, compare, float_to_i64};

type R = Result<Value, ExprError>;

pub(super) fn abs(a: &Args<'_, '_>, _: &mut State<'_>) -> R {
    match a.val(0)? {
        Value::Int(i) => i
            .checked_abs()
            .map(Value::Int)
            .ok_or_else(|| a.err("integer overflow in `abs`")),
        Value::Float(f) => Ok(Value::Float(f.abs())),
        _ => Err(a.type_err(0, "a number")),
    }
}

/// The first element that is `want`-most, of the arguments or of a single list argument.
fn extreme(a: &Args<'_, '_>, st: &mut State<'_>, want: Ordering) -> R {
    let items: Vec<&Value> = match a.val(0)? {
        Value::List(xs) if a.len() == 1 => xs.iter().collect(),
        _ => a.vals.iter().map(|v| &**v).collect(),
    };
    st.charge_n(items.len(), a.span)?;
    let Some(mut best) = items.first().copied() else {
        return Err(a.err_at(0, format!("`{}` of an empty list", a.name())));
    };
    for x in items {
        match compare(x, best) {
            Some(o) if o == want => best = x,
            Some(_) => {}
            None => {
                return Err(a
                    .err(format!(
                        "`{}` cannot compare {} and {}",
                        a.name(),
                        x.type_name(),
                        best.type_name()
                    ))
                    .with_hint("use numbers only, or strings only"));
            }
        }
    }
    st.copy(best, a.span)
}

pub(super) fn min(a: &Args<'_, '_>, st: &mut State<'_>) -> R {
    extreme(a, st, Ordering::Less)
}

pub(super) fn max(a: &Args<'_, '_>, st: &mut State<'_>) -> R {
    extreme(a, st, Ordering::Greater)
}

pub(super) fn clamp(a: &Args<'_, '_>, _: &mut State<'_>) -> R {
    let (lo, hi) = (a.num(1)?, a.num(2)?);
    a.num(0)?;
    if lo > hi {
        return Err(a.err(format!(
            "`clamp` needs lo <= hi, got lo = {lo} and hi = {hi}"
        )));
    }
    let (x, vlo, vhi) = (a.val(0)?, a.val(1)?, a.val(2)?);
    Ok(if compare(x, vlo) == Some(Ordering::Less) {
        vlo.clone()
    } else if compare(x, vhi) == Some(Ordering::Greater) {
        vhi.clone()
    } else {
        x.clone()
    })
}

pub(super) fn sign(a: &Args<'_, '_>, _: &mut State<'_>) -> R {
    let x = a.num(0)?;
    Ok(Value::Int(if x > 0.0 {
        1
    } else if x < 0.0 {
        -1
    } else {
        0
    }))
}

/// An int from a whole float, or an error if out of range.
fn to_int(a: &Args<'_, '_>, f: f64) -> R {
    float_to_i64(f)
        .map(Value::Int)
        .ok_or_else(|| a.err(format!("`{}` result is out of the int range", a.name())))
}

pub(super) fn floor(a: &Args<'_, '_>, _: &mut State<'_>) -> R {
    match a.val(0)? {
        Value::Int(i) => Ok(Value::Int(*i)),
        _ => to_int(a, a.num(0)?.floor()),
    }
}

pub(super) fn ceil(a: &Args<'_, '_>, _: &mut State<'_>) -> R {
    match a.val(0)? {
        Value::Int(i) => Ok(Value::Int(*i)),
        _ => to_int(a, a.num(0)?.ceil()),
    }
}

pub(super) fn round(a: &Args<'_, '_>, _: &mut State<'_>) -> R {
    if a.len() == 1 {
        return match a.val(0)? {
            Value::Int(i) => Ok(Value::Int(*i)),
            _ => to_int(a, a.num(0)?.round_ties_even()),
        };
    }
    let (x, n) = (a.num(0)?, a.int(1)?);
    a.float(round_to(x, n))
}

/// Python's `round(x, n)`: correctly rounded from the exact binary value, ties to even.
pub(crate) fn round_to(x: f64, n: i64) -> f64 {
    if n >= 0 {
        // Beyond 323 decimals every finite double is already exact.
        if n > 323 {
            return x;
        }
        // Rust's fixed-precision formatting is exact with ties to even, as is the parse.
        return format!("{:.*}", n as usize, x).parse().unwrap_or(x);
    }
    round_negative(x, n.unsigned_abs())
}

/// `round(x, -k)`: exact decimal rounding of x's integer digits, ties to even.
fn round_negative(x: f64, k: u64) -> f64 {
    let (abs, whole) = (x.abs(), x.abs().trunc());
    // The integer part of a double has at most 309 digits and prints exactly.
    let digits = format!("{whole:.0}").into_bytes();
    let Some(keep) = usize::try_from(k)
        .ok()
        .and_then(|k| digits.len().checked_sub(k))
    else {
        return 0.0f64.copysign(x); // |x| < 10^(k-1), which rounds to zero
    };
    let (head, tail) = digits.split_at(keep);
    let up = match tail.first() {
        Some(b'6'..=b'9') => true,
        Some(b'5') => {
            let above_half = tail[1..].iter().any(|d| *d != b'0') || abs > whole;
            above_half || head.last().is_some_and(|d| (d - b'0') % 2 == 1)
        }
        _ => false,
    };
    let mut head = head.to_vec();
    if up {
        increment_decimal(&mut head);
    }
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&head),
        "0".repeat(digits.len() - keep)
    );
    text.parse::<f64>().map_or(x, |r| r.copysign(x))
}

/// Adds one to a string of decimal digits (empty counts as zero).
fn increment_decimal(digits: &mut Vec<u8>) {
    for d in digits.iter_mut().rev() {
        if *d == b'9' {
            *d = b'0';
        } else {
            *d += 1;
            return;
        }
    }
    digits.insert(0, b'1');
}

fn unary(a: &Args<'_, '_>, f: fn(f64) -> f64) -> R {
    let x = a.num(0)?;
    a.float(f(x))
}

/// Errors with "`f` is undefined for x = …" when `ok` fails.
fn domain(a: &Args<'_, '_>, ok: bool, what: &str) -> Result<(), ExprError> {
    if ok {
        Ok(())
    } else {
        Err(a.err(format!("`{}` is undefined for {what}", a.name())))
    }
}

pub(super) fn sqrt(a: &Args<'_, '_>, _: &mut State<'_>) -> R {
    domain(a, a.num(0)? >= 0.0, "negative numbers")?;
    unary(a, f64::sqrt)
}

pub(super) fn pow(a: &Args<'_, '_>, _: &mut State<'_>) -> R {
    ops::pow(a.val(0)?, a.val(1)?, a.span)
}

pub(super) fn exp(a: &Args<'_, '_>, _: &mut State<'_>) -> R {
    unary(a, f64::exp)
}

pub(super) fn ln(a: &Args<'_, '_>, _: &mut State<'_>) -> R {
    domain(a, a.num(0)? > 0.0, "numbers <= 0")?;
    unary(a, f64::ln)
}

pub(super) fn log10(a: &Args<'_, '_>, _: &mut State<'_>) -> R {
    domain(a, a.num(0)? > 0.0, "numbers <= 0")?;
    unary(a, f64::log10)
}

pub(super) fn log(a: &Args<'_, '_>, _: &mut State<'_>) -> R {
    let x = a.num(0)?;
    domain(a, x > 0.0, "numbers <= 0")?;
    if a.len() == 1 {
        return a.float(x.ln());
    }
    let base = a.num(1)?;
    domain(a, base > 0.0 && base != 1.0, "a base <= 0 or equal to 1")?;
    a.float(x.ln() / base.ln())
}

macro_rules! float_fns {
    ($($name:ident => $f:expr;)*) => {$(
        pub(super) fn $name(a: &Args<'_, '_>, _: &mut State<'_>) -> R {
            unary(a, $f)
        }
    )*};
}

float_fns! {
    sin => f64::sin;
    cos => f64::cos;
    tan => f64::tan;
    atan => f64::atan;
    radians => f64::to_radians;
    degrees => f64::to_degrees;
    sind => sin_deg;
    cosd => cos_deg;
}

pub(super) fn asin(a: &Args<'_, '_>, _: &mut State<'_>) -> R {
    domain(
        a,
        (-1.0..=1.0).contains(&a.num(0)?),
        "values outside [-1, 1]",
    )?;
    unary(a, f64::asin)
}

pub(super) fn acos(a: &Args<'_, '_>, _: &mut State<'_>) -> R {
    domain(
        a,
        (-1.0..=1.0).contains(&a.num(0)?),
        "values outside [-1, 1]",
    )?;
    unary(a, f64::acos)
}

pub(super) fn atan2(a: &Args<'_, '_>, _: &mut State<'_>) -> R {
    a.float(a.num(0)?.atan2(a.num(1)?))
}

pub(super) fn atan2d(a: &Args<'_, '_>, _: &mut State<'_>) -> R {
    a.float(a.num(0)?.atan2(a.num(1)?).to_degrees())
}

/// Exact sines at multiples of 30 and 45 degrees, for `r` in [0, 360).
fn exact_sin(r: f64) -> Option<f64> {
    const TABLE: [(f64, f64); 13] = [
        (0.0, 0.0),
        (30.0, 0.5),
        (45.0, FRAC_1_SQRT_2),
        (90.0, 1.0),
        (135.0, FRAC_1_SQRT_2),
        (150.0, 0.5),
        (180.0, 0.0),
        (210.0, -0.5),
        (225.0, -FRAC_1_SQRT_2),
        (270.0, -1.0),
        (315.0, -FRAC_1_SQRT_2),
        (330.0, -0.5),
        (360.0, 0.0), // rem_euclid can round up to 360
    ];
    TABLE.iter().find(|(d, _)| *d == r).map(|(_, s)| *s)
}

/// Sine of `d` degrees, exact at multiples of 30 and 45 degrees.
pub(super) fn sin_deg(d: f64) -> f64 {
    let r = d.rem_euclid(360.0);
    exact_sin(r).unwrap_or_else(|| r.to_radians().sin())
}

/// Cosine of `d` degrees, exact at multiples of 30 and 45 degrees.
pub(super) fn cos_deg(d: f64) -> f64 {
    let r = d.rem_euclid(360.0);
    // r + 90 is exact for the whole-degree angles the table covers.
    let shifted = if r.fract() == 0.0 {
        exact_sin((r + 90.0).rem_euclid(360.0))
    } else {
        None
    };
    shifted.unwrap_or_else(|| r.to_radians().cos())
}

pub(super) fn tand(a: &Args<'_, '_>, _: &mut State<'_>) -> R {
    let r = a.num(0)?.rem_euclid(180.0);
    if r == 90.0 {
        return Err(a.err("`tand` is undefined at 90 + k*180 degrees"));
    }
    let exact = [(0.0, 0.0), (45.0, 1.0), (135.0, -1.0), (180.0, 0.0)];
    match exact.iter().find(|(d, _)| *d == r) {
        Some((_, t)) => Ok(Value::Float(*t)),
        None => a.float(r.to_radians().tan()),
    }
}

pub(super) fn hypot(a: &Args<'_, '_>, _: &mut State<'_>) -> R {
    a.float(a.num(0)?.hypot(a.num(1)?))
}

pub(super) fn dist(a: &Args<'_, '_>, _: &mut State<'_>) -> R {
    let (x1, y1, x2, y2) = (a.num(0)?, a.num(1)?, a.num(2)?, a.num(3)?);
    a.float((x2 - x1).hypot(y2 - y1))
}

pub(super) fn pt(a: &Args<'_, '_>, _: &mut State<'_>) -> R {
    a.float(a.num(0)? * a.num(1)? / 72.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_to_matches_python() {
        assert_eq!(round_to(0.125, 2), 0.12);
        assert_eq!(round_to(0.375, 2), 0.38);
        assert_eq!(round_to(5.0 / 12.0, 2), 0.42);
        assert_eq!(round_to(2.675, 2), 2.67); // 2.675 is really 2.67499999…
        assert_eq!(round_to(-0.125, 2), -0.12);
        assert_eq!(round_to(1.5, 0), 2.0);
        assert_eq!(round_to(2.5, 0), 2.0);
        assert_eq!(round_to(1234.5, -1), 1230.0);
        assert_eq!(round_to(1250.0, -2), 1200.0);
        assert_eq!(round_to(1350.0, -2), 1400.0);
        assert_eq!(round_to(1250.5, -2), 1300.0);
        assert_eq!(round_to(-1250.5, -2), -1300.0);
        assert_eq!(round_to(5.0, -1), 0.0);
        assert_eq!(round_to(15.0, -1), 20.0);
        assert_eq!(round_to(123.0, -50), 0.0);
        assert_eq!(round_to(1e300, -299), 1e300);
        assert_eq!(round_to(0.1, 400), 0.1);
        assert_eq!(round_to(999.0, -1), 1000.0);
        assert_eq!(round_to(949.9, -2), 900.0);
        assert_eq!(round_to(950.0, -2), 1000.0);
        assert_eq!(round_to(850.0, -2), 800.0);
        assert_eq!(round_to(-0.4, -1), 0.0);
        assert!(round_to(-0.4, -1).is_sign_negative());
        assert_eq!(round_to(f64::MAX, -308), f64::INFINITY); // an error at the call site
    }

    #[test]
    fn degree_trig_is_exact_at_special_angles() {
        assert_eq!(sin_deg(180.0), 0.0);
        assert_eq!(sin_deg(30.0), 0.5);
        assert_eq!(sin_deg(-90.0), -1.0);
        assert_eq!(sin_deg(765.0), FRAC_1_SQRT_2);
        assert_eq!(cos_deg(90.0), 0.0);
        assert_eq!(cos_deg(60.0), 0.5);
        assert_eq!(cos_deg(-180.0), -1.0);
        assert_eq!(cos_deg(0.0), 1.0);
        assert!((sin_deg(10.0) - 10f64.to_radians().sin()).abs() < 1e-15);
        assert!((cos_deg(10.5) - 10.5f64.to_radians().cos()).abs() < 1e-15);
    }
}
