//! The SVG writer: [`Scene`] → SVG text. Infallible and deterministic.
//!
//! Invariants: numbers are printed with at most 4 decimals, trailing zeros trimmed and `-0`
//! normalised, so the same scene always yields the same bytes; text is XML-escaped, so
//! user text can never inject markup; attributes are written in a fixed order.

use std::fmt::Write as _;

use super::{Geom, Group, Item, Scene, Shape, Style, Text};

/// Writes the scene as a standalone SVG document.
pub fn to_svg(scene: &Scene) -> String {
    let mut out = String::with_capacity(512);
    let (w, h) = (scene.width, scene.height);
    let _ = write!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\">\n\
         <rect width=\"{w}\" height=\"{h}\" fill=\"{}\"/>\n",
        scene.background.hex()
    );
    for item in &scene.items {
        write_item(&mut out, item);
    }
    out.push_str("</svg>\n");
    out
}

/// Formats a number with at most 4 decimals, trimming zeros: `format!("{x:.4}")` with
/// trailing zeros (and a bare `.`) dropped, and `-0` written `0`.
pub fn num(x: f64) -> String {
    trimmed(fixed4(x).unwrap_or_else(|| format!("{x:.4}")))
}

/// `format!("{x:.4}")` through integers, when that provably gives the same text: `x · 10⁴`
/// rounded to an integer `k`, which is the correct rounding of the exact value unless the
/// computed product lies within its own rounding error of a tie (then `None`, and the
/// formatter decides). The product's error is at most half an ulp, below `|y| · 2⁻⁵²`.
fn fixed4(x: f64) -> Option<String> {
    let y = x * 10_000.0;
    if y.is_nan() || y.abs() >= 1e15 {
        return None;
    }
    let k = y.round();
    let margin = 2.0 * (y.abs() * f64::EPSILON + f64::MIN_POSITIVE);
    if ((y - k).abs() - 0.5).abs() <= margin {
        return None;
    }
    // The formatter keeps the sign of a negative number that rounds to zero (`-0.0000`).
    let sign = if x.is_sign_negative() { "-" } else { "" };
    let a = (k as i64).unsigned_abs();
    Some(format!("{sign}{}.{:04}", a / 10_000, a % 10_000))
}

/// `s` (a number with decimals) without trailing zeros or a bare `.`; `-0` becomes `0`.
fn trimmed(mut s: String) -> String {
    if s.contains('.') {
        while s.ends_with('0') {
            s.pop();
        }
        if s.ends_with('.') {
            s.pop();
        }
    }
    if s == "-0" { "0".to_string() } else { s }
}

fn write_item(out: &mut String, item: &Item) {
    match item {
        Item::Shape(s) => write_shape(out, s),
        Item::Group(g) => write_group(out, g),
    }
}

fn write_group(out: &mut String, g: &Group) {
    let _ = write!(
        out,
        "<g transform=\"translate({} {}) rotate({}) scale({} {})\"",
        num(g.translate.0),
        num(g.translate.1),
        num(g.rotate),
        num(g.scale.0),
        num(g.scale.1)
    );
    if g.opacity != 1.0 {
        let _ = write!(out, " opacity=\"{}\"", num(g.opacity));
    }
    out.push_str(">\n");
    for item in &g.items {
        write_item(out, item);
    }
    out.push_str("</g>\n");
}

