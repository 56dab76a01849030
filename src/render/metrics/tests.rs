//! Tests of text measurement: advances, ink boxes, missing glyphs, caching, and agreement
//! of the fast and exact paths with each other and with the rendered pixels.

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
