//! Text-measurement built-ins and the hook through which a renderer provides metrics.
//!
//! The expression module does not depend on the renderer: it defines the [`TextMetrics`]
//! trait, and the renderer registers one implementation per process with
//! [`set_text_metrics`]. Until then every text-metrics function fails with "text metrics
//! are not available".
//!
//! Coordinates are those of [`TextMetrics::layout`]: the pen starts at x = 0 on the
//! baseline y = 0, and y grows downwards, so ink above the baseline has negative y.
//! A `weight` argument is an int from 100 to 900 (CSS weight) or `"normal"` (400) or
//! `"bold"` (700); it defaults to 400. Every float a layout returns must be finite, or
//! the call fails. Calls pay one budget step per character of text plus the size of the
//! value they return.

use std::sync::OnceLock;

use indexmap::IndexMap;

use super::error::ExprError;
use super::eval::State;
use super::functions::Args;
use super::value::Value;

type R = Result<Value, ExprError>;

/// Text layout provided by the renderer (see [`set_text_metrics`]).
pub trait TextMetrics: Send + Sync {
    /// Lays out `text` in `family` at `size` px with CSS `weight`, pen starting at x = 0 on
    /// the baseline y = 0 (y down).
    fn layout(
        &self,
        text: &str,
        family: &str,
        weight: u16,
        size: f64,
    ) -> Result<TextLayout, String>;
}

/// The result of [`TextMetrics::layout`].
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TextLayout {
    /// Total advance width: where the pen ends after the last glyph.
    pub advance: f64,
    /// Distance from the baseline up to the font's ascender line (positive).
    pub ascent: f64,
    /// Distance from the baseline down to the font's descender line (positive).
    pub descent: f64,
    /// The glyphs in text order; their `ch` strings concatenate to the text. The bundled
    /// metrics give one entry per character (the characters of a ligature split its advance
    /// and share its ink box).
    pub glyphs: Vec<GlyphMetrics>,
}

/// One glyph (or cluster) of a [`TextLayout`].
#[derive(Clone, Debug, Default, PartialEq)]
pub struct GlyphMetrics {
    /// The character(s) this glyph draws.
    pub ch: String,
    /// Pen x where the glyph starts, kerning included.
    pub x: f64,
    /// Advance width of the glyph.
    pub advance: f64,
    /// `[x0, y0, x1, y1]` ink box in layout coordinates; `None` for blank glyphs.
    pub ink: Option<[f64; 4]>,
}

static METRICS: OnceLock<&'static dyn TextMetrics> = OnceLock::new();

/// Registers the process-wide text metrics. Only the first call takes effect; later
/// calls are ignored, so every evaluation in a process measures text the same way.
pub fn set_text_metrics(m: &'static dyn TextMetrics) {
    let _ = METRICS.set(m);
}

/// The metrics evaluation uses: the registered ones (in unit tests, a per-thread override
/// first, so tests with fake metrics do not depend on which test registered first).
fn current() -> Option<&'static dyn TextMetrics> {
    #[cfg(test)]
    if let Some(m) = TEST_METRICS.with(std::cell::Cell::get) {
        return Some(m);
    }
    METRICS.get().copied()
}

#[cfg(test)]
thread_local! {
    static TEST_METRICS: std::cell::Cell<Option<&'static dyn TextMetrics>> =
        const { std::cell::Cell::new(None) };
}

/// Makes `m` the metrics of the calling thread's evaluations (unit tests only).
#[cfg(test)]
pub(crate) fn set_thread_metrics(m: &'static dyn TextMetrics) {
    TEST_METRICS.with(|c| c.set(Some(m)));
}

/// The registered metrics, or the "not available" error.
fn require(
    a: &Args<'_, '_>,
    m: Option<&'static dyn TextMetrics>,
) -> Result<&'static dyn TextMetrics, ExprError> {
    m.ok_or_else(|| {
        a.err(format!(
            "text metrics are not available (`{}` needs the renderer's fonts)",
            a.name()
        ))
        .with_hint("text metrics are registered by the renderer; evaluate inside a build")
    })
}

/// The weight argument `i` (default 400).
fn weight(a: &Args<'_, '_>, i: usize) -> Result<u16, ExprError> {
    if a.len() <= i {
        return Ok(400);
    }
    let w = match a.val(i)? {
        Value::Int(n) => u16::try_from(*n).ok().filter(|n| (100..=900).contains(n)),
        Value::Str(s) if s == "normal" => Some(400),
        Value::Str(s) if s == "bold" => Some(700),
        _ => None,
    };
    w.ok_or_else(|| {
        a.type_err(
            i,
            "a weight (an int from 100 to 900, \"normal\" or \"bold\")",
        )
    })
}

