//! Geometry built-ins: points are `[x, y]` lists of two numbers, polylines and polygons
//! are lists of points. Coordinates are screen coordinates (y grows downwards).
//!
//! Argument checks come first and name the bad argument: a point must be a list of two
//! numbers, finite and at most [`MAX_COORD`] in magnitude (so the arithmetic in
//! [`super::geom`] cannot overflow). Results are floats (points as `[x, y]` of floats)
//! and are checked to be finite. Functions over lists pay one budget step per point
//! (per segment pair for [`polyline_crossings`]).

use super::error::ExprError;
use super::eval::{State, check_list_len};
use super::fn_math::{cos_deg, sin_deg};
use super::functions::Args;
use super::geom::{self, MAX_COORD, NoPoint, Pt};
use super::value::Value;

type R = Result<Value, ExprError>;

/// Why a value is not an acceptable point.
enum BadPoint {
    /// Not a list of two numbers; describes what it is.
    Shape(String),
    /// A coordinate is NaN, infinite or beyond [`MAX_COORD`].
    Range,
}

fn as_point(v: &Value) -> Result<Pt, BadPoint> {
    let Value::List(xs) = v else {
        return Err(BadPoint::Shape(v.type_name().to_string()));
    };
    let [x, y] = xs.as_slice() else {
        return Err(BadPoint::Shape(format!("a list of length {}", xs.len())));
    };
    let (Some(x), Some(y)) = (x.as_f64(), y.as_f64()) else {
        let other = if x.as_f64().is_none() { x } else { y };
        return Err(BadPoint::Shape(format!(
            "a list containing a {}",
            other.type_name()
        )));
    };
    if in_range(x) && in_range(y) {
        Ok([x, y])
    } else {
        Err(BadPoint::Range)
    }
}

fn in_range(x: f64) -> bool {
    x.is_finite() && x.abs() <= MAX_COORD
}

const RANGE: &str = "coordinates must be finite numbers of magnitude at most 1e100";

/// Point argument `i`.
fn point(a: &Args<'_, '_>, i: usize) -> Result<Pt, ExprError> {
    as_point(a.val(i)?).map_err(|bad| {
        let (name, param) = (a.name(), a.param(i));
        match bad {
            BadPoint::Shape(got) => a.err_at(
                i,
                format!("`{name}` expects a point [x, y] for {param}, got {got}"),
            ),
            BadPoint::Range => a.err_at(i, format!("`{name}`: {param} is out of range; {RANGE}")),
        }
    })
}

