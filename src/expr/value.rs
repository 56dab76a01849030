//! Runtime values of the expression language, their text and JSON forms, and the
//! language's equality and ordering.
//!
//! Invariant upheld by the evaluator: every `Float` it produces is finite, so JSON
//! conversion and ordering only fail on values built outside the language.

use std::cmp::Ordering;
use std::fmt;

use indexmap::IndexMap;

/// A value: the result of an expression or an input variable.
///
/// The derived `PartialEq` is structural (`Int(1) != Float(1.0)`); the language's `==`
/// compares numbers across types.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// `true` / `false`.
    Bool(bool),
    /// A 64-bit signed integer; arithmetic on it is checked.
    Int(i64),
    /// A 64-bit float.
    Float(f64),
    /// A UTF-8 string.
    Str(String),
    /// An ordered list.
    List(Vec<Value>),
    /// A string-keyed map in insertion order.
    Map(IndexMap<String, Value>),
}

impl Value {
    /// The language's name of this value's type: "bool", "int", "float", "string", "list", "map".
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Bool(_) => "bool",
            Value::Int(_) => "int",
            Value::Float(_) => "float",
            Value::Str(_) => "string",
            Value::List(_) => "list",
            Value::Map(_) => "map",
        }
    }

    /// The number as `f64`, for `Int` or `Float`.
    pub fn as_f64(&self) -> Option<f64> {
        match *self {
            Value::Int(i) => Some(i as f64),
            Value::Float(f) => Some(f),
            _ => None,
        }
    }

    /// The integer, for `Int` or a `Float` with zero fractional part that fits in `i64`.
    pub fn as_i64(&self) -> Option<i64> {
        match *self {
            Value::Int(i) => Some(i),
            Value::Float(f) if f.fract() == 0.0 => float_to_i64(f),
            _ => None,
        }
    }

    /// The boolean, for `Bool` only.
    pub fn as_bool(&self) -> Option<bool> {
        match *self {
            Value::Bool(b) => Some(b),
            _ => None,
        }
    }

    /// The string, for `Str` only.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    /// Converts to JSON; fails on NaN or infinite floats.
    pub fn to_json(&self) -> Result<serde_json::Value, String> {
        Ok(match self {
            Value::Bool(b) => serde_json::Value::Bool(*b),
            Value::Int(i) => serde_json::Value::from(*i),
            Value::Float(f) => serde_json::Number::from_f64(*f)
                .map(serde_json::Value::Number)
                .ok_or_else(|| format!("cannot represent {} as JSON", float_repr(*f)))?,
            Value::Str(s) => serde_json::Value::String(s.clone()),
            Value::List(xs) => {
                serde_json::Value::Array(xs.iter().map(Value::to_json).collect::<Result<_, _>>()?)
            }
            Value::Map(m) => {
                let mut out = serde_json::Map::new();
                for (k, v) in m {
                    out.insert(k.clone(), v.to_json()?);
                }
                serde_json::Value::Object(out)
            }
        })
    }

    /// Converts from JSON: integers become `Int`, other numbers `Float`; `null` is an error.
    pub fn from_json(v: &serde_json::Value) -> Result<Value, String> {
        Ok(match v {
            serde_json::Value::Null => return Err("null is not a value in expressions".into()),
            serde_json::Value::Bool(b) => Value::Bool(*b),
            serde_json::Value::Number(n) => {
                if let Some(i) = n.as_i64() {
                    Value::Int(i)
                } else if n.is_u64() {
                    return Err(format!("integer {n} is out of range (max {})", i64::MAX));
                } else {
                    Value::Float(
                        n.as_f64()
                            .ok_or_else(|| format!("unsupported number {n}"))?,
                    )
                }
            }
            serde_json::Value::String(s) => Value::Str(s.clone()),
            serde_json::Value::Array(xs) => {
                Value::List(xs.iter().map(Value::from_json).collect::<Result<_, _>>()?)
            }
            serde_json::Value::Object(m) => {
                let mut out = IndexMap::with_capacity(m.len());
                for (k, v) in m {
                    out.insert(k.clone(), Value::from_json(v)?);
                }
                Value::Map(out)
            }
        })
    }

    /// Text for templates: ints as digits, floats like Python's `repr` ("0.5", "2.0",
    /// "1e+16"), strings raw, bools "true"/"false", lists and maps as compact JSON.
    pub fn display(&self) -> String {
        match self {
            Value::Str(s) => s.clone(),
            _ => {
                let mut out = String::new();
                write_json(self, &mut out);
                out
            }
        }
    }

    /// Approximate cost of copying this value, in evaluation steps: one per value plus one
    /// per 16 bytes of string.
    pub(crate) fn weight(&self) -> u64 {
        match self {
            Value::Bool(_) | Value::Int(_) | Value::Float(_) => 1,
            Value::Str(s) => 1 + s.len() as u64 / 16,
            Value::List(xs) => xs.iter().fold(1, |acc, x| acc.saturating_add(x.weight())),
            Value::Map(m) => m.iter().fold(1, |acc, (k, v)| {
                acc.saturating_add(1 + k.len() as u64 / 16)
                    .saturating_add(v.weight())
            }),
        }
    }
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.display())
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Value {
        Value::Bool(b)
    }
}

