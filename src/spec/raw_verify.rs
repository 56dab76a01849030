//! The raw `verify:` section: how a spec re-derives its answers from the rendered pixels.
//!
//! Invariants as in `spec::raw`: unknown keys are denied, nothing is interpreted here;
//! `spec::validate::verify` turns it into a [`crate::verify::VerifySpec`].

use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::Deserialize;

use super::raw::RawConstraint;
use super::schema_helpers::LiteralOrExpr;

/// `verify:` — pixel masks, measures over them, and checks that re-derive answers from
/// the measures; optional perceptual margins a clear sample must keep.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawVerify {
    /// The background colour masks are cut against. Default: the scene's background.
    #[serde(default)]
    #[schemars(with = "Option<LiteralOrExpr>")]
    pub background: Option<serde_json::Value>,
    /// Named pixel masks, each `{color: C, tolerance: T}`, `{ink: T}` or `{dark: T}`.
    pub masks: IndexMap<String, RawMask>,
    /// Named measures over the masks; their values join the scope of `checks` and `margins`.
    pub measures: IndexMap<String, RawMeasure>,
    /// Answer name or prompt id → an expression over the measures (and the sample's
    /// values) that re-derives that answer from the pixels.
    #[serde(default)]
    pub checks: IndexMap<String, String>,
    /// Conditions a perceptually clear sample satisfies (over measures and values). A random
    /// draw inside a margin is redrawn; a fixed one is reported.
    #[serde(default)]
    pub margins: Vec<RawConstraint>,
    /// Redraws per sample to get outside the margins. Default: 100.
    #[serde(default)]
    pub redraws: Option<u32>,
}

/// One pixel mask: exactly one of `color`, `ink` and `dark`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawMask {
    /// Pixels nearest to this colour (among the background and every `color` mask) and
    /// within `tolerance` of it. A colour name, `#rrggbb`, or an `=` expression.
    #[serde(default)]
    #[schemars(with = "Option<LiteralOrExpr>")]
    pub color: Option<serde_json::Value>,
    /// Largest RGB distance from `color` (0–442). Default: 442 (nearest colour wins).
    #[serde(default)]
    pub tolerance: Option<f64>,
    /// Pixels whose largest channel difference from the background exceeds this (0–254).
    #[serde(default)]
    pub ink: Option<u8>,
    /// Pixels whose luma is below this (1–255).
    #[serde(default)]
    pub dark: Option<u8>,
}

/// One measure: exactly one of the kinds below, with the options that kind reads. Option
/// values are literals or `=` expressions over the sample's values.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawMeasure {
    /// Connected components (8-connected) of a mask. Options: `min_area`.
    #[serde(default)]
    pub components: Option<String>,
    /// Closed contours: holes of a mask, background regions it encloses. Options: `min_area`.
    #[serde(default)]
    pub contours: Option<String>,
    /// Runs of mask pixels along one `row` or `column`. Options: `row` | `column`, `min_len`.
    #[serde(default)]
    pub runs: Option<String>,
    /// Clear pixels between two masks (0 when they touch or overlap).
    #[serde(default)]
    pub gap: Option<Vec<String>>,
    /// Pixels of the first mask with a 4-neighbour in the second: the shared boundary's length.
    #[serde(default)]
    pub contact: Option<Vec<String>>,
    /// Contact regions of two masks, contact pixels within `join` px merged. Options: `join`.
    #[serde(default)]
    pub crossings: Option<Vec<String>>,
    /// How many of the masks connect region `from` to region `to` (`[x0, y0, x1, y1]` in
    /// pixels), pieces within `join` px merged. Options: `from`, `to`, `join`.
    #[serde(default)]
    pub connects: Option<Vec<String>>,
    /// Smallest area, in pixels, of a component or contour that counts. Default: 1.
    #[serde(default)]
    #[schemars(with = "Option<LiteralOrExpr>")]
    pub min_area: Option<serde_json::Value>,
    /// Shortest run, in pixels, that counts. Default: 1.
    #[serde(default)]
    #[schemars(with = "Option<LiteralOrExpr>")]
    pub min_len: Option<serde_json::Value>,
    /// The pixel row `runs` scans (rounded down).
    #[serde(default)]
    #[schemars(with = "Option<LiteralOrExpr>")]
    pub row: Option<serde_json::Value>,
    /// The pixel column `runs` scans (rounded down).
    #[serde(default)]
    #[schemars(with = "Option<LiteralOrExpr>")]
    pub column: Option<serde_json::Value>,
    /// Distance in pixels within which pieces belong together. Default: 1.
    #[serde(default)]
    #[schemars(with = "Option<LiteralOrExpr>")]
    pub join: Option<serde_json::Value>,
    /// `connects`: the start region `[x0, y0, x1, y1]`, pixels, end exclusive.
    #[serde(default)]
    #[schemars(with = "Option<LiteralOrExpr>")]
    pub from: Option<serde_json::Value>,
    /// `connects`: the end region `[x0, y0, x1, y1]`, pixels, end exclusive.
    #[serde(default)]
    #[schemars(with = "Option<LiteralOrExpr>")]
    pub to: Option<serde_json::Value>,
}