/// List-of-points argument `i` with at least `min` points, paid for per point.
fn points(
    a: &Args<'_, '_>,
    st: &mut State<'_>,
    i: usize,
    min: usize,
) -> Result<Vec<Pt>, ExprError> {
    let xs = a.list(i)?;
    st.charge_n(xs.len(), a.span)?;
    let (name, param) = (a.name(), a.param(i));
    let pts = xs
        .iter()
        .enumerate()
        .map(|(k, v)| {
            as_point(v).map_err(|bad| {
                let why = match bad {
                    BadPoint::Shape(got) => format!("is {got}, not a point [x, y]"),
                    BadPoint::Range => format!("is out of range; {RANGE}"),
                };
                a.err_at(i, format!("`{name}`: element {k} of {param} {why}"))
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    if pts.len() < min {
        let noun = if min == 1 { "point" } else { "points" };
        return Err(a.err_at(
            i,
            format!(
                "`{name}` needs at least {min} {noun} for {param}, got {}",
                pts.len()
            ),
        ));
    }
    Ok(pts)
}

/// Number argument `i`, finite and at most [`MAX_COORD`] in magnitude.
fn coord(a: &Args<'_, '_>, i: usize) -> Result<f64, ExprError> {
    let x = a.num(i)?;
    if in_range(x) {
        Ok(x)
    } else {
        Err(a.err_at(
            i,
            format!(
                "`{}` needs a finite number of magnitude at most 1e100 for {}, got {}",
                a.name(),
                a.param(i),
                shown(a, i)
            ),
        ))
    }
}

/// Argument `i` as written in messages.
fn shown(a: &Args<'_, '_>, i: usize) -> String {
    a.val(i)
        .map_or_else(|_| "nothing".to_string(), Value::display)
}

/// Finite number argument `i`.
fn finite(a: &Args<'_, '_>, i: usize) -> Result<f64, ExprError> {
    let x = a.num(i)?;
    if x.is_finite() {
        Ok(x)
    } else {
        Err(a.err_at(
            i,
            format!(
                "`{}` needs a finite number for {}, got {}",
                a.name(),
                a.param(i),
                shown(a, i)
            ),
        ))
    }
}

/// A point as `[x, y]` floats, or an error if a coordinate is not finite.
fn pt_value(a: &Args<'_, '_>, p: Pt) -> R {
    Ok(Value::List(vec![a.float(p[0])?, a.float(p[1])?]))
}

fn pts_value(a: &Args<'_, '_>, pts: impl IntoIterator<Item = Pt>) -> R {
    pts.into_iter()
        .map(|p| pt_value(a, p))
        .collect::<Result<_, _>>()
        .map(Value::List)
}

fn count(n: usize) -> Value {
    Value::Int(i64::try_from(n).unwrap_or(i64::MAX))
}

pub(super) fn orient(a: &Args<'_, '_>, _: &mut State<'_>) -> R {
    let (p, q, r) = (point(a, 0)?, point(a, 1)?, point(a, 2)?);
    Ok(Value::Int(i64::from(geom::orient(p, q, r))))
}

/// The four points of a two-segment call.
fn two_segments(a: &Args<'_, '_>) -> Result<[Pt; 4], ExprError> {
    Ok([point(a, 0)?, point(a, 1)?, point(a, 2)?, point(a, 3)?])
}

pub(super) fn segments_intersect(a: &Args<'_, '_>, _: &mut State<'_>) -> R {
    let [p1, p2, q1, q2] = two_segments(a)?;
    Ok(Value::Bool(geom::segments_intersect(p1, p2, q1, q2)))
}

pub(super) fn segment_intersection(a: &Args<'_, '_>, _: &mut State<'_>) -> R {
    let [p1, p2, q1, q2] = two_segments(a)?;
    let why = match geom::segment_intersection(p1, p2, q1, q2) {
        Ok(p) => return pt_value(a, p),
        Err(NoPoint::FirstDegenerate) => "`p1` and `p2` are the same point".to_string(),
        Err(NoPoint::SecondDegenerate) => "`q1` and `q2` are the same point".to_string(),
        Err(NoPoint::Parallel) => "the segments are parallel".to_string(),
        Err(NoPoint::Disjoint) => "the segments do not intersect".to_string(),
    };
    Err(a
        .err(format!("`segment_intersection` has no single point: {why}"))
        .with_hint("check with `segments_intersect(p1, p2, q1, q2)` and `orient` first"))
}

pub(super) fn polyline_crossings(a: &Args<'_, '_>, st: &mut State<'_>) -> R {
    let (pa, pb) = (points(a, st, 0, 2)?, points(a, st, 1, 2)?);
    let pairs = (pa.len() as u64 - 1).saturating_mul(pb.len() as u64 - 1);
    st.charge(pairs, a.span)?;
    let n = pa
        .windows(2)
        .map(|s| {
            pb.windows(2)
                .filter(|t| geom::segments_intersect(s[0], s[1], t[0], t[1]))
                .count()
        })
        .sum();
    Ok(count(n))
}

pub(super) fn paired_crossings(a: &Args<'_, '_>, st: &mut State<'_>) -> R {
    let (pa, pb) = (points(a, st, 0, 2)?, points(a, st, 1, 2)?);
    if pa.len() != pb.len() {
        return Err(a
            .err(format!(
                "`paired_crossings` needs `a` and `b` of equal length, got {} and {} points",
                pa.len(),
                pb.len()
            ))
            .with_hint("sample both lines at the same x positions"));
    }
    let n = pa
        .windows(2)
        .zip(pb.windows(2))
        .filter(|(s, t)| geom::segments_intersect(s[0], s[1], t[0], t[1]))
        .count();
    Ok(count(n))
}

pub(super) fn distance(a: &Args<'_, '_>, _: &mut State<'_>) -> R {
    a.float(geom::distance(point(a, 0)?, point(a, 1)?))
}

pub(super) fn point_segment_distance(a: &Args<'_, '_>, _: &mut State<'_>) -> R {
    let (p, s, t) = (point(a, 0)?, point(a, 1)?, point(a, 2)?);
    a.float(geom::point_segment_distance(p, s, t))
}

/// Radius argument `i`: in range and > 0.
fn radius(a: &Args<'_, '_>, i: usize) -> Result<f64, ExprError> {
    let r = coord(a, i)?;
    if r > 0.0 {
        Ok(r)
    } else {
        Err(a.err_at(
            i,
            format!(
                "`{}` needs a radius > 0 for {}, got {}",
                a.name(),
                a.param(i),
                shown(a, i)
            ),
        ))
    }
}

pub(super) fn circle_relation(a: &Args<'_, '_>, _: &mut State<'_>) -> R {
    let (c1, r1) = (point(a, 0)?, radius(a, 1)?);
    let (c2, r2) = (point(a, 2)?, radius(a, 3)?);
    Ok(Value::from(geom::circle_relation(c1, r1, c2, r2).name()))
}

pub(super) fn point_in_polygon(a: &Args<'_, '_>, st: &mut State<'_>) -> R {
    let p = point(a, 0)?;
    let poly = points(a, st, 1, 3)?;
    Ok(Value::Bool(geom::point_in_polygon(p, &poly)))
}

pub(super) fn polygon_area(a: &Args<'_, '_>, st: &mut State<'_>) -> R {
    a.float(geom::polygon_area(&points(a, st, 0, 3)?))
}

pub(super) fn centroid(a: &Args<'_, '_>, st: &mut State<'_>) -> R {
    let c = geom::centroid(&points(a, st, 0, 1)?).unwrap_or_default();
    pt_value(a, c)
}

pub(super) fn bbox(a: &Args<'_, '_>, st: &mut State<'_>) -> R {
    let b = geom::bbox(&points(a, st, 0, 1)?).unwrap_or_default();
    b.iter()
        .map(|x| a.float(*x))
        .collect::<Result<_, _>>()
        .map(Value::List)
}

pub(super) fn regular_polygon_points(a: &Args<'_, '_>, st: &mut State<'_>) -> R {
    let (cx, cy, r) = (coord(a, 0)?, coord(a, 1)?, coord(a, 2)?);
    let n = a.int(3)?;
    let rotation = if a.len() > 4 { finite(a, 4)? } else { 0.0 };
    if r < 0.0 {
        let got = shown(a, 2);
        return Err(a.err_at(
            2,
            format!("`regular_polygon_points` needs r >= 0, got {got}"),
        ));
    }
    let n = usize::try_from(n)
        .ok()
        .filter(|n| *n >= 3)
        .ok_or_else(|| a.err_at(3, format!("`regular_polygon_points` needs n >= 3, got {n}")))?;
    check_list_len(n, a.span)?;
    st.charge_n(n, a.span)?;
    // k * 360 is exact, so each angle is one correctly rounded division.
    let vertex = |k: usize| {
        let deg = rotation + (k as f64 * 360.0) / n as f64;
        [cx + r * sin_deg(deg), cy - r * cos_deg(deg)]
    };
    pts_value(a, (0..n).map(vertex))
}

pub(super) fn rotate_point(a: &Args<'_, '_>, _: &mut State<'_>) -> R {
    let (p, c, deg) = (point(a, 0)?, point(a, 1)?, finite(a, 2)?);
    pt_value(a, geom::rotate(p, c, sin_deg(deg), cos_deg(deg)))
}

pub(super) fn translate_points(a: &Args<'_, '_>, st: &mut State<'_>) -> R {
    let pts = points(a, st, 0, 0)?;
    let (dx, dy) = (finite(a, 1)?, finite(a, 2)?);
    pts_value(a, pts.into_iter().map(|[x, y]| [x + dx, y + dy]))
}

pub(super) fn scale_points(a: &Args<'_, '_>, st: &mut State<'_>) -> R {
    let pts = points(a, st, 0, 0)?;
    let s = finite(a, 1)?;
    let [cx, cy] = if a.len() > 2 {
        point(a, 2)?
    } else {
        [0.0, 0.0]
    };
    pts_value(
        a,
        pts.into_iter()
            .map(|[x, y]| [cx + (x - cx) * s, cy + (y - cy) * s]),
    )
}
