//! The static function table: one row per built-in function with its documentation,
//! arity and implementation, so docs and behaviour cannot drift apart.
//!
//! Order of the table is the documented order (by category). A function is random exactly
//! when its category is `"random"`.

use std::borrow::Cow;
use std::fmt;
use std::sync::OnceLock;

use indexmap::IndexMap;

use super::error::{ExprError, Span};
use super::eval::State;
use super::value::Value;
use super::{
    fn_geom as geom, fn_layout as layout, fn_list as list, fn_math as math, fn_random as random,
    fn_text as text, fn_text_metrics as metrics,
};

/// Documentation of one built-in function.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FunctionDoc {
    /// Name as called, e.g. `"clamp"`.
    pub name: &'static str,
    /// Call shape, e.g. `"clamp(x, lo, hi)"`; `[...]` marks optional arguments.
    pub signature: &'static str,
    /// One of the [`CATEGORIES`].
    pub category: &'static str,
    /// What it does, including edge cases.
    pub doc: &'static str,
}

/// The function categories in documentation order, each with what its functions are for.
pub const CATEGORIES: &[(&str, &str)] = &[
    (
        "math",
        "Numbers: rounding, powers, logarithms, and trigonometry in radians or degrees.",
    ),
    (
        "units",
        "Conversions between angle units and from typographic points to pixels.",
    ),
    (
        "list",
        "Building, searching and reshaping lists (and reading maps).",
    ),
    ("string", "Changing and splitting strings."),
    ("convert", "Conversions between ints, floats and strings."),
    (
        "geometry",
        "Ground truth from coordinates: intersections, distances, containment, polygons. Points \
         are `[x, y]` lists in y-down screen coordinates.",
    ),
    (
        "layout",
        "Positions for rows of shapes and for the lines and cells of tables.",
    ),
    (
        "text",
        "Measurements from the bundled fonts, by the same layout engine that renders, so shapes \
         can be placed around words and letters.",
    ),
    (
        "random",
        "Draws from the sample's own random source. Allowed in `vars`, `constraints`, `answers`, \
         `metadata` and the scene; not in `constants`, `sampling` or prompts.",
    ),
];

/// Implementation of a built-in: receives evaluated arguments and the evaluation state.
pub(crate) type Builtin = fn(&Args<'_, '_>, &mut State<'_>) -> Result<Value, ExprError>;

/// One row of the function table.
pub(crate) struct FuncDef {
    pub doc: FunctionDoc,
    pub min_args: usize,
    /// `usize::MAX` for variadic functions.
    pub max_args: usize,
    pub call: Builtin,
}

impl FuncDef {
    /// Whether the function draws random numbers (needs a random source).
    pub(crate) fn random(&self) -> bool {
        self.doc.category == "random"
    }
}

impl fmt::Debug for FuncDef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "FuncDef({})", self.doc.name)
    }
}

const MANY: usize = usize::MAX;

macro_rules! table {
    ($( $name:literal, $sig:literal, $cat:literal, $min:expr, $max:expr, $call:path, $doc:literal; )*) => {
        static TABLE: &[FuncDef] = &[$(FuncDef {
            doc: FunctionDoc { name: $name, signature: $sig, category: $cat, doc: $doc },
            min_args: $min,
            max_args: $max,
            call: $call,
        }),*];
    };
}

