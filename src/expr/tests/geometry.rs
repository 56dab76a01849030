//! Geometry built-ins end to end: results, degenerate inputs and argument errors.

use super::*;

#[test]
fn geometry_functions_behave_like_their_docs() {
    let cases = [
        ("orient([0, 0], [1, 0], [0, 1])", "1"),
        ("orient([0, 0], [1, 0], [0, -1])", "-1"),
        ("orient([0.1, 0.1], [0.3, 0.3], [0.7, 0.7])", "0"),
        ("orient([1, 1], [1, 1], [2, 5])", "0"),
        ("segments_intersect([0, 0], [2, 2], [0, 2], [2, 0])", "true"),
        ("segments_intersect([0, 0], [1, 0], [1, 0], [1, 1])", "true"),
        ("segments_intersect([0, 0], [2, 0], [1, 0], [3, 0])", "true"),
        (
            "segments_intersect([0, 0], [1, 0], [2, 0], [3, 0])",
            "false",
        ),
        (
            "segments_intersect([0, 0], [1, 0], [0, 1], [1, 1])",
            "false",
        ),
        ("segments_intersect([1, 0], [1, 0], [0, 0], [2, 0])", "true"),
        (
            "segment_intersection([0, 0], [2, 2], [0, 2], [2, 0])",
            "[1.0,1.0]",
        ),
        (
            "segment_intersection([0, 0], [4, 0], [1, 0], [1, 3])",
            "[1.0,0.0]",
        ),
        ("distance([1, 1], [4, 5])", "5.0"),
        ("point_segment_distance([1, 3], [0, 0], [2, 0])", "3.0"),
        ("point_segment_distance([5, 4], [0, 0], [2, 0])", "5.0"),
        ("point_segment_distance([3, 4], [0, 0], [0, 0])", "5.0"),
        ("circle_relation([0, 0], 1, [3, 0], 1)", "separate"),
        ("circle_relation([0, 0], 1, [2, 0], 1)", "tangent"),
        ("circle_relation([0, 0], 1, [1.5, 0], 1)", "overlapping"),
        (
            "circle_relation([0, 0], 2, [1, 0], 1)",
            "internally_tangent",
        ),
        ("circle_relation([0, 0], 2, [0.5, 0], 1)", "contained"),
        ("circle_relation([0, 0], 1, [0, 0], 1)", "contained"),
        (
            "point_in_polygon([2, 2], [[0, 0], [4, 0], [4, 4], [0, 4]])",
            "true",
        ),
        (
            "point_in_polygon([4, 2], [[0, 0], [4, 0], [4, 4], [0, 4]])",
            "true",
        ),
        (
            "point_in_polygon([5, 2], [[0, 0], [4, 0], [4, 4], [0, 4]])",
            "false",
        ),
        ("polygon_area([[0, 0], [4, 0], [4, 3]])", "6.0"),
        ("polygon_area([[0, 0], [0, 3], [4, 3], [4, 0]])", "12.0"),
        ("polygon_area([[0, 0], [1, 1], [2, 2]])", "0.0"),
        ("centroid([[0, 0], [4, 0], [2, 6]])", "[2.0,2.0]"),
        ("centroid([[1, 2]])", "[1.0,2.0]"),
        ("bbox([[1, 5], [3, -1], [2, 2]])", "[1.0,-1.0,3.0,5.0]"),
        (
            "regular_polygon_points(10, 10, 5, 4)",
            "[[10.0,5.0],[15.0,10.0],[10.0,15.0],[5.0,10.0]]",
        ),
        (
            "regular_polygon_points(0, 0, 2, 4, 45)[0]",
            "[1.4142135623730951,-1.4142135623730951]",
        ),
        ("regular_polygon_points(0, 0, 2, 6)[1][1]", "-1.0"),
        ("rotate_point([0, -1], [0, 0], 90)", "[1.0,0.0]"),
        ("rotate_point([3, 2], [1, 2], 180)", "[-1.0,2.0]"),
        ("rotate_point([3, 2], [3, 2], 37)", "[3.0,2.0]"),
        (
            "translate_points([[0, 0], [1, 2]], 10, -1)",
            "[[10.0,-1.0],[11.0,1.0]]",
        ),
        ("translate_points([], 1, 1)", "[]"),
        ("scale_points([[1, 2]], 3)", "[[3.0,6.0]]"),
        (
            "scale_points([[2, 2], [4, 0]], 0.5, [2, 0])",
            "[[2.0,1.0],[3.0,0.0]]",
        ),
        ("scale_points([[1, 1]], -1, [0, 0])", "[[-1.0,-1.0]]"),
    ];
    for (src, want) in cases {
        assert_eq!(show(src), want, "{src}");
    }
}

