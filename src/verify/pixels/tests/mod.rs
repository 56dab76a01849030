//! Hand-made images with known answers (and wrong labels the measures must contradict),
//! and cross-checks against brute-force references.

use super::*;

mod support;
mod timing;

use support::*;

#[test]
fn mask_basics() {
    let mut m = Mask::new(4, 3);
    assert_eq!((m.width(), m.height(), m.count()), (4, 3, 0));
    m.set(3, 2, true);
    assert!(m.get(3, 2) && !m.get(2, 2));
    assert_eq!(Mask::from_fn(4, 3, |x, y| x == y).count(), 3);
}

#[test]
#[should_panic(expected = "outside")]
fn mask_get_outside_panics() {
    Mask::new(2, 2).get(2, 0);
}

#[test]
fn masks_halfway_pixel_goes_to_exactly_one_colour() {
    let magenta = [254, 0, 255];
    let one = |px: [u8; 4], rules: &[MaskRule]| {
        let m = masks(&image(1, 1, &px), BG, rules);
        (m[0].get(0, 0), m[1].get(0, 0))
    };
    let (b, m) = (color(BLUE, 200.0), color(magenta, 200.0));
    // 127 from blue and from magenta: the earlier rule wins, whichever it is.
    assert_eq!(
        one([127, 0, 255, 255], &[b.clone(), m.clone()]),
        (true, false)
    );
    assert_eq!(
        one([127, 0, 255, 255], &[m.clone(), b.clone()]),
        (true, false)
    );
    assert_eq!(one([128, 0, 255, 255], &[b, m]), (false, true)); // nearer magenta
}

#[test]
fn masks_background_wins_ties() {
    let px = [255, 255, 253, 255, 255, 255, 252, 255];
    let m = masks(&image(2, 1, &px), BG, &[color([255, 255, 251], 50.0)]);
    // (255, 255, 253) is 2 from the background and 2 from the rule: background.
    assert_eq!(pixels(&m[0]), vec![(1, 0)]);
}

#[test]
fn masks_tolerance_and_nearest_beyond_tolerance() {
    let px = [0, 0, 245, 255, 0, 0, 244, 255, 0, 0, 235, 255];
    let img = image(3, 1, &px);
    let m = masks(&img, BG, &[color(BLUE, 10.0), color([0, 0, 200], 100.0)]);
    assert_eq!(pixels(&m[0]), vec![(0, 0)], "distance 10 in, 11 out");
    assert_eq!(m[1].count(), 0, "a farther colour never claims a pixel");
    for bad in [-1.0, f64::NAN] {
        assert_eq!(masks(&img, BG, &[color(BLUE, bad)])[0].count(), 0);
    }
    assert_eq!(masks(&img, BG, &[color(BLUE, f64::INFINITY)])[0].count(), 3);
}

#[test]
fn masks_ink_and_dark_thresholds() {
    let px = [250, 255, 255, 255, 100, 100, 100, 255];
    let rules = [
        MaskRule::Ink { threshold: 5 },
        MaskRule::Ink { threshold: 4 },
        MaskRule::Dark { threshold: 100 }, // luma of (100, 100, 100) is exactly 100
        MaskRule::Dark { threshold: 101 },
    ];
    let got: Vec<_> = masks(&image(2, 1, &px), BG, &rules)
        .iter()
        .map(pixels)
        .collect();
    let want = vec![vec![(1, 0)], vec![(0, 0), (1, 0)], vec![], vec![(1, 0)]];
    assert_eq!(got, want);
}

#[test]
#[should_panic(expected = "RGBA buffer")]
fn masks_wrong_buffer_length_panics() {
    masks(&image(2, 2, &[0; 15]), BG, &[]);
}

