//! Text-metrics built-ins against a fake [`TextMetrics`].
//!
//! The registration is process-wide, so every test here installs the same fake through
//! [`install_fake`]; no other test in this binary may register metrics. (The "not
//! available" error is tested next to `require` in `fn_text_metrics.rs`.)

use super::*;

/// Monospace metrics: every character advances `size / 2` (`0.6 * size` at weight >= 600),
/// "AV" is kerned by `-0.1 * size`, ink spans the advance inset by `0.05 * size` from the
/// cap height `-0.7 * size` to the baseline (to `0.2 * size` for "g"), whitespace is blank.
/// Family "Liga" draws "fi" as one glyph; "Missing" fails; "Broken" returns NaN.
struct Fake;

impl TextMetrics for Fake {
    fn layout(
        &self,
        text: &str,
        family: &str,
        weight: u16,
        size: f64,
    ) -> Result<TextLayout, String> {
        match family {
            "Missing" => return Err(format!("unknown font family {family:?}")),
            "Broken" => {
                return Ok(TextLayout {
                    advance: f64::NAN,
                    ..TextLayout::default()
                });
            }
            _ => {}
        }
        let unit = size * if weight >= 600 { 0.6 } else { 0.5 };
        let (mut glyphs, mut x, mut prev) = (Vec::new(), 0.0, None);
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            let mut ch = c.to_string();
            if family == "Liga" && c == 'f' && chars.next_if_eq(&'i').is_some() {
                ch.push('i');
            }
            if prev == Some('A') && c == 'V' {
                x -= 0.1 * size;
            }
            let bottom = if c == 'g' { 0.2 * size } else { 0.0 };
            let ink = (!c.is_whitespace())
                .then(|| [x + 0.05 * size, -0.7 * size, x + unit - 0.05 * size, bottom]);
            glyphs.push(GlyphMetrics {
                ch,
                x,
                advance: unit,
                ink,
            });
            x += unit;
            prev = Some(c);
        }
        Ok(TextLayout {
            advance: x,
            ascent: 0.8 * size,
            descent: 0.2 * size,
            glyphs,
        })
    }
}

static FAKE: Fake = Fake;

/// The fake metrics for this test's thread: other unit tests in the same process register
/// the real bundled metrics process-wide, in an order that varies from run to run.
fn install_fake() {
    crate::expr::fn_text_metrics::set_thread_metrics(&FAKE);
}

fn tev(src: &str) -> Value {
    install_fake();
    ev(src)
}

fn terr(src: &str) -> ExprError {
    install_fake();
    err(src)
}

fn floats(xs: &[f64]) -> Value {
    Value::List(xs.iter().map(|x| Value::Float(*x)).collect())
}

#[test]
fn text_width_and_weights() {
    assert_eq!(tev("text_width('AB', 'Sans', 10)"), Value::Float(10.0));
    assert_eq!(
        tev("text_width('AB', 'Sans', 10, 'normal')"),
        Value::Float(10.0)
    );
    assert_eq!(
        tev("text_width('AB', 'Sans', 10, 'bold')"),
        Value::Float(12.0)
    );
    assert_eq!(tev("text_width('AB', 'Sans', 10, 700)"), Value::Float(12.0));
    assert_eq!(tev("text_width('AB', 'Sans', 10, 100)"), Value::Float(10.0));
    assert_eq!(tev("text_width('AV', 'Sans', 10)"), Value::Float(9.0));
    assert_eq!(tev("text_width('', 'Sans', 10)"), Value::Float(0.0));
    assert_eq!(tev("text_width(word, 'Sans', 2.5)"), Value::Float(6.25));
}

#[test]
fn text_layout_map() {
    let l = "text_layout('a b', 'Sans', 10)";
    assert_eq!(tev(&format!("{l}.advance")), Value::Float(15.0));
    assert_eq!(tev(&format!("{l}.ascent")), Value::Float(8.0));
    assert_eq!(tev(&format!("{l}.descent")), Value::Float(2.0));
    assert_eq!(tev(&format!("len({l}.glyphs)")), Value::Int(3));
    assert_eq!(
        tev(&format!("{l}.glyphs[0]")).display(),
        r#"{"ch":"a","x":0.0,"advance":5.0,"ink":[0.5,-7.0,4.5,0.0]}"#
    );
    assert_eq!(tev(&format!("{l}.glyphs[1].ink")), Value::List(vec![]));
    assert_eq!(tev(&format!("{l}.glyphs[2].x")), Value::Float(10.0));
    assert_eq!(
        tev("[g.ch for g in text_layout('fit', 'Liga', 10).glyphs]").display(),
        r#"["fi","t"]"#
    );
}

