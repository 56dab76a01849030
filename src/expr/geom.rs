//! Plane-geometry primitives behind the geometry built-ins, on plain `[x, y]` arrays.
//!
//! Predicates use one tolerance rule: three points are collinear when the cross product
//! of `q - p` and `r - p` is at most [`ORIENT_TOL`] times the product of their lengths
//! (the angle at `p` is within about 1e-12 radians of 0 or 180 degrees), so results do
//! not flip on rounding noise. Callers keep coordinates within [`MAX_COORD`] in
//! magnitude, which keeps every product of coordinate differences finite; under that
//! precondition nothing here produces NaN or infinity.

/// A point `[x, y]`.
pub(crate) type Pt = [f64; 2];

/// Largest accepted coordinate magnitude (see the module docs).
pub(crate) const MAX_COORD: f64 = 1e100;

/// Relative tolerance of [`orient`].
pub(crate) const ORIENT_TOL: f64 = 1e-12;

/// Relative tolerance of the tangency tests of [`circle_relation`].
pub(crate) const TANGENT_TOL: f64 = 1e-9;

fn sub(a: Pt, b: Pt) -> Pt {
    [a[0] - b[0], a[1] - b[1]]
}

fn cross(u: Pt, v: Pt) -> f64 {
    u[0] * v[1] - u[1] * v[0]
}

fn len(u: Pt) -> f64 {
    u[0].hypot(u[1])
}

/// Whether `u` and `v` are parallel within [`ORIENT_TOL`] (also when either is zero).
fn parallel(u: Pt, v: Pt) -> bool {
    cross(u, v).abs() <= ORIENT_TOL * len(u) * len(v)
}

/// Orientation of `r` relative to the directed line `p -> q`: the sign of
/// `(q - p) x (r - p)`, or 0 when the three points are collinear within tolerance.
/// In y-down screen coordinates 1 means `r` is clockwise from `q` as seen from `p`.
pub(crate) fn orient(p: Pt, q: Pt, r: Pt) -> i8 {
    let (u, v) = (sub(q, p), sub(r, p));
    let c = cross(u, v);
    if parallel(u, v) {
        0
    } else if c > 0.0 {
        1
    } else {
        -1
    }
}

/// Whether `p`, known to be collinear with `a` and `b`, lies on the closed segment `a b`.
/// A zero-length segment contains only its own point.
fn on_segment(p: Pt, a: Pt, b: Pt) -> bool {
    if a == b {
        return p == a;
    }
    // Scale by the larger component so the squared length cannot underflow.
    let d = sub(b, a);
    let m = d[0].abs().max(d[1].abs());
    let (u, w) = ([d[0] / m, d[1] / m], [(p[0] - a[0]) / m, (p[1] - a[1]) / m]);
    let t = (w[0] * u[0] + w[1] * u[1]) / (u[0] * u[0] + u[1] * u[1]);
    (-ORIENT_TOL..=1.0 + ORIENT_TOL).contains(&t)
}

/// Whether `p` lies on the closed segment `a b` (within the collinearity tolerance).
pub(crate) fn on_closed_segment(p: Pt, a: Pt, b: Pt) -> bool {
    orient(a, b, p) == 0 && on_segment(p, a, b)
}

/// Whether the closed segments `p1 p2` and `q1 q2` share a point. Touching endpoints,
/// an endpoint on the other segment and collinear overlap all count; a zero-length
/// segment is a point.
pub(crate) fn segments_intersect(p1: Pt, p2: Pt, q1: Pt, q2: Pt) -> bool {
    let (d1, d2) = (orient(q1, q2, p1), orient(q1, q2, p2));
    let (d3, d4) = (orient(p1, p2, q1), orient(p1, p2, q2));
    if d1 * d2 < 0 && d3 * d4 < 0 {
        return true;
    }
    (d1 == 0 && on_segment(p1, q1, q2))
        || (d2 == 0 && on_segment(p2, q1, q2))
        || (d3 == 0 && on_segment(q1, p1, p2))
        || (d4 == 0 && on_segment(q2, p1, p2))
}