#[test]
fn components_discs() {
    let two = mask(60, 30, or(disc(12.0, 15.0, 8.0), disc(40.0, 15.0, 8.0)));
    assert_eq!(components(&two, 1), 2);
    // Radius 5, centres 11 apart: the discs' pixels are 4-adjacent; 12 apart: 1 px clear.
    let touching = mask(40, 20, or(disc(10.0, 10.0, 5.0), disc(21.0, 10.0, 5.0)));
    assert_eq!(components(&touching, 1), 1);
    let apart = mask(40, 20, or(disc(10.0, 10.0, 5.0), disc(22.0, 10.0, 5.0)));
    assert_eq!(components(&apart, 1), 2);
    let corners = mask(
        10,
        10,
        or(rect(0.0, 0.0, 5.0, 5.0), rect(5.0, 5.0, 10.0, 10.0)),
    );
    assert_eq!(components(&corners, 1), 1, "8-adjacent at one corner");
    let speck = mask(
        40,
        20,
        or(disc(10.0, 10.0, 5.0), rect(30.0, 3.0, 31.0, 4.0)),
    );
    assert_eq!((components(&speck, 1), components(&speck, 2)), (2, 1));
}

#[test]
fn components_match_flood_fill_reference() {
    let mut rng = Lcg(7);
    for _ in 0..300 {
        let (w, h) = (1 + rng.below(20), 1 + rng.below(20));
        let m = rng.any_mask(w, h, 700);
        let want = distinct(&brute_groups(&pixels(&m), 1));
        assert_eq!(components(&m, 1), want, "{m:?}");
    }
}

/// `n` nested square outlines, 2 px thick, `step` apart, inside a `size`² image.
fn nested(n: u32, size: u32, step: f64) -> Mask {
    let end = f64::from(size) - 4.0;
    mask(size, size, move |x, y| {
        (0..n).any(|i| {
            let o = 4.0 + step * f64::from(i);
            outline(o, o, end - o + 4.0, end - o + 4.0, 2.0)(x, y)
        })
    })
}

#[test]
fn contours_nested_squares() {
    for n in 1..=5 {
        assert_eq!(contours(&nested(n, 80, 6.0), 1), u64::from(n));
    }
}

#[test]
fn contours_o_c_eight_and_breaks() {
    let o = ring(30.0, 30.0, 10.0, 14.0);
    assert_eq!(contours(&mask(60, 60, &o), 1), 1, "O");
    let broken = mask(60, 60, |x, y| o(x, y) && !(x == 30.0 && y > 30.0));
    assert_eq!(contours(&broken, 1), 0, "ring with a 1-px break");
    let c = mask(60, 60, |x, y| o(x, y) && x < 36.0);
    assert_eq!(contours(&c, 1), 0, "C");
    let eight = or(
        outline(10.0, 10.0, 40.0, 40.0, 2.0),
        outline(10.0, 38.0, 40.0, 68.0, 2.0),
    );
    assert_eq!(contours(&mask(50, 80, eight), 1), 2, "8");
    // A 1-px diagonal outline closes its inside: holes are 4-connected.
    let diamond = mask(30, 30, |x, y| (x - 15.0).abs() + (y - 15.0).abs() == 8.0);
    assert_eq!(contours(&diamond, 1), 1);
    let tiny = mask(5, 5, |x, y| {
        rect(1.0, 1.0, 4.0, 4.0)(x, y) && (x, y) != (2.0, 2.0)
    });
    assert_eq!((contours(&tiny, 1), contours(&tiny, 2)), (1, 0));
    let on_border = mask(20, 20, outline(0.0, 0.0, 20.0, 20.0, 2.0));
    assert_eq!(contours(&on_border, 1), 1);
    assert_eq!(contours(&Mask::new(5, 5), 1), 0);
}

#[test]
fn contours_match_flood_fill_reference() {
    let mut rng = Lcg(11);
    for _ in 0..300 {
        let (w, h) = (1 + rng.below(16), 1 + rng.below(16));
        let m = rng.any_mask(w, h, 900);
        let clear = pixels(&Mask::from_fn(w, h, |x, y| !m.get(x, y)));
        let g = brute_groups_by(&clear, |p, q| (p.0 - q.0).abs() + (p.1 - q.1).abs() <= 1);
        let (w, h) = (i64::from(w), i64::from(h));
        let border = |p: (i64, i64)| p.0 == 0 || p.1 == 0 || p.0 + 1 == w || p.1 + 1 == h;
        let mut closed = g.clone();
        closed.retain(|&r| !(0..clear.len()).any(|i| g[i] == r && border(clear[i])));
        assert_eq!(contours(&m, 1), distinct(&closed), "{m:?}");
    }
}

