//! Tests of the lattice route generator.

use super::*;
use crate::plugins::lattice_edges::edge_key;

/// BlindTest Task 7 stations as (name, ports, first move, moves): A top, B right, C bottom,
/// D left on the 0…18 lattice; never back towards the station's own side.
#[rustfmt::skip]
const SUBWAY: [(&str, [Point; 3], Point, [Point; 3]); 4] = [
    ("A", [(8, 16), (9, 16), (10, 16)], (0, -1), [(0, -1), (-1, 0), (1, 0)]),
    ("B", [(16, 8), (16, 9), (16, 10)], (-1, 0), [(0, -1), (0, 1), (-1, 0)]),
    ("C", [(8, 2), (9, 2), (10, 2)], (0, 1), [(0, 1), (-1, 0), (1, 0)]),
    ("D", [(2, 8), (2, 9), (2, 10)], (1, 0), [(0, -1), (0, 1), (1, 0)]),
];

fn station(name: &str, ports: &[Point], first_move: Point, moves: &[Point]) -> Station {
    let (name, ports, moves) = (name.to_string(), ports.to_vec(), moves.to_vec());
    Station {
        name,
        ports,
        first_move,
        moves,
    }
}

/// The four BlindTest Task 7 "Subway Connections" stations A, B, C, D, to be used with
/// interior `(2, 2, 16, 16)`. Test data and documentation example only.
fn blindtest_subway_stations() -> Vec<Station> {
    (SUBWAY.iter())
        .map(|(name, ports, first_move, moves)| station(name, ports, *first_move, moves))
        .collect()
}

fn blindtest(n: u32) -> LatticeParams {
    LatticeParams {
        stations: blindtest_subway_stations(),
        routes_per_station: n,
        interior: (2, 2, 16, 16),
        max_attempts: DEFAULT_MAX_ATTEMPTS,
        max_steps: DEFAULT_MAX_STEPS,
    }
}

/// Asserts every documented invariant of a returned map.
fn check_map(p: &LatticeParams, m: &LatticeMap) {
    let n = p.routes_per_station;
    let mut counters = vec![0; p.stations.len()];
    let (mut edges, mut ports) = (BTreeSet::new(), BTreeSet::new());
    for r in &m.routes {
        assert_ne!(r.from, r.to);
        assert!(p.stations[r.from].ports.contains(&r.from_port));
        assert!(p.stations[r.to].ports.contains(&r.to_port));
        assert_eq!(r.points.first(), Some(&r.from_port));
        assert_eq!(r.points.last(), Some(&r.to_port));
        assert!(ports.insert(r.from_port), "port reused");
        assert!(ports.insert(r.to_port), "port reused");
        let st = &p.stations[r.from];
        for (i, w) in r.points.windows(2).enumerate() {
            let step = (w[1].0 - w[0].0, w[1].1 - w[0].1);
            assert!(if i == 0 {
                step == st.first_move
            } else {
                st.moves.contains(&step)
            });
            assert!(edges.insert(edge_key(w[0], w[1])), "edge reused: {w:?}");
        }
        let inner = &r.points[1..r.points.len() - 1];
        assert!(inner.iter().all(|&q| inside(p.interior, q)));
        counters[r.from] += 1;
        counters[r.to] += 1;
    }
    assert!(counters.iter().all(|&c| c == n), "{counters:?}");
    assert_eq!(m.routes.len() as u32 * 2, n * p.stations.len() as u32);
}

#[test]
fn same_seed_same_map() {
    let p = blindtest(3);
    let a = generate(&p, &mut SampleRng::new(42)).unwrap();
    assert_eq!(a, generate(&p, &mut SampleRng::new(42)).unwrap());
    assert_ne!(a, generate(&p, &mut SampleRng::new(43)).unwrap());
}

