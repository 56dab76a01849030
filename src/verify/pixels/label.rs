//! Runs, windows and union-find labelling shared by the measures: components by runs
//! (8- or 4-connected, or joined within a Chebyshev distance), bounding boxes and views.

use super::Mask;
pub(super) use super::runs::{Run, Runs, runs_of};

/// Calls `f` with the joined-component id of the set pixels of `view` inside `r`.
pub(super) fn each_label(
    view: View<'_>,
    r: Bounds,
    runs: &Runs,
    ids: &[u32],
    mut f: impl FnMut(usize),
) {
    for y in r.y0..r.y1 {
        let (row, first) = (view.row(y), runs.rows[y]);
        let span = &runs.runs[first..runs.rows[y + 1]];
        let mut x = r.x0;
        while x < r.x1 {
            if row[x] {
                let i = span.partition_point(|run| run.x1 as usize <= x);
                f(ids[first + i] as usize);
                x = span[i].x1 as usize; // the rest of this run has the same id
            } else {
                x += 1;
            }
        }
    }
}

/// Labels `view` with pixels joined at Chebyshev distance `k = max(1, floor(join))`: two set
/// pixels are in one component when a chain of set pixels links them with steps of
/// Chebyshev length at most `k`. Returns the runs of the view, their component ids and the
/// component count.
pub(super) fn join_label(view: View<'_>, join: f64) -> (Runs, Vec<u32>, usize) {
    let runs = runs_of(view, true);
    let ids = label_within(&runs, join_reach(join, view.w(), view.h()));
    (runs, ids.0, ids.1)
}

/// The Chebyshev reach `k = max(1, floor(join))` of a join, capped by a `w × h` window's
/// larger side (beyond it every pair of pixels is joined anyway); NaN counts as 0.
pub(super) fn join_reach(join: f64, w: usize, h: usize) -> usize {
    (join.floor() as usize).clamp(1, w.max(h).max(1))
}

/// Components of runs where two pixels belong together when they are at most `k` apart
/// (Chebyshev): runs of rows up to `k` apart are joined when their horizontal gap is at most
/// `k`. Work is proportional to the runs and `k`, not to the pixels.
pub(super) fn label_within(runs: &Runs, k: usize) -> (Vec<u32>, usize) {
    let n = runs.runs.len();
    let mut parent: Vec<u32> = (0..n as u32).collect();
    let k32 = k as u32;
    let rows = runs.rows.len().saturating_sub(1);
    for y in 0..rows {
        let row = runs.rows[y]..runs.rows[y + 1];
        for j in row.clone().skip(1) {
            if runs.runs[j].x0 <= runs.runs[j - 1].x1 - 1 + k32 {
                union(&mut parent, (j - 1) as u32, j as u32);
            }
        }
        for above in y.saturating_sub(k)..y {
            join_rows(runs, above, row.clone(), k32, &mut parent);
        }
    }
    finish_labels(&mut parent)
}

/// Joins each run of `row` with the runs of row `above` within `k` pixels horizontally.
pub(super) fn join_rows(
    runs: &Runs,
    above: usize,
    row: std::ops::Range<usize>,
    k: u32,
    parent: &mut [u32],
) {
    let (mut start, end) = (runs.rows[above], runs.rows[above + 1]);
    for j in row {
        let c = runs.runs[j];
        // Runs of `above` ending more than k left of `c` are out of reach for later runs too.
        while start < end && runs.runs[start].x1 + k <= c.x0 {
            start += 1;
        }
        let mut i = start;
        while i < end && runs.runs[i].x0 < c.x1 + k {
            union(parent, i as u32, j as u32);
            i += 1;
        }
    }
}

pub(super) fn same_size(a: &Mask, b: &Mask) {
    let (wa, ha, wb, hb) = (a.width, a.height, b.width, b.height);
    assert!(
        (wa, ha) == (wb, hb),
        "mask sizes differ: {wa}x{ha} and {wb}x{hb}"
    );
}

/// A half-open pixel box `[x0, x1) × [y0, y1)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Bounds {
    pub(super) x0: usize,
    pub(super) y0: usize,
    pub(super) x1: usize,
    pub(super) y1: usize,
}

impl Bounds {
    pub(super) fn new(x0: usize, y0: usize, x1: usize, y1: usize) -> Self {
        Bounds { x0, y0, x1, y1 }
    }

    pub(super) fn w(self) -> usize {
        self.x1 - self.x0
    }

    pub(super) fn h(self) -> usize {
        self.y1 - self.y0
    }

    pub(super) fn union(self, o: Bounds) -> Bounds {
        let (x0, y0) = (self.x0.min(o.x0), self.y0.min(o.y0));
        Bounds::new(x0, y0, self.x1.max(o.x1), self.y1.max(o.y1))
    }

    pub(super) fn intersect(self, o: Bounds) -> Option<Bounds> {
        let (x0, y0) = (self.x0.max(o.x0), self.y0.max(o.y0));
        let (x1, y1) = (self.x1.min(o.x1), self.y1.min(o.y1));
        (x0 < x1 && y0 < y1).then_some(Bounds { x0, y0, x1, y1 })
    }

