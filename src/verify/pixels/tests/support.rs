//! Drawing helpers and brute-force references for the pixel measure tests.

use super::super::*;

pub(super) const BG: [u8; 3] = [255, 255, 255];
pub(super) const BLUE: [u8; 3] = [0, 0, 255];
pub(super) const RED: [u8; 3] = [255, 0, 0];
pub(super) const GREEN: [u8; 3] = [0, 160, 0];

/// A white RGBA canvas painted shape by shape; later shapes are on top.
pub(super) struct Canvas {
    w: u32,
    h: u32,
    rgba: Vec<u8>,
}

impl Canvas {
    pub(super) fn new(w: u32, h: u32) -> Self {
        let rgba = [BG[0], BG[1], BG[2], 255].repeat(w as usize * h as usize);
        Canvas { w, h, rgba }
    }

    pub(super) fn paint(&mut self, rgb: [u8; 3], shape: impl Fn(f64, f64) -> bool) -> &mut Self {
        for y in 0..self.h {
            for x in 0..self.w {
                if shape(f64::from(x), f64::from(y)) {
                    let i = (y * self.w + x) as usize * 4;
                    self.rgba[i..i + 3].copy_from_slice(&rgb);
                }
            }
        }
        self
    }

    pub(super) fn masks(&self, colours: &[[u8; 3]]) -> Vec<Mask> {
        let rules: Vec<_> = colours.iter().map(|&rgb| color(rgb, 60.0)).collect();
        masks(&image(self.w, self.h, &self.rgba), BG, &rules)
    }
}

pub(super) fn image(width: u32, height: u32, rgba: &[u8]) -> Image<'_> {
    Image {
        width,
        height,
        rgba,
    }
}

pub(super) fn rect_of(x0: i64, y0: i64, x1: i64, y1: i64) -> Rect {
    Rect { x0, y0, x1, y1 }
}

/// The union of two shapes.
pub(super) fn or(
    f: impl Fn(f64, f64) -> bool,
    g: impl Fn(f64, f64) -> bool,
) -> impl Fn(f64, f64) -> bool {
    move |x, y| f(x, y) || g(x, y)
}

pub(super) fn color(rgb: [u8; 3], tolerance: f64) -> MaskRule {
    MaskRule::Color { rgb, tolerance }
}

pub(super) fn mask(w: u32, h: u32, shape: impl Fn(f64, f64) -> bool) -> Mask {
    Mask::from_fn(w, h, |x, y| shape(f64::from(x), f64::from(y)))
}

pub(super) fn disc(cx: f64, cy: f64, r: f64) -> impl Fn(f64, f64) -> bool {
    move |x, y| (x - cx).powi(2) + (y - cy).powi(2) <= r * r
}

pub(super) fn ring(cx: f64, cy: f64, r_in: f64, r_out: f64) -> impl Fn(f64, f64) -> bool {
    move |x, y| {
        let d = (x - cx).powi(2) + (y - cy).powi(2);
        d >= r_in * r_in && d <= r_out * r_out
    }
}

/// Half-open rectangle `[x0, x1) × [y0, y1)`.
pub(super) fn rect(x0: f64, y0: f64, x1: f64, y1: f64) -> impl Fn(f64, f64) -> bool {
    move |x, y| x >= x0 && x < x1 && y >= y0 && y < y1
}

/// Square outline of thickness `t` just inside `[x0, x1) × [y0, y1)`.
pub(super) fn outline(x0: f64, y0: f64, x1: f64, y1: f64, t: f64) -> impl Fn(f64, f64) -> bool {
    move |x, y| rect(x0, y0, x1, y1)(x, y) && !rect(x0 + t, y0 + t, x1 - t, y1 - t)(x, y)
}

/// Thick segment: pixel centres within `width / 2` of the segment `a`–`b`.
pub(super) fn line(a: (f64, f64), b: (f64, f64), width: f64) -> impl Fn(f64, f64) -> bool {
    move |x, y| {
        let (dx, dy) = (b.0 - a.0, b.1 - a.1);
        let t = (((x - a.0) * dx + (y - a.1) * dy) / (dx * dx + dy * dy)).clamp(0.0, 1.0);
        (x - a.0 - t * dx).powi(2) + (y - a.1 - t * dy).powi(2) <= (width / 2.0).powi(2)
    }
}

/// A tiny deterministic LCG (Knuth's MMIX constants).
pub(super) struct Lcg(pub(super) u64);

impl Lcg {
    pub(super) fn below(&mut self, n: u32) -> u32 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) % u64::from(n)) as u32
    }

    pub(super) fn any_mask(&mut self, w: u32, h: u32, max_per_mille: u32) -> Mask {
        let per_mille = self.below(max_per_mille);
        self.mask(w, h, per_mille)
    }

    pub(super) fn mask(&mut self, w: u32, h: u32, per_mille: u32) -> Mask {
        let mut m = Mask::new(w, h);
        for y in 0..h {
            for x in 0..w {
                m.set(x, y, self.below(1000) < per_mille);
            }
        }
        m
    }
}

pub(super) fn pixels(m: &Mask) -> Vec<(i64, i64)> {
    let (w, h) = (m.width(), m.height());
    let all = (0..h).flat_map(|y| (0..w).map(move |x| (x, y)));
    all.filter(|&(x, y)| m.get(x, y))
        .map(|(x, y)| (i64::from(x), i64::from(y)))
        .collect()
}

/// Components of `points` under the closure of `near` (O(n²) reference): a group id per point.
pub(super) fn brute_groups_by(
    points: &[(i64, i64)],
    near: impl Fn((i64, i64), (i64, i64)) -> bool,
) -> Vec<usize> {
    let mut group: Vec<usize> = (0..points.len()).collect();
    let mut changed = true;
    while changed {
        changed = false;
        for i in 0..points.len() {
            for j in 0..points.len() {
                if group[j] < group[i] && near(points[i], points[j]) {
                    (group[i], changed) = (group[j], true);
                }
            }
        }
    }
    group
}

/// Components of `points` chained by steps of Chebyshev length ≤ `k`.
pub(super) fn brute_groups(points: &[(i64, i64)], k: i64) -> Vec<usize> {
    brute_groups_by(points, |p, q| (p.0 - q.0).abs().max((p.1 - q.1).abs()) <= k)
}

pub(super) fn distinct(groups: &[usize]) -> u64 {
    let mut g = groups.to_vec();
    g.sort_unstable();
    g.dedup();
    g.len() as u64
}

/// `crossings` against the definition: contact pixels chained by steps of Chebyshev
/// length at most `max(1, floor(join))`.
pub(super) fn check_crossings(a: &Mask, b: &Mask, join: f64) {
    let near = |m: &Mask, p: (i64, i64)| {
        let adjacent = |q: &(i64, i64)| (p.0 - q.0).abs() <= 1 && (p.1 - q.1).abs() <= 1;
        pixels(m).iter().any(adjacent)
    };
    let mut touching: Vec<_> = pixels(a).into_iter().filter(|&p| near(b, p)).collect();
    touching.extend(pixels(b).into_iter().filter(|&p| near(a, p)));
    touching.sort_unstable();
    touching.dedup();
    let want = distinct(&brute_groups(&touching, (join.floor() as i64).max(1)));
    assert_eq!(crossings(a, b, join), want, "{join} {a:?} {b:?}");
}
