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
use std::fmt::Write as _;
use std::sync::{Mutex, MutexGuard, OnceLock};

use resvg::usvg;

use super::fonts;

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

/// Opens the measuring SVG: a `<text>` at the origin, written like `scene::svg` writes it.
fn svg_head(face: &Face) -> String {
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"1\" height=\"1\">\
         <text x=\"0\" y=\"0\" font-family=\"{}\" font-size=\"{}\" font-weight=\"{}\" \
         xml:space=\"preserve\">",
        crate::scene::svg::escape(face.family),
        crate::scene::svg::num(face.size),
        face.weight
    )
}

/// Appends a tspan filled with colour `index`; an `x` starts a new text chunk.
fn push_span(svg: &mut String, index: u32, x: Option<f64>, text: &str) {
    svg.push_str("<tspan");
    if let Some(x) = x {
        let _ = write!(svg, " x=\"{}\"", crate::scene::svg::num(x));
    }
    let _ = write!(
        svg,
        " fill=\"#{index:06x}\">{}</tspan>",
        crate::scene::svg::escape(text)
    );
}

fn parse(svg: &str) -> Result<usvg::Tree, String> {
    usvg::Tree::from_str(svg, options())
        .map_err(|e| format!("measuring text failed: the SVG does not parse ({e})"))
}

fn span_index(fill: Option<&usvg::Fill>) -> Option<u32> {
    match fill?.paint() {
        usvg::Paint::Color(c) => {
            Some(u32::from(c.red) << 16 | u32::from(c.green) << 8 | u32::from(c.blue))
        }
        _ => None,
    }
}

fn find_text(group: &usvg::Group) -> Option<&usvg::Text> {
    for node in group.children() {
        match node {
            usvg::Node::Text(t) => return Some(t),
            usvg::Node::Group(g) => {
                if let Some(t) = find_text(g) {
                    return Some(t);
                }
            }
            _ => {}
        }
    }
    None
}

/// Ink boxes of the flattened text, per span colour.
fn collect_ink(group: &usvg::Group, ink: &mut BTreeMap<u32, [f64; 4]>) {
    for node in group.children() {
        match node {
            usvg::Node::Path(p) => {
                let Some(i) = span_index(p.fill()) else {
                    continue;
                };
                let b = p.abs_bounding_box();
                let r = [
                    f64::from(b.left()),
                    f64::from(b.top()),
                    f64::from(b.right()),
                    f64::from(b.bottom()),
                ];
                ink.entry(i)
                    .and_modify(|e| {
                        e[0] = e[0].min(r[0]);
                        e[1] = e[1].min(r[1]);
                        e[2] = e[2].max(r[2]);
                        e[3] = e[3].max(r[3]);
                    })
                    .or_insert(r);
            }
            usvg::Node::Group(g) => collect_ink(g, ink),
            _ => {}
        }
    }
}

fn describe(s: &str) -> String {
    let codes: Vec<String> = s.chars().map(|c| format!("U+{:04X}", c as u32)).collect();
    format!("'{s}' ({})", codes.join(" "))
}

/// Errors naming every character drawn with glyph 0 or from another face.
fn check_glyphs(t: &usvg::Text, face: &Face) -> Result<(), String> {
    let mut missing: Vec<String> = Vec::new();
    for span in t.layouted() {
        let sentinel = span_index(span.fill.as_ref()) == Some(SENTINEL);
        for g in &span.positioned_glyphs {
            if g.font != face.id || g.id.0 == 0 {
                let what = describe(if sentinel { "H" } else { &g.text });
                if !missing.contains(&what) {
                    missing.push(what);
                }
            }
        }
    }
    if missing.is_empty() {
        return Ok(());
    }
    Err(format!(
        "font `{}` (weight {}) has no glyph for {}",
        face.family,
        face.weight,
        missing.join(", ")
    ))
}