    /// Grown by `r` on every side, clipped to `[0, w) × [0, h)`.
    pub(super) fn grow(self, r: usize, w: usize, h: usize) -> Bounds {
        let (x0, y0) = (self.x0.saturating_sub(r), self.y0.saturating_sub(r));
        Bounds::new(x0, y0, (self.x1 + r).min(w), (self.y1 + r).min(h))
    }

    /// The part of `[0, w) × [0, h)` within `r` (Chebyshev) of both boxes, if any: where a
    /// pixel of each can lie when the two are at most `r` apart.
    pub(super) fn near(self, o: Bounds, r: usize, w: usize, h: usize) -> Option<Bounds> {
        self.grow(r, w, h).intersect(o.grow(r, w, h))
    }

    /// In the coordinates of `origin`'s top-left corner.
    pub(super) fn shift(self, origin: Bounds) -> Bounds {
        let (x, y) = (origin.x0, origin.y0);
        Bounds::new(self.x0 - x, self.y0 - y, self.x1 - x, self.y1 - y)
    }
}

/// The bounding box of the set pixels, if any.
pub(super) fn bbox(mask: &Mask) -> Option<Bounds> {
    if let Some(known) = mask.bounds {
        return known;
    }
    let rows = (0..mask.dims().1).map(|y| mask.full().row(y));
    let spans = rows.enumerate().filter_map(|(y, row)| {
        let x0 = seek(row, true)?;
        let x1 = seek_last(row).map_or(x0, |x| x) + 1;
        Some(Bounds::new(x0, y, x1, y + 1))
    });
    spans.reduce(Bounds::union)
}

/// A window of a mask.
#[derive(Clone, Copy)]
pub(super) struct View<'a> {
    pub(super) mask: &'a Mask,
    pub(super) b: Bounds,
}

impl<'a> View<'a> {
    pub(super) fn w(&self) -> usize {
        self.b.w()
    }

    pub(super) fn h(&self) -> usize {
        self.b.h()
    }

    pub(super) fn row(&self, y: usize) -> &'a [bool] {
        let start = (self.b.y0 + y) * self.mask.width as usize;
        &self.mask.bits[start + self.b.x0..start + self.b.x1]
    }
}

/// The first index of `value` in `row`: blocks of 32 are tested branch-free first, which
/// the compiler vectorises, so long uniform stretches are skipped fast.
pub(super) fn seek(row: &[bool], value: bool) -> Option<usize> {
    let mut skipped = 0;
    for block in row.chunks(32) {
        if block.iter().fold(false, |any, &v| any | (v == value)) {
            return block.iter().position(|&v| v == value).map(|i| skipped + i);
        }
        skipped += block.len();
    }
    None
}

/// The last index of a set pixel in `row`, like [`seek`] from the end.
pub(super) fn seek_last(row: &[bool]) -> Option<usize> {
    let mut start = row.len();
    for block in row.rchunks(32) {
        start -= block.len();
        if block.iter().fold(false, |any, &v| any | v) {
            return block.iter().rposition(|&v| v).map(|i| start + i);
        }
    }
    None
}

/// Connected components of runs (8- or 4-connected): a component id per run, numbered in
/// the order of each component's first run, and the number of components.
pub(super) fn label(runs: &Runs, eight: bool) -> (Vec<u32>, usize) {
    let n = runs.runs.len();
    let mut parent: Vec<u32> = (0..n as u32).collect();
    let slack = u32::from(eight);
    for y in 1..runs.rows.len().saturating_sub(1) {
        let (mut i, above_end) = (runs.rows[y - 1], runs.rows[y]);
        let (mut j, end) = (runs.rows[y], runs.rows[y + 1]);
        // Merge-walk the two rows; the run that ends first cannot touch later runs.
        while i < above_end && j < end {
            let (p, c) = (runs.runs[i], runs.runs[j]);
            if p.x0 < c.x1 + slack && c.x0 < p.x1 + slack {
                union(&mut parent, i as u32, j as u32);
            }
            if p.x1 < c.x1 { i += 1 } else { j += 1 }
        }
    }
    finish_labels(&mut parent)
}

/// Component ids numbered in the order of each component's first run, and their number.
pub(super) fn finish_labels(parent: &mut [u32]) -> (Vec<u32>, usize) {
    let n = parent.len();
    let (mut ids, mut count) = (vec![0u32; n], 0);
    for i in 0..n {
        let root = find(parent, i as u32) as usize;
        ids[i] = if root == i { count } else { ids[root] };
        count += u32::from(root == i);
    }
    (ids, count as usize)
}

/// The root of `i`, halving the path on the way.
pub(super) fn find(parent: &mut [u32], mut i: u32) -> u32 {
    while parent[i as usize] != i {
        let up = parent[parent[i as usize] as usize];
        parent[i as usize] = up;
        i = up;
    }
    i
}

/// Joins two sets; the root is the smaller index, so labels do not depend on the order.
pub(super) fn union(parent: &mut [u32], a: u32, b: u32) {
    let (ra, rb) = (find(parent, a), find(parent, b));
    if ra != rb {
        parent[ra.max(rb) as usize] = ra.min(rb);
    }
}