table! {
    "abs", "abs(x)", "math", 1, 1, math::abs, "Absolute value; ints stay ints.";
    "min", "min(x, ...) or min(xs)", "math", 1, MANY, math::min,
        "Smallest of the arguments, or of the elements of a single list argument. Numbers or strings; returns the first smallest.";
    "max", "max(x, ...) or max(xs)", "math", 1, MANY, math::max,
        "Largest of the arguments, or of the elements of a single list argument. Numbers or strings; returns the first largest.";
    "clamp", "clamp(x, lo, hi)", "math", 3, 3, math::clamp, "`x` limited to [lo, hi]; error if lo > hi.";
    "sign", "sign(x)", "math", 1, 1, math::sign, "-1, 0 or 1 (an int) by the sign of `x`.";
    "floor", "floor(x)", "math", 1, 1, math::floor, "Largest int <= x.";
    "ceil", "ceil(x)", "math", 1, 1, math::ceil, "Smallest int >= x.";
    "round", "round(x[, ndigits])", "math", 1, 2, math::round,
        "Like Python: round(x) is the nearest int with ties to even (round(2.5) == 2); round(x, n) is a float rounded to n decimals, correctly rounded from the exact binary value (round(0.125, 2) == 0.12, round(0.375, 2) == 0.38). n may be negative.";
    "sqrt", "sqrt(x)", "math", 1, 1, math::sqrt, "Square root; error for negative x.";
    "pow", "pow(x, y)", "math", 2, 2, math::pow, "Same as `x ** y`.";
    "exp", "exp(x)", "math", 1, 1, math::exp, "e raised to x; error on overflow.";
    "ln", "ln(x)", "math", 1, 1, math::ln, "Natural logarithm; x must be > 0.";
    "log10", "log10(x)", "math", 1, 1, math::log10, "Base-10 logarithm; x must be > 0.";
    "log", "log(x[, base])", "math", 1, 2, math::log, "Logarithm of x to `base` (default e); x > 0, base > 0 and base != 1.";
    "sin", "sin(rad)", "math", 1, 1, math::sin, "Sine of an angle in radians.";
    "cos", "cos(rad)", "math", 1, 1, math::cos, "Cosine of an angle in radians.";
    "tan", "tan(rad)", "math", 1, 1, math::tan, "Tangent of an angle in radians.";
    "asin", "asin(x)", "math", 1, 1, math::asin, "Arc sine in radians; x in [-1, 1].";
    "acos", "acos(x)", "math", 1, 1, math::acos, "Arc cosine in radians; x in [-1, 1].";
    "atan", "atan(x)", "math", 1, 1, math::atan, "Arc tangent in radians.";
    "atan2", "atan2(y, x)", "math", 2, 2, math::atan2, "Angle of the vector (x, y) in radians, in (-pi, pi].";
    "sind", "sind(deg)", "math", 1, 1, math::sind, "Sine of an angle in degrees; exact at multiples of 30 and 45 degrees.";
    "cosd", "cosd(deg)", "math", 1, 1, math::cosd, "Cosine of an angle in degrees; exact at multiples of 30 and 45 degrees.";
    "tand", "tand(deg)", "math", 1, 1, math::tand, "Tangent of an angle in degrees; exact at multiples of 45; error at 90 + k*180.";
    "atan2d", "atan2d(y, x)", "math", 2, 2, math::atan2d, "Angle of the vector (x, y) in degrees, in (-180, 180].";
    "hypot", "hypot(dx, dy)", "math", 2, 2, math::hypot, "Length of the vector (dx, dy).";
    "dist", "dist(x1, y1, x2, y2)", "math", 4, 4, math::dist, "Euclidean distance between (x1, y1) and (x2, y2).";
    "radians", "radians(deg)", "units", 1, 1, math::radians, "Degrees to radians.";
    "degrees", "degrees(rad)", "units", 1, 1, math::degrees, "Radians to degrees.";
    "pt", "pt(points, dpi)", "units", 2, 2, math::pt, "Typographic points to pixels: points * dpi / 72 (matplotlib's convention).";
    "len", "len(x)", "list", 1, 1, list::len, "Number of elements of a list or map, or characters of a string.";
    "range", "range(n) or range(start, stop[, step])", "list", 1, 3, list::range,
        "Ints from start (default 0) up to but excluding stop, by step (default 1, never 0), like Python.";
    "sum", "sum(xs)", "list", 1, 1, list::sum, "Sum of a list of numbers; int if all are ints. sum([]) == 0.";
    "any", "any(xs)", "list", 1, 1, list::any, "Whether any element of a list of bools is true.";
    "all", "all(xs)", "list", 1, 1, list::all, "Whether every element of a list of bools is true.";
    "sorted", "sorted(xs)", "list", 1, 1, list::sorted, "Ascending copy of a list of numbers or of strings (stable).";
    "reversed", "reversed(xs)", "list", 1, 1, list::reversed, "A list (or string) in reverse order.";
    "enumerate", "enumerate(xs[, start])", "list", 1, 2, list::enumerate,
        "Pairs [i, x] for each element, counting from start (default 0): `[f(i, x) for i, x in enumerate(xs)]`.";
    "zip", "zip(xs, ys, ...)", "list", 1, MANY, list::zip, "Lists [x, y, ...] of corresponding elements, as long as the shortest argument.";
    "count", "count(xs, x)", "list", 2, 2, list::count, "How often x occurs in a list, or non-overlapping occurrences of a substring.";
    "index", "index(xs, x)", "list", 2, 2, list::index, "Position of the first x in a list (or substring in a string); error if absent.";
    "contains", "contains(xs, x)", "list", 2, 2, list::contains, "Same as `x in xs`.";
    "unique", "unique(xs)", "list", 1, 1, list::unique, "Elements without repeats, keeping first occurrences in order.";
    "flatten", "flatten(xss)", "list", 1, 1, list::flatten, "Concatenation of a list of lists (one level).";
    "concat", "concat(xs, ys, ...)", "list", 1, MANY, list::concat, "The lists joined end to end.";
    "repeat", "repeat(x, n)", "list", 2, 2, list::repeat, "A list of n copies of x (n >= 0).";
    "keys", "keys(m)", "list", 1, 1, list::keys, "Keys of a map, in order.";
    "values", "values(m)", "list", 1, 1, list::values, "Values of a map, in key order.";
    "get", "get(m, key, default)", "list", 3, 3, list::get,
        "m[key] if present, else default. Also works on lists with an int index (negatives count from the end).";
    "upper", "upper(s)", "string", 1, 1, text::upper, "Upper-case copy of a string.";
    "lower", "lower(s)", "string", 1, 1, text::lower, "Lower-case copy of a string.";
    "chars", "chars(s)", "string", 1, 1, text::chars, "List of the characters (Unicode scalar values) of a string.";
    "join", "join(xs[, sep])", "string", 1, 2, text::join,
        "Elements joined with sep (default \"\"); non-strings are converted as by str().";
    "replace", "replace(s, old, new)", "string", 3, 3, text::replace, "Copy of s with every occurrence of old replaced by new.";
    "int", "int(x)", "convert", 1, 1, text::int,
        "To int: floats truncate toward zero, bools give 0/1, strings are parsed (\"3\", \" -2 \", \"2.7\" -> 2).";
    "float", "float(x)", "convert", 1, 1, text::float, "To float: from numbers, bools (0.0/1.0) or numeric strings.";
    "str", "str(x)", "convert", 1, 1, text::str, "Text form as used in templates: 0.5 -> \"0.5\", 2.0 -> \"2.0\", lists as JSON.";
    "orient", "orient(p, q, r)", "geometry", 3, 3, geom::orient,
        "-1, 0 or 1: the sign of the cross product (q - p) x (r - p); 1 means r is clockwise from q as seen from p on a y-down screen. 0 (collinear) when |cross| <= 1e-12 * |q - p| * |r - p|, so also when two points coincide.";
    "segments_intersect", "segments_intersect(p1, p2, q1, q2)", "geometry", 4, 4, geom::segments_intersect,
        "Whether the closed segments p1-p2 and q1-q2 share a point. Touching endpoints, an endpoint on the other segment and collinear overlap count; a zero-length segment is a point.";
    "segment_intersection", "segment_intersection(p1, p2, q1, q2)", "geometry", 4, 4, geom::segment_intersection,
        "The point [x, y] where two non-parallel segments meet (an endpoint lying on the other segment is returned exactly). Error if they do not meet, are parallel or collinear (even when touching), or either has zero length.";
    "polyline_crossings", "polyline_crossings(a, b)", "geometry", 2, 2, geom::polyline_crossings,
        "Number of (segment of a, segment of b) pairs that intersect (as by segments_intersect), over all pairs. A point shared by both lines counts once per segment pair touching it: a common interior vertex gives 4. Each polyline needs >= 2 points.";
    "paired_crossings", "paired_crossings(a, b)", "geometry", 2, 2, geom::paired_crossings,
        "Number of k for which segment k of a (a[k]-a[k+1]) intersects segment k of b; a and b need equal lengths >= 2. BlindTest's line-plot rule: lines sampled at the same x positions, counted per x-interval, so a crossing exactly at a shared vertex counts in both adjacent intervals.";
    "distance", "distance(p, q)", "geometry", 2, 2, geom::distance, "Euclidean distance between points p and q.";
    "point_segment_distance", "point_segment_distance(p, a, b)", "geometry", 3, 3, geom::point_segment_distance,
        "Distance from p to the closest point of the closed segment a-b (to a if a == b).";
    "circle_relation", "circle_relation(c1, r1, c2, r2)", "geometry", 4, 4, geom::circle_relation,
        "How circles (c1, r1) and (c2, r2) lie (radii > 0). With d the centre distance and tol = 1e-9 * (r1 + r2), the first match of: |d - (r1 + r2)| <= tol \"tangent\" (externally); d > r1 + r2 \"separate\"; d <= tol and |r1 - r2| <= tol \"contained\" (coincident); |d - |r1 - r2|| <= tol \"internally_tangent\"; d < |r1 - r2| \"contained\" (one strictly inside the other); else \"overlapping\" (boundaries cross twice).";
    "point_in_polygon", "point_in_polygon(p, poly)", "geometry", 2, 2, geom::point_in_polygon,
        "Whether p is inside the polygon (>= 3 points, closed implicitly) by the even-odd rule; points on an edge or vertex count as inside.";
    "polygon_area", "polygon_area(poly)", "geometry", 1, 1, geom::polygon_area,
        "Absolute area of a polygon (>= 3 points, closed implicitly) by the shoelace formula, whatever its orientation; for a self-intersecting polygon, the absolute value of the signed sum.";
    "centroid", "centroid(points)", "geometry", 1, 1, geom::centroid,
        "Mean [x, y] of a non-empty list of points (the vertex centroid, not a polygon's area centroid).";
    "bbox", "bbox(points)", "geometry", 1, 1, geom::bbox, "[xmin, ymin, xmax, ymax] of a non-empty list of points.";
    "regular_polygon_points", "regular_polygon_points(cx, cy, r, n[, rotation_deg])", "geometry", 4, 5, geom::regular_polygon_points,
        "The n >= 3 vertices of a regular polygon centred at (cx, cy) with circumradius r >= 0, in y-down screen coordinates: vertex k is (cx + r*sin(a), cy - r*cos(a)) with a = rotation_deg + k*360/n degrees, so vertex 0 points straight up (for rotation 0) and the vertices run clockwise on screen. Exact at multiples of 30 and 45 degrees.";
    "rotate_point", "rotate_point(p, center, deg)", "geometry", 3, 3, geom::rotate_point,
        "p rotated by deg degrees about center; positive angles turn clockwise on a y-down screen, like SVG's rotate() (so rotating [cx, cy - r] gives the vertices of regular_polygon_points).";
    "translate_points", "translate_points(points, dx, dy)", "geometry", 3, 3, geom::translate_points,
        "Each point shifted by (dx, dy).";
    "scale_points", "scale_points(points, s[, center])", "geometry", 2, 3, geom::scale_points,
        "Each point scaled by factor s about center (default [0, 0]); a negative s also reflects through center.";
    "row_offsets", "row_offsets(n, spacing)", "layout", 2, 2, layout::row_offsets,
        "`n` centre offsets `spacing` apart, centred on 0 (row_offsets(3, 2) == [-2.0, 0.0, 2.0]): rows of shapes.";
    "bands", "bands(n, total, width)", "layout", 3, 3, layout::bands,
        "The n + 1 start positions i·(total − width)/n of evenly pitched lines of `width` spanning [0, total]: the lines of an n-row or n-column table.";
    "grid_cells", "grid_cells(rows, cols, x, y, width, height[, line])", "layout", 6, 7, layout::grid_cells,
        "Row-major boxes [x, y, w, h] of the cells of a rows × cols table at (x, y) whose lines (borders included) are `line` thick (default 0).";
    "text_width", "text_width(text, family, size[, weight])", "text", 3, 4, metrics::text_width,
        "Advance width in px of text in font family at size px; weight is an int 100-900 or \"normal\"/\"bold\" (default 400). Needs the renderer's text metrics.";
    "text_layout", "text_layout(text, family, size[, weight])", "text", 3, 4, metrics::text_layout,
        "Layout of text with the pen at x = 0 on the baseline y = 0 (y down): a map {advance, ascent, descent, glyphs}, each glyph {ch, x, advance, ink} where ink is [x0, y0, x1, y1] or [] for blank glyphs. ascent and descent are positive distances from the baseline.";
    "char_box", "char_box(text, index, family, size[, weight])", "text", 4, 5, metrics::char_box,
        "Ink box [x0, y0, x1, y1] of character `index` (a character index; negatives count from the end) of the laid-out text, in text_layout's coordinates. For a ligature the box of the whole cluster. Error if the character is blank or the index out of range.";
    "char_advance_box", "char_advance_box(text, index, family, size[, weight])", "text", 4, 5, metrics::char_advance_box,
        "Advance box [x, -ascent, x + advance, descent] of character `index` (negatives count from the end): its pen span times the font's full line height. Defined for blank characters too.";
    "uniform", "uniform(a, b)", "random", 2, 2, random::uniform, "A random float in [a, b).";
    "randint", "randint(a, b)", "random", 2, 2, random::randint, "A random int in [a, b], both ends included; needs a <= b.";
    "choice", "choice(xs)", "random", 1, 1, random::choice, "A random element of a non-empty list (or character of a string).";
    "sample", "sample(xs, k)", "random", 2, 2, random::sample, "k distinct elements of a list, in draw order; error if k > len(xs).";
    "shuffle", "shuffle(xs)", "random", 1, 1, random::shuffle, "A shuffled copy of a list.";
}

