//! Line scans against cut masks, and the (ignored) timing report.

use super::super::*;
use super::support::*;

/// A scene for timing: 12 parallel blue lines left to right, 12 red rings between them on
/// the left, a green vertical line on top cutting every blue line.
fn timing_scene(size: u32) -> Canvas {
    let s = f64::from(size);
    let mut c = Canvas::new(size, size);
    for i in 0..12 {
        let t = 0.05 + 0.075 * f64::from(i);
        c.paint(
            RED,
            ring(s * 0.3, s * (t + 0.045), s * 0.02, s * 0.02 + 6.0),
        );
        c.paint(
            BLUE,
            line((0.02 * s, t * s), (0.98 * s, (t + 0.03) * s), 7.0),
        );
    }
    c.paint(GREEN, line((0.5 * s, 0.0), (0.5 * s, s), 9.0));
    c
}

/// Timing report, not an assertion: run with `--ignored --nocapture`.
#[test]
#[ignore]
fn timing_report() {
    for size in [1155u32, 2000] {
        let canvas = timing_scene(size);
        let m = canvas.masks(&[BLUE, RED, GREEN]);
        let (b, r, g) = (&m[0], &m[1], &m[2]);
        let noise = Lcg(1).mask(size, size, 500);
        let (side, edge) = (i64::from(size), i64::from(size) - 40);
        let (from, to) = (rect_of(0, 0, 40, side), rect_of(edge, 0, side, side));
        let measures: [(&str, &dyn Fn() -> String); 10] = [
            ("masks", &|| {
                format!("{:?}", canvas.masks(&[BLUE, RED, GREEN]).len())
            }),
            ("components", &|| components(b, 20).to_string()),
            ("components noise", &|| components(&noise, 1).to_string()),
            ("contours", &|| contours(r, 20).to_string()),
            ("runs", &|| runs(b, Line::Column(size / 3), 2).to_string()),
            ("gap", &|| format!("{:?}", gap(r, g))),
            ("contact", &|| contact(b, g).to_string()),
            ("crossings", &|| crossings(b, g, 11.0).to_string()),
            ("crossings noise", &|| {
                crossings(&noise, b, 11.0).to_string()
            }),
            ("connects", &|| {
                connects(&[b, r, g], from, to, 11.0).to_string()
            }),
        ];
        for (name, f) in measures {
            let start = std::time::Instant::now();
            let out = f();
            eprintln!(
                "{size}x{size} {name:>16}: {:8.2?}  -> {out}",
                start.elapsed()
            );
        }
    }
}

#[test]
fn runs_on_a_line_match_the_runs_of_the_cut_mask() {
    let (w, h) = (97u32, 23u32);
    let mut seed = 12345u64;
    let mut next = move || {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (seed >> 33) as u8
    };
    let palette = [
        [255, 255, 255],
        [0, 0, 255],
        [255, 0, 0],
        [20, 20, 20],
        [128, 128, 255],
    ];
    // Runs of 1 to 70 equal pixels, wrapping across rows, so the mask cutter's one-, four-
    // and sixteen-pixel steps all end at every offset, then single random pixels.
    let mut rgba = Vec::new();
    while rgba.len() < (w * h * 4) as usize {
        let c = palette[next() as usize % palette.len()];
        let len = match rgba.len() < (w * h * 2) as usize {
            true => 1 + next() as usize % 70,
            false => 1,
        };
        (0..len).for_each(|_| rgba.extend([c[0], c[1], c[2], 255]));
    }
    rgba.truncate((w * h * 4) as usize);
    let image = image(w, h, &rgba);
    let rules = [
        color([0, 0, 255], 100.0),
        color([255, 0, 0], 442.0),
        MaskRule::Ink { threshold: 40 },
        MaskRule::Dark { threshold: 128 },
    ];
    let cut = masks(&image, [255, 255, 255], &rules);
    let lines = (0..h + 2)
        .map(Line::Row)
        .chain((0..w + 2).map(Line::Column));
    for line in lines {
        for (i, m) in cut.iter().enumerate() {
            for min_len in [1, 2] {
                let direct = runs_on_line(&image, [255, 255, 255], &rules, i, line, min_len);
                assert_eq!(direct, runs(m, line, min_len), "rule {i} {line:?}");
            }
        }
    }
    assert_records_exact(&cut);
    let only = masks_for(
        &image,
        [255, 255, 255],
        &rules,
        &[false, true, false, false],
    );
    assert_eq!(only[1], cut[1], "a wanted mask is cut in full");
    assert_eq!(only[0].count(), 0, "an unwanted one is left empty");
    // Many rules (more than a 64-bit set could hold): rules for a colour that is nowhere
    // nearest and selects nothing leave the other masks as they were.
    let mut many = rules.to_vec();
    many.extend((0..62).map(|_| color([0, 255, 0], -1.0)));
    let wide = masks(&image, [255, 255, 255], &many);
    assert_eq!(wide[..rules.len()], cut[..], "66 rules cut as 4");
    assert_records_exact(&wide);
}