#[test]
fn polyline_and_paired_crossings() {
    // Two zigzags crossing in every x-interval.
    let (a, b) = (
        "[[0, 0], [1, 2], [2, 0], [3, 2]]",
        "[[0, 2], [1, 0], [2, 2], [3, 0]]",
    );
    assert_eq!(ev(&format!("paired_crossings({a}, {b})")), Value::Int(3));
    assert_eq!(ev(&format!("polyline_crossings({a}, {b})")), Value::Int(3));
    // Parallel lines never cross.
    let c = "[[0, 5], [1, 7], [2, 5], [3, 7]]";
    assert_eq!(ev(&format!("paired_crossings({a}, {c})")), Value::Int(0));
    // Touching at a shared interior vertex: both adjacent intervals count for the paired
    // rule, and the 2 x 2 segment pairs around the vertex for the all-pairs rule.
    let (v, w) = ("[[0, 0], [1, 1], [2, 0]]", "[[0, 2], [1, 1], [2, 2]]");
    assert_eq!(ev(&format!("paired_crossings({v}, {w})")), Value::Int(2));
    assert_eq!(ev(&format!("polyline_crossings({v}, {w})")), Value::Int(4));
    // All pairs: a crossing between different intervals still counts.
    let (h, g) = (
        "[[0, 1], [4, 1]]",
        "[[0, 0], [1, 2], [2, 0], [3, 2], [4, 0]]",
    );
    assert_eq!(ev(&format!("polyline_crossings({h}, {g})")), Value::Int(4));
    // Collinear overlap counts as intersecting.
    let same = "[[0, 0], [1, 1], [2, 2]]";
    assert_eq!(
        ev(&format!("paired_crossings({same}, {same})")),
        Value::Int(2)
    );
    // Zero-length segments are points.
    let flat = "[[1, 1], [1, 1]]";
    assert_eq!(
        ev(&format!("paired_crossings({flat}, [[0, 0], [2, 2]])")),
        Value::Int(1)
    );
    assert_eq!(
        ev(&format!("paired_crossings({flat}, [[0, 0], [2, 0]])")),
        Value::Int(0)
    );
    assert!(
        err("paired_crossings([[0, 0], [1, 1]], [[0, 0], [1, 1], [2, 2]])")
            .message
            .contains("equal length, got 2 and 3 points")
    );
    assert!(
        err("polyline_crossings([[0, 0]], [[0, 0], [1, 1]])")
            .message
            .contains("at least 2 points for `a`, got 1")
    );
}

#[test]
fn regular_polygons_agree_with_rotate_point() {
    let vs = ev("regular_polygon_points(50, 40, 10, 7, 12.5)");
    let rs = ev("[rotate_point([50, 30], [50, 40], 12.5 + k * 360 / 7) for k in range(7)]");
    let (Value::List(vs), Value::List(rs)) = (vs, rs) else {
        panic!("not lists")
    };
    assert_eq!(vs.len(), 7);
    for (v, r) in vs.iter().zip(&rs) {
        let (Value::List(v), Value::List(r)) = (v, r) else {
            panic!("not points")
        };
        for (x, y) in v.iter().zip(r) {
            let (x, y) = (x.as_f64().unwrap(), y.as_f64().unwrap());
            assert!((x - y).abs() < 1e-12, "{x} vs {y}");
        }
    }
    // Clockwise on screen: the centre lies right of the edge from vertex 0 to vertex 1.
    assert_eq!(
        ev(
            "orient(regular_polygon_points(0, 0, 1, 3)[0], regular_polygon_points(0, 0, 1, 3)[1], [0, 0])"
        ),
        Value::Int(1)
    );
}

