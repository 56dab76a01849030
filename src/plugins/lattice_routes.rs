//! Random routes on an integer lattice between the ports of stations.
//!
//! Role: the map generator of "count the single-coloured paths" tasks. It is general (any
//! stations, ports, move sets and interior box); BlindTest Task 7 "Subway Connections" is one
//! configuration (the stations of `tasks/blindtest/subway_connections.yaml` with interior
//! `(2, 2, 16, 16)`; the tests use the same stations).
//!
//! Algorithm, per map attempt (fresh state each time): shuffle the station order. For each
//! station, shuffle its ports and snapshot the admissible destinations: ports of *other*
//! stations whose counter is below N, minus ports already used as a route's start or end. Then,
//! up to N times (stop once the station's counter is N), pop a port and walk: step in with
//! `first_move`, then draw uniformly among the station's moves not yet tried at the current
//! point. A step onto an admissible destination ends the walk; otherwise it is kept iff its unit
//! edge is unused in either direction (by routes or failed segments of this map) and the point
//! is strictly inside the interior; kept edges are marked at once. When every move at a point
//! has failed, the walk backtracks one segment (that segment stays marked). A walk whose first
//! step fails, that would backtrack past its first segment, or that exceeds `max_steps` (draws
//! plus backtracks) is abandoned and its port consumed. A walk that ended on a destination
//! becomes a route iff its last edge and end port are unused: both ports become used, both
//! counters go up. The map is kept iff every counter is N; otherwise retry, up to
//! `max_attempts`.
//!
//! Invariants of a returned map: every station ends exactly N routes; a route joins ports of two
//! different stations; consecutive points are unit steps; inner points lie strictly inside the
//! interior; no unit edge is used twice (either direction, within or across routes); no port is
//! an endpoint twice. Walks avoid edges, not points: routes may cross. The output depends only
//! on the params and the rng stream (ordered collections only).
//!
//! Choices, following the BlindTest notebook (`src/SubwayMap/SubwayMap.ipynb`) where the
//! reference text is ambiguous:
//! - The destination snapshot is taken once per station turn, as in the notebook, so it goes
//!   stale during the turn: a walk may stop at a port the station's previous route just used
//!   (refused, as the notebook's edge check refuses it) or at a station that just reached N.
//!   That dooms the attempt, which is then abandoned early: same kept-map distribution.
//! - The station order is shuffled once per attempt (the notebook: once per run).
//! - A start port already used as a route's end cannot start a walk (the notebook fails on the
//!   used first edge: same outcome, no draw).
//! - After a backtrack the notebook re-offers all moves at the earlier point; those already
//!   tried there can only fail again (marked edges only accumulate), so offering only untried
//!   moves gives the same distribution of walks with fewer draws.
//! - Ports must lie outside the open interior and `port + first_move` inside it, so ports only
//!   appear as route endpoints.
//! - `max_steps` never binds for BlindTest: with 324 usable edges and 3 moves per point, a walk
//!   there makes at most about 1,300 steps.

use std::collections::{BTreeMap, BTreeSet};

use super::lattice_edges::Edges;
use crate::rng::SampleRng;

/// A lattice point or a unit move `(x, y)`.
pub type Point = (i64, i64);

/// Suggested `max_attempts`: BlindTest maps at N = 3 take about 21 attempts on average.
pub const DEFAULT_MAX_ATTEMPTS: u32 = 1000;
/// Suggested `max_steps` per walk; far above what the BlindTest lattice allows.
pub const DEFAULT_MAX_STEPS: u32 = 10_000;

/// A station: a named group of ports where routes start and end.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Station {
    /// Label, e.g. `"A"`; names must be distinct.
    pub name: String,
    /// Lattice points where a route may start or end, outside the open interior.
    pub ports: Vec<Point>,
    /// The unit move from a port into the interior.
    pub first_move: Point,
    /// Unit moves a walk started at this station may take after its first step.
    pub moves: Vec<Point>,
}

/// Everything that defines a map; see [`validate`] for the rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LatticeParams {
    /// The stations; routes refer to them by index.
    pub stations: Vec<Station>,
    /// N: every station ends with exactly N routes (N × stations / 2 routes in all).
    pub routes_per_station: u32,
    /// `(xmin, ymin, xmax, ymax)`: walk points satisfy `xmin < x < xmax`, `ymin < y < ymax`.
    pub interior: (i64, i64, i64, i64),
    /// Whole-map attempts before [`generate`] gives up.
    pub max_attempts: u32,
    /// Draws plus backtracks allowed per walk before it is abandoned.
    pub max_steps: u32,
}

