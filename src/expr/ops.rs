//! Operators: arithmetic with Python semantics, comparisons and membership.
//!
//! Int arithmetic is checked (overflow is an error, never a wrap or panic); any float
//! result that is not finite is an error, so NaN and infinities never enter evaluation.

use std::cmp::Ordering;

use super::ast::{BinOp, CmpOp};
use super::error::{ExprError, Span};
use super::eval::{State, check_list_len, check_str_len};
use super::value::{Value, compare as order, values_equal};

fn division_by_zero(span: Span) -> ExprError {
    ExprError::at("division by zero", span)
}

fn overflow(op: &str, span: Span) -> ExprError {
    ExprError::at(format!("integer overflow in `{op}`"), span)
        .with_hint("integers are 64-bit; use a float (e.g. `1.0 * x`) for larger magnitudes")
}

/// A float result, or an error if it is NaN or infinite.
pub(crate) fn finite(x: f64, span: Span) -> Result<Value, ExprError> {
    if x.is_finite() {
        Ok(Value::Float(x))
    } else {
        Err(ExprError::at(
            "result is not a finite number (float overflow)",
            span,
        ))
    }
}

fn symbol(op: BinOp) -> &'static str {
    match op {
        BinOp::Add => "+",
        BinOp::Sub => "-",
        BinOp::Mul => "*",
        BinOp::Div => "/",
        BinOp::FloorDiv => "//",
        BinOp::Mod => "%",
    }
}

fn type_error(op: BinOp, a: &Value, b: &Value, span: Span) -> ExprError {
    let (ta, tb) = (a.type_name(), b.type_name());
    let msg = match op {
        BinOp::Add => format!("cannot add {ta} and {tb}"),
        BinOp::Sub => format!("cannot subtract {tb} from {ta}"),
        BinOp::Mul => format!("cannot multiply {ta} and {tb}"),
        BinOp::Div => format!("cannot divide {ta} by {tb}"),
        BinOp::FloorDiv | BinOp::Mod => format!("cannot apply `{}` to {ta} and {tb}", symbol(op)),
    };
    let err = ExprError::at(msg, span);
    match (op, a, b) {
        (BinOp::Add, Value::Str(_), _) | (BinOp::Add, _, Value::Str(_)) => {
            err.with_hint("convert with str(...) first")
        }
        _ => err,
    }
}

/// `a op b` for the left-associative operators.
pub(crate) fn binary(
    op: BinOp,
    a: &Value,
    b: &Value,
    span: Span,
    st: &mut State<'_>,
) -> Result<Value, ExprError> {
    match (op, a, b) {
        (BinOp::Add, Value::Str(x), Value::Str(y)) => {
            check_str_len(x.len() + y.len(), span)?;
            st.charge(1 + (x.len() + y.len()) as u64 / 16, span)?;
            Ok(Value::Str(format!("{x}{y}")))
        }
        (BinOp::Add, Value::List(x), Value::List(y)) => {
            check_list_len(x.len() + y.len(), span)?;
            let mut out = Vec::with_capacity(x.len() + y.len());
            for v in x.iter().chain(y) {
                out.push(st.copy(v, span)?);
            }
            Ok(Value::List(out))
        }
        (BinOp::Mul, Value::List(xs), Value::Int(n))
        | (BinOp::Mul, Value::Int(n), Value::List(xs)) => {
            let n = if xs.is_empty() {
                0
            } else {
                usize::try_from(*n).unwrap_or(0)
            };
            check_list_len(xs.len().saturating_mul(n), span)?;
            let mut out = Vec::with_capacity(xs.len() * n);
            for _ in 0..n {
                for v in xs {
                    out.push(st.copy(v, span)?);
                }
            }
            Ok(Value::List(out))
        }
        (BinOp::Mul, Value::Str(s), Value::Int(n)) | (BinOp::Mul, Value::Int(n), Value::Str(s)) => {
            let n = usize::try_from(*n).unwrap_or(0);
            check_str_len(s.len().saturating_mul(n), span)?;
            st.charge(1 + (s.len() * n) as u64 / 16, span)?;
            Ok(Value::Str(s.repeat(n)))
        }
        (_, Value::Int(x), Value::Int(y)) => int_op(op, *x, *y, span),
        (_, Value::Int(_) | Value::Float(_), Value::Int(_) | Value::Float(_)) => {
            let (x, y) = (a.as_f64().unwrap_or(0.0), b.as_f64().unwrap_or(0.0));
            float_op(op, x, y, span)
        }
        _ => Err(type_error(op, a, b, span)),
    }
}

