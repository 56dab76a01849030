//! The raw task spec: a serde mirror of the YAML, with user-facing names.
//!
//! Invariants: every struct denies unknown keys; nothing here does I/O or interprets
//! expressions. Polymorphic spots (grid axes, expression-or-literal values) are kept as
//! [`serde_json::Value`] and interpreted by `spec::validate`, which gives better errors
//! than serde's untagged enums. These types also generate the JSON Schema in `schemas/`.

use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::Deserialize;

use super::schema_helpers::{AxisSchema, LiteralOrExpr, ParamSchema, VarSchema};

/// A value in a scene field: a literal (number, string, boolean, list) or, when a string
/// starts with `=`, an expression such as `"= rad * S"`.
pub type Param = serde_json::Value;

/// One task spec file (`tasks/*.yaml`).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "blindspot task spec")]
pub struct RawTaskSpec {
    /// Dataset name: lowercase ASCII letters, digits and `-`. Names the output folder
    /// `out/<name>/<version>/`.
    pub name: String,
    /// Dataset version, semver `MAJOR.MINOR.PATCH`.
    pub version: String,
    /// The task this spec generates.
    pub task: RawTaskInfo,
    /// Free-text description, copied into the dataset card.
    #[serde(default)]
    pub description: Option<String>,
    /// Licence of the generated data, as a Hugging Face licence id (e.g. `mit`, `cc-by-4.0`).
    pub license: String,
    /// BibTeX citation of the source work, copied into the card.
    #[serde(default)]
    pub citation: Option<String>,
    /// The global seed. Each sample's random draws depend only on (seed, task id, sample key).
    pub seed: u64,
    /// Split name written to the Parquet file names. Default: `test`.
    #[serde(default)]
    pub split: Option<String>,
    /// Tags for the dataset card. Default: none.
    #[serde(default)]
    pub tags: Vec<String>,
    /// Hugging Face task categories for the card. Default: `[visual-question-answering]`.
    #[serde(default)]
    pub task_categories: Option<Vec<String>>,
    /// Named constants: literals or expressions over earlier constants (no random functions).
    #[serde(default)]
    #[schemars(with = "IndexMap<String, LiteralOrExpr>")]
    pub constants: IndexMap<String, serde_json::Value>,
    /// Parameter axes; the samples are their cartesian product, first axis outermost.
    /// An axis is a list of values, `{range: {from, to, step}}`, or `{zip: {a: [..], b: [..]}}`
    /// (lists of equal length, iterated together).
    #[serde(default)]
    #[schemars(with = "IndexMap<String, AxisSchema>")]
    pub grid: IndexMap<String, serde_json::Value>,
    /// How samples are drawn from the grid.
    #[serde(default)]
    pub sampling: Option<RawSampling>,
    /// Per-sample values, in order: expressions over constants, axes and earlier vars. Random
    /// functions (`uniform`, `randint`, `choice`, `sample`, `shuffle`) are allowed here, and
    /// so are dependent sequences and plugin calls.
    #[serde(default)]
    #[schemars(with = "IndexMap<String, VarSchema>")]
    pub vars: IndexMap<String, serde_json::Value>,
    /// Boolean expressions every sample must satisfy; a failing draw is rejected and redrawn.
    #[serde(default)]
    pub constraints: Vec<RawConstraint>,
    /// The picture.
    pub scene: RawScene,
    /// Named ground-truth answers: expressions evaluated after the vars.
    #[schemars(with = "IndexMap<String, LiteralOrExpr>")]
    pub answers: IndexMap<String, serde_json::Value>,
    /// Prompts; each produces one row per image.
    pub prompts: Vec<RawPrompt>,
    /// Answer formats defined by this spec, by name, for prompts whose replies no built-in
    /// format reads (see the guide's list of built-in formats).
    #[serde(default)]
    pub answer_formats: IndexMap<String, RawAnswerFormat>,
    /// The `metadata` column: name → expression. Default: every grid variable.
    #[serde(default)]
    #[schemars(with = "Option<IndexMap<String, LiteralOrExpr>>")]
    pub metadata: Option<IndexMap<String, serde_json::Value>>,
    /// Image encoding options.
    #[serde(default)]
    pub output: Option<RawOutput>,
    /// Checks of the answers against the rendered pixels (see the guide's "Verifying labels").
    #[serde(default)]
    pub verify: Option<super::raw_verify::RawVerify>,
}

/// Identity of the task inside a dataset.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawTaskInfo {
    /// Slug used in row ids and file names (lowercase letters, digits, `-`). Default: `name`.
    #[serde(default)]
    pub id: Option<String>,
    /// Display label written to the `task` column, e.g. `Touching Circles`.
    pub label: String,
    /// Score column: `blindspot score` averages tasks with the same group into one column of
    /// its headline mean (as BlindTest merges its two grid tasks). Default: the label.
    #[serde(default)]
    pub group: Option<String>,
}

