//! Checking labels against pixels: a spec's `verify:` section re-derives answers from the
//! rendered image with general pixel measures and compares them with the ground truth.
//!
//! Pieces: [`pixels`] (masks and measures on raw pixels), [`types`] (the resolved spec
//! section), [`judge`] (one image → a [`Verdict`]), [`report`] (verdicts → the release's
//! `verification.json` and the card's table) and [`dataset`] (`blindspot verify DATASET`).
//!
//! Invariant: verification never changes a sample's pixels or labels; it only accepts,
//! redraws (a random sample inside a margin) or reports.

pub mod dataset;
pub mod judge;
pub mod pixels;
pub mod report;
pub mod types;

pub use judge::{Outcome, Verdict, judge};
pub use types::VerifySpec;
