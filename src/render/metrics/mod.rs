//! Text measurement with the engine that renders: usvg lays the text out with the bundled fonts,
//! exactly as [`super::Renderer`] will, so shapes can be placed around single letters.
//!
//! Invariants:
//! * The measured SVG is written like `scene::svg` writes text (`xml:space="preserve"`, family
//!   unquoted, size with 4 decimals via [`crate::scene::svg::num`]), and parsed with the
//!   renderer's options ([`fonts::options`]). Positions therefore match the render for
//!   `text-anchor="start"` and the alphabetic baseline; other anchors or baselines shift the
//!   whole line and are the caller's to apply.
//! * Every glyph must come from the requested bundled face: a character the face lacks is an
//!   error. (The renderer would silently take it from another bundled face, and if that face
//!   covers the whole text, usvg re-shapes the *whole text* in it.)
//! * Results are cached per (text, family, weight, size bits) in a bounded, process-wide map;
//!   glyph ink boxes are cached per (face, glyph, size bits). Layout is deterministic, so the
//!   caches change timing only.
//!
//! Method. usvg's per-span cost is high (it re-shapes the whole chunk once per span), so:
//! * Fast path: the text is parsed once as a single span, exactly as the scene writes it.
//!   `Text::layouted()` gives each glyph's pen position (kerning included) and its cluster text.
//!   If glyphs and characters correspond one to one, each glyph's ink box is its outline's box
//!   measured once in isolation (same glyph id, same size; every glyph in its own chunk, told
//!   apart by fill colour) and cached, then translated to the glyph's position.
//! * Exact path, for anything else (ligatures, combining marks, contextual forms, blank text):
//!   each character sits in its own `<tspan>` with a unique fill colour (its index). A tspan
//!   without `x` does not start a new chunk and usvg shapes a chunk as a whole, so shaping and
//!   kerning are those of the plain text. The colour identifies each span in
//!   `Text::layouted()` (pen positions) and each path in `Text::flattened()` (ink boxes). A
//!   chunk far to the left holds a sentinel "H", so a blank text still yields a text node.

use std::collections::BTreeMap;
use std::sync::{Mutex, MutexGuard, OnceLock};

use resvg::usvg;

use super::fonts;

mod svg;

use svg::{
    check_glyphs, collect_ink, describe, find_text, line_box, parse, push_span, span_index,
    svg_head,
};

/// Longest text measured, in characters.
pub const MAX_CHARS: usize = 1000;
/// Smallest font size measured, in px (scenes write sizes with 4 decimals).
pub const MIN_SIZE: f64 = 0.01;
/// Largest font size measured, in px.
pub const MAX_SIZE: f64 = 100_000.0;
/// The layout cache is cleared when it holds more layouts than this.
pub const CACHE_LIMIT: usize = 10_000;
/// The glyph ink cache is cleared when it holds more glyphs than this.
const GLYPH_CACHE_LIMIT: usize = 100_000;

/// Fill colour index of the sentinel span; character indices stay below `MAX_CHARS`.
const SENTINEL: u32 = 0xFF_FFFF;

/// The layout types are the expression language's, so measurements reach expressions as is.
/// One entry per character: characters that the font draws as one cluster (a ligature such
/// as "fi" in DejaVu Sans and Open Sans, or a letter with combining marks) split the cluster's
/// advance evenly and each get the whole cluster's ink box.
pub use crate::expr::{GlyphMetrics, TextLayout};

type CacheKey = (String, String, u16, u64);
/// (index in `fonts::FONTS`, glyph id, size bits).
type GlyphKey = (usize, u32, u64);
type Ink = Option<[f64; 4]>;

fn lock<T>(m: &'static Mutex<T>) -> MutexGuard<'static, T> {
    // A panic while holding a lock cannot leave a map inconsistent (entries are inserted
    // whole), so a poisoned lock is still usable.
    m.lock().unwrap_or_else(|e| e.into_inner())
}

fn layout_cache() -> &'static Mutex<BTreeMap<CacheKey, TextLayout>> {
    static CACHE: OnceLock<Mutex<BTreeMap<CacheKey, TextLayout>>> = OnceLock::new();
    CACHE.get_or_init(|| Mutex::new(BTreeMap::new()))
}

