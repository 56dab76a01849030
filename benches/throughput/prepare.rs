//! Untimed preparation: loading task specs and composing samples into SVG text.

use std::hint::black_box;
use std::path::PathBuf;
use std::time::Instant;

use blindspot::compose;
use blindspot::pipeline;
use blindspot::scene::svg::to_svg;
use blindspot::spec::types::ColorMode;
use blindspot::spec::{self, TaskSpec};

use crate::stats::die;

/// The BlindTest suite folder.
pub fn task_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tasks/blindtest")
}

/// One loaded task.
pub struct Task {
    /// Spec file stem, e.g. `touching_circles`.
    pub stem: String,
    /// The validated spec.
    pub spec: TaskSpec,
}

impl Task {
    /// Samples measured: the spec's count, capped by `--samples`.
    pub fn samples(&self, cap: Option<u64>) -> u64 {
        let all = self.spec.images();
        cap.map_or(all, |c| c.min(all))
    }
}

/// Loads the named specs (file stems), or every spec in the folder but suite.yaml, with
/// `color` (when given) as every spec's colour policy.
pub fn load_tasks(stems: &[String], color: Option<ColorMode>) -> Vec<Task> {
    let stems = if stems.is_empty() {
        all_stems()
    } else {
        stems.to_vec()
    };
    stems
        .into_iter()
        .map(|stem| {
            let path = task_dir().join(format!("{stem}.yaml"));
            let mut spec = spec::load(&path).unwrap_or_else(|d| die(path.display(), d));
            if let Some(color) = color {
                spec.output.color = color;
            }
            Task { stem, spec }
        })
        .collect()
}

fn all_stems() -> Vec<String> {
    let dir = task_dir();
    let entries = std::fs::read_dir(&dir).unwrap_or_else(|e| die(dir.display(), e));
    let mut stems: Vec<String> = entries
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter_map(|n| n.strip_suffix(".yaml").map(str::to_string))
        .filter(|s| s != "suite")
        .collect();
    stems.sort();
    stems
}

/// Samples 0..n of a task as SVG text, with their pixel format.
pub struct Prepared {
    /// SVG documents, in sample order.
    pub svgs: Vec<String>,
    /// Whether each sample's scene is gray, which with a colour policy gives its pixel
    /// format ([`render::pixel_format`]).
    pub scene_gray: Vec<bool>,
}

/// Composes samples 0..n and writes their SVGs.
pub fn prepare(spec: &TaskSpec, n: u64) -> Prepared {
    let planner = pipeline::planner(spec).unwrap_or_else(|e| die(&spec.name, e));
    let mut p = Prepared {
        svgs: Vec::with_capacity(n as usize),
        scene_gray: Vec::with_capacity(n as usize),
    };
    for i in 0..n {
        let sample = compose::compose(spec, &planner.plan(i))
            .unwrap_or_else(|e| die(format!("{} sample {i}", spec.name), e));
        p.scene_gray.push(sample.scene.is_gray());
        p.svgs.push(to_svg(&sample.scene));
    }
    p
}

/// One timed pass of planning, compose and `to_svg` over samples 0..n, in seconds.
pub fn time_compose(spec: &TaskSpec, n: u64) -> [f64; 3] {
    let t = Instant::now();
    let planner = pipeline::planner(black_box(spec)).unwrap_or_else(|e| die(&spec.name, e));
    let plan_s = t.elapsed().as_secs_f64();
    let (mut compose_s, mut svg_s) = (0.0, 0.0);
    let mut composer = compose::Composer::new(spec);
    for i in 0..n {
        let plan = planner.plan(i);
        let t0 = Instant::now();
        let sample = composer
            .compose(black_box(&plan))
            .unwrap_or_else(|e| die(format!("{} sample {i}", spec.name), e));
        let t1 = Instant::now();
        black_box(to_svg(&sample.scene));
        svg_s += t1.elapsed().as_secs_f64();
        compose_s += (t1 - t0).as_secs_f64();
    }
    [plan_s, compose_s, svg_s]
}
