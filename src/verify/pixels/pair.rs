//! Measures of two masks (gap, contact, crossings) and of masks between two regions
//! (connects), on the runs and labels of `label`.

use super::Mask;
use super::label::{
    Bounds, Run, Runs, View, bbox, each_label, join_label, join_reach, label_within, runs_of,
    same_size,
};

/// Smallest number of clear pixels between two masks.
///
/// With `d` the smallest Euclidean distance between the centres of a pixel of `a` and a
/// pixel of `b`: 0 when `d <= √2` (the masks overlap or touch, 4- or 8-adjacent), otherwise
/// `d - 1` (so one clear pixel between, axis-aligned, gives 1; diagonally, `2√2 - 1`). The
/// result is therefore 0 or at least 1. `None` when either mask is empty. Exact: the
/// squared distance is an integer found with Meijster's separable Euclidean distance
/// transform of `b` over a window of the masks' joint bounding box (see [`nearest_sq`]).
/// Panics if the sizes differ.
pub fn gap(a: &Mask, b: &Mask) -> Option<f64> {
    same_size(a, b);
    let d = nearest_sq(a, b)?;
    Some(if d <= 2 { 0.0 } else { (d as f64).sqrt() - 1.0 })
}

/// The smallest squared distance between a pixel of `a` and one of `b`; `None` when either
/// is empty.
///
/// The closest pair at distance `d` lies where the two boxes, each grown by `d`, overlap.
/// So the transform runs over the boxes grown by a reach `r` (8 px, doubling): a result
/// of at most `r²` is a pair within reach, hence the closest; a larger result (or none
/// in the window) doubles `r`. Once `r` spans the image the window is the boxes' union.
/// Masks that touch or nearly touch — the common question — cost a window about the
/// size of their meeting zone rather than of both shapes.
fn nearest_sq(a: &Mask, b: &Mask) -> Option<i64> {
    let (ba, bb) = (bbox(a)?, bbox(b)?);
    let (w, h) = a.dims();
    let mut reach = 8usize;
    while reach < w.max(h) {
        let window = ba.near(bb, reach, w, h);
        let found = window.and_then(|win| min_dist_sq(a.view(win), b.view(win)));
        match found {
            Some(d) if d <= (reach * reach) as i64 => return Some(d),
            _ => reach *= 2,
        }
    }
    let window = ba.union(bb);
    min_dist_sq(a.view(window), b.view(window))
}

/// Smallest squared distance from a set pixel of `a` to a set pixel of `b` in one window;
/// `None` when either has no set pixel there. Phase 1: per column, the distance `g` to the
/// nearest pixel of `b` (`far` where the column has none: a column with a pixel of `b`
/// always beats it, so `far` never wins while `b` has a pixel in the window).
fn min_dist_sq(a: View<'_>, b: View<'_>) -> Option<i64> {
    let (w, h) = (b.w(), b.h());
    let far = (w + h) as u32; // beyond any distance inside the window
    let mut g = vec![far; w * h];
    let mut any = false;
    for y in 0..h {
        for (x, &set) in b.row(y).iter().enumerate() {
            let above = if y > 0 { g[(y - 1) * w + x] + 1 } else { far };
            g[y * w + x] = if set { 0 } else { above.min(far) };
            any |= set;
        }
    }
    if !any {
        return None;
    }
    for i in (0..w * h.saturating_sub(1)).rev() {
        g[i] = g[i].min(g[i + w] + 1);
    }
    let (mut s, mut t) = (vec![0usize; w], vec![0usize; w]);
    let mut best = None::<i64>;
    for y in 0..h {
        if best != Some(0) && a.row(y).contains(&true) {
            let row = &g[y * w..(y + 1) * w];
            let d = row_min(row, a.row(y), &mut s, &mut t);
            best = Some(best.map_or(d, |b| b.min(d)));
        }
    }
    best
}