#[test]
fn geometry_argument_errors() {
    let cases = [
        (
            "orient([0, 0], [1, 0, 2], [0, 1])",
            "`orient` expects a point [x, y] for `q`, got a list of length 3",
        ),
        (
            "orient([0, 0], 3, [0, 1])",
            "`orient` expects a point [x, y] for `q`, got int",
        ),
        (
            "distance([0, 'a'], [1, 1])",
            "`distance` expects a point [x, y] for `p`, got a list containing a string",
        ),
        (
            "distance([0, 1e200], [1, 1])",
            "`distance`: `p` is out of range",
        ),
        (
            "bbox([])",
            "`bbox` needs at least 1 point for `points`, got 0",
        ),
        (
            "bbox([[0, 0], [1]])",
            "`bbox`: element 1 of `points` is a list of length 1, not a point",
        ),
        (
            "centroid(5)",
            "`centroid` expects a list for `points`, got int",
        ),
        (
            "polygon_area([[0, 0], [1, 1]])",
            "at least 3 points for `poly`, got 2",
        ),
        (
            "point_in_polygon([0, 0], [[0, 0], [1, 1]])",
            "at least 3 points for `poly`",
        ),
        (
            "circle_relation([0, 0], 0, [1, 1], 1)",
            "needs a radius > 0 for `r1`, got 0",
        ),
        (
            "circle_relation([0, 0], 1, [1, 1], -2)",
            "needs a radius > 0 for `r2`",
        ),
        (
            "circle_relation([0, 0], 1, [1, 1], 1e101)",
            "magnitude at most 1e100 for `r2`",
        ),
        ("regular_polygon_points(0, 0, 1, 2)", "needs n >= 3, got 2"),
        ("regular_polygon_points(0, 0, -1, 5)", "needs r >= 0"),
        (
            "regular_polygon_points(0, 0, 1, 5.0)",
            "expects an int for `n`",
        ),
        ("regular_polygon_points(0, 0, 1, 2000000)", "limit"),
        (
            "segment_intersection([0, 0], [1, 0], [0, 1], [1, 1])",
            "parallel",
        ),
        (
            "segment_intersection([0, 0], [1, 0], [1, 0], [2, 0])",
            "parallel",
        ),
        (
            "segment_intersection([0, 0], [1, 1], [3, 0], [2, 1])",
            "do not intersect",
        ),
        (
            "segment_intersection([1, 1], [1, 1], [0, 0], [2, 2])",
            "`p1` and `p2` are the same point",
        ),
        (
            "segment_intersection([0, 0], [2, 2], [1, 1], [1, 1])",
            "`q1` and `q2` are the same point",
        ),
        ("scale_points([[1e100, 0]], 1e300)", "not a finite number"),
        (
            "scale_points([[1, 0]], 2, [1])",
            "for `center`, got a list of length 1",
        ),
    ];
    for (src, want) in cases {
        let e = err(src);
        assert!(e.message.contains(want), "{src}: {}", e.message);
        assert!(e.span.is_some(), "{src}");
    }
    // The error points at the offending argument.
    assert_eq!(
        err("orient([0, 0], 3, [0, 1])").span,
        Some(Span::new(15, 16))
    );
}

#[test]
fn non_finite_inputs_are_errors() {
    let mut s = scope();
    s.insert("nan".to_string(), Value::Float(f64::NAN));
    s.insert("inf".to_string(), Value::Float(f64::INFINITY));
    s.insert(
        "p".to_string(),
        Value::List(vec![Value::Float(f64::NAN), Value::Int(0)]),
    );
    let run = |src: &str| Expr::parse(src).unwrap().eval_in(&s).unwrap_err().message;
    assert!(run("distance(p, [0, 0])").contains("`p` is out of range"));
    assert!(run("orient([0, 0], [inf, 0], [1, 1])").contains("`q` is out of range"));
    assert!(run("bbox([[0, 0], p])").contains("element 1 of `points` is out of range"));
    assert!(run("rotate_point([0, 0], [1, 1], nan)").contains("finite number for `deg`"));
    assert!(run("translate_points([[0, 0]], inf, 0)").contains("finite number for `dx`"));
    assert!(run("scale_points([[0, 0]], nan)").contains("finite number for `s`"));
    assert!(run("regular_polygon_points(nan, 0, 1, 3)").contains("for `cx`"));
    assert!(run("regular_polygon_points(0, 0, 1, 3, inf)").contains("for `rotation_deg`"));
    assert!(run("circle_relation([0, 0], nan, [1, 1], 1)").contains("for `r1`"));
}

#[test]
fn large_inputs_pay_for_their_work() {
    let src = "polyline_crossings([[k, 0] for k in range(2000)], [[0, k] for k in range(2000)])";
    let expr = Expr::parse(src).unwrap();
    let mut budget = Budget::default();
    let e = ev_budget(&expr, &mut budget).unwrap_err();
    assert!(e.message.contains("step limit"), "{}", e.message);
}