#[test]
fn character_boxes() {
    let b = |src: &str| tev(src);
    assert_eq!(
        b("char_box('AV', 1, 'Sans', 10)"),
        floats(&[4.5, -7.0, 8.5, 0.0])
    );
    assert_eq!(
        b("char_box('abg', -1, 'Sans', 10)"),
        floats(&[10.5, -7.0, 14.5, 2.0])
    );
    assert_eq!(
        b("char_box('héllo', 1, 'Sans', 10)"),
        floats(&[5.5, -7.0, 9.5, 0.0])
    );
    assert_eq!(
        b("char_box('ab', 0, 'Sans', 10, 'bold')"),
        floats(&[0.5, -7.0, 5.5, 0.0])
    );
    // Both characters of a ligature map to the cluster's glyph.
    assert_eq!(
        b("char_box('fig', 1, 'Liga', 10)"),
        floats(&[0.5, -7.0, 4.5, 0.0])
    );
    assert_eq!(
        b("char_box('fig', 2, 'Liga', 10)"),
        floats(&[5.5, -7.0, 9.5, 2.0])
    );
    assert_eq!(
        b("char_advance_box('a b', 1, 'Sans', 10)"),
        floats(&[5.0, -8.0, 10.0, 2.0])
    );
    assert_eq!(
        b("char_advance_box('AV', -1, 'Sans', 20)"),
        floats(&[8.0, -16.0, 18.0, 4.0])
    );
    let e = terr("char_box('a b', 1, 'Sans', 10)");
    assert!(
        e.message.contains("character 1 (\" \") is blank"),
        "{}",
        e.message
    );
    assert!(e.hint.unwrap().contains("char_advance_box"));
}

#[test]
fn text_metrics_argument_errors() {
    let cases = [
        (
            "char_box('abc', 3, 'Sans', 10)",
            "index 3 is out of range for a text of 3 characters",
        ),
        (
            "char_box('abc', -4, 'Sans', 10)",
            "index -4 is out of range",
        ),
        (
            "char_advance_box('', 0, 'Sans', 10)",
            "out of range for a text of 0 characters",
        ),
        (
            "char_box('abc', 1.0, 'Sans', 10)",
            "expects an int for `index`",
        ),
        (
            "text_width('a', 'Sans', 10, 50)",
            "expects a weight (an int from 100 to 900",
        ),
        (
            "text_width('a', 'Sans', 10, 'heavy')",
            "for `weight`, got string",
        ),
        (
            "text_width('a', 'Sans', 10, 700.0)",
            "for `weight`, got float",
        ),
        (
            "text_width('a', 'Sans', 0)",
            "needs a finite size > 0, got 0",
        ),
        ("text_width('a', ' ', 10)", "needs a font family name"),
        ("text_width(1, 'Sans', 10)", "expects a string for `text`"),
        (
            "text_layout('a', 'Missing', 10)",
            "cannot lay out the text: unknown font family",
        ),
        ("text_width('a', 'Broken', 10)", "non-finite"),
    ];
    for (src, want) in cases {
        let e = terr(src);
        assert!(e.message.contains(want), "{src}: {}", e.message);
    }
    assert_eq!(
        terr("text_width('a', 'Sans', -1)").span,
        Some(Span::new(24, 26))
    );
}

#[test]
fn layout_is_paid_for() {
    install_fake();
    let expr = Expr::parse("text_layout('abcdefgh' * 20, 'Sans', 10)").unwrap();
    let mut budget = Budget::new(200);
    let e = ev_budget(&expr, &mut budget).unwrap_err();
    assert!(e.message.contains("step limit"), "{}", e.message);
}
