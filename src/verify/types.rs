//! The resolved `verify:` section, as validation produces it.
//!
//! Invariants: mask references are indices into [`VerifySpec::masks`]; every option a
//! measure kind reads is present (defaults applied); every check names at least one prompt
//! whose answer it re-derives; check and margin expressions read only names defined by the
//! spec or the measures, and never a random function.

use crate::expr::Expr;
use crate::spec::types::{Constraint, Param};

/// Default redraws per sample for random draws inside a margin.
pub const DEFAULT_REDRAWS: u32 = 100;

/// How a task re-derives its answers from the pixels.
#[derive(Debug, Clone)]
pub struct VerifySpec {
    /// The background the masks are cut against; `None` = the scene's background.
    pub background: Option<Param>,
    /// Masks, in spec order.
    pub masks: Vec<MaskSpec>,
    /// Measures, in spec order.
    pub measures: Vec<MeasureSpec>,
    /// Checks, in spec order.
    pub checks: Vec<CheckSpec>,
    /// Perceptual margins.
    pub margins: Vec<Constraint>,
    /// Redraws allowed per sample to leave the margins.
    pub redraws: u32,
    /// Per mask: whether a measure needs it cut in full; masks only scanned along lines
    /// (`runs`) are read where the line crosses them.
    pub cut_in_full: Vec<bool>,
}

/// A named mask.
#[derive(Debug, Clone)]
pub struct MaskSpec {
    /// Its name.
    pub name: String,
    /// How it is cut.
    pub rule: MaskRuleSpec,
}

/// How a mask is cut (see [`crate::verify::pixels::MaskRule`]).
#[derive(Debug, Clone)]
pub enum MaskRuleSpec {
    /// Nearest-colour class within a tolerance; the colour may be an expression.
    Color(Param, f64),
    /// Differs from the background by more than the threshold in some channel.
    Ink(u8),
    /// Luma below the threshold.
    Dark(u8),
}

/// What a measure computes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MeasureKind {
    /// Connected components of one mask.
    Components,
    /// Holes of one mask.
    Contours,
    /// Runs along a row or column of one mask.
    Runs,
    /// Clear pixels between two masks.
    Gap,
    /// Shared boundary length of two masks.
    Contact,
    /// Contact regions of two masks.
    Crossings,
    /// Masks connecting two regions.
    Connects,
}

impl MeasureKind {
    /// Every kind with its spec key, in documentation order.
    pub const ALL: [(MeasureKind, &'static str); 7] = [
        (MeasureKind::Components, "components"),
        (MeasureKind::Contours, "contours"),
        (MeasureKind::Runs, "runs"),
        (MeasureKind::Gap, "gap"),
        (MeasureKind::Contact, "contact"),
        (MeasureKind::Crossings, "crossings"),
        (MeasureKind::Connects, "connects"),
    ];

    /// The spec key.
    pub fn key(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(k, _)| *k == self)
            .map(|(_, n)| *n)
            .expect("every kind is listed")
    }

    /// How many masks it takes: `(min, max)`.
    pub fn arity(self) -> (usize, usize) {
        match self {
            Self::Components | Self::Contours | Self::Runs => (1, 1),
            Self::Gap | Self::Contact | Self::Crossings => (2, 2),
            Self::Connects => (1, usize::MAX),
        }
    }

    /// The options it reads.
    pub fn options(self) -> &'static [&'static str] {
        match self {
            Self::Components | Self::Contours => &["min_area"],
            Self::Runs => &["row", "column", "min_len"],
            Self::Gap | Self::Contact => &[],
            Self::Crossings => &["join"],
            Self::Connects => &["from", "to", "join"],
        }
    }
}

/// A named measure.
#[derive(Debug, Clone)]
pub struct MeasureSpec {
    /// Its name, bound in checks and margins.
    pub name: String,
    /// What it computes.
    pub kind: MeasureKind,
    /// The masks it reads, as indices into [`VerifySpec::masks`].
    pub masks: Vec<usize>,
    /// Its options present in the spec, by option name.
    pub options: Vec<(&'static str, Param)>,
    /// Spec path, e.g. `verify.measures.gap`.
    pub path: String,
}

impl MeasureSpec {
    /// An option's value, if the spec gives it.
    pub fn option(&self, name: &str) -> Option<&Param> {
        self.options
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, p)| p)
    }
}

/// A check: an expression re-deriving the answer of some prompts.
#[derive(Debug, Clone)]
pub struct CheckSpec {
    /// The key as written: an answer name or a prompt id.
    pub key: String,
    /// The re-derivation.
    pub expr: Expr,
    /// Offset of the expression inside its YAML string.
    pub offset: usize,
    /// Indices of the prompts whose answers it checks.
    pub prompts: Vec<usize>,
    /// Spec path, e.g. `verify.checks.touching`.
    pub path: String,
}