/// Lays out the text (argument 0) in the font described by the arguments from `font`
/// on: family, size and optional weight.
fn layout(a: &Args<'_, '_>, st: &mut State<'_>, font: usize) -> Result<TextLayout, ExprError> {
    let text = a.text(0)?;
    let family = a.text(font)?;
    if family.trim().is_empty() {
        return Err(a.err_at(font, format!("`{}` needs a font family name", a.name())));
    }
    let size = a.num(font + 1)?;
    if !(size.is_finite() && size > 0.0) {
        return Err(a.err_at(
            font + 1,
            format!("`{}` needs a finite size > 0, got {size}", a.name()),
        ));
    }
    let weight = weight(a, font + 2)?;
    let metrics = require(a, current())?;
    st.charge_n(text.chars().count().saturating_add(1), a.span)?;
    let out = metrics
        .layout(text, family, weight, size)
        .map_err(|e| a.err(format!("`{}` cannot lay out the text: {e}", a.name())))?;
    if !finite_layout(&out) {
        return Err(a.err(format!(
            "`{}`: the text metrics returned a non-finite number",
            a.name()
        )));
    }
    Ok(out)
}

fn finite_layout(l: &TextLayout) -> bool {
    let head = [l.advance, l.ascent, l.descent];
    head.iter().all(|x| x.is_finite())
        && l.glyphs.iter().all(|g| {
            g.x.is_finite()
                && g.advance.is_finite()
                && g.ink.is_none_or(|b| b.iter().all(|x| x.is_finite()))
        })
}

fn floats(xs: &[f64]) -> Value {
    Value::List(xs.iter().map(|x| Value::Float(*x)).collect())
}

pub(super) fn text_width(a: &Args<'_, '_>, st: &mut State<'_>) -> R {
    Ok(Value::Float(layout(a, st, 1)?.advance))
}

fn glyph_value(g: &GlyphMetrics) -> Value {
    let mut m = IndexMap::new();
    m.insert("ch".to_string(), Value::from(g.ch.as_str()));
    m.insert("x".to_string(), Value::Float(g.x));
    m.insert("advance".to_string(), Value::Float(g.advance));
    let ink = match &g.ink {
        Some(b) => floats(b),
        None => Value::List(Vec::new()),
    };
    m.insert("ink".to_string(), ink);
    Value::Map(m)
}

pub(super) fn text_layout(a: &Args<'_, '_>, st: &mut State<'_>) -> R {
    let l = layout(a, st, 1)?;
    let mut m = IndexMap::new();
    m.insert("advance".to_string(), Value::Float(l.advance));
    m.insert("ascent".to_string(), Value::Float(l.ascent));
    m.insert("descent".to_string(), Value::Float(l.descent));
    let glyphs = l.glyphs.iter().map(glyph_value).collect();
    m.insert("glyphs".to_string(), Value::List(glyphs));
    let out = Value::Map(m);
    st.charge(out.weight(), a.span)?;
    Ok(out)
}

/// The index argument 1 resolved against the text's characters (negatives count from
/// the end), and the glyph of `l` that draws that character.
fn glyph_at<'l>(a: &Args<'_, '_>, l: &'l TextLayout) -> Result<(i64, &'l GlyphMetrics), ExprError> {
    let (text, i) = (a.text(0)?, a.int(1)?);
    let n = i64::try_from(text.chars().count()).unwrap_or(i64::MAX);
    let k = if i < 0 { i.saturating_add(n) } else { i };
    if !(0..n).contains(&k) {
        return Err(a.err_at(
            1,
            format!(
                "`{}` index {i} is out of range for a text of {n} characters",
                a.name()
            ),
        ));
    }
    let mut start = 0i64;
    for g in &l.glyphs {
        let end = start.saturating_add(i64::try_from(g.ch.chars().count()).unwrap_or(i64::MAX));
        if (start..end).contains(&k) {
            return Ok((i, g));
        }
        start = end;
    }
    Err(a.err(format!(
        "`{}`: the text metrics returned no glyph for character {i}",
        a.name()
    )))
}

pub(super) fn char_box(a: &Args<'_, '_>, st: &mut State<'_>) -> R {
    let l = layout(a, st, 2)?;
    let (i, g) = glyph_at(a, &l)?;
    match g.ink {
        Some(b) => Ok(floats(&b)),
        None => Err(a
            .err(format!(
                "`char_box`: character {i} ({:?}) is blank and has no ink box",
                g.ch
            ))
            .with_hint("use `char_advance_box` for the space a blank character takes")),
    }
}

pub(super) fn char_advance_box(a: &Args<'_, '_>, st: &mut State<'_>) -> R {
    let l = layout(a, st, 2)?;
    let (_, g) = glyph_at(a, &l)?;
    let b = [g.x, -l.ascent, g.x + g.advance, l.descent];
    if b.iter().all(|x| x.is_finite()) {
        Ok(floats(&b))
    } else {
        Err(a.err("`char_advance_box` result is not a finite number"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::expr::Span;
    use crate::expr::functions::lookup;

    #[test]
    fn missing_metrics_is_an_error() {
        let args = Args {
            def: lookup("text_width").unwrap(),
            vals: &[],
            spans: &[],
            span: Span::new(0, 3),
        };
        let e = require(&args, None).err().unwrap();
        assert!(e.message.starts_with("text metrics are not available"));
        assert_eq!(e.span, Some(Span::new(0, 3)));
    }
}