fn glyph_cache() -> &'static Mutex<BTreeMap<GlyphKey, Ink>> {
    static CACHE: OnceLock<Mutex<BTreeMap<GlyphKey, Ink>>> = OnceLock::new();
    CACHE.get_or_init(|| Mutex::new(BTreeMap::new()))
}

/// The renderer's options, except that a character missing from the requested face is left
/// as glyph 0 instead of being looked up in the other bundled faces. That fallback is only ever
/// consulted for missing characters, so whenever measuring succeeds the layout is the renderer's.
fn options() -> &'static usvg::Options<'static> {
    static OPTIONS: OnceLock<usvg::Options<'static>> = OnceLock::new();
    OPTIONS.get_or_init(|| {
        let mut o = fonts::options();
        o.font_resolver.select_fallback = Box::new(|_, _, _| None);
        o
    })
}

/// Lays out `text` in a bundled face, as the renderer will draw it at `size` px.
///
/// Errors: unknown family (the exact bundled name is required; see
/// [`fonts::resolve_family`]), no bundled face of that weight (e.g. Open Sans 700), size not
/// from [`MIN_SIZE`] to [`MAX_SIZE`] (NaN included), more than [`MAX_CHARS`] characters, a
/// control character, or a character the face has no glyph for (named in the message).
pub fn layout(text: &str, family: &str, weight: u16, size: f64) -> Result<TextLayout, String> {
    let key = (text.to_string(), family.to_string(), weight, size.to_bits());
    if let Some(hit) = lock(layout_cache()).get(&key) {
        return Ok(hit.clone());
    }
    let out = measure(text, family, weight, size)?;
    let mut map = lock(layout_cache());
    if map.len() >= CACHE_LIMIT {
        map.clear();
    }
    map.insert(key, out.clone());
    Ok(out)
}

fn validate(text: &str, family: &str, weight: u16, size: f64) -> Result<usize, String> {
    if !(MIN_SIZE..=MAX_SIZE).contains(&size) {
        return Err(format!(
            "font size {size} must be a number from {MIN_SIZE} to {MAX_SIZE} px"
        ));
    }
    if !fonts::is_bundled(family) {
        let hint = match fonts::resolve_family(family) {
            Some(sub) => format!("; use `{sub}`, its bundled substitute"),
            None => String::new(),
        };
        return Err(format!(
            "font `{family}` is not bundled (available: {}){hint}",
            fonts::families().join(", ")
        ));
    }
    let Some(pos) = fonts::FONTS
        .iter()
        .position(|f| f.family == family && f.weight == weight)
    else {
        let weights: Vec<String> = fonts::FONTS
            .iter()
            .filter(|f| f.family == family)
            .map(|f| f.weight.to_string())
            .collect();
        return Err(format!(
            "font `{family}` has no bundled weight {weight} (available: {})",
            weights.join(", ")
        ));
    };
    let n = text.chars().count();
    if n > MAX_CHARS {
        return Err(format!("text of {n} characters is longer than {MAX_CHARS}"));
    }
    if let Some(c) = text.chars().find(|c| c.is_control()) {
        return Err(format!(
            "text contains the control character U+{:04X}",
            c as u32
        ));
    }
    Ok(pos)
}

/// The requested face: its index in `fonts::FONTS` and its id in the database.
struct Face<'a> {
    pos: usize,
    id: usvg::fontdb::ID,
    family: &'a str,
    weight: u16,
    size: f64,
}

/// Uncached layout.
fn measure(text: &str, family: &str, weight: u16, size: f64) -> Result<TextLayout, String> {
    let pos = validate(text, family, weight, size)?;
    let id = options()
        .fontdb
        .faces()
        .nth(pos)
        .map(|f| f.id)
        .ok_or_else(|| "the font database lacks a bundled face".to_string())?;
    let face = Face {
        pos,
        id,
        family,
        weight,
        size,
    };
    if text.is_empty() {
        let space = measure(" ", family, weight, size)?;
        return Ok(TextLayout {
            advance: 0.0,
            ascent: space.ascent,
            descent: space.descent,
            glyphs: Vec::new(),
        });
    }
    match measure_fast(text, &face)? {
        Some(l) => Ok(l),
        None => measure_exact(text, &face),
    }
}