#[test]
fn runs_bands_crossed_by_a_column() {
    let mut canvas = Canvas::new(60, 60);
    for i in 0..4 {
        let y = 8.0 + 12.0 * f64::from(i);
        canvas.paint(BLUE, rect(0.0, y, 60.0, y + 4.0));
    }
    canvas.paint(RED, rect(28.0, 0.0, 32.0, 60.0)); // on top
    let m = canvas.masks(&[BLUE, RED]);
    assert_eq!(runs(&m[0], Line::Column(5), 1), 4);
    assert_eq!(runs(&m[0], Line::Column(30), 1), 0);
    assert_eq!(
        runs(&m[0], Line::Row(9), 1),
        2,
        "the column splits each band"
    );
    assert_eq!(runs(&m[1], Line::Row(9), 1), 1);
    assert_eq!(runs(&m[0], Line::Row(60), 1), 0);
    assert_eq!(runs(&m[0], Line::Column(60), 1), 0);
}

#[test]
fn runs_min_len_filters_antialiasing_specks() {
    let bands = |_: f64, y: f64| (0..4).any(|i| (y - 10.0 * f64::from(i) - 5.0).abs() < 2.0);
    let noisy = mask(3, 40, |x, y| bands(x, y) || y == 1.0 || y == 30.0);
    assert_eq!(runs(&noisy, Line::Column(1), 1), 6);
    assert_eq!(runs(&noisy, Line::Column(1), 2), 4);
    assert_eq!(runs(&noisy, Line::Column(1), 0), 6);
    assert_eq!(
        runs(&noisy, Line::Row(5), 4),
        0,
        "a 3-px run is shorter than 4"
    );
}

fn brute_gap(a: &Mask, b: &Mask) -> Option<f64> {
    let (pa, pb) = (pixels(a), pixels(b));
    let pairs = pa
        .iter()
        .flat_map(|p| pb.iter().map(move |q| (p.0 - q.0, p.1 - q.1)));
    let clear = |(dx, dy): (i64, i64)| match dx.abs() <= 1 && dy.abs() <= 1 {
        true => 0.0,
        false => ((dx * dx + dy * dy) as f64).sqrt() - 1.0,
    };
    pairs.map(clear).min_by(f64::total_cmp)
}

#[test]
fn gap_known_cases() {
    let a = mask(60, 40, disc(20.0, 20.0, 6.0)); // rightmost pixel x = 26
    let b = mask(60, 40, disc(38.0, 20.0, 6.0)); // leftmost pixel x = 32
    assert_eq!(gap(&a, &b), Some(5.0));
    let c = mask(60, 40, disc(28.0, 20.0, 6.0));
    assert_eq!(gap(&a, &c), Some(0.0), "overlapping");
    let p = |x: u32, y: u32| Mask::from_fn(4, 4, move |i, j| (i, j) == (x, y));
    assert_eq!(gap(&p(0, 0), &p(1, 1)), Some(0.0), "8-adjacent diagonal");
    assert_eq!(gap(&p(0, 0), &p(0, 1)), Some(0.0), "4-adjacent");
    assert_eq!(gap(&p(0, 0), &p(0, 2)), Some(1.0));
    assert_eq!(gap(&p(0, 0), &p(2, 2)), Some(8f64.sqrt() - 1.0));
    assert_eq!(gap(&p(0, 0), &Mask::new(4, 4)), None);
    assert_eq!(gap(&Mask::new(4, 4), &p(0, 0)), None);
}

#[test]
fn gap_matches_brute_force() {
    let mut rng = Lcg(42);
    for trial in 0..600 {
        let (w, h) = (1 + rng.below(24), 1 + rng.below(24));
        let density = if trial % 3 == 0 {
            15
        } else {
            1 + rng.below(400)
        };
        let (a, b) = (rng.mask(w, h, density), rng.mask(w, h, density));
        assert_eq!(gap(&a, &b), brute_gap(&a, &b), "{a:?} {b:?}");
    }
    for (w, h) in [(300, 5), (5, 300), (200, 200)] {
        let (a, b) = (rng.mask(w, h, 2), rng.mask(w, h, 2));
        assert_eq!(gap(&a, &b), brute_gap(&a, &b));
    }
}

