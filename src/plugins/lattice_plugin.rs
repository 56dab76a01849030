//! The `lattice_routes` plugin: spec-facing adapter of [`super::lattice_routes`].
//!
//! Converts the declared parameters (stations as maps, moves as `[dx, dy]` lists) into
//! [`LatticeParams`], runs the generator, and returns the routes as plain values:
//! `{routes: [{from, to, from_port, to_port, points}], attempts}` with station names for
//! `from`/`to` and lattice points as `[x, y]` lists, in creation order.

use indexmap::IndexMap;

use super::lattice_routes::{
    DEFAULT_MAX_ATTEMPTS, DEFAULT_MAX_STEPS, LatticeParams, Point, Station, generate,
};
use super::{Generator, ParamDef, ParamKind};
use crate::expr::Value;
use crate::rng::SampleRng;

/// See the module docs.
pub struct LatticeRoutesPlugin;

const PARAMS: &[ParamDef] = &[
    ParamDef {
        name: "stations",
        kind: ParamKind::List,
        required: true,
        doc: "list of {name, ports: [[x, y], …], first_move: [dx, dy], moves: [[dx, dy], …]}",
    },
    ParamDef {
        name: "routes_per_station",
        kind: ParamKind::Int,
        required: true,
        doc: "N: every station ends exactly N routes",
    },
    ParamDef {
        name: "interior",
        kind: ParamKind::List,
        required: true,
        doc: "[xmin, ymin, xmax, ymax]: walk points lie strictly inside",
    },
    ParamDef {
        name: "max_attempts",
        kind: ParamKind::Int,
        required: false,
        doc: "whole-map attempts before failing (default 1000)",
    },
    ParamDef {
        name: "max_steps",
        kind: ParamKind::Int,
        required: false,
        doc: "steps per walk, backtracks included, before abandoning it (default 10000)",
    },
];

impl Generator for LatticeRoutesPlugin {
    fn name(&self) -> &'static str {
        "lattice_routes"
    }

    fn doc(&self) -> &'static str {
        "Random self-avoiding routes on an integer lattice between the ports of stations: each \
         route starts with its station's first move, then draws uniformly among untried moves of \
         the station's move set, backtracking when stuck; no unit edge is used twice; a map is \
         kept only when every station ends exactly N routes."
    }

    fn params(&self) -> &'static [ParamDef] {
        PARAMS
    }

    fn returns(&self) -> &'static str {
        "{routes: [{from, to, from_port: [x, y], to_port: [x, y], points: [[x, y], …]}], attempts}"
    }

    fn example(&self) -> &'static str {
        "tasks/blindtest/subway_connections.yaml"
    }

    fn generate(&self, p: &IndexMap<String, Value>, rng: &mut SampleRng) -> Result<Value, String> {
        let params = LatticeParams {
            stations: list(p, "stations")?
                .iter()
                .map(station)
                .collect::<Result<_, _>>()?,
            routes_per_station: int(p, "routes_per_station", 0)?,
            interior: interior(p)?,
            max_attempts: int(p, "max_attempts", DEFAULT_MAX_ATTEMPTS)?,
            max_steps: int(p, "max_steps", DEFAULT_MAX_STEPS)?,
        };
        let map = generate(&params, rng)?;
        let routes = map
            .routes
            .iter()
            .map(|r| {
                let mut m = IndexMap::new();
                m.insert(
                    "from".into(),
                    Value::Str(params.stations[r.from].name.clone()),
                );
                m.insert("to".into(), Value::Str(params.stations[r.to].name.clone()));
                m.insert("from_port".into(), point_value(r.from_port));
                m.insert("to_port".into(), point_value(r.to_port));
                m.insert(
                    "points".into(),
                    Value::List(r.points.iter().copied().map(point_value).collect()),
                );
                Value::Map(m)
            })
            .collect();
        let mut out = IndexMap::new();
        out.insert("routes".into(), Value::List(routes));
        out.insert("attempts".into(), Value::Int(i64::from(map.attempts)));
        Ok(Value::Map(out))
    }
}

fn list<'a>(p: &'a IndexMap<String, Value>, name: &str) -> Result<&'a [Value], String> {
    match p.get(name) {
        Some(Value::List(xs)) => Ok(xs),
        _ => Err(format!("`{name}` must be a list")),
    }
}

fn int(p: &IndexMap<String, Value>, name: &str, default: u32) -> Result<u32, String> {
    match p.get(name) {
        None => Ok(default),
        Some(v) => v
            .as_i64()
            .and_then(|x| u32::try_from(x).ok())
            .ok_or_else(|| format!("`{name}` must be a non-negative int")),
    }
}

fn point(v: &Value, what: &str) -> Result<Point, String> {
    match v {
        Value::List(xy) if xy.len() == 2 => match (xy[0].as_i64(), xy[1].as_i64()) {
            (Some(x), Some(y)) => Ok((x, y)),
            _ => Err(format!("{what} must be [x, y] with whole numbers")),
        },
        _ => Err(format!("{what} must be [x, y]")),
    }
}

fn point_value((x, y): Point) -> Value {
    Value::List(vec![Value::Int(x), Value::Int(y)])
}