/// Phase 2 of Meijster et al. for one row: the lower envelope of the parabolas
/// `(x - i)² + g[i]²`, evaluated at the `x` where `a[x]` is set; returns the smallest value.
/// `s`/`t` are scratch of the row's length (envelope sites and their start columns).
fn row_min(g: &[u32], a: &[bool], s: &mut [usize], t: &mut [usize]) -> i64 {
    let m = g.len();
    let f = |x: usize, i: usize| (x as i64 - i as i64).pow(2) + i64::from(g[i]).pow(2);
    let sep = |i: usize, u: usize| {
        let num = (u * u) as i64 - (i * i) as i64 + i64::from(g[u]).pow(2) - i64::from(g[i]).pow(2);
        num.div_euclid(2 * (u - i) as i64)
    };
    let mut q: isize = 0;
    (s[0], t[0]) = (0, 0);
    for u in 1..m {
        while q >= 0 && f(t[q as usize], s[q as usize]) > f(t[q as usize], u) {
            q -= 1;
        }
        if q < 0 {
            (q, s[0]) = (0, u);
        } else {
            let start = 1 + sep(s[q as usize], u);
            if start < m as i64 {
                q += 1;
                (s[q as usize], t[q as usize]) = (u, start as usize);
            }
        }
    }
    let mut best = i64::MAX;
    for u in (0..m).rev() {
        if a[u] {
            best = best.min(f(u, s[q as usize]));
        }
        if q > 0 && u == t[q as usize] {
            q -= 1;
        }
    }
    best
}

/// Contact length: the number of pixels of `a` with a 4-neighbour in `b`. A pixel in both
/// masks counts only through a neighbour in `b`. Panics if the sizes differ.
pub fn contact(a: &Mask, b: &Mask) -> u64 {
    same_size(a, b);
    let (w, h) = a.dims();
    let window = bbox(a)
        .zip(bbox(b))
        .and_then(|(ba, bb)| ba.intersect(bb.grow(1, w, h)));
    let Some(r) = window else { return 0 };
    let near = |i: usize, x: usize, y: usize| {
        (x > 0 && b.bits[i - 1])
            || (x + 1 < w && b.bits[i + 1])
            || (y > 0 && b.bits[i - w])
            || (y + 1 < h && b.bits[i + w])
    };
    let pixels = (r.y0..r.y1).flat_map(|y| (r.x0..r.x1).map(move |x| (x, y)));
    pixels
        .filter(|&(x, y)| a.bits[y * w + x] && near(y * w + x, x, y))
        .count() as u64
}

/// Crossings of two masks: the number of contact regions.
///
/// The contact set is every pixel of `a` with an 8-neighbour in `b`, every pixel of `b`
/// with an 8-neighbour in `a`, and every pixel in both. Two contact pixels are in one
/// region exactly when a chain of contact pixels links them in which consecutive pixels
/// are at Chebyshev distance at most `k = max(1, floor(join))` (NaN counts as 0); `k = 1`
/// is plain 8-connectivity. Pass about the stroke width plus 2 so that a crossing where
/// the line drawn on top splits the other into two contact strips counts once. Masks that
/// merely touch (8-adjacent) have contact, so touching counts as one crossing; one clear
/// pixel between them gives none. Panics if the sizes differ.
pub fn crossings(a: &Mask, b: &Mask, join: f64) -> u64 {
    same_size(a, b);
    let (w, h) = a.dims();
    // Contact pixels and their 8-neighbours in the other mask all lie in this window.
    let window = bbox(a).zip(bbox(b));
    let window = window.and_then(|(ba, bb)| ba.near(bb, 1, w, h));
    let Some(r) = window else { return 0 };
    let (ra, rb) = (runs_of(a.view(r), true), runs_of(b.view(r), true));
    let touching = touching_runs(&ra, &rb);
    label_within(&touching, join_reach(join, r.w(), r.h())).1 as u64
}

/// The maximal runs of the contact set of two run sets of one window: the pixels of either
/// with an 8-neighbour (or itself) in the other. Works on runs alone, so the cost follows
/// the runs, not the pixels.
fn touching_runs(a: &Runs, b: &Runs) -> Runs {
    let (mut out, mut spans) = (Runs::default(), Vec::new());
    for y in 0..a.height() {
        spans.clear();
        near_spans(a, b, y, &mut spans);
        near_spans(b, a, y, &mut spans);
        spans.sort_unstable_by_key(|s: &Run| s.x0);
        // Overlapping or adjacent spans of this row make one maximal run.
        spans.iter().for_each(|s| out.record(y, s.x0, s.x1));
    }
    out.finish(a.height());
    out
}