/// Why [`segment_intersection`] has no single answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum NoPoint {
    /// The first segment has zero length.
    FirstDegenerate,
    /// The second segment has zero length.
    SecondDegenerate,
    /// The segments are parallel (or collinear), whether or not they touch.
    Parallel,
    /// The segments do not meet.
    Disjoint,
}

/// The single point shared by two non-parallel segments. An endpoint lying on the other
/// segment is returned exactly; otherwise the point is clamped onto segment `p1 p2`.
pub(crate) fn segment_intersection(p1: Pt, p2: Pt, q1: Pt, q2: Pt) -> Result<Pt, NoPoint> {
    let (u, v) = (sub(p2, p1), sub(q2, q1));
    if p1 == p2 {
        return Err(NoPoint::FirstDegenerate);
    }
    if q1 == q2 {
        return Err(NoPoint::SecondDegenerate);
    }
    if parallel(u, v) {
        return Err(NoPoint::Parallel);
    }
    if !segments_intersect(p1, p2, q1, q2) {
        return Err(NoPoint::Disjoint);
    }
    let exact = [
        (p1, orient(q1, q2, p1)),
        (p2, orient(q1, q2, p2)),
        (q1, orient(p1, p2, q1)),
        (q2, orient(p1, p2, q2)),
    ];
    if let Some((p, _)) = exact.iter().find(|(_, o)| *o == 0) {
        return Ok(*p);
    }
    let t = (cross(sub(q1, p1), v) / cross(u, v)).clamp(0.0, 1.0);
    Ok([p1[0] + t * u[0], p1[1] + t * u[1]])
}

/// Euclidean distance.
pub(crate) fn distance(p: Pt, q: Pt) -> f64 {
    len(sub(q, p))
}

/// Distance from `p` to the closed segment `a b` (to `a` if the segment has zero length).
pub(crate) fn point_segment_distance(p: Pt, a: Pt, b: Pt) -> f64 {
    let (d, w) = (sub(b, a), sub(p, a));
    let dd = d[0] * d[0] + d[1] * d[1];
    if dd == 0.0 {
        return distance(p, a);
    }
    let t = ((w[0] * d[0] + w[1] * d[1]) / dd).clamp(0.0, 1.0);
    distance(p, [a[0] + t * d[0], a[1] + t * d[1]])
}

/// How two circles lie relative to each other; see [`circle_relation`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum CircleRelation {
    Separate,
    Tangent,
    Overlapping,
    InternallyTangent,
    Contained,
}

impl CircleRelation {
    pub(crate) fn name(self) -> &'static str {
        match self {
            CircleRelation::Separate => "separate",
            CircleRelation::Tangent => "tangent",
            CircleRelation::Overlapping => "overlapping",
            CircleRelation::InternallyTangent => "internally_tangent",
            CircleRelation::Contained => "contained",
        }
    }
}

/// Classifies circles `(c1, r1)` and `(c2, r2)` (radii > 0) by the centre distance `d`,
/// with `tol = TANGENT_TOL * (r1 + r2)`, testing in this order:
/// `|d - (r1 + r2)| <= tol` tangent; `d > r1 + r2` separate; coincident circles
/// (`d <= tol` and `|r1 - r2| <= tol`) contained; `|d - |r1 - r2|| <= tol` internally
/// tangent; `d < |r1 - r2|` contained; otherwise overlapping.
pub(crate) fn circle_relation(c1: Pt, r1: f64, c2: Pt, r2: f64) -> CircleRelation {
    let d = distance(c1, c2);
    let (sum, diff) = (r1 + r2, (r1 - r2).abs());
    let tol = TANGENT_TOL * sum;
    if (d - sum).abs() <= tol {
        CircleRelation::Tangent
    } else if d > sum {
        CircleRelation::Separate
    } else if d <= tol && diff <= tol {
        CircleRelation::Contained
    } else if (d - diff).abs() <= tol {
        CircleRelation::InternallyTangent
    } else if d < diff {
        CircleRelation::Contained
    } else {
        CircleRelation::Overlapping
    }
}