fn write_shape(out: &mut String, s: &Shape) {
    match &s.geom {
        Geom::Line { x1, y1, x2, y2 } => {
            let _ = write!(
                out,
                "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"",
                num(*x1),
                num(*y1),
                num(*x2),
                num(*y2)
            );
        }
        Geom::Polyline(pts) => {
            let _ = write!(out, "<polyline points=\"{}\"", points(pts));
        }
        Geom::Polygon(pts) => {
            let _ = write!(out, "<polygon points=\"{}\"", points(pts));
        }
        Geom::Rect {
            x,
            y,
            width,
            height,
            rx,
        } => {
            let _ = write!(
                out,
                "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"",
                num(*x),
                num(*y),
                num(*width),
                num(*height)
            );
            if *rx > 0.0 {
                let _ = write!(out, " rx=\"{}\"", num(*rx));
            }
        }
        Geom::Circle { cx, cy, r } => {
            let _ = write!(
                out,
                "<circle cx=\"{}\" cy=\"{}\" r=\"{}\"",
                num(*cx),
                num(*cy),
                num(*r)
            );
        }
        Geom::Ellipse {
            cx,
            cy,
            rx,
            ry,
            rotation,
        } => {
            let _ = write!(
                out,
                "<ellipse cx=\"{}\" cy=\"{}\" rx=\"{}\" ry=\"{}\"",
                num(*cx),
                num(*cy),
                num(*rx),
                num(*ry)
            );
            if *rotation != 0.0 {
                let _ = write!(
                    out,
                    " transform=\"rotate({} {} {})\"",
                    num(*rotation),
                    num(*cx),
                    num(*cy)
                );
            }
        }
        Geom::Path(d) => {
            let _ = write!(out, "<path d=\"{}\"", escape(d));
        }
        Geom::Text(t) => return write_text(out, t, &s.style),
    }
    write_style(out, &s.style);
    out.push_str("/>\n");
}

fn write_text(out: &mut String, t: &Text, style: &Style) {
    let _ = write!(
        out,
        "<text x=\"{}\" y=\"{}\" font-family=\"{}\" font-size=\"{}\" font-weight=\"{}\" text-anchor=\"{}\" dominant-baseline=\"{}\"",
        num(t.x),
        num(t.y),
        escape(&t.family),
        num(t.size),
        t.weight,
        t.anchor,
        t.baseline
    );
    write_style(out, style);
    let _ = writeln!(out, " xml:space=\"preserve\">{}</text>", escape(&t.text));
}

fn points(pts: &[(f64, f64)]) -> String {
    let mut out = String::with_capacity(pts.len() * 16);
    for (i, (x, y)) in pts.iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(&num(*x));
        out.push(',');
        out.push_str(&num(*y));
    }
    out
}

fn write_style(out: &mut String, s: &Style) {
    let paint = |c: Option<super::Rgb>| c.map_or_else(|| "none".to_string(), |c| c.hex());
    let _ = write!(out, " fill=\"{}\"", paint(s.fill));
    if s.fill.is_some() && s.fill_opacity != 1.0 {
        let _ = write!(out, " fill-opacity=\"{}\"", num(s.fill_opacity));
    }
    if let Some(c) = s.stroke {
        let _ = write!(
            out,
            " stroke=\"{}\" stroke-width=\"{}\"",
            c.hex(),
            num(s.stroke_width)
        );
        if s.stroke_opacity != 1.0 {
            let _ = write!(out, " stroke-opacity=\"{}\"", num(s.stroke_opacity));
        }
        if s.linecap != "butt" {
            let _ = write!(out, " stroke-linecap=\"{}\"", s.linecap);
        }
        if s.linejoin != "miter" {
            let _ = write!(out, " stroke-linejoin=\"{}\"", s.linejoin);
        }
        if !s.dash.is_empty() {
            let d: Vec<String> = s.dash.iter().map(|x| num(*x)).collect();
            let _ = write!(out, " stroke-dasharray=\"{}\"", d.join(" "));
        }
    }
    if s.opacity != 1.0 {
        let _ = write!(out, " opacity=\"{}\"", num(s.opacity));
    }
}