fn station(v: &Value) -> Result<Station, String> {
    let Value::Map(m) = v else {
        return Err("each station must be a map".into());
    };
    let get = |k: &str| m.get(k).ok_or_else(|| format!("a station needs `{k}`"));
    let name = get("name")?
        .as_str()
        .ok_or("station `name` must be a string")?
        .to_string();
    let points = |k: &str| -> Result<Vec<Point>, String> {
        match get(k)? {
            Value::List(xs) => xs
                .iter()
                .map(|x| point(x, &format!("station {name}: `{k}` entry")))
                .collect(),
            _ => Err(format!("station {name}: `{k}` must be a list of [x, y]")),
        }
    };
    let first_move = point(get("first_move")?, &format!("station {name}: `first_move`"))?;
    Ok(Station {
        ports: points("ports")?,
        first_move,
        moves: points("moves")?,
        name,
    })
}

fn interior(p: &IndexMap<String, Value>) -> Result<(i64, i64, i64, i64), String> {
    let xs = list(p, "interior")?;
    let v: Option<Vec<i64>> = xs.iter().map(Value::as_i64).collect();
    match v.as_deref() {
        Some([a, b, c, d]) => Ok((*a, *b, *c, *d)),
        _ => Err("`interior` must be [xmin, ymin, xmax, ymax] with whole numbers".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The four stations of `tasks/blindtest/subway_connections.yaml`, as a spec gives them.
    fn stations() -> Value {
        let pts = |xs: &[(i64, i64)]| Value::List(xs.iter().map(|&p| point_value(p)).collect());
        #[rustfmt::skip]
        let table: [(&str, [Point; 3], Point, [Point; 3]); 4] = [
            ("A", [(8, 16), (9, 16), (10, 16)], (0, -1), [(0, -1), (-1, 0), (1, 0)]),
            ("B", [(16, 8), (16, 9), (16, 10)], (-1, 0), [(0, -1), (0, 1), (-1, 0)]),
            ("C", [(8, 2), (9, 2), (10, 2)], (0, 1), [(0, 1), (-1, 0), (1, 0)]),
            ("D", [(2, 8), (2, 9), (2, 10)], (1, 0), [(0, -1), (0, 1), (1, 0)]),
        ];
        let station = |(name, ports, first, moves): &(&str, [Point; 3], Point, [Point; 3])| {
            let mut m = IndexMap::new();
            m.insert("name".into(), Value::Str((*name).into()));
            m.insert("ports".into(), pts(ports));
            m.insert("first_move".into(), point_value(*first));
            m.insert("moves".into(), pts(moves));
            Value::Map(m)
        };
        Value::List(table.iter().map(station).collect())
    }

    fn params(n: i64) -> IndexMap<String, Value> {
        let mut p = IndexMap::new();
        p.insert("stations".into(), stations());
        p.insert("routes_per_station".into(), Value::Int(n));
        let interior = [2, 2, 16, 16].map(Value::Int).to_vec();
        p.insert("interior".into(), Value::List(interior));
        p
    }

    fn get<'a>(v: &'a Value, key: &str) -> &'a Value {
        match v {
            Value::Map(m) => &m[key],
            _ => panic!("not a map: {v:?}"),
        }
    }

    #[test]
    fn returns_routes_as_plain_data_and_depends_only_on_the_random_source() {
        let p = params(2);
        let out = LatticeRoutesPlugin
            .generate(&p, &mut SampleRng::new(5))
            .unwrap();
        assert_eq!(
            out,
            LatticeRoutesPlugin
                .generate(&p, &mut SampleRng::new(5))
                .unwrap()
        );
        assert!(matches!(get(&out, "attempts"), Value::Int(a) if *a >= 1));
        let Value::List(routes) = get(&out, "routes") else {
            panic!("routes is not a list")
        };
        assert_eq!(
            routes.len(),
            4,
            "2 routes per station × 4 stations / 2 ends"
        );
        let names = ["A", "B", "C", "D"].map(|s| Value::Str(s.into()));
        for r in routes {
            assert!(names.contains(get(r, "from")) && names.contains(get(r, "to")));
            let Value::List(points) = get(r, "points") else {
                panic!("points is not a list")
            };
            assert_eq!(points.first(), Some(get(r, "from_port")));
            assert_eq!(points.last(), Some(get(r, "to_port")));
            assert!(points.iter().all(|q| point(q, "point").is_ok()));
        }
    }

    #[test]
    fn malformed_parameters_are_errors_not_panics() {
        type Edit = fn(&mut IndexMap<String, Value>);
        #[rustfmt::skip]
        let cases: [(&str, Edit); 6] = [
            ("each station must be a map", |p| { p.insert("stations".into(), Value::List(vec![Value::Int(1)])); }),
            ("a station needs `moves`", |p| {
                if let Some(Value::List(s)) = p.get_mut("stations") && let Value::Map(m) = &mut s[0] { m.shift_remove("moves"); }
            }),
            ("`interior` must be [xmin, ymin, xmax, ymax]", |p| { p.insert("interior".into(), point_value((2, 2))); }),
            ("`routes_per_station` must be a non-negative int", |p| { p.insert("routes_per_station".into(), Value::Int(-1)); }),
            ("`max_steps` must be a non-negative int", |p| { p.insert("max_steps".into(), Value::Int(-3)); }),
            ("must be at least 1", |p| { p.insert("max_attempts".into(), Value::Int(0)); }),
        ];
        for (want, edit) in cases {
            let mut p = params(1);
            edit(&mut p);
            let e = LatticeRoutesPlugin
                .generate(&p, &mut SampleRng::new(1))
                .unwrap_err();
            assert!(e.contains(want), "{e:?} lacks {want:?}");
        }
    }
}