/// The edges of a closed polygon, including the one from the last point back to the first.
fn edges(poly: &[Pt]) -> impl Iterator<Item = (Pt, Pt)> + '_ {
    poly.iter()
        .zip(poly.iter().cycle().skip(1))
        .map(|(a, b)| (*a, *b))
}

/// Even-odd point-in-polygon test; points on an edge or vertex count as inside.
pub(crate) fn point_in_polygon(p: Pt, poly: &[Pt]) -> bool {
    if edges(poly).any(|(a, b)| on_closed_segment(p, a, b)) {
        return true;
    }
    let mut inside = false;
    for (a, b) in edges(poly) {
        // Half-open in y, so a ray through a vertex counts it once.
        let upward = a[1] <= p[1] && p[1] < b[1];
        let downward = b[1] <= p[1] && p[1] < a[1];
        if (upward && orient(a, b, p) > 0) || (downward && orient(a, b, p) < 0) {
            inside = !inside;
        }
    }
    inside
}

/// Absolute area by the shoelace formula (relative to the first point, for precision).
/// A self-intersecting polygon gives the absolute value of its signed area.
pub(crate) fn polygon_area(poly: &[Pt]) -> f64 {
    let Some(&o) = poly.first() else {
        return 0.0;
    };
    let twice: f64 = poly
        .windows(2)
        .map(|w| cross(sub(w[0], o), sub(w[1], o)))
        .sum();
    twice.abs() / 2.0
}

/// Mean of the points (computed relative to the first point, for precision).
pub(crate) fn centroid(points: &[Pt]) -> Option<Pt> {
    let &o = points.first()?;
    let n = points.len() as f64;
    let (sx, sy) = points.iter().fold((0.0, 0.0), |(sx, sy), p| {
        (sx + (p[0] - o[0]), sy + (p[1] - o[1]))
    });
    Some([o[0] + sx / n, o[1] + sy / n])
}

/// `[xmin, ymin, xmax, ymax]` of the points.
pub(crate) fn bbox(points: &[Pt]) -> Option<[f64; 4]> {
    let &[x, y] = points.first()?;
    Some(points.iter().fold([x, y, x, y], |b, p| {
        [
            b[0].min(p[0]),
            b[1].min(p[1]),
            b[2].max(p[0]),
            b[3].max(p[1]),
        ]
    }))
}