/// The single-span layout with cached glyph ink boxes, or `None` when glyphs and characters
/// do not correspond one to one (or the text has no ink at all).
fn measure_fast(text: &str, face: &Face) -> Result<Option<TextLayout>, String> {
    let mut svg = svg_head(face);
    push_span(&mut svg, 0, None, text);
    svg.push_str("</text></svg>");
    let tree = parse(&svg)?;
    let Some(t) = find_text(tree.root()) else {
        return Ok(None);
    };
    check_glyphs(t, face)?;
    let glyphs: Vec<&usvg::layout::PositionedGlyph> = t
        .layouted()
        .iter()
        .flat_map(|s| s.positioned_glyphs.iter())
        .collect();
    let chars: Vec<char> = text.chars().collect();
    let mut buf = [0u8; 4];
    if glyphs.len() != chars.len()
        || glyphs
            .iter()
            .zip(&chars)
            .any(|(g, c)| g.text != c.encode_utf8(&mut buf) as &str)
    {
        return Ok(None);
    }
    let ids: Vec<(u32, char)> = glyphs
        .iter()
        .zip(&chars)
        .map(|(g, c)| (g.id.0, *c))
        .collect();
    let Some(inks) = glyph_inks(face, &ids)? else {
        return Ok(None);
    };
    let (advance, ascent, descent) = line_box(t);
    let pens: Vec<(f64, f64)> = glyphs
        .iter()
        .map(|g| {
            let ts = g.transform();
            (f64::from(ts.tx), f64::from(ts.ty))
        })
        .collect();
    let out = chars
        .iter()
        .enumerate()
        .map(|(k, c)| {
            let (x, y) = pens[k];
            let next = pens.get(k + 1).map_or(advance, |p| p.0);
            GlyphMetrics {
                ch: c.to_string(),
                x,
                advance: next - x,
                ink: inks[k].map(|[x0, y0, x1, y1]| [x0 + x, y0 + y, x1 + x, y1 + y]),
            }
        })
        .collect();
    Ok(Some(TextLayout {
        advance,
        ascent,
        descent,
        glyphs: out,
    }))
}

/// Ink boxes relative to the pen, one per `(glyph id, character)`, from the cache or measured
/// with each uncached character in a chunk of its own. `None` when a character alone maps to
/// another glyph than in context.
fn glyph_inks(face: &Face, ids: &[(u32, char)]) -> Result<Option<Vec<Ink>>, String> {
    let bits = face.size.to_bits();
    let mut todo: Vec<(u32, char)> = Vec::new();
    {
        let cache = lock(glyph_cache());
        for &(id, c) in ids {
            if !cache.contains_key(&(face.pos, id, bits)) && !todo.iter().any(|t| t.0 == id) {
                todo.push((id, c));
            }
        }
    }
    if !todo.is_empty() {
        let mut svg = svg_head(face);
        let mut buf = [0u8; 4];
        for (j, (_, c)) in todo.iter().enumerate() {
            push_span(&mut svg, j as u32, Some(0.0), c.encode_utf8(&mut buf));
        }
        svg.push_str("</text></svg>");
        let tree = parse(&svg)?;
        let mut ink = BTreeMap::new();
        // No text node: none of these glyphs has ink.
        if let Some(t) = find_text(tree.root()) {
            check_glyphs(t, face)?;
            for span in t.layouted() {
                let j = span_index(span.fill.as_ref()).unwrap_or(u32::MAX) as usize;
                let want = todo.get(j).map(|t| t.0);
                if span.positioned_glyphs.len() != 1 || Some(span.positioned_glyphs[0].id.0) != want
                {
                    return Ok(None);
                }
            }
            collect_ink(t.flattened(), &mut ink);
        }
        let mut cache = lock(glyph_cache());
        if cache.len() + todo.len() > GLYPH_CACHE_LIMIT {
            cache.clear();
        }
        for (j, (id, _)) in todo.iter().enumerate() {
            cache.insert((face.pos, *id, bits), ink.get(&(j as u32)).copied());
        }
    }
    let cache = lock(glyph_cache());
    let mut out = Vec::with_capacity(ids.len());
    for (id, _) in ids {
        match cache.get(&(face.pos, *id, bits)) {
            Some(ink) => out.push(*ink),
            // Cleared by another thread in between: measure the exact way.
            None => return Ok(None),
        }
    }
    Ok(Some(out))
}