#[test]
fn boxes_recorded_while_cutting_are_exact() {
    let (w, h) = (20u32, 10u32);
    let mut rgba = vec![255u8; (w * h * 4) as usize];
    let mut paint = |x: u32, y: u32, c: [u8; 3]| {
        let i = ((y * w + x) * 4) as usize;
        rgba[i..i + 3].copy_from_slice(&c);
    };
    for (x, y) in [(5, 4), (6, 4), (7, 4), (5, 5), (6, 5), (7, 5)] {
        paint(x, y, [0, 0, 255]);
    }
    // A red run that wraps from the end of row 2 to the start of row 3.
    paint(19, 2, [255, 0, 0]);
    paint(0, 3, [255, 0, 0]);
    let image = image(w, h, &rgba);
    let rules = [
        color([0, 0, 255], 10.0),
        color([255, 0, 0], 10.0),
        color([0, 255, 0], 10.0),
    ];
    let cut = masks(&image, [255, 255, 255], &rules);
    assert_records_exact(&cut);
    assert!(
        super::super::label::bbox(&cut[2]).is_none(),
        "no green pixel"
    );
}

/// The box and the runs each mask recorded while being cut equal the ones a scan of its
/// pixels finds: the runs of set and of clear pixels, in the whole mask and in windows
/// that start and end inside runs.
fn assert_records_exact(cut: &[Mask]) {
    use super::super::runs::scan_runs;
    for m in cut {
        assert!(m.runs.is_some(), "a cut mask records its runs");
        let mut scanned = m.clone();
        scanned.bounds = None;
        let (known, found) = (
            super::super::label::bbox(m),
            super::super::label::bbox(&scanned),
        );
        assert_eq!(
            known, found,
            "the box recorded while cutting is the scanned one"
        );
        let (w, h) = m.dims();
        let cuts = |n: usize| [0, 1, n / 3, n / 2 + 1, n - 1, n];
        for (x0, x1) in cuts(w).into_iter().flat_map(|a| cuts(w).map(|b| (a, b))) {
            for (y0, y1) in [(0, h), (1, h - 1), (h / 2, h / 2 + 1)] {
                if x0 >= x1 || y0 >= y1 {
                    continue;
                }
                let view = m.view(Bounds::new(x0, y0, x1, y1));
                for value in [true, false] {
                    assert_eq!(
                        runs_of(view, value),
                        scan_runs(view, value),
                        "{value} in x {x0}..{x1}, y {y0}..{y1}"
                    );
                }
            }
        }
    }
}

/// Thousands of distinct colours (blends of three inks with the background, as
/// anti-aliasing makes), so the cutter's table of recent colours keeps replacing its
/// entries: every pixel of every mask is as `classify` decides for that pixel alone.
#[test]
fn cut_masks_match_per_pixel_classification_over_many_colours() {
    let (w, h) = (150u32, 60u32);
    let mut rng = Lcg(99);
    let inks: [[u8; 3]; 3] = [[0, 0, 255], [255, 0, 0], [0, 160, 0]];
    let mut rgba = Vec::new();
    for _ in 0..w * h {
        let (ink, a) = (inks[rng.below(3) as usize], rng.below(256));
        let blend = |k: usize| ((u32::from(ink[k]) * a + 255 * (255 - a)) / 255) as u8;
        // Runs of up to 4 equal pixels, so runs of one colour occur too.
        let px = [blend(0), blend(1), blend(2), 255];
        (0..1 + rng.below(4)).for_each(|_| rgba.extend(px));
    }
    rgba.truncate((w * h * 4) as usize);
    let image = image(w, h, &rgba);
    let rules = [
        color([0, 0, 255], 120.0),
        color([255, 0, 0], 120.0),
        color([0, 160, 0], 60.0),
        MaskRule::Ink { threshold: 40 },
        MaskRule::Dark { threshold: 128 },
    ];
    let cut = masks(&image, [255, 255, 255], &rules);
    let mut hits = Vec::new();
    for (p, px) in rgba.chunks_exact(4).enumerate() {
        classify([px[0], px[1], px[2]], [255, 255, 255], &rules, &mut hits);
        let (x, y) = ((p % w as usize) as u32, (p / w as usize) as u32);
        for (i, m) in cut.iter().enumerate() {
            assert_eq!(m.get(x, y), hits.contains(&i), "rule {i} at ({x}, {y})");
        }
    }
    assert_records_exact(&cut);
}
