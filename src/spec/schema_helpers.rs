//! Types that exist only to describe polymorphic spec values in the JSON Schema.
//!
//! The loader reads these spots as plain YAML values and `spec::validate` interprets them;
//! these mirrors tell editors what is allowed. Keep them in step with `validate::axes`.

#![allow(dead_code)]

use indexmap::IndexMap;
use schemars::JsonSchema;

/// A literal (number, boolean, list) or an expression string.
#[derive(JsonSchema)]
#[serde(untagged)]
pub enum LiteralOrExpr {
    /// An expression, e.g. `"0.5 / r"` (a leading `=` is allowed and ignored).
    Expr(String),
    /// A number.
    Number(f64),
    /// A boolean.
    Bool(bool),
    /// A list literal.
    List(Vec<serde_json::Value>),
}

/// A scene value: a literal, or an expression when a string starts with `=`.
#[derive(JsonSchema)]
#[serde(untagged)]
pub enum ParamSchema {
    /// A number.
    Number(f64),
    /// A literal string (colour, text, …) or `"= expr"`.
    Str(String),
    /// A boolean.
    Bool(bool),
    /// A list literal, e.g. points.
    List(Vec<serde_json::Value>),
}

/// A numeric range, `to` inclusive when it lies on the step.
#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RangeSchema {
    /// First value.
    pub from: f64,
    /// Last value (included when reached exactly, within 1e-9 of a step).
    pub to: f64,
    /// Step; must be non-zero and point from `from` towards `to`.
    pub step: f64,
}

/// A grid axis.
#[derive(JsonSchema)]
#[serde(untagged)]
pub enum AxisSchema {
    /// Explicit values.
    List(Vec<serde_json::Value>),
    /// `{range: {from, to, step}}`.
    Range {
        /// The range.
        range: RangeSchema,
    },
    /// `{zip: {name: [..], other: [..]}}`: several variables iterated together.
    Zip {
        /// Lists of equal length.
        zip: IndexMap<String, Vec<serde_json::Value>>,
    },
}