/// A few pixels scattered over a large image: the closest pair is anywhere from adjacent
/// to across the image, so every reach of the growing window (and the last fallback to
/// the union of the boxes) is taken, with pixels of each mask outside the other's window.
#[test]
fn gap_matches_brute_force_on_sparse_masks_far_apart() {
    let mut rng = Lcg(7);
    for _ in 0..300 {
        let (w, h) = (20 + rng.below(180), 20 + rng.below(180));
        let scatter = |rng: &mut Lcg| {
            let points: Vec<(u32, u32)> = (0..1 + rng.below(5))
                .map(|_| (rng.below(w), rng.below(h)))
                .collect();
            Mask::from_fn(w, h, |x, y| points.contains(&(x, y)))
        };
        let (a, b) = (scatter(&mut rng), scatter(&mut rng));
        assert_eq!(gap(&a, &b), brute_gap(&a, &b), "{w}x{h}");
    }
}

#[test]
fn contact_tangent_versus_overlap() {
    let a = mask(60, 40, disc(20.0, 20.0, 8.0));
    let tangent = mask(60, 40, disc(37.0, 20.0, 8.0)); // x = 28 and x = 29 meet
    let overlap = mask(60, 40, disc(30.0, 20.0, 8.0));
    let (t, o) = (contact(&a, &tangent), contact(&a, &overlap));
    assert!((1..=3).contains(&t), "tangent contact {t}");
    assert!(o > 5 * t, "overlap {o} vs tangent {t}");
    let row = |y: f64| mask(5, 3, move |x, yy| yy == y && x < 3.0);
    assert_eq!(contact(&row(0.0), &row(1.0)), 3);
    let p = |x: u32, y: u32| Mask::from_fn(3, 3, move |i, j| (i, j) == (x, y));
    assert_eq!(
        contact(&p(0, 0), &p(1, 1)),
        0,
        "diagonal is not a 4-neighbour"
    );
    assert_eq!(contact(&a, &mask(60, 40, disc(45.0, 20.0, 5.0))), 0);
}

#[test]
fn crossings_of_thick_lines() {
    let width = 5.0;
    let mut x = Canvas::new(120, 120);
    x.paint(BLUE, line((10.0, 10.0), (110.0, 110.0), width));
    x.paint(RED, line((10.0, 110.0), (110.0, 10.0), width)); // on top
    let m = x.masks(&[BLUE, RED]);
    assert_eq!(crossings(&m[0], &m[1], width + 2.0), 1);
    assert_eq!(crossings(&m[0], &m[1], 0.0), 2, "without join: two strips");
    let mut v = Canvas::new(120, 120);
    v.paint(BLUE, line((10.0, 20.0), (60.0, 100.0), width));
    v.paint(BLUE, line((60.0, 100.0), (110.0, 20.0), width));
    v.paint(RED, line((0.0, 60.0), (119.0, 60.0), width));
    let m = v.masks(&[BLUE, RED]);
    assert_eq!(crossings(&m[0], &m[1], width + 2.0), 2);
}

#[test]
fn crossings_parallel_near_and_touching() {
    let horizontal = |y: f64| line((5.0, y), (95.0, y), 5.0); // rows y-2 ..= y+2
    // Red 10 px clear of blue, 1 px clear, touching: touching is contact, so one crossing.
    for (y, want, clear) in [(55.0, 0, 10.0), (46.0, 0, 1.0), (45.0, 1, 0.0)] {
        let mut c = Canvas::new(100, 80);
        c.paint(BLUE, horizontal(40.0)).paint(RED, horizontal(y));
        let m = c.masks(&[BLUE, RED]);
        assert_eq!(crossings(&m[0], &m[1], 7.0), want, "red at y = {y}");
        assert_eq!(gap(&m[0], &m[1]), Some(clear));
    }
}