#[test]
fn blindtest_maps_hold_invariants() {
    for n in 1..=3 {
        let p = blindtest(n);
        let mut rng = SampleRng::new(u64::from(n));
        for _ in 0..15 {
            check_map(&p, &generate(&p, &mut rng).unwrap());
        }
    }
}

#[test]
fn general_configuration_works() {
    // Six stations around a 12 × 8 box, 2 ports each, moves: anything but straight back.
    #[rustfmt::skip]
    let table = [
        ("N1", [(3, 8), (4, 8)], (0, -1)), ("N2", [(8, 8), (9, 8)], (0, -1)),
        ("E", [(12, 3), (12, 5)], (-1, 0)), ("S1", [(3, 0), (4, 0)], (0, 1)),
        ("S2", [(8, 0), (9, 0)], (0, 1)), ("W", [(0, 3), (0, 5)], (1, 0)),
    ];
    let stations: Vec<Station> = (table.iter())
        .map(|&(name, ports, f)| {
            let all = [(0, 1), (0, -1), (1, 0), (-1, 0)];
            let moves: Vec<Point> = all.into_iter().filter(|&m| m != (-f.0, -f.1)).collect();
            station(name, &ports, f, &moves)
        })
        .collect();
    for n in 1..=2 {
        let p = LatticeParams {
            stations: stations.clone(),
            interior: (0, 0, 12, 8),
            ..blindtest(n)
        };
        let mut rng = SampleRng::new(7);
        for _ in 0..10 {
            check_map(&p, &generate(&p, &mut rng).unwrap());
        }
    }
}

type Edit = fn(&mut LatticeParams);

#[test]
fn validate_rejects_bad_params() {
    assert_eq!(validate(&blindtest(2)), Ok(()));
    #[rustfmt::skip]
    let cases: [(&str, Edit); 13] = [
        ("must be at least 1", |p| p.routes_per_station = 0),
        ("must be at least 1", |p| p.max_attempts = 0),
        ("at least 2 stations", |p| p.stations.truncate(1)),
        ("is odd", |p| { p.stations.truncate(3); p.routes_per_station = 1 }),
        ("not a distinct unit step", |p| p.stations[0].moves.push((1, 1))),
        ("not a distinct unit step", |p| p.stations[0].moves.push((0, -1))),
        ("first move (1, 1) is not", |p| p.stations[1].first_move = (1, 1)),
        ("misses the interior", |p| p.stations[1].first_move = (1, 0)),
        ("misses the interior", |p| p.stations[1].ports[0] = (i64::MIN, 9)),
        ("misses the interior", |p| p.interior = (2, 2, 3, 16)),
        ("inside the interior", |p| p.stations[2].ports[0] = (9, 9)),
        ("listed twice", |p| p.stations[3].ports[0] = (2, 9)),
        ("used twice", |p| p.stations[3].name = "A".into()),
    ];
    for (want, edit) in cases {
        let mut p = blindtest(2);
        edit(&mut p);
        let e = generate(&p, &mut SampleRng::new(1)).unwrap_err();
        assert!(e.contains(want), "{e:?} lacks {want:?}");
    }
}

#[test]
fn impossible_params_fail_quickly() {
    let t = std::time::Instant::now();
    let e = generate(&blindtest(5), &mut SampleRng::new(1)).unwrap_err();
    assert!(e.contains("fewer than N = 5"), "{e}");
    // Well-formed but unsolvable: after stepping in, A's walks only go left and C's only
    // right, so no walk ever comes next to the other station's ports.
    let mut p = blindtest(1);
    p.stations.retain(|s| s.name == "A" || s.name == "C");
    p.stations[0].moves = vec![(-1, 0)];
    p.stations[1].moves = vec![(1, 0)];
    p.max_attempts = 200;
    let e = generate(&p, &mut SampleRng::new(1)).unwrap_err();
    assert_eq!(e, "no map with 1 routes per station after 200 attempts");
    assert!(t.elapsed().as_secs() < 2);
}
