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

/// A var: a literal or expression, a dependent sequence, or a plugin call. (The validator
/// reads these forms in `validate::forms`.)
#[derive(JsonSchema)]
#[serde(untagged)]
pub enum VarSchema {
    /// A literal, or an expression evaluated per sample (random functions allowed).
    Value(LiteralOrExpr),
    /// `{sequence: {length, first, next}}`: a list whose elements are drawn one after another.
    Sequence {
        /// The sequence.
        sequence: SequenceSchema,
    },
    /// `{plugin: NAME, with: {param: value, …}}`: data from a registered plugin.
    Plugin {
        /// Name of a registered plugin (see `blindspot list`).
        plugin: String,
        /// Its parameters by name: literals, or `= expressions` over earlier names. Checked
        /// against the plugin's declared parameters. Default: none.
        #[serde(default)]
        with: Option<IndexMap<String, ParamSchema>>,
    },
}

/// A list built element by element; each element may depend on the previous one.
#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SequenceSchema {
    /// Number of elements: a whole number from 0 to 1,000,000.
    pub length: LiteralOrExpr,
    /// Element 0; sees `index` (= 0).
    pub first: LiteralOrExpr,
    /// Element i ≥ 1; sees `prev` (element i − 1) and `index` (i).
    pub next: LiteralOrExpr,
}