/// The tspan-per-character layout (see the module docs).
fn measure_exact(text: &str, face: &Face) -> Result<TextLayout, String> {
    let chars: Vec<char> = text.chars().collect();
    let mut svg = svg_head(face);
    let mut buf = [0u8; 4];
    for (i, c) in chars.iter().enumerate() {
        push_span(&mut svg, i as u32, None, c.encode_utf8(&mut buf));
    }
    // The sentinel sits well left of the text (ink never reaches −2 em), in a chunk of its own
    // (absolute x), so it changes neither the shaping nor the right edge of the layout box.
    push_span(&mut svg, SENTINEL, Some(-3.0 * face.size), "H");
    svg.push_str("</text></svg>");
    let tree = parse(&svg)?;
    let t = find_text(tree.root())
        .ok_or_else(|| format!("measuring {} failed: usvg produced no text", describe(text)))?;
    check_glyphs(t, face)?;

    // Pen positions: the first glyph of each character's span (its cluster start).
    let mut pen: Vec<Option<f64>> = vec![None; chars.len()];
    for span in t.layouted() {
        let Some(i) = span_index(span.fill.as_ref()) else {
            continue;
        };
        if let (Some(slot), Some(g)) = (pen.get_mut(i as usize), span.positioned_glyphs.first()) {
            *slot = Some(f64::from(g.transform().tx));
        }
    }
    let (advance, ascent, descent) = line_box(t);
    let mut ink = BTreeMap::new();
    collect_ink(t.flattened(), &mut ink);

    // Clusters: a character with a glyph of its own starts one; characters without continue it.
    let mut starts: Vec<usize> = (0..chars.len()).filter(|&i| pen[i].is_some()).collect();
    if starts.first() != Some(&0) {
        return Err(format!(
            "measuring {} failed: its first character has no glyph",
            describe(text)
        ));
    }
    starts.push(chars.len());
    let mut glyphs = Vec::with_capacity(chars.len());
    for w in starts.windows(2) {
        let (a, b) = (w[0], w[1]);
        let x0 = pen[a].unwrap_or(0.0);
        let x1 = if b < chars.len() {
            pen[b].unwrap_or(advance)
        } else {
            advance
        };
        let n = (b - a) as f64;
        let share = (x1 - x0) / n;
        let cluster_ink = ink.get(&(a as u32)).copied();
        for (k, c) in chars[a..b].iter().enumerate() {
            glyphs.push(GlyphMetrics {
                ch: c.to_string(),
                x: x0 + share * k as f64,
                advance: share,
                ink: cluster_ink,
            });
        }
    }
    Ok(TextLayout {
        advance,
        ascent,
        descent,
        glyphs,
    })
}

/// The layout implementing `crate::expr::TextMetrics` with the bundled fonts.
#[derive(Debug, Clone, Copy, Default)]
pub struct BundledMetrics;

// Wiring into the expression language: `text_width`, `char_box`, … measure with the same
// fonts and layout engine that render the scene.

impl crate::expr::TextMetrics for BundledMetrics {
    fn layout(
        &self,
        text: &str,
        family: &str,
        weight: u16,
        size: f64,
    ) -> Result<crate::expr::TextLayout, String> {
        layout(text, family, weight, size)
    }
}

/// Makes the bundled-font metrics available to expressions; idempotent and cheap.
pub fn install() {
    static METRICS: BundledMetrics = BundledMetrics;
    crate::expr::set_text_metrics(&METRICS);
}

#[cfg(test)]
mod tests;