/// Pushes onto `out` the parts of row `y`'s runs of `from` that have an 8-neighbour (or
/// the pixel itself) in `other`: pixel `x` does when a run `[x0, x1)` of `other` in rows
/// `y - 1 ..= y + 1` has `x0 - 1 <= x < x1 + 1`. Merge-walks the sorted runs.
fn near_spans(from: &Runs, other: &Runs, y: usize, out: &mut Vec<Run>) {
    let row = from.row(y);
    if row.is_empty() {
        return;
    }
    for yy in y.saturating_sub(1)..(y + 2).min(from.height()) {
        let near = other.row(yy);
        let mut i = 0;
        for r in row {
            // Runs of `other` whose reach ends left of `r` end left of the later runs too.
            while i < near.len() && near[i].x1 < r.x0 {
                i += 1;
            }
            for o in near[i..].iter().take_while(|o| o.x0 < r.x1 + 1) {
                let (x0, x1) = (r.x0.max(o.x0.saturating_sub(1)), r.x1.min(o.x1 + 1));
                out.push(Run { x0, x1 });
            }
        }
    }
}

/// An axis-aligned pixel rectangle, inclusive of `x0, y0` and exclusive of `x1, y1`,
/// clipped to the image when used.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rect {
    /// Left edge (inclusive).
    pub x0: i64,
    /// Top edge (inclusive).
    pub y0: i64,
    /// Right edge (exclusive).
    pub x1: i64,
    /// Bottom edge (exclusive).
    pub y1: i64,
}

impl Rect {
    fn clip(self, w: usize, h: usize) -> Bounds {
        let (cx, cy) = (
            |v: i64| v.clamp(0, w as i64) as usize,
            |v: i64| v.clamp(0, h as i64) as usize,
        );
        Bounds::new(cx(self.x0), cy(self.y0), cx(self.x1), cy(self.y1))
    }
}

/// How many of `masks` connect two regions: a mask counts when one of its components has
/// set pixels inside both `from` and `to`. Components are joined as in [`crossings`]: two
/// set pixels are in one component exactly when a chain of set pixels links them with
/// consecutive pixels at Chebyshev distance at most `k = max(1, floor(join))`, so a path
/// cut by another line drawn over it stays one when the cut is narrower than `k`.
/// Panics if a mask's size differs from the first one's.
pub fn connects(masks: &[&Mask], from: Rect, to: Rect, join: f64) -> u64 {
    if let Some(first) = masks.first() {
        masks.iter().for_each(|m| same_size(first, m));
    }
    masks
        .iter()
        .filter(|m| Joined::new(m, join).connects(from, to))
        .count() as u64
}

/// A mask's components with pieces within `join` pixels merged (the rule of [`connects`]),
/// labelled once so that several region pairs can be asked about.
pub struct Joined<'m> {
    mask: &'m Mask,
    /// Bounding box of the mask and, inside it, the runs, their ids and the id count.
    labels: Option<(Bounds, Runs, Vec<u32>, usize)>,
}

impl<'m> Joined<'m> {
    /// Labels `mask` with pieces within `join` pixels joined.
    pub fn new(mask: &'m Mask, join: f64) -> Self {
        let labels = bbox(mask).map(|b| {
            let (runs, ids, n) = join_label(mask.view(b), join);
            (b, runs, ids, n)
        });
        Self { mask, labels }
    }

    /// Whether one component has pixels inside both regions.
    pub fn connects(&self, from: Rect, to: Rect) -> bool {
        let (w, h) = self.mask.dims();
        let Some((b, runs, ids, n)) = &self.labels else {
            return false;
        };
        let inside = |r: Rect| Some(r.clip(w, h).intersect(*b)?.shift(*b));
        let (Some(f), Some(t)) = (inside(from), inside(to)) else {
            return false;
        };
        let view = self.mask.view(*b);
        let mut seen = vec![false; *n];
        each_label(view, f, runs, ids, |id| seen[id] = true);
        let mut hit = false;
        each_label(view, t, runs, ids, |id| hit |= seen[id]);
        hit
    }
}