fn int_op(op: BinOp, x: i64, y: i64, span: Span) -> Result<Value, ExprError> {
    let r = match op {
        BinOp::Add => x.checked_add(y),
        BinOp::Sub => x.checked_sub(y),
        BinOp::Mul => x.checked_mul(y),
        BinOp::Div if y == 0 => return Err(division_by_zero(span)),
        BinOp::Div => return finite(x as f64 / y as f64, span),
        BinOp::FloorDiv | BinOp::Mod if y == 0 => return Err(division_by_zero(span)),
        BinOp::FloorDiv => x.checked_div(y).map(|q| {
            if (x % y != 0) && ((x < 0) != (y < 0)) {
                q - 1
            } else {
                q
            }
        }),
        BinOp::Mod => {
            // Only i64::MIN % -1 fails checked_rem, and its Python result is 0.
            let r = x.checked_rem(y).unwrap_or(0);
            Some(if r != 0 && ((r < 0) != (y < 0)) {
                r + y
            } else {
                r
            })
        }
    };
    r.map(Value::Int).ok_or_else(|| overflow(symbol(op), span))
}

/// Python's float `divmod`: floor quotient and remainder with the divisor's sign.
fn float_divmod(x: f64, y: f64) -> (f64, f64) {
    let mut m = x % y;
    let mut div = (x - m) / y;
    if m != 0.0 {
        if (y < 0.0) != (m < 0.0) {
            m += y;
            div -= 1.0;
        }
    } else {
        m = 0.0f64.copysign(y);
    }
    let q = if div != 0.0 {
        let f = div.floor();
        if div - f > 0.5 { f + 1.0 } else { f }
    } else {
        0.0f64.copysign(x / y)
    };
    (q, m)
}

fn float_op(op: BinOp, x: f64, y: f64, span: Span) -> Result<Value, ExprError> {
    let r = match op {
        BinOp::Add => x + y,
        BinOp::Sub => x - y,
        BinOp::Mul => x * y,
        BinOp::Div | BinOp::FloorDiv | BinOp::Mod if y == 0.0 => {
            return Err(division_by_zero(span));
        }
        BinOp::Div => x / y,
        BinOp::FloorDiv => float_divmod(x, y).0,
        BinOp::Mod => float_divmod(x, y).1,
    };
    finite(r, span)
}

/// `a ** b`: int for int bases and non-negative int exponents, float otherwise.
pub(crate) fn pow(a: &Value, b: &Value, span: Span) -> Result<Value, ExprError> {
    match (a, b) {
        (Value::Int(x), Value::Int(y)) if *y >= 0 => int_pow(*x, *y, span),
        (Value::Int(_) | Value::Float(_), Value::Int(_) | Value::Float(_)) => {
            let (x, y) = (a.as_f64().unwrap_or(0.0), b.as_f64().unwrap_or(0.0));
            if x == 0.0 && y < 0.0 {
                return Err(ExprError::at(
                    "zero cannot be raised to a negative power",
                    span,
                ));
            }
            if x < 0.0 && y.fract() != 0.0 {
                return Err(ExprError::at(
                    "a negative number cannot be raised to a fractional power",
                    span,
                ));
            }
            finite(x.powf(y), span)
        }
        _ => Err(ExprError::at(
            format!(
                "cannot raise {} to the power of {}",
                a.type_name(),
                b.type_name()
            ),
            span,
        )),
    }
}

fn int_pow(x: i64, y: i64, span: Span) -> Result<Value, ExprError> {
    let r = match (x, u32::try_from(y)) {
        (_, Ok(e)) => x.checked_pow(e),
        (0 | 1, Err(_)) => Some(x),
        (-1, Err(_)) => Some(if y % 2 == 0 { 1 } else { -1 }),
        _ => None,
    };
    r.map(Value::Int).ok_or_else(|| overflow("**", span))
}