/// Sampling options.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawSampling {
    /// Samples per grid cell. Default: 1.
    #[serde(default)]
    pub per_cell: Option<u32>,
    /// Redraws allowed per sample when a constraint fails. Default: 1000.
    #[serde(default)]
    pub retries: Option<u32>,
    /// Axes whose values key the random draws. Samples that differ only in other axes share
    /// their draws (e.g. one random scene rendered at several sizes). Default: all axes.
    #[serde(default)]
    pub seed_by: Option<Vec<String>>,
    /// Answer balancing: the seed keys (combinations of the `seed_by` axes × replicates, in
    /// order) are split into equal consecutive blocks, one per value; a draw is accepted only
    /// when `on` (an expression over the vars) equals its block's value.
    #[serde(default)]
    pub balance: Option<RawBalance>,
    /// Uniqueness: expressions over the vars; a draw is rejected when every one of them has
    /// a value already taken by an earlier seed key. One expression means plain uniqueness.
    #[serde(default)]
    pub unique: Option<Vec<String>>,
}

/// Equal quotas per value of an expression.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawBalance {
    /// Expression over the vars whose value is balanced, e.g. `gt`.
    pub on: String,
    /// The values, each getting the same number of seed keys.
    pub values: Vec<serde_json::Value>,
}

/// A constraint: an expression, or an expression with a message.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum RawConstraint {
    /// A boolean expression.
    Expr(String),
    /// A boolean expression with an explanation shown when it can never be met.
    WithMessage {
        /// The boolean expression.
        expr: String,
        /// Why the constraint exists.
        message: String,
    },
}

/// The scene: canvas and shapes, in pixels with the origin at the top-left, y down.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawScene {
    /// Canvas width in pixels (number or `= expr`).
    #[schemars(with = "ParamSchema")]
    pub width: Param,
    /// Canvas height in pixels (number or `= expr`).
    #[schemars(with = "ParamSchema")]
    pub height: Param,
    /// Opaque background colour. Default: `white`.
    #[serde(default)]
    #[schemars(with = "Option<ParamSchema>")]
    pub background: Option<Param>,
    /// Shapes, painted in order (later on top).
    #[serde(default)]
    pub shapes: Vec<super::shapes::RawShape>,
}

/// One prompt: a Tera template and the answer it expects.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawPrompt {
    /// Short id used in row ids. Default: `p1`, `p2`, … by position.
    #[serde(default)]
    pub id: Option<String>,
    /// Tera template; sees constants, axes, vars and answers.
    pub template: String,
    /// Expression giving the expected answer, usually the name of an entry in `answers`.
    pub answer: String,
    /// How replies to this prompt are read and scored: a built-in format (`yes_no`,
    /// `integer`, `braced_integer`, `braced_letter`, `braced_text`, `rows_columns`, `pair`,
    /// `exact`) or one defined under `answer_formats`. Default: `exact`.
    #[serde(default)]
    pub format: Option<String>,
    /// Expression giving the list of every possible answer for this sample (e.g.
    /// `"['Yes', 'No']"`). It must contain the answer; `blindspot score --random` guesses
    /// uniformly from it. Default: the answers seen in the dataset for this prompt.
    #[serde(default)]
    pub choices: Option<String>,
}

/// A spec-defined answer format (same rules as the built-in ones).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawAnswerFormat {
    /// What a reply must look like, for people.
    pub description: String,
    /// Regular expressions tried in order, each capturing the same number of groups. Use the
    /// subset Rust's `regex` and Python's `re` share (no look-around or back-references).
    pub patterns: Vec<String>,
    /// Compare case-insensitively. Default: false.
    #[serde(default)]
    pub fold_case: bool,
    /// The captured parts are whole numbers (`007` = `7`). Default: false.
    #[serde(default)]
    pub integers: bool,
    /// How a correct reply is written, with `$1`, `$2`, … for the answer's parts.
    pub reply: String,
}

/// Image encoding options.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawOutput {
    /// `auto` (gray when every colour in the scene is a gray, else RGB), `palette` (like `auto`,
    /// but an 8-bit palette instead of RGB when the image has at most 256 colours), `rgb` or
    /// `gray`. Default: `auto`.
    #[serde(default)]
    pub color: Option<ColorMode>,
    /// PNG compression: `fast`, `balanced` or `high`. Default: `fast`.
    #[serde(default)]
    pub compression: Option<Compression>,
}

/// Pixel format of the encoded PNGs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum ColorMode {
    /// Gray when the scene's palette is gray, RGB otherwise.
    Auto,
    /// Gray when the scene's palette is gray; otherwise 8-bit indexed over the image's own
    /// colours when it has at most 256 of them (lossless), RGB beyond that. For flat-coloured
    /// scenes its PNGs take about half the bytes of RGB and less time to encode; PIL opens
    /// such images in mode "P", so consumers should convert them to RGB.
    Palette,
    /// Always 8-bit RGB.
    Rgb,
    /// Always 8-bit gray (colours are converted).
    Gray,
}

/// PNG compression effort.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Compression {
    /// fdeflate with adaptive filtering: fastest, larger files.
    Fast,
    /// zlib level 6.
    Balanced,
    /// zlib level 9.
    High,
}