/// One route between ports of two different stations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    /// Index of the station whose turn created the route.
    pub from: usize,
    /// Index of the station owning the end port.
    pub to: usize,
    /// First point of the route.
    pub from_port: Point,
    /// Last point of the route.
    pub to_port: Point,
    /// Lattice points from `from_port` to `to_port` inclusive, each a unit step from the last.
    pub points: Vec<Point>,
}

/// A generated map.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LatticeMap {
    /// Routes in creation order.
    pub routes: Vec<Route>,
    /// Attempts used, counting the successful one.
    pub attempts: u32,
}

fn add(p: Point, m: Point) -> Option<Point> {
    Some((p.0.checked_add(m.0)?, p.1.checked_add(m.1)?))
}

fn is_unit(m: Point) -> bool {
    matches!(m, (0, 1) | (0, -1) | (1, 0) | (-1, 0))
}

fn inside(interior: (i64, i64, i64, i64), q: Point) -> bool {
    let (x0, y0, x1, y1) = interior;
    x0 < q.0 && q.0 < x1 && y0 < q.1 && q.1 < y1
}

/// `(xmin, ymin, xmax, ymax)` of the interior's bounds and every port: every point a walk
/// can visit lies in it.
fn frame(p: &LatticeParams) -> (i64, i64, i64, i64) {
    let ports = p.stations.iter().flat_map(|st| st.ports.iter());
    ports.fold(p.interior, |(x0, y0, x1, y1), &(x, y)| {
        (x0.min(x), y0.min(y), x1.max(x), y1.max(y))
    })
}

/// Checks that `p` describes a well-formed problem (it may still have no solution): at least
/// 2 stations, N ≥ 1, N × stations even, ≥ N ports per station, distinct names and ports, unit
/// and distinct moves, ports outside the open interior with `port + first_move` inside it.
pub fn validate(p: &LatticeParams) -> Result<(), String> {
    let (n, k) = (p.routes_per_station, p.stations.len() as u64);
    if k < 2 {
        return Err(format!("need at least 2 stations, got {k}"));
    }
    if n == 0 || p.max_attempts == 0 || p.max_steps == 0 {
        return Err("routes_per_station, max_attempts, max_steps must be at least 1".into());
    }
    if k * u64::from(n) % 2 == 1 {
        return Err(format!("{k} stations × {n} route ends is odd"));
    }
    let (mut names, mut ports) = (BTreeSet::new(), BTreeSet::new());
    for st in &p.stations {
        validate_station(p, st)?;
        if !names.insert(st.name.as_str()) {
            return Err(format!("station name {:?} is used twice", st.name));
        }
        if let Some(q) = st.ports.iter().find(|q| !ports.insert(**q)) {
            return Err(format!("port {q:?} is listed twice"));
        }
    }
    Ok(())
}

fn validate_station(p: &LatticeParams, st: &Station) -> Result<(), String> {
    let who = format!("station {:?}", st.name);
    let (n, fm) = (p.routes_per_station, st.first_move);
    if st.ports.len() < n as usize {
        let k = st.ports.len();
        return Err(format!("{who} has {k} ports, fewer than N = {n}"));
    }
    if !is_unit(fm) {
        return Err(format!("{who}: first move {fm:?} is not a unit step"));
    }
    if st.moves.is_empty() {
        return Err(format!("{who} has no moves"));
    }
    for (i, m) in st.moves.iter().enumerate() {
        if !is_unit(*m) || st.moves[..i].contains(m) {
            return Err(format!("{who}: move {m:?} is not a distinct unit step"));
        }
    }
    for &q in &st.ports {
        if inside(p.interior, q) {
            return Err(format!("{who}: port {q:?} lies inside the interior"));
        }
        if !add(q, fm).is_some_and(|f| inside(p.interior, f)) {
            return Err(format!("{who}: first move from {q:?} misses the interior"));
        }
    }
    Ok(())
}

/// Generates one map with exactly N routes per station, or explains why it could not.
pub fn generate(p: &LatticeParams, rng: &mut SampleRng) -> Result<LatticeMap, String> {
    validate(p)?;
    let owner: BTreeMap<Point, usize> = (p.stations.iter().enumerate())
        .flat_map(|(i, st)| st.ports.iter().map(move |&q| (q, i)))
        .collect();
    let frame = frame(p);
    for attempt in 1..=p.max_attempts {
        let mut a = Attempt {
            p,
            owner: &owner,
            visited: Edges::new(frame),
            used_ports: BTreeSet::new(),
            counters: vec![0; p.stations.len()],
            routes: Vec::new(),
            dest: BTreeMap::new(),
        };
        if a.run(rng) {
            return Ok(LatticeMap {
                routes: a.routes,
                attempts: attempt,
            });
        }
    }
    let (n, a) = (p.routes_per_station, p.max_attempts);
    let msg = format!("no map with {n} routes per station after {a} attempts");
    Err(msg)
}