/// Total advance, ascent and descent from usvg's layout box (the text starts at x = 0).
fn line_box(t: &usvg::Text) -> (f64, f64, f64) {
    let b = t.bounding_box();
    (
        f64::from(b.right()),
        -f64::from(b.top()),
        f64::from(b.bottom()),
    )
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
mod tests {
    use super::*;
    use crate::render::Renderer;

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol
    }

    /// Width of the plain `<text>` (no tspans) from usvg's layout box.
    fn plain_width(text: &str, family: &str, size: f64) -> f64 {
        let svg = format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"1\" height=\"1\">\
             <text x=\"0\" y=\"0\" font-family=\"{family}\" font-size=\"{size}\" \
             xml:space=\"preserve\">{text}</text></svg>"
        );
        let tree = usvg::Tree::from_str(&svg, options()).unwrap();
        f64::from(find_text(tree.root()).unwrap().bounding_box().width())
    }

    #[test]
    fn wave_advance_is_positive_and_kerning_consistent() {
        let l = layout("WAVE", "DejaVu Sans", 400, 80.0).unwrap();
        assert!(l.advance > 0.0);
        assert_eq!(l.glyphs.len(), 4);
        let sum: f64 = l.glyphs.iter().map(|g| g.advance).sum();
        assert!(close(sum, l.advance, 1e-9), "{sum} vs {}", l.advance);
        for w in l.glyphs.windows(2) {
            assert!(close(w[1].x - w[0].x, w[0].advance, 1e-9));
        }
        // Same pen positions as CRATES.md §5.1 measured (there at x = 20): kerned.
        let xs: Vec<f64> = l.glyphs.iter().map(|g| g.x).collect();
        for (x, want) in xs.iter().zip([0.0, 74.73, 124.34, 179.06]) {
            assert!(close(*x, want, 0.01), "{xs:?}");
        }
        // The tspans change nothing: the plain word is as wide.
        assert!(close(
            plain_width("WAVE", "DejaVu Sans", 80.0),
            l.advance,
            1e-3
        ));
        // Kerning is applied: A and V are closer than their unkerned advances.
        let a = layout("A", "DejaVu Sans", 400, 80.0).unwrap().advance;
        assert!(
            l.glyphs[1].advance < a - 1.0,
            "{} vs {a}",
            l.glyphs[1].advance
        );
    }

    #[test]
    fn ink_of_a_lies_in_its_advance_box_above_the_baseline() {
        for f in fonts::FONTS {
            let l = layout("A", f.family, f.weight, 80.0).unwrap();
            let g = &l.glyphs[0];
            let [x0, y0, x1, y1] = g.ink.unwrap();
            assert!(
                x0 >= -1.0 && x1 <= g.advance + 1.0 && x0 < x1,
                "{f:?} {g:?}"
            );
            assert!(
                (-1.0..=1.0).contains(&y1),
                "A sits on the baseline: {f:?} {g:?}"
            );
            assert!(y0 < -40.0 && y0 >= -l.ascent - 1.0, "{f:?} {g:?} {l:?}");
            assert!(l.ascent > 0.0 && l.descent > 0.0);
        }
    }

    #[test]
    fn missing_glyphs_are_errors_naming_the_character() {
        let e = layout("ab漢c", "Liberation Sans", 400, 96.0).unwrap_err();
        assert!(e.contains('漢') && e.contains("U+6F22"), "{e}");
        assert!(e.contains("Liberation Sans"), "{e}");
        // DejaVu Sans has the arrow, Open Sans not: no silent fallback to another bundled font.
        assert!(layout("a→b", "DejaVu Sans", 400, 50.0).is_ok());
        let e = layout("a→b", "Open Sans", 400, 50.0).unwrap_err();
        assert!(e.contains('→') && e.contains("U+2192"), "{e}");
        assert!(
            !e.contains("U+0061"),
            "only the missing character is named: {e}"
        );
        let e = layout("→x漢", "Open Sans", 400, 50.0).unwrap_err();
        assert!(
            e.contains("U+2192") && e.contains("U+6F22") && !e.contains("U+0078"),
            "{e}"
        );
    }

    #[test]
    fn blank_glyphs_have_no_ink() {
        let l = layout("A B", "Liberation Sans", 400, 40.0).unwrap();
        assert!(l.glyphs[0].ink.is_some() && l.glyphs[2].ink.is_some());
        assert_eq!(l.glyphs[1].ink, None);
        assert!(l.glyphs[1].advance > 5.0);
        // Only spaces: still measured (the sentinel keeps the text node alive).
        let s = layout("  ", "Liberation Sans", 400, 40.0).unwrap();
        assert!(s.glyphs.iter().all(|g| g.ink.is_none()));
        assert!(close(s.advance, 2.0 * s.glyphs[0].advance, 1e-9));
        assert!(close(s.glyphs[0].advance, l.glyphs[1].advance, 1e-9));
        assert!(close(s.ascent, l.ascent, 1e-9) && close(s.descent, l.descent, 1e-9));
        let e = layout("", "Open Sans", 400, 40.0).unwrap();
        assert_eq!(e.advance, 0.0);
        assert!(e.glyphs.is_empty() && e.ascent > 0.0 && e.descent > 0.0);
    }

    #[test]
    fn results_are_deterministic_and_cached_identically() {
        let a = measure("Subdermatoglyphic", "Open Sans", 400, 96.0).unwrap();
        let b = measure("Subdermatoglyphic", "Open Sans", 400, 96.0).unwrap();
        assert_eq!(a, b);
        let c = layout("Subdermatoglyphic", "Open Sans", 400, 96.0).unwrap();
        let d = layout("Subdermatoglyphic", "Open Sans", 400, 96.0).unwrap();
        assert_eq!(a, c);
        assert_eq!(c, d);
        let threads: Vec<_> = (0..4)
            .map(|_| {
                std::thread::spawn(|| {
                    measure("tHyUiKaRbNqWeOpXcZvM", "Liberation Sans", 700, 33.3).unwrap()
                })
            })
            .collect();
        let outs: Vec<TextLayout> = threads.into_iter().map(|t| t.join().unwrap()).collect();
        assert!(outs.windows(2).all(|w| w[0] == w[1]));
    }

    #[test]
    fn liberation_sans_is_not_dejavu_and_has_arial_widths() {
        let lib = layout("Acknowledgement", "Liberation Sans", 400, 96.0).unwrap();
        let dv = layout("Acknowledgement", "DejaVu Sans", 400, 96.0).unwrap();
        assert!(
            (lib.advance - dv.advance).abs() > 10.0,
            "{} {}",
            lib.advance,
            dv.advance
        );
        // Sum of Arial's advance widths (units of 1/2048 em) for these letters: 16,735.
        assert!(
            close(lib.advance, 16_735.0 / 2048.0 * 96.0, 1.0),
            "{}",
            lib.advance
        );
        assert_eq!(lib.glyphs.len(), 15);
    }

    #[test]
    fn ligatures_share_their_cluster() {
        // DejaVu Sans and Open Sans ligate "fi" (usvg cannot turn `liga` off); Liberation not.
        let l = layout("fix", "DejaVu Sans", 400, 100.0).unwrap();
        let (f, i) = (&l.glyphs[0], &l.glyphs[1]);
        assert_eq!(f.ink, i.ink);
        assert!(close(f.advance, i.advance, 1e-9));
        assert!(close(i.x, f.x + f.advance, 1e-9));
        assert_ne!(l.glyphs[2].ink, f.ink);
        let sum: f64 = l.glyphs.iter().map(|g| g.advance).sum();
        assert!(close(sum, l.advance, 1e-9));
        let lib = layout("fi", "Liberation Sans", 400, 100.0).unwrap();
        assert_ne!(lib.glyphs[0].ink, lib.glyphs[1].ink);
    }

    fn face(family: &'static str, weight: u16, size: f64) -> Face<'static> {
        let pos = validate("", family, weight, size).unwrap();
        let id = options().fontdb.faces().nth(pos).unwrap().id;
        Face {
            pos,
            id,
            family,
            weight,
            size,
        }
    }

    #[test]
    fn fast_path_agrees_with_exact_path() {
        let words = [
            "Acknowledgement",
            "Subdermatoglyphic",
            "tHyUiKaRbNqWeOpXcZvM",
            "WAVE To, Ay!",
            "x-ray zebra 0123",
        ];
        for f in fonts::FONTS {
            for w in words {
                let fc = face(f.family, f.weight, 57.3);
                let fast = measure_fast(w, &fc).unwrap().expect("fast path applies");
                let exact = measure_exact(w, &fc).unwrap();
                // Equal up to f32 rounding (the exact path's layout box also holds the sentinel).
                assert!(close(fast.advance, exact.advance, 1e-3));
                assert!(close(fast.ascent, exact.ascent, 1e-3));
                assert!(close(fast.descent, exact.descent, 1e-3));
                for (a, b) in fast.glyphs.iter().zip(&exact.glyphs) {
                    assert_eq!(a.ch, b.ch);
                    assert!(close(a.x, b.x, 1e-3), "{} {w}", f.file);
                    assert!(close(a.advance, b.advance, 1e-3));
                    match (a.ink, b.ink) {
                        (None, None) => {}
                        (Some(p), Some(q)) => {
                            for k in 0..4 {
                                assert!(close(p[k], q[k], 1e-3), "{} {w} {a:?} {b:?}", f.file);
                            }
                        }
                        _ => panic!("{} {w}: {a:?} vs {b:?}", f.file),
                    }
                }
            }
        }
        // Ligatures and combining marks take the exact path.
        assert!(
            measure_fast("fix", &face("DejaVu Sans", 400, 50.0))
                .unwrap()
                .is_none()
        );
        assert!(
            measure_fast("e\u{301}", &face("DejaVu Sans", 400, 50.0))
                .unwrap()
                .is_none()
        );
        assert!(
            measure_fast("fix", &face("Liberation Sans", 400, 50.0))
                .unwrap()
                .is_some()
        );
    }

    #[test]
    fn bad_inputs_are_errors() {
        let e = layout("x", "Helvetica", 400, 10.0).unwrap_err();
        assert!(
            e.contains("not bundled") && e.contains("Liberation Sans"),
            "{e}"
        );
        assert!(
            layout("x", "Comic Sans", 400, 10.0)
                .unwrap_err()
                .contains("not bundled")
        );
        let e = layout("x", "Open Sans", 700, 10.0).unwrap_err();
        assert!(e.contains("weight 700") && e.contains("400"), "{e}");
        for s in [0.0, 1e-5, -1.0, f64::NAN, f64::INFINITY, 1e9] {
            assert!(
                layout("x", "Open Sans", 400, s)
                    .unwrap_err()
                    .contains("font size")
            );
        }
        let long = "a".repeat(MAX_CHARS + 1);
        assert!(
            layout(&long, "Open Sans", 400, 10.0)
                .unwrap_err()
                .contains("longer")
        );
        assert!(layout(&"a".repeat(MAX_CHARS), "Open Sans", 400, 10.0).is_ok());
        let e = layout("a\nb", "Open Sans", 400, 10.0).unwrap_err();
        assert!(e.contains("U+000A"), "{e}");
        // XML-special characters are escaped, not parsed.
        let l = layout("<&>\"'", "DejaVu Sans", 400, 10.0).unwrap();
        assert_eq!(l.glyphs.len(), 5);
        assert!(l.glyphs.iter().all(|g| g.ink.is_some()));
    }

    /// The ink box of one letter matches the pixels the renderer draws for it.
    #[test]
    fn ink_box_matches_the_rendered_letter() {
        let word = "Acknowledgement";
        let (ox, oy, size) = (20.0, 130.0, 96.0);
        for (family, idx) in [
            ("Open Sans", 3),
            ("Liberation Sans", 13),
            ("DejaVu Sans", 0),
        ] {
            let l = layout(word, family, 400, size).unwrap();
            let mut svg = format!(
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"900\" height=\"200\">\
                 <text x=\"{ox}\" y=\"{oy}\" font-family=\"{family}\" font-size=\"{size}\" \
                 xml:space=\"preserve\">"
            );
            for (i, c) in word.chars().enumerate() {
                let fill = if i == idx { "#000" } else { "none" };
                svg.push_str(&format!("<tspan fill=\"{fill}\">{c}</tspan>"));
            }
            svg.push_str("</text></svg>");
            let pix = Renderer::new().rasterize(&svg).unwrap();
            let (mut x0, mut y0, mut x1, mut y1) = (u32::MAX, u32::MAX, 0, 0);
            for (k, p) in pix.data().chunks_exact(4).enumerate() {
                if p[3] > 0 {
                    let (x, y) = (k as u32 % pix.width(), k as u32 / pix.width());
                    (x0, y0, x1, y1) = (x0.min(x), y0.min(y), x1.max(x + 1), y1.max(y + 1));
                }
            }
            let [a0, b0, a1, b1] = l.glyphs[idx].ink.unwrap();
            let got = [f64::from(x0), f64::from(y0), f64::from(x1), f64::from(y1)];
            let want = [a0 + ox, b0 + oy, a1 + ox, b1 + oy];
            for (g, w) in got.iter().zip(want) {
                assert!(
                    close(*g, w, 1.0),
                    "{family}: pixels {got:?} vs ink {want:?}"
                );
            }
        }
    }
}