/// Small dense masks, then larger, sparse ones (many runs per row, runs of the other mask
/// just out of reach on either side, rows with runs of one mask only).
#[test]
fn crossings_match_chain_reference() {
    // (seed, cases, smallest width, width and height spread, density ‰, join quarters)
    let settings = [(3, 200, 1, 14, 500, 40), (11, 40, 20, 30, 120, 32)];
    for (seed, cases, w0, spread, density, joins) in settings {
        let mut rng = Lcg(seed);
        for _ in 0..cases {
            let (w, h) = (w0 + rng.below(spread), 1 + rng.below(spread));
            let (a, b) = (rng.any_mask(w, h, density), rng.any_mask(w, h, density));
            check_crossings(&a, &b, f64::from(rng.below(joins)) / 4.0);
        }
    }
}

#[test]
fn connects_paths_cut_by_a_line_on_top() {
    let (stroke, purple) = (5.0, [128, 0, 128]);
    let mut c = Canvas::new(200, 100);
    c.paint(BLUE, line((5.0, 30.0), (195.0, 30.0), 3.0));
    c.paint(GREEN, line((5.0, 70.0), (195.0, 70.0), 3.0));
    c.paint(RED, line((100.0, 55.0), (100.0, 85.0), stroke)); // cuts green only
    c.paint(purple, line((5.0, 50.0), (150.0, 50.0), 3.0)); // ends short of B
    let m = c.masks(&[BLUE, GREEN, RED, purple]);
    let (a, b) = (rect_of(-5, 0, 20, 100), rect_of(180, 0, 900, 100));
    let paths = [&m[0], &m[1], &m[3]];
    assert_eq!(connects(&paths, a, b, stroke + 2.0), 2);
    assert_eq!(
        connects(&paths, a, b, 0.0),
        1,
        "without join the cut path splits"
    );
    assert_eq!(connects(&paths, b, a, stroke + 2.0), 2, "symmetric");
    assert_eq!(connects(&paths, a, rect_of(300, 0, 400, 100), 1e9), 0);
    assert_eq!(connects(&[], a, b, 7.0), 0);
}

#[test]
fn connects_match_chain_reference() {
    let mut rng = Lcg(5);
    for _ in 0..200 {
        let (w, h) = (1 + rng.below(14), 1 + rng.below(14));
        let m = rng.any_mask(w, h, 300);
        let join = f64::from(rng.below(16)) / 2.0;
        let mut corner = |n: u32| i64::from(rng.below(n + 2)) - 1;
        let (x0, y0, x1, y1) = (corner(w), corner(h), corner(w), corner(h));
        let (from, to) = (
            rect_of(x0, y0, x0 + 5, y0 + 4),
            rect_of(x1, y1, x1 + 3, y1 + 6),
        );
        let pts = pixels(&m);
        let groups = brute_groups(&pts, (join.floor() as i64).max(1));
        let inside = |i: usize, r: Rect| {
            (r.x0..r.x1).contains(&pts[i].0) && (r.y0..r.y1).contains(&pts[i].1)
        };
        let hit = (0..pts.len()).any(|i| {
            inside(i, from) && (0..pts.len()).any(|j| groups[j] == groups[i] && inside(j, to))
        });
        let got = connects(&[&m], from, to, join);
        assert_eq!(got, u64::from(hit), "{from:?} {to:?} {join} {m:?}");
    }
}

#[test]
fn disagreement_three_nested_squares_labelled_four() {
    let (m, label) = (nested(3, 60, 7.0), 4);
    assert_ne!(contours(&m, 1), label);
    assert_eq!(contours(&m, 1), 3);
}

#[test]
fn disagreement_circles_two_px_apart_labelled_touching() {
    let mut c = Canvas::new(60, 40);
    c.paint(BLUE, disc(20.0, 20.0, 6.0)); // rightmost pixel x = 26
    c.paint(RED, disc(35.0, 20.0, 6.0)); // leftmost pixel x = 29
    let m = c.masks(&[BLUE, RED]);
    let apart = gap(&m[0], &m[1]).expect("both drawn");
    assert!(apart > 0.0, "labelled touching, but {apart} px apart");
    assert_eq!(apart, 2.0);
    assert_eq!(
        (contact(&m[0], &m[1]), crossings(&m[0], &m[1], 0.0)),
        (0, 0)
    );
}