impl From<i64> for Value {
    fn from(i: i64) -> Value {
        Value::Int(i)
    }
}

impl From<f64> for Value {
    fn from(f: f64) -> Value {
        Value::Float(f)
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Value {
        Value::Str(s.to_string())
    }
}

impl From<String> for Value {
    fn from(s: String) -> Value {
        Value::Str(s)
    }
}

impl From<Vec<Value>> for Value {
    fn from(xs: Vec<Value>) -> Value {
        Value::List(xs)
    }
}

/// Appends the compact-JSON form of `v` (strings quoted and escaped).
fn write_json(v: &Value, out: &mut String) {
    match v {
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Int(i) => out.push_str(&i.to_string()),
        Value::Float(f) => out.push_str(&float_repr(*f)),
        Value::Str(s) => out.push_str(&quote_json(s)),
        Value::List(xs) => {
            out.push('[');
            for (i, x) in xs.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_json(x, out);
            }
            out.push(']');
        }
        Value::Map(m) => {
            out.push('{');
            for (i, (k, x)) in m.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&quote_json(k));
                out.push(':');
                write_json(x, out);
            }
            out.push('}');
        }
    }
}

fn quote_json(s: &str) -> String {
    serde_json::Value::String(s.to_string()).to_string()
}

/// Python's `repr` of a float: shortest round-trip digits, fixed notation for decimal
/// exponents in [-4, 16), scientific otherwise, always with a `.` or exponent.
pub(crate) fn float_repr(x: f64) -> String {
    if x.is_nan() {
        return "nan".into();
    }
    if x.is_infinite() {
        return if x > 0.0 { "inf".into() } else { "-inf".into() };
    }
    if x == 0.0 {
        return if x.is_sign_negative() {
            "-0.0".into()
        } else {
            "0.0".into()
        };
    }
    let sci = format!("{:e}", x.abs());
    let (mant, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let digits: String = mant.chars().filter(|c| *c != '.').collect();
    let sign = if x < 0.0 { "-" } else { "" };
    if (-4..16).contains(&exp) {
        let point = exp + 1;
        if point <= 0 {
            let zeros = "0".repeat(point.unsigned_abs() as usize);
            format!("{sign}0.{zeros}{digits}")
        } else {
            let point = point as usize;
            let int_part: String = digits
                .chars()
                .chain(std::iter::repeat('0'))
                .take(point)
                .collect();
            let frac = digits.get(point..).filter(|f| !f.is_empty()).unwrap_or("0");
            format!("{sign}{int_part}.{frac}")
        }
    } else {
        let (first, rest) = digits.split_at(1);
        let rest = if rest.is_empty() {
            String::new()
        } else {
            format!(".{rest}")
        };
        let esign = if exp < 0 { '-' } else { '+' };
        format!("{sign}{first}{rest}e{esign}{:02}", exp.unsigned_abs())
    }
}

/// `f` as `i64` if it lies in `i64`'s range (truncating any fraction); `None` otherwise.
pub(crate) fn float_to_i64(f: f64) -> Option<i64> {
    const LIMIT: f64 = 9_223_372_036_854_775_808.0; // 2^63
    (-LIMIT..LIMIT).contains(&f).then_some(f as i64)
}

/// Exact comparison of an integer with a float (`None` if the float is NaN).
fn cmp_int_float(i: i64, f: f64) -> Option<Ordering> {
    if f.is_nan() {
        return None;
    }
    let Some(t) = float_to_i64(f.trunc()) else {
        return Some(if f > 0.0 {
            Ordering::Less
        } else {
            Ordering::Greater
        });
    };
    Some(i.cmp(&t).then(if f > f.trunc() {
        Ordering::Less
    } else if f < f.trunc() {
        Ordering::Greater
    } else {
        Ordering::Equal
    }))
}

/// The language's ordering: numbers with numbers (exactly, across int/float) and strings
/// with strings (by code point). `None` for any other pair or NaN.
pub(crate) fn compare(a: &Value, b: &Value) -> Option<Ordering> {
    match (a, b) {
        (Value::Int(x), Value::Int(y)) => Some(x.cmp(y)),
        (Value::Float(x), Value::Float(y)) => x.partial_cmp(y),
        (Value::Int(x), Value::Float(y)) => cmp_int_float(*x, *y),
        (Value::Float(x), Value::Int(y)) => cmp_int_float(*y, *x).map(Ordering::reverse),
        (Value::Str(x), Value::Str(y)) => Some(x.cmp(y)),
        _ => None,
    }
}

/// The language's `==`: numbers compare across int/float, containers deeply, maps ignoring
/// key order, different types are unequal. Adds the work done to `work`.
pub(crate) fn values_equal(a: &Value, b: &Value, work: &mut u64) -> bool {
    *work = work.saturating_add(1);
    match (a, b) {
        (Value::Bool(x), Value::Bool(y)) => x == y,
        (Value::Str(x), Value::Str(y)) => {
            *work = work.saturating_add(x.len().min(y.len()) as u64 / 16);
            x == y
        }
        (Value::List(xs), Value::List(ys)) => {
            xs.len() == ys.len() && xs.iter().zip(ys).all(|(x, y)| values_equal(x, y, work))
        }
        (Value::Map(xs), Value::Map(ys)) => {
            xs.len() == ys.len()
                && xs
                    .iter()
                    .all(|(k, x)| ys.get(k).is_some_and(|y| values_equal(x, y, work)))
        }
        _ => compare(a, b) == Some(Ordering::Equal),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn float_repr_matches_python() {
        let cases = [
            (0.5, "0.5"),
            (-0.15, "-0.15"),
            (2.0, "2.0"),
            (100.0, "100.0"),
            (0.1 + 0.2, "0.30000000000000004"),
            (1e16, "1e+16"),
            (1.5e16, "1.5e+16"),
            (1e15, "1000000000000000.0"),
            (0.0001, "0.0001"),
            (0.00001, "1e-05"),
            (-1.25e-7, "-1.25e-07"),
            (123.456, "123.456"),
            (1e300, "1e+300"),
            (-0.0, "-0.0"),
        ];
        for (x, want) in cases {
            assert_eq!(float_repr(x), want, "{x:e}");
        }
        assert_eq!(float_repr(f64::NAN), "nan");
        assert_eq!(float_repr(f64::NEG_INFINITY), "-inf");
    }

    #[test]
    fn display_forms() {
        assert_eq!(Value::Int(3).display(), "3");
        assert_eq!(Value::Str("a\"b".into()).display(), "a\"b");
        assert_eq!(Value::Bool(true).display(), "true");
        let l = Value::List(vec![
            Value::Int(1),
            Value::Float(2.0),
            Value::Str("x\n".into()),
        ]);
        assert_eq!(l.display(), r#"[1,2.0,"x\n"]"#);
        let mut m = IndexMap::new();
        m.insert("b".to_string(), Value::Int(1));
        m.insert("a".to_string(), Value::List(vec![]));
        assert_eq!(Value::Map(m).display(), r#"{"b":1,"a":[]}"#);
    }

    #[test]
    fn json_round_trip_keeps_order_and_types() {
        let j = json!({"z": 1, "a": [1.5, "s", true], "m": {"k": -2}});
        let v = Value::from_json(&j).unwrap();
        assert_eq!(v.to_json().unwrap(), j);
        let Value::Map(m) = &v else { panic!() };
        assert_eq!(m.keys().collect::<Vec<_>>(), ["z", "a", "m"]);
        assert_eq!(Value::from_json(&json!(2.0)).unwrap(), Value::Float(2.0));
        assert!(Value::from_json(&json!(null)).is_err());
        assert!(Value::from_json(&json!([1, null])).is_err());
        assert!(Value::from_json(&json!(u64::MAX)).is_err());
        assert!(Value::Float(f64::NAN).to_json().is_err());
        assert!(
            Value::List(vec![Value::Float(f64::INFINITY)])
                .to_json()
                .is_err()
        );
    }

    #[test]
    fn accessors() {
        assert_eq!(Value::Float(3.0).as_i64(), Some(3));
        assert_eq!(Value::Float(3.5).as_i64(), None);
        assert_eq!(Value::Float(1e300).as_i64(), None);
        assert_eq!(Value::Int(2).as_f64(), Some(2.0));
        assert_eq!(Value::Str("x".into()).as_f64(), None);
        assert_eq!(Value::Bool(true).as_bool(), Some(true));
        assert_eq!(Value::Int(1).as_bool(), None);
        assert_eq!(Value::from("s").as_str(), Some("s"));
        assert_eq!(Value::Map(IndexMap::new()).type_name(), "map");
    }

    #[test]
    fn equality_and_ordering() {
        let mut w = 0;
        assert!(values_equal(&Value::Int(1), &Value::Float(1.0), &mut w));
        assert!(!values_equal(&Value::Int(1), &Value::Bool(true), &mut w));
        assert!(!values_equal(
            &Value::Str("1".into()),
            &Value::Int(1),
            &mut w
        ));
        let big = i64::MAX;
        assert_eq!(
            compare(&Value::Int(big), &Value::Float(9_223_372_036_854_775_808.0)),
            Some(Ordering::Less)
        );
        assert_eq!(
            compare(&Value::Float(2.5), &Value::Int(2)),
            Some(Ordering::Greater)
        );
        assert_eq!(
            compare(&Value::Int(-3), &Value::Float(-2.5)),
            Some(Ordering::Less)
        );
        assert_eq!(
            compare(&Value::Str("b".into()), &Value::Str("ab".into())),
            Some(Ordering::Greater)
        );
        assert_eq!(compare(&Value::Str("b".into()), &Value::Int(1)), None);
        assert!(w > 0);
    }
}
