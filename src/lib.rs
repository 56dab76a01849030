//! blindspot: a declarative dataset compiler for visual-perception benchmarks.
//!
//! # Steps
//! 1. [`spec::load`] reads a YAML task spec; [`spec::validate`] resolves it into a
//!    [`spec::TaskSpec`], reporting every error at once ([`diag`]).
//! 2. [`expand::plan`] maps a sample index to its grid cell and seed ([`rng`]).
//! 3. [`compose::compose`] evaluates the sample's values ([`expr`]), checks constraints,
//!    and builds its [`scene::Scene`], answers, prompts ([`prompt`]) and metadata.
//! 4. [`scene::svg::to_svg`] writes the scene as SVG; [`render`] rasterises it with resvg
//!    using bundled fonts only and encodes PNG.
//! 5. [`sink`] streams rows into Parquet row groups and writes the card, croissant.json and
//!    manifest; [`pipeline`] drives the stages in parallel and publishes the folder atomically.
//!
//! Built releases are read back by [`dataset`]: [`score`] scores replies against one, [`diff`]
//! compares two.
//! 6. [`export`] rewrites a release for evaluation harnesses (lmms-eval, VLMEvalKit,
//!    inspect_ai, plain JSONL).

pub mod answer;
pub mod cli;
pub mod compose;
pub mod dataset;
pub mod diag;
pub mod diff;
pub mod expand;
pub mod explain;
pub mod export;
pub mod expr;
pub mod limits;
pub mod pipeline;
pub mod plugins;
pub mod preview;
pub mod progress;
pub mod prompt;
pub mod publish;
pub mod reference;
pub mod render;
pub mod report;
pub mod rng;
pub mod scaffold;
pub mod scene;
pub mod score;
pub mod sink;
pub mod spares;
pub mod spec;
pub mod timings;
pub mod verify;

/// The compiler version recorded in manifests and cards.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