/// `p` turned by `sin`/`cos` of an angle about `c`; positive angles turn clockwise on a
/// y-down screen (the matrix `[cos -sin; sin cos]`, like SVG's `rotate`).
pub(crate) fn rotate(p: Pt, c: Pt, sin: f64, cos: f64) -> Pt {
    let d = sub(p, c);
    [
        c[0] + d[0] * cos - d[1] * sin,
        c[1] + d[0] * sin + d[1] * cos,
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn orientation_and_tolerance() {
        assert_eq!(orient([0.0, 0.0], [1.0, 0.0], [0.0, 1.0]), 1);
        assert_eq!(orient([0.0, 0.0], [1.0, 0.0], [0.0, -1.0]), -1);
        assert_eq!(orient([0.0, 0.0], [1.0, 1.0], [3.0, 3.0]), 0);
        // Rounding noise is collinear; a clear offset is not.
        assert_eq!(orient([0.1, 0.1], [0.3, 0.3], [0.7, 0.7]), 0);
        assert_eq!(orient([0.0, 0.0], [1e6, 0.0], [2e6, 1e-9]), 0);
        assert_eq!(orient([0.0, 0.0], [1.0, 0.0], [2.0, 1e-9]), 1);
        // A repeated point makes any triple collinear.
        assert_eq!(orient([1.0, 2.0], [1.0, 2.0], [5.0, -3.0]), 0);
        assert_eq!(orient([5e-324, 0.0], [0.0, 5e-324], [0.0, 0.0]), 0);
        assert_eq!(orient([-1e100, -1e100], [1e100, -1e100], [0.0, 1e100]), 1);
    }

    #[test]
    fn segment_intersection_cases() {
        let s = |a: Pt, b: Pt, c: Pt, d: Pt| segments_intersect(a, b, c, d);
        assert!(s([0.0, 0.0], [2.0, 2.0], [0.0, 2.0], [2.0, 0.0])); // proper crossing
        assert!(!s([0.0, 0.0], [1.0, 1.0], [0.0, 2.0], [0.9, 1.1])); // near miss
        assert!(s([0.0, 0.0], [1.0, 0.0], [1.0, 0.0], [1.0, 5.0])); // shared endpoint
        assert!(s([0.0, 0.0], [2.0, 0.0], [1.0, 0.0], [1.0, 5.0])); // T junction
        assert!(s([0.0, 0.0], [2.0, 0.0], [1.0, 0.0], [3.0, 0.0])); // collinear overlap
        assert!(s([0.0, 0.0], [1.0, 0.0], [1.0, 0.0], [3.0, 0.0])); // collinear touch
        assert!(!s([0.0, 0.0], [1.0, 0.0], [1.5, 0.0], [3.0, 0.0])); // collinear gap
        assert!(!s([0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [1.0, 1.0])); // parallel
        // Zero-length segments are points.
        assert!(s([1.0, 0.0], [1.0, 0.0], [0.0, 0.0], [2.0, 0.0]));
        assert!(!s([1.0, 0.5], [1.0, 0.5], [0.0, 0.0], [2.0, 0.0]));
        assert!(s([1.0, 1.0], [1.0, 1.0], [1.0, 1.0], [1.0, 1.0]));
        assert!(!s([1.0, 1.0], [1.0, 1.0], [1.0, 2.0], [1.0, 2.0]));
        // Symmetric in both the segment order and the endpoint order.
        let (a, b, c, d) = ([0.0, 0.0], [4.0, 1.0], [3.0, -1.0], [1.0, 2.0]);
        assert!(s(a, b, c, d) && s(b, a, c, d) && s(c, d, a, b) && s(d, c, b, a));
    }

    #[test]
    fn intersection_points() {
        let x = segment_intersection([0.0, 0.0], [2.0, 2.0], [0.0, 2.0], [2.0, 0.0]);
        assert_eq!(x, Ok([1.0, 1.0]));
        let x = segment_intersection([0.0, 0.0], [3.0, 0.0], [0.1, 0.0], [1.0, 7.0]);
        assert_eq!(x, Ok([0.1, 0.0]));
        let x = segment_intersection([0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [1.0, 1.0]);
        assert_eq!(x, Err(NoPoint::Parallel));
        let x = segment_intersection([0.0, 0.0], [1.0, 0.0], [1.0, 0.0], [2.0, 0.0]);
        assert_eq!(x, Err(NoPoint::Parallel));
        let x = segment_intersection([0.0, 0.0], [1.0, 1.0], [3.0, 0.0], [2.0, 1.0]);
        assert_eq!(x, Err(NoPoint::Disjoint));
        let x = segment_intersection([1.0, 1.0], [1.0, 1.0], [0.0, 0.0], [2.0, 2.0]);
        assert_eq!(x, Err(NoPoint::FirstDegenerate));
        let x = segment_intersection([0.0, 0.0], [2.0, 2.0], [1.0, 1.0], [1.0, 1.0]);
        assert_eq!(x, Err(NoPoint::SecondDegenerate));
        let [x, y] = segment_intersection([0.0, 0.0], [10.0, 3.0], [0.0, 3.0], [10.0, 0.0])
            .unwrap_or_default();
        assert!((x - 5.0).abs() < 1e-12 && (y - 1.5).abs() < 1e-12);
    }

    #[test]
    fn distances() {
        assert_eq!(distance([1.0, 1.0], [4.0, 5.0]), 5.0);
        let psd = point_segment_distance;
        assert_eq!(psd([1.0, 3.0], [0.0, 0.0], [2.0, 0.0]), 3.0); // interior foot
        assert_eq!(psd([5.0, 4.0], [0.0, 0.0], [2.0, 0.0]), 5.0); // past the end
        assert_eq!(psd([-3.0, -4.0], [0.0, 0.0], [2.0, 0.0]), 5.0); // before the start
        assert_eq!(psd([3.0, 4.0], [0.0, 0.0], [0.0, 0.0]), 5.0); // zero-length segment
        assert_eq!(psd([1.0, 0.0], [0.0, 0.0], [2.0, 0.0]), 0.0);
    }

    #[test]
    fn circle_relations() {
        let rel = |d: f64, r1: f64, r2: f64| circle_relation([0.0, 0.0], r1, [d, 0.0], r2).name();
        assert_eq!(rel(3.0, 1.0, 1.0), "separate");
        assert_eq!(rel(2.0, 1.0, 1.0), "tangent");
        assert_eq!(rel(2.0 + 1e-12, 1.0, 1.0), "tangent");
        assert_eq!(rel(2.0 + 1e-6, 1.0, 1.0), "separate");
        assert_eq!(rel(1.5, 1.0, 1.0), "overlapping");
        assert_eq!(rel(1.0, 2.0, 1.0), "internally_tangent");
        assert_eq!(rel(1.0, 1.0, 2.0), "internally_tangent");
        assert_eq!(rel(0.5, 2.0, 1.0), "contained");
        assert_eq!(rel(0.0, 2.0, 1.0), "contained");
        assert_eq!(rel(0.0, 1.0, 1.0), "contained"); // coincident
        let r = circle_relation([0.1, 0.2], 0.3, [0.1 + 0.3, 0.2 + 0.4], 0.2);
        assert_eq!(r, CircleRelation::Tangent);
    }

    #[test]
    fn polygons() {
        let sq: Vec<Pt> = vec![[0.0, 0.0], [4.0, 0.0], [4.0, 4.0], [0.0, 4.0]];
        assert_eq!(polygon_area(&sq), 16.0);
        let rev: Vec<Pt> = sq.iter().rev().copied().collect();
        assert_eq!(polygon_area(&rev), 16.0);
        assert!(point_in_polygon([2.0, 2.0], &sq));
        assert!(!point_in_polygon([5.0, 2.0], &sq));
        assert!(point_in_polygon([4.0, 2.0], &sq)); // edge
        assert!(point_in_polygon([0.0, 4.0], &sq)); // vertex
        assert!(point_in_polygon([0.0, 2.0], &sq)); // closing edge
        assert!(!point_in_polygon([-1.0, 0.0], &sq)); // ray along an edge
        assert!(!point_in_polygon([-1.0, 4.0], &sq));
        // A ray through a vertex counts it once.
        let diamond: Vec<Pt> = vec![[0.0, -2.0], [2.0, 0.0], [0.0, 2.0], [-2.0, 0.0]];
        assert!(point_in_polygon([0.0, 0.0], &diamond));
        assert!(!point_in_polygon([-3.0, 0.0], &diamond));
        assert!(!point_in_polygon([3.0, 0.0], &diamond));
        // Even-odd: the centre of a pentagram is outside.
        let star: Vec<Pt> = (0..5_u8)
            .map(|k| {
                let a = (f64::from(k) * 144.0).to_radians();
                [a.sin(), -a.cos()]
            })
            .collect();
        assert!(!point_in_polygon([0.0, 0.0], &star));
        assert!(point_in_polygon([0.0, -0.8], &star));
        // Degenerate polygon: a segment; only its boundary is inside.
        let flat: Vec<Pt> = vec![[0.0, 0.0], [2.0, 0.0], [1.0, 0.0]];
        assert_eq!(polygon_area(&flat), 0.0);
        assert!(point_in_polygon([0.5, 0.0], &flat));
        assert!(!point_in_polygon([0.5, 0.1], &flat));
    }

    #[test]
    fn point_sets_and_rotation() {
        let pts: Vec<Pt> = vec![[1.0, 5.0], [3.0, -1.0], [2.0, 2.0]];
        assert_eq!(centroid(&pts), Some([2.0, 2.0]));
        assert_eq!(bbox(&pts), Some([1.0, -1.0, 3.0, 5.0]));
        assert_eq!(centroid(&[]), None);
        assert_eq!(bbox(&[]), None);
        assert_eq!(rotate([1.0, 0.0], [1.0, 1.0], 1.0, 0.0), [2.0, 1.0]); // up -> right
        assert_eq!(rotate([3.0, 4.0], [3.0, 4.0], 0.6, 0.8), [3.0, 4.0]);
    }
}