/// Unary minus.
pub(crate) fn negate(v: &Value, span: Span) -> Result<Value, ExprError> {
    match v {
        Value::Int(i) => i
            .checked_neg()
            .map(Value::Int)
            .ok_or_else(|| overflow("-", span)),
        Value::Float(f) => Ok(Value::Float(-f)),
        other => Err(ExprError::at(
            format!("cannot negate {}", other.type_name()),
            span,
        )),
    }
}

/// Unary plus: numbers only.
pub(crate) fn plus(v: &Value, span: Span) -> Result<Value, ExprError> {
    match v {
        Value::Int(_) | Value::Float(_) => Ok(v.clone()),
        other => Err(ExprError::at(
            format!("unary `+` needs a number, got {}", other.type_name()),
            span,
        )),
    }
}

/// One link of a comparison chain.
pub(crate) fn compare(
    op: CmpOp,
    a: &Value,
    b: &Value,
    span: Span,
    st: &mut State<'_>,
) -> Result<bool, ExprError> {
    let ord = |want: fn(Ordering) -> bool, sym: &str| match order(a, b) {
        Some(o) => Ok(want(o)),
        None => Err(ExprError::at(
            format!(
                "cannot compare {} and {} with `{sym}`",
                a.type_name(),
                b.type_name()
            ),
            span,
        )),
    };
    match op {
        CmpOp::Eq | CmpOp::Ne => {
            let mut work = 0;
            let eq = values_equal(a, b, &mut work);
            st.charge(work, span)?;
            Ok(eq == (op == CmpOp::Eq))
        }
        CmpOp::Lt => ord(Ordering::is_lt, "<"),
        CmpOp::Le => ord(Ordering::is_le, "<="),
        CmpOp::Gt => ord(Ordering::is_gt, ">"),
        CmpOp::Ge => ord(Ordering::is_ge, ">="),
        CmpOp::In => contains(b, a, span, st),
        CmpOp::NotIn => contains(b, a, span, st).map(|c| !c),
    }
}