/// All function rows, in documentation order.
pub(crate) fn table() -> &'static [FuncDef] {
    TABLE
}

/// The row of function `name`.
pub(crate) fn lookup(name: &str) -> Option<&'static FuncDef> {
    TABLE.iter().find(|f| f.doc.name == name)
}

/// Documentation of every built-in function, in a fixed order (grouped by category).
pub fn functions() -> &'static [FunctionDoc] {
    static DOCS: OnceLock<Vec<FunctionDoc>> = OnceLock::new();
    DOCS.get_or_init(|| TABLE.iter().map(|f| f.doc).collect())
}

/// The evaluated arguments of one call.
pub(crate) struct Args<'v, 'a> {
    pub def: &'static FuncDef,
    pub vals: &'v [Cow<'a, Value>],
    pub spans: &'v [Span],
    /// The whole call expression.
    pub span: Span,
}

impl Args<'_, '_> {
    pub fn len(&self) -> usize {
        self.vals.len()
    }

    pub fn name(&self) -> &'static str {
        self.def.doc.name
    }

    /// Argument `i`; an error only if the parser's arity check was bypassed.
    pub fn val(&self, i: usize) -> Result<&Value, ExprError> {
        self.vals
            .get(i)
            .map(|v| &**v)
            .ok_or_else(|| self.err(format!("`{}` is missing an argument", self.name())))
    }

    pub fn span_of(&self, i: usize) -> Span {
        self.spans.get(i).copied().unwrap_or(self.span)
    }

    /// The name of parameter `i` from the signature, e.g. "`lo`", or "argument 3".
    pub fn param(&self, i: usize) -> String {
        let sig = self.def.doc.signature;
        let inner = sig
            .split_once('(')
            .and_then(|(_, rest)| rest.split_once(')'))
            .map_or("", |(p, _)| p);
        let name = inner
            .split(',')
            .nth(i)
            .map(|p| p.trim_matches(|c: char| c == '[' || c == ']' || c == ' '));
        match name {
            Some(n) if !n.is_empty() && n != "..." => format!("`{n}`"),
            _ => format!("argument {}", i + 1),
        }
    }

    /// "`f` expects {expected} for `p`, got {type}", pointing at argument `i`.
    pub fn type_err(&self, i: usize, expected: &str) -> ExprError {
        let got = self.vals.get(i).map_or("nothing", |v| v.type_name());
        let err = self.err_at(
            i,
            format!(
                "`{}` expects {expected} for {}, got {got}",
                self.name(),
                self.param(i)
            ),
        );
        if got == "float" && expected.contains("int") {
            err.with_hint("convert with int(...) or round(...)")
        } else {
            err
        }
    }

    /// An error pointing at the whole call.
    pub fn err(&self, msg: impl Into<String>) -> ExprError {
        ExprError::at(msg, self.span)
    }

    /// An error pointing at argument `i`.
    pub fn err_at(&self, i: usize, msg: impl Into<String>) -> ExprError {
        ExprError::at(msg, self.span_of(i))
    }

    /// A number (int or float) as `f64`.
    pub fn num(&self, i: usize) -> Result<f64, ExprError> {
        self.val(i)?
            .as_f64()
            .ok_or_else(|| self.type_err(i, "a number"))
    }

    /// An int (floats are not accepted).
    pub fn int(&self, i: usize) -> Result<i64, ExprError> {
        match self.val(i)? {
            Value::Int(n) => Ok(*n),
            _ => Err(self.type_err(i, "an int")),
        }
    }

    pub fn text(&self, i: usize) -> Result<&str, ExprError> {
        self.val(i)?
            .as_str()
            .ok_or_else(|| self.type_err(i, "a string"))
    }

    pub fn list(&self, i: usize) -> Result<&[Value], ExprError> {
        match self.val(i)? {
            Value::List(xs) => Ok(xs),
            _ => Err(self.type_err(i, "a list")),
        }
    }

    pub fn map(&self, i: usize) -> Result<&IndexMap<String, Value>, ExprError> {
        match self.val(i)? {
            Value::Map(m) => Ok(m),
            _ => Err(self.type_err(i, "a map")),
        }
    }

    /// A float result, or an error if it is not finite.
    pub fn float(&self, x: f64) -> Result<Value, ExprError> {
        if x.is_finite() {
            Ok(Value::Float(x))
        } else {
            Err(self.err(format!("`{}` result is not a finite number", self.name())))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_consistent() {
        for (i, f) in TABLE.iter().enumerate() {
            assert!(
                CATEGORIES.iter().any(|(c, _)| *c == f.doc.category),
                "{}",
                f.doc.name
            );
            assert!(
                f.doc.signature.starts_with(&format!("{}(", f.doc.name)),
                "{}",
                f.doc.name
            );
            assert!(
                f.min_args <= f.max_args && f.min_args >= 1,
                "{}",
                f.doc.name
            );
            assert!(!f.doc.doc.is_empty());
            assert!(
                TABLE[..i].iter().all(|g| g.doc.name != f.doc.name),
                "duplicate {}",
                f.doc.name
            );
            assert!(super::super::constants().iter().all(|c| c.0 != f.doc.name));
        }
        assert_eq!(functions().len(), TABLE.len());
        // Categories form contiguous groups, so listings can print one header per group.
        let mut seen: Vec<&str> = Vec::new();
        for f in functions() {
            if seen.last() != Some(&f.category) {
                assert!(
                    !seen.contains(&f.category),
                    "category {} is split",
                    f.category
                );
                seen.push(f.category);
            }
        }
        // ... in the order of CATEGORIES, each of which has functions.
        let order: Vec<&str> = CATEGORIES.iter().map(|(c, _)| *c).collect();
        assert_eq!(seen, order);
        assert_eq!(functions()[0].name, "abs");
        let random: Vec<_> = TABLE
            .iter()
            .filter(|f| f.random())
            .map(|f| f.doc.name)
            .collect();
        assert_eq!(
            random,
            ["uniform", "randint", "choice", "sample", "shuffle"]
        );
    }

    #[test]
    fn param_names_come_from_signatures() {
        let args = |name| Args {
            def: lookup(name).unwrap(),
            vals: &[],
            spans: &[],
            span: Span::new(0, 0),
        };
        assert_eq!(args("clamp").param(1), "`lo`");
        assert_eq!(args("round").param(1), "`ndigits`");
        assert_eq!(args("min").param(3), "argument 4");
        assert_eq!(args("range").param(0), "`n`");
    }
}
