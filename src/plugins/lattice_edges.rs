//! The used unit edges of one lattice map attempt ([`super::lattice_routes`]).
//!
//! Role: the walk asks "is this edge unused? then mark it" at every step, so the set is the
//! generator's hottest structure. Edges inside a bounding box of at most [`MAX_DENSE`]
//! points are one flag each (two per point: the edge to the right and the edge up); any
//! other edge goes to an ordered set. Invariant: the answers are those of one set of
//! normalised edges, whichever store holds an edge, so the maps do not depend on the box.

use std::collections::BTreeSet;

use super::lattice_routes::Point;

/// The most lattice points the flags cover (two bytes each).
pub const MAX_DENSE: i64 = 1 << 22;

/// An undirected edge as its two points in order.
pub fn edge_key(a: Point, b: Point) -> (Point, Point) {
    if a <= b { (a, b) } else { (b, a) }
}

/// A set of undirected unit edges.
pub struct Edges {
    /// `(x0, y0, width, height)` of the box the flags cover, if any.
    frame: Option<(i64, i64, i64, i64)>,
    flags: Vec<bool>,
    others: BTreeSet<(Point, Point)>,
}

impl Edges {
    /// An empty set whose flags cover the box `[x0, x1] × [y0, y1]` when it has at most
    /// [`MAX_DENSE`] points.
    pub fn new((x0, y0, x1, y1): (i64, i64, i64, i64)) -> Self {
        let size = |lo: i64, hi: i64| hi.checked_sub(lo)?.checked_add(1).filter(|&n| n > 0);
        let frame = size(x0, x1)
            .zip(size(y0, y1))
            .filter(|&(w, h)| w.checked_mul(h).is_some_and(|n| n <= MAX_DENSE))
            .map(|(w, h)| (x0, y0, w, h));
        let flags = frame.map_or(0, |(_, _, w, h)| (2 * w * h) as usize);
        Self {
            frame,
            flags: vec![false; flags],
            others: BTreeSet::new(),
        }
    }

    /// Marks the edge between `a` and `b` (either order); true iff it was not marked.
    pub fn insert(&mut self, a: Point, b: Point) -> bool {
        let key = edge_key(a, b);
        match self.flag(key) {
            Some(i) => !std::mem::replace(&mut self.flags[i], true),
            None => self.others.insert(key),
        }
    }

    /// The flag of a unit edge `(p, q)`, `p < q`, whose points both lie in the box.
    fn flag(&self, (p, q): (Point, Point)) -> Option<usize> {
        let (x0, y0, w, h) = self.frame?;
        let dir = match (q.0 - p.0, q.1 - p.1) {
            (1, 0) => 0,
            (0, 1) => 1,
            _ => return None,
        };
        let (x, y) = (p.0.checked_sub(x0)?, p.1.checked_sub(y0)?);
        let inside = |x: i64, y: i64| (0..w).contains(&x) && (0..h).contains(&y);
        (inside(x, y) && inside(x + 1 - dir, y + dir)).then(|| (2 * (y * w + x) + dir) as usize)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Flags and the ordered set answer alike: the same edges, inserted in any direction,
    /// inside and outside the box and with a box too large for flags.
    #[test]
    fn edges_answer_like_one_set_of_normalised_edges() {
        let moves = [(1, 0), (-1, 0), (0, 1), (0, -1), (2, 0)];
        for frame in [
            (0, 0, 5, 4),
            (2, 1, 3, 3),
            (0, 0, 1 << 12, 1 << 12),
            (3, 3, 2, 2),
        ] {
            let mut edges = Edges::new(frame);
            let mut reference = BTreeSet::new();
            let mut state = 7u64;
            for _ in 0..2000 {
                state = state
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                let r = (state >> 33) as i64;
                let a = (r % 9 - 1, (r / 9) % 8 - 1);
                let m = moves[((r / 72) % 5) as usize];
                let b = (a.0 + m.0, a.1 + m.1);
                let key = if a <= b { (a, b) } else { (b, a) };
                assert_eq!(
                    edges.insert(a, b),
                    reference.insert(key),
                    "{frame:?} {a:?}-{b:?}"
                );
            }
        }
    }
}