/// `item in container`: list membership, substring, or map key.
pub(crate) fn contains(
    container: &Value,
    item: &Value,
    span: Span,
    st: &mut State<'_>,
) -> Result<bool, ExprError> {
    match (container, item) {
        (Value::List(xs), _) => {
            let mut work = 0;
            let found = xs.iter().any(|x| values_equal(x, item, &mut work));
            st.charge(work, span)?;
            Ok(found)
        }
        (Value::Str(s), Value::Str(sub)) => {
            st.charge(1 + s.len() as u64 / 16, span)?;
            Ok(s.contains(sub.as_str()))
        }
        (Value::Str(_), other) => Err(ExprError::at(
            format!(
                "`in` on a string needs a string to look for, got {}",
                other.type_name()
            ),
            span,
        )),
        (Value::Map(m), Value::Str(k)) => Ok(m.contains_key(k)),
        (Value::Map(_), _) => Ok(false),
        (other, _) => Err(ExprError::at(
            format!("cannot look for elements in {}", other.type_name()),
            span,
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::expr::Budget;

    fn with_state<T>(f: impl FnOnce(&mut State<'_>) -> T) -> T {
        let mut budget = Budget::new(1_000_000);
        let mut st = State {
            budget: &mut budget,
            rng: None,
        };
        f(&mut st)
    }

    fn bin(op: BinOp, a: Value, b: Value) -> Result<Value, ExprError> {
        with_state(|st| binary(op, &a, &b, Span::new(0, 1), st))
    }

    #[test]
    fn python_floor_division_and_modulo() {
        use Value::{Float, Int};
        let cases = [
            (7, 2, 3, 1),
            (-7, 2, -4, 1),
            (7, -2, -4, -1),
            (-7, -2, 3, -1),
            (-7, 3, -3, 2),
            (6, 3, 2, 0),
        ];
        for (x, y, q, r) in cases {
            assert_eq!(
                bin(BinOp::FloorDiv, Int(x), Int(y)).unwrap(),
                Int(q),
                "{x} // {y}"
            );
            assert_eq!(
                bin(BinOp::Mod, Int(x), Int(y)).unwrap(),
                Int(r),
                "{x} % {y}"
            );
        }
        assert_eq!(bin(BinOp::Mod, Float(-7.5), Int(2)).unwrap(), Float(0.5));
        assert_eq!(
            bin(BinOp::FloorDiv, Float(-7.5), Int(2)).unwrap(),
            Float(-4.0)
        );
        assert_eq!(
            bin(BinOp::Mod, Float(7.0), Float(-3.0)).unwrap(),
            Float(-2.0)
        );
        assert_eq!(bin(BinOp::Mod, Int(i64::MIN), Int(-1)).unwrap(), Int(0));
        assert!(
            bin(BinOp::FloorDiv, Int(i64::MIN), Int(-1))
                .unwrap_err()
                .message
                .contains("overflow")
        );
    }

    #[test]
    fn division_by_zero_is_an_error() {
        use Value::{Float, Int};
        for op in [BinOp::Div, BinOp::FloorDiv, BinOp::Mod] {
            assert_eq!(
                bin(op, Int(1), Int(0)).unwrap_err().message,
                "division by zero"
            );
            assert_eq!(
                bin(op, Float(1.0), Float(0.0)).unwrap_err().message,
                "division by zero"
            );
            assert_eq!(
                bin(op, Int(1), Float(-0.0)).unwrap_err().message,
                "division by zero"
            );
        }
    }

    #[test]
    fn overflow_is_an_error() {
        use Value::{Float, Int};
        assert!(bin(BinOp::Add, Int(i64::MAX), Int(1)).is_err());
        assert!(bin(BinOp::Mul, Int(i64::MIN), Int(-1)).is_err());
        assert!(
            bin(BinOp::Mul, Float(1e308), Float(10.0))
                .unwrap_err()
                .message
                .contains("finite")
        );
        assert!(negate(&Int(i64::MIN), Span::new(0, 1)).is_err());
        let s = Span::new(0, 1);
        assert_eq!(pow(&Int(2), &Int(62), s).unwrap(), Int(1 << 62));
        assert!(pow(&Int(2), &Int(64), s).is_err());
        assert!(pow(&Int(2), &Int(i64::MAX), s).is_err());
        assert_eq!(pow(&Int(-1), &Int(i64::MAX), s).unwrap(), Int(-1));
        assert_eq!(pow(&Int(2), &Int(-1), s).unwrap(), Float(0.5));
        assert!(pow(&Int(0), &Int(-1), s).is_err());
        assert!(pow(&Float(-8.0), &Float(1.0 / 3.0), s).is_err());
        assert!(pow(&Float(10.0), &Int(400), s).is_err());
    }

    #[test]
    fn type_errors_name_both_types() {
        let e = bin(BinOp::Add, Value::from("a"), Value::Int(1)).unwrap_err();
        assert_eq!(e.message, "cannot add string and int");
        assert!(e.hint.is_some());
        assert_eq!(
            bin(BinOp::Sub, Value::List(vec![]), Value::Bool(true))
                .unwrap_err()
                .message,
            "cannot subtract bool from list"
        );
        assert!(bin(BinOp::Add, Value::Bool(true), Value::Int(1)).is_err());
    }

    #[test]
    fn sequences_concatenate_and_repeat() {
        assert_eq!(
            bin(BinOp::Add, Value::from("ab"), Value::from("c")).unwrap(),
            Value::from("abc")
        );
        assert_eq!(
            bin(BinOp::Mul, Value::Int(3), Value::from("ab")).unwrap(),
            Value::from("ababab")
        );
        assert_eq!(
            bin(BinOp::Mul, Value::from("ab"), Value::Int(-2)).unwrap(),
            Value::from("")
        );
        let l = Value::List(vec![Value::Int(1)]);
        assert_eq!(
            bin(BinOp::Mul, l.clone(), Value::Int(2)).unwrap(),
            Value::List(vec![Value::Int(1); 2])
        );
        assert!(
            bin(BinOp::Mul, l, Value::Int(2_000_000))
                .unwrap_err()
                .message
                .contains("limit")
        );
        assert!(
            bin(BinOp::Mul, Value::from("ab"), Value::Int(1 << 20))
                .unwrap_err()
                .message
                .contains("limit")
        );
    }
}