/// Mutable state of one whole-map attempt.
struct Attempt<'a> {
    p: &'a LatticeParams,
    owner: &'a BTreeMap<Point, usize>,
    /// Used unit edges, in either direction.
    visited: Edges,
    used_ports: BTreeSet<Point>,
    counters: Vec<u32>,
    routes: Vec<Route>,
    /// The current station's destination snapshot: port → owning station.
    dest: BTreeMap<Point, usize>,
}

impl Attempt<'_> {
    /// Runs every station's turn; true iff the map is complete.
    fn run(&mut self, rng: &mut SampleRng) -> bool {
        let mut order: Vec<usize> = (0..self.p.stations.len()).collect();
        rng.shuffle(&mut order);
        for s in order {
            if !self.station_turn(s, rng) {
                return false;
            }
        }
        let n = self.p.routes_per_station;
        self.counters.iter().all(|&c| c == n)
    }

    /// One station's turn; false iff some counter overshot N (the attempt is doomed).
    fn station_turn(&mut self, s: usize, rng: &mut SampleRng) -> bool {
        let n = self.p.routes_per_station;
        let mut ports = self.p.stations[s].ports.clone();
        rng.shuffle(&mut ports);
        self.dest = self.admissible(s);
        for _ in 0..n {
            if self.counters[s] >= n {
                break;
            }
            let Some(start) = ports.pop() else { break };
            let Some((points, to)) = self.walk(s, start, rng) else {
                continue;
            };
            let to_port = *points.last().unwrap_or(&start);
            self.used_ports.extend([start, to_port]);
            self.counters[s] += 1;
            self.counters[to] += 1;
            self.routes.push(Route {
                from: s,
                to,
                from_port: start,
                to_port,
                points,
            });
            if self.counters[to] > n {
                return false;
            }
        }
        true
    }

    /// Snapshot of the ports station `s` may end a route at, with their owners.
    fn admissible(&self, s: usize) -> BTreeMap<Point, usize> {
        (self.owner.iter())
            .filter(|&(q, &o)| {
                o != s
                    && self.counters[o] < self.p.routes_per_station
                    && !self.used_ports.contains(q)
            })
            .map(|(&q, &o)| (q, o))
            .collect()
    }

    /// Walks from `start`; returns the route's points and end station, or None if abandoned.
    /// A walk that reaches a destination ends there; it becomes a route iff the last edge and
    /// the end port are still unused.
    fn walk(&mut self, s: usize, start: Point, rng: &mut SampleRng) -> Option<(Vec<Point>, usize)> {
        if self.used_ports.contains(&start) {
            return None;
        }
        let st = &self.p.stations[s];
        let all_moves = (1u8 << st.moves.len()) - 1;
        let (mut path, mut frames) = (vec![start], Vec::new());
        let mut cand = add(start, st.first_move)?;
        let mut steps = 0u32;
        while steps < self.p.max_steps {
            let here = *path.last()?;
            if let Some(&to) = self.dest.get(&cand) {
                let ok = !self.used_ports.contains(&cand) && self.visited.insert(here, cand);
                path.push(cand);
                return ok.then_some((path, to));
            }
            if inside(self.p.interior, cand) && self.visited.insert(here, cand) {
                path.push(cand);
                frames.push(all_moves);
            } else if frames.is_empty() {
                return None;
            }
            let mv = next_move(&mut path, &mut frames, &mut steps, rng)?;
            cand = add(*path.last()?, *st.moves.get(mv)?)?;
        }
        None
    }
}

/// Draws uniformly among the untried moves (bit i = `moves[i]`) at the walk's head, first
/// backtracking over exhausted points; counts draws and backtracks in `steps`. None when the
/// walk would have to backtrack past its first interior point.
fn next_move(
    path: &mut Vec<Point>,
    frames: &mut Vec<u8>,
    steps: &mut u32,
    rng: &mut SampleRng,
) -> Option<usize> {
    loop {
        *steps = steps.saturating_add(1);
        let top = frames.last_mut()?;
        if *top != 0 {
            let k = rng.below(u64::from(top.count_ones())) as usize;
            let bit = (0..8).filter(|b| *top >> b & 1 == 1).nth(k)?;
            *top &= !(1 << bit);
            return Some(bit);
        }
        if frames.len() == 1 {
            return None;
        }
        frames.pop();
        path.pop();
    }
}

#[cfg(test)]
#[path = "lattice_routes_tests.rs"]
mod tests;