/// Escapes text for XML content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if (c as u32) < 0x20 && c != '\t' && c != '\n' => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scene::Rgb;

    fn style() -> Style {
        Style::solid(Rgb(0, 0x75, 0xff))
    }

    /// The integer path gives the formatter's digits wherever it answers, and answers for
    /// ordinary coordinates: random values at many scales, exact binary fractions (whose
    /// fifth decimal can be an exact tie), values a hair from a tie, and huge and tiny ones.
    #[test]
    fn the_integer_path_matches_the_formatter() {
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let check = |x: f64| {
            let fast = fixed4(x);
            if let Some(fast) = &fast {
                assert_eq!(*fast, format!("{x:.4}"), "{x:e}");
            }
            assert_eq!(num(x), trimmed(format!("{x:.4}")), "{x:e}");
            fast.is_some()
        };
        let mut ordinary_answered = 0;
        for i in 0..200_000u64 {
            let r = next();
            let unit = (r >> 11) as f64 / (1u64 << 53) as f64;
            let scale = 10f64.powi((i % 17) as i32 - 6);
            ordinary_answered += u32::from(check((unit - 0.5) * scale));
            check((r % 1_000_000) as f64 / (1u64 << (i % 12)) as f64);
            let tie = ((r % 2_000_000) as f64 - 1e6 + 0.5) / 10_000.0;
            check(tie);
            check(f64::from_bits(tie.to_bits() + 1));
            check(f64::from_bits(tie.to_bits() - 1));
        }
        for x in [
            0.0,
            -0.0,
            1e15,
            -1e15,
            9.99e14,
            1e-300,
            f64::MAX,
            f64::NAN,
            f64::INFINITY,
        ] {
            check(x);
        }
        // Ordinary values almost never need the formatter.
        assert!(ordinary_answered > 195_000, "{ordinary_answered} of 200000");
    }

    #[test]
    fn numbers_are_canonical() {
        assert_eq!(num(1.0), "1");
        assert_eq!(num(-0.00001), "0");
        assert_eq!(num(2.123456), "2.1235");
        assert_eq!(num(192.5), "192.5");
    }

    #[test]
    fn writes_circle_and_escapes_text() {
        let text = Text {
            x: 1.0,
            y: 2.0,
            text: "<a & \"b\">".into(),
            family: "DejaVu Sans".into(),
            size: 10.0,
            weight: 400,
            anchor: "start",
            baseline: "alphabetic",
        };
        let scene = Scene {
            width: 10,
            height: 10,
            background: Rgb(255, 255, 255),
            items: vec![
                Item::Shape(Shape {
                    geom: Geom::Circle {
                        cx: 5.0,
                        cy: 5.0,
                        r: 2.5,
                    },
                    style: style(),
                }),
                Item::Shape(Shape {
                    geom: Geom::Text(text),
                    style: style(),
                }),
            ],
        };
        let svg = to_svg(&scene);
        assert!(
            svg.contains("<circle cx=\"5\" cy=\"5\" r=\"2.5\" fill=\"#0075ff\"/>"),
            "{svg}"
        );
        assert!(
            svg.contains(">&lt;a &amp; &quot;b&quot;&gt;</text>"),
            "{svg}"
        );
        assert!(!scene.is_gray());
    }

    /// Hostile or unusual text stays literal: one text node per item, the exact string,
    /// and nothing else in the tree (no injected element, no external reference).
    #[test]
    fn scene_text_is_literal_and_cannot_inject_markup() {
        let hostile = [
            "</text><image href=\"file:///etc/passwd\" width=\"9\" height=\"9\"/><text>",
            "<![CDATA[x]]> &amp; &#x3C; <!-- c --> <?pi?>",
            "a < b && c > d, \"quoted\" and 'single'",
            "emoji 🎯🙂 and combining é",
            "שלום עולם مرحبا",
            "<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>&e;",
        ];
        let items = hostile
            .iter()
            .enumerate()
            .map(|(i, t)| {
                let text = Text {
                    x: 2.0,
                    y: 12.0 + 14.0 * i as f64,
                    text: (*t).into(),
                    family: "DejaVu Sans".into(),
                    size: 10.0,
                    weight: 400,
                    anchor: "start",
                    baseline: "alphabetic",
                };
                Item::Shape(Shape {
                    geom: Geom::Text(text),
                    style: style(),
                })
            })
            .collect();
        let scene = Scene {
            width: 400,
            height: 100,
            background: Rgb(255, 255, 255),
            items,
        };
        let svg = to_svg(&scene);
        assert!(!svg.contains("<image") && !svg.contains("<!ENTITY") && !svg.contains("<!["));
        let tree = resvg::usvg::Tree::from_str(&svg, &crate::render::fonts::options()).unwrap();
        let mut texts = Vec::new();
        // The first node is the background rectangle.
        for node in tree.root().children().iter().skip(1) {
            match node {
                resvg::usvg::Node::Text(t) => {
                    texts.push(t.chunks().iter().map(|c| c.text()).collect::<String>())
                }
                other => panic!("only text nodes expected, got {other:?}"),
            }
        }
        assert_eq!(texts, hostile);
        assert!(crate::render::Renderer::new().rasterize(&svg).is_ok());
    }
}
