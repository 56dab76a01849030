//! The measuring SVG and what is read back from its usvg tree.
//!
//! Role: write the `<text>` that [`super`] measures exactly as `scene::svg` writes text
//! (so layout matches the render), parse it with the renderer's options, and read back the
//! text node, each span's colour index, the ink boxes per span, the glyphs' faces and the
//! line box. Spans are told apart by fill colour, so every reader here keys by colour index.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use resvg::usvg;

use super::{Face, SENTINEL, options};

/// Opens the measuring SVG: a `<text>` at the origin, written like `scene::svg` writes it.
pub(super) fn svg_head(face: &Face) -> String {
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
pub(super) fn push_span(svg: &mut String, index: u32, x: Option<f64>, text: &str) {
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

pub(super) fn parse(svg: &str) -> Result<usvg::Tree, String> {
    usvg::Tree::from_str(svg, options())
        .map_err(|e| format!("measuring text failed: the SVG does not parse ({e})"))
}

pub(super) fn span_index(fill: Option<&usvg::Fill>) -> Option<u32> {
    match fill?.paint() {
        usvg::Paint::Color(c) => {
            Some(u32::from(c.red) << 16 | u32::from(c.green) << 8 | u32::from(c.blue))
        }
        _ => None,
    }
}

pub(super) fn find_text(group: &usvg::Group) -> Option<&usvg::Text> {
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
pub(super) fn collect_ink(group: &usvg::Group, ink: &mut BTreeMap<u32, [f64; 4]>) {
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

pub(super) fn describe(s: &str) -> String {
    let codes: Vec<String> = s.chars().map(|c| format!("U+{:04X}", c as u32)).collect();
    format!("'{s}' ({})", codes.join(" "))
}

/// Errors naming every character drawn with glyph 0 or from another face.
pub(super) fn check_glyphs(t: &usvg::Text, face: &Face) -> Result<(), String> {
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
pub(super) fn line_box(t: &usvg::Text) -> (f64, f64, f64) {
    let b = t.bounding_box();
    (
        f64::from(b.right()),
        -f64::from(b.top()),
        f64::from(b.bottom()),
    )
}