#[test]
fn disagreement_x_labelled_two_crossings_and_bands_labelled_five() {
    let mut x = Canvas::new(80, 80);
    x.paint(BLUE, line((5.0, 5.0), (75.0, 75.0), 4.0));
    x.paint(RED, line((5.0, 75.0), (75.0, 5.0), 4.0));
    let m = x.masks(&[BLUE, RED]);
    assert_ne!(crossings(&m[0], &m[1], 6.0), 2);
    let bands = mask(10, 50, |_, y| {
        (0..4).any(|i| (y - 6.0 - 11.0 * f64::from(i)).abs() < 2.0)
    });
    assert_ne!(runs(&bands, Line::Column(3), 2), 5);
    let discs = mask(90, 30, |x, y| {
        (0..3).any(|i| disc(15.0 + 30.0 * f64::from(i), 15.0, 8.0)(x, y))
    });
    assert_ne!(components(&discs, 4), 2);
}

#[test]
fn results_are_deterministic() {
    let mut c = Canvas::new(120, 120);
    c.paint(BLUE, line((10.0, 10.0), (110.0, 110.0), 5.0));
    c.paint(RED, line((10.0, 110.0), (110.0, 10.0), 5.0));
    let (m1, m2) = (c.masks(&[BLUE, RED]), c.masks(&[BLUE, RED]));
    assert_eq!(m1, m2);
    let all = |m: &[Mask]| {
        (
            crossings(&m[0], &m[1], 7.0),
            gap(&m[0], &m[1]),
            contact(&m[0], &m[1]),
        )
    };
    assert_eq!(all(&m1), all(&m2));
}

/// Mask buffers go back to this thread's spares when dropped: every way of setting pixels
/// (cutting, `set`, `from_fn`) must leave the next mask of that size all clear.
#[test]
fn a_new_mask_is_clear_after_any_mask_of_its_size_was_dropped() {
    // Corner to corner, so the window `crossings` works in is the whole image.
    let mut c = Canvas::new(60, 40);
    c.paint(BLUE, line((-5.0, -5.0), (65.0, 45.0), 4.0));
    c.paint(RED, line((-5.0, 45.0), (65.0, -5.0), 4.0));
    let m = c.masks(&[BLUE, RED]);
    assert_eq!(crossings(&m[0], &m[1], 6.0), 1);
    drop(m);
    let mut set = Mask::new(60, 40);
    set.set(59, 39, true);
    drop(set);
    drop(mask(60, 40, |x, _| x > 30.0));
    let mut rng = Lcg(3);
    drop(rng.mask(60, 40, 500));
    for _ in 0..20 {
        assert_eq!(Mask::new(60, 40).count(), 0);
    }
    let window: Vec<Mask> = (0..20).map(|_| Mask::new(60, 40)).collect();
    assert!(window.iter().all(|m| m.count() == 0));
    drop(window);
    for (w, h) in [(30, 20), (60, 40), (61, 40), (1, 1), (200, 100)] {
        assert_eq!(
            Mask::new(w, h).count(),
            0,
            "a smaller or larger mask, {w}x{h}"
        );
    }
    // A smaller mask uses the front of a larger spare as it is; what it sets is cleared
    // again, so masks of every size that take the buffer next start clear.
    let mut small = Canvas::new(30, 20);
    small.paint(BLUE, line((0.0, 0.0), (30.0, 20.0), 3.0));
    let pixels = |m: &Mask| -> Vec<bool> {
        (0..20)
            .flat_map(|y| (0..30).map(move |x| (x, y)))
            .map(|(x, y)| m.get(x, y))
            .collect()
    };
    let first = pixels(&small.masks(&[BLUE, RED])[0]);
    assert!(first.contains(&true));
    for _ in 0..3 {
        let cut = small.masks(&[BLUE, RED]);
        assert_eq!(pixels(&cut[0]), first);
        assert_eq!(cut[0].count(), first.iter().filter(|&&v| v).count() as u64);
        assert_eq!(
            cut[0],
            Mask::from_fn(30, 20, |x, y| first[(y * 30 + x) as usize])
        );
        drop(cut);
        let mut set = Mask::new(20, 30);
        (0..20).for_each(|x| set.set(x, 29, true));
        drop(set);
        for (w, h) in [(200, 100), (60, 40), (30, 20), (20, 30)] {
            assert_eq!(Mask::new(w, h).count(), 0, "{w}x{h} after a smaller mask");
        }
    }
}
