//! Section 1: the raster limit (parse + render + PNG over ready SVGs) against the build,
//! one thread, per task.

use std::hint::black_box;
use std::time::Instant;

use blindspot::compose::Composer;
use blindspot::pipeline::{self, BuildOptions};
use blindspot::render::{self, Renderer};
use blindspot::sink::Tally;
use blindspot::sink::shards::ShardSet;
use blindspot::spec::TaskSpec;
use blindspot::timings::Stage;

use crate::args::Args;
use crate::prepare::{Prepared, Task, prepare, time_compose};
use crate::stats::{Timing, die, ms, rate_pair, timed};

/// Build ratio to the raster limit that passes.
const TARGET_RATIO: f64 = 0.85;

/// Measurements of one task.
struct Measured {
    stem: String,
    mode: &'static str,
    images: u64,
    prepared: Prepared,
    /// Planning (`Planner::new`), compose and `to_svg`, one pass per run.
    plan: Timing,
    compose: Timing,
    svg: Timing,
    raster: Timing,
    /// Of the raster loop: parse + render seconds and PNG encode seconds, per run.
    render: Timing,
    encode: Timing,
    build: Timing,
    /// The same build with `verify: false` (`build --no-verify`): the compiler without the
    /// label check of specs with `verify:`.
    unverified: Timing,
    /// Thread seconds per stage inside the (verified) build, per run, in [`Stage::ALL`] order.
    stages: Vec<Timing>,
}

/// Runs section 1 and prints its two tables.
pub fn run(tasks: &[Task], args: &Args) {
    println!("## 1. Raster limit vs build, 1 thread (target: build/raster >= {TARGET_RATIO})");
    println!();
    println!("raster = rasterize (usvg parse + resvg render) + encode_png over pre-composed SVGs;");
    println!("mode `build` = pipeline::build (everything, into a temp folder); mode `rows` =");
    println!("sample_rows + ShardSet + Tally for the first N samples (used when --samples caps).");
    println!("img/s columns: median (best) over --runs {}.", args.runs);
    println!();
    println!("`--no-verify` columns: the same build without the `verify` stage. Ratios: of the");
    println!(
        "medians, then (in brackets) the lowest and highest of the runs' own ratios: each run"
    );
    println!(
        "times the raster pass and its builds back to back, so a run's ratio shares its load."
    );
    println!();
    println!(
        "| task | mode | images | raster img/s | build img/s | build/raster | overhead ms/img | pass | --no-verify img/s | ratio | pass |"
    );
    println!("|---|---|---:|---:|---:|---:|---:|:---:|---:|---:|:---:|");
    let mut all = Vec::new();
    for task in tasks {
        let m = measure(task, args);
        print_row(&m);
        all.push(m);
    }
    print_total(&all);
    print_stages(&all);
    print_budget(&all);
}

fn measure(task: &Task, args: &Args) -> Measured {
    let images = task.samples(args.samples);
    let full = images == task.spec.images();
    let prepared = prepare(&task.spec, images);
    let renderer = Renderer::new();
    let mut m = Measured {
        stem: task.stem.clone(),
        mode: if full { "build" } else { "rows" },
        images,
        prepared,
        plan: Timing::default(),
        compose: Timing::default(),
        svg: Timing::default(),
        raster: Timing::default(),
        render: Timing::default(),
        encode: Timing::default(),
        build: Timing::default(),
        unverified: Timing::default(),
        stages: vec![Timing::default(); Stage::ALL.len()],
    };
    warm_up(&renderer, &task.spec, &m.prepared);
    for _ in 0..args.runs {
        let (render_s, encode_s) = raster_once(&renderer, &task.spec, &m.prepared);
        m.raster.push(render_s + encode_s);
        m.render.push(render_s);
        m.encode.push(encode_s);
        for (verify, timing) in [(true, &mut m.build), (false, &mut m.unverified)] {
            let (seconds, stages) = match full {
                true => build_once(&task.spec, verify),
                false => (rows_once(&task.spec, images, verify), Vec::new()),
            };
            timing.push(seconds);
            if verify {
                (m.stages.iter_mut().zip(stages)).for_each(|(t, (_, s))| t.push(s));
            }
        }
        let [plan_s, compose_s, svg_s] = time_compose(&task.spec, images);
        m.plan.push(plan_s);
        m.compose.push(compose_s);
        m.svg.push(svg_s);
    }
    m
}

/// One pass of the raster limit: (parse + render seconds, encode seconds).
fn raster_once(renderer: &Renderer, spec: &TaskSpec, p: &Prepared) -> (f64, f64) {
    let compression = spec.output.compression;
    let (mut render_s, mut encode_s) = (0.0, 0.0);
    for (svg, &gray) in p.svgs.iter().zip(&p.scene_gray) {
        let format = render::pixel_format(spec.output.color, gray);
        let t0 = Instant::now();
        let pixmap = renderer
            .rasterize(black_box(svg))
            .unwrap_or_else(|e| die(&spec.name, e));
        let t1 = Instant::now();
        let png =
            render::encode_png(&pixmap, format, compression).unwrap_or_else(|e| die(&spec.name, e));
        black_box(png);
        // As the build does: the canvas's memory serves the next one of its size.
        render::recycle(pixmap);
        encode_s += t1.elapsed().as_secs_f64();
        render_s += (t1 - t0).as_secs_f64();
    }
    (render_s, encode_s)
}

/// Renders a few samples untimed, so the first run does not pay for cold caches alone.
fn warm_up(renderer: &Renderer, spec: &TaskSpec, p: &Prepared) {
    let few = Prepared {
        svgs: p.svgs.iter().take(4).cloned().collect(),
        scene_gray: p.scene_gray.iter().take(4).copied().collect(),
    };
    black_box(raster_once(renderer, spec, &few));
}

/// One real single-threaded build into a fresh temporary folder (removed untimed): its
/// wall seconds and its own thread seconds per stage (`--timings`).
fn build_once(spec: &TaskSpec, verify: bool) -> (f64, Vec<(Stage, f64)>) {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| die("temp dir", e));
    let opts = BuildOptions {
        out_dir: tmp.path().join("dataset"),
        threads: Some(1),
        verify,
        timings: true,
        ..Default::default()
    };
    let (report, seconds) = timed(|| pipeline::build(spec, &opts));
    let report = report.unwrap_or_else(|e| die(&spec.name, e));
    assert_eq!(
        report.images,
        spec.images(),
        "the build rendered every image"
    );
    (seconds, report.stage_seconds)
}

/// The build's per-sample path for samples 0..n on the calling thread: plan, compose,
/// render, encode, hash and rows, written to Parquet shards and tallied (no card/manifest).
fn rows_once(spec: &TaskSpec, n: u64, verify: bool) -> f64 {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| die("temp dir", e));
    let (rows, seconds) = timed(|| {
        let renderer = Renderer::new();
        let planner = pipeline::planner(spec).unwrap_or_else(|e| die(&spec.name, e));
        let mut shards = ShardSet::new(tmp.path(), "data/", &spec.split);
        let mut tally = Tally::new();
        let timings = blindspot::timings::Timings::new(false);
        let mut composer = Composer::new(spec);
        for i in 0..n {
            let (rows, _) =
                pipeline::sample_rows(&mut composer, &renderer, &planner.plan(i), &timings, verify)
                    .unwrap_or_else(|e| die(&spec.name, e));
            tally.add_all(&rows).expect("tally");
            shards.write(&rows).unwrap_or_else(|e| die(&spec.name, e));
        }
        black_box(shards.finish().unwrap_or_else(|e| die(&spec.name, e)));
        tally.rows()
    });
    assert!(rows >= n, "every sample gave a row");
    seconds
}

fn print_row(m: &Measured) {
    let n = m.images as f64;
    let (raster, build) = (m.raster.median(), m.build.median());
    let (ratio, unverified) = (raster / build, raster / m.unverified.median());
    println!(
        "| {} | {} | {} | {} | {} | {ratio:.2} {} | {} | {} | {} | {unverified:.2} {} | {} |",
        m.stem,
        m.mode,
        m.images,
        rate_pair(m.images, &m.raster),
        rate_pair(m.images, &m.build),
        run_range(&m.raster, &m.build),
        ms((build - raster) / n),
        pass(ratio),
        rate_pair(m.images, &m.unverified),
        run_range(&m.raster, &m.unverified),
        pass(unverified),
    );
}

/// The lowest and highest of the per-run ratios `raster / build`, as `(lo–hi)`.
fn run_range(raster: &Timing, build: &Timing) -> String {
    let ratios = raster.runs.iter().zip(&build.runs).map(|(r, b)| r / b);
    let (lo, hi) = ratios.fold((f64::INFINITY, 0.0f64), |(lo, hi), x| {
        (lo.min(x), hi.max(x))
    });
    format!("({lo:.2}–{hi:.2})")
}

fn pass(ratio: f64) -> &'static str {
    if ratio >= TARGET_RATIO {
        "yes"
    } else {
        "**no**"
    }
}

/// All tasks together: total images over total median seconds.
fn print_total(all: &[Measured]) {
    let images: u64 = all.iter().map(|m| m.images).sum();
    let raster: f64 = all.iter().map(|m| m.raster.median()).sum();
    let build: f64 = all.iter().map(|m| m.build.median()).sum();
    let unverified: f64 = all.iter().map(|m| m.unverified.median()).sum();
    let (ratio, ratio_unverified) = (raster / build, raster / unverified);
    println!(
        "| **all** | | {images} | {:.0} | {:.0} | {ratio:.2} | {} | {} | {:.0} | {ratio_unverified:.2} | {} |",
        images as f64 / raster,
        images as f64 / build,
        ms((build - raster) / images as f64),
        pass(ratio),
        images as f64 / unverified,
        pass(ratio_unverified),
    );
    println!();
}

/// Where a build's time per image goes (medians; compose and SVG from one untimed pass).
fn print_stages(all: &[Measured]) {
    println!("Per-image stage cost, ms (medians of separately timed passes; plan = Planner::new");
    println!(
        "(`sampling.unique`) spread over the images; rest = build − the five stages: hashing,"
    );
    println!("rows, Parquet, card/manifest, file system, and noise):");
    println!();
    println!(
        "| task | plan | compose | to_svg | parse+render | png encode | rest | build | dominant |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---|");
    for m in all {
        let n = m.images as f64;
        let stages = [
            ("plan", m.plan.median() / n),
            ("compose", m.compose.median() / n),
            ("to_svg", m.svg.median() / n),
            ("parse+render", m.render.median() / n),
            ("png encode", m.encode.median() / n),
        ];
        let build = m.build.median() / n;
        let rest = build - stages.iter().map(|s| s.1).sum::<f64>();
        let top = stages
            .iter()
            .chain([("rest", rest)].iter())
            .max_by(|a, b| a.1.total_cmp(&b.1))
            .map_or("", |s| s.0);
        let cells: Vec<String> = stages.iter().map(|s| ms(s.1)).collect();
        println!(
            "| {} | {} | {} | {} | {top} |",
            m.stem,
            cells.join(" | "),
            ms(rest),
            ms(build)
        );
    }
    println!();
}

/// The overhead the target allows against what the build spends, split by the build's own
/// stage clock (`--timings`): which stages would have to shrink, and by how much.
fn print_budget(all: &[Measured]) {
    println!(
        "Overhead budget, ms per image: `budget` = raster × (1/{TARGET_RATIO} − 1), the most a build"
    );
    println!(
        "may spend beyond the raster limit and pass; `overhead` = build − raster (medians). The"
    );
    println!(
        "split is the verified build's own stage clock; `raster+encode` is those stages inside"
    );
    println!("the build (compare `raster`, the limit's own loop); `outside` =");
    println!("wall time outside the timed stages (staging, card, manifest, publish):");
    println!();
    println!(
        "| task | raster | budget | overhead | expand | scene+svg | verify | write | raster+encode | outside |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for m in all
        .iter()
        .filter(|m| m.stages.iter().all(|t| !t.runs.is_empty()))
    {
        let n = m.images as f64;
        let stage = |s: Stage| m.stages[s as usize].median() / n;
        let raster = m.raster.median() / n;
        let build = m.build.median() / n;
        let timed: f64 = Stage::ALL.iter().map(|&s| stage(s)).sum();
        println!(
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            m.stem,
            ms(raster),
            ms(raster * (1.0 / TARGET_RATIO - 1.0)),
            ms(build - raster),
            ms(stage(Stage::Expand)),
            ms(stage(Stage::Scene) + stage(Stage::Svg)),
            ms(stage(Stage::Verify)),
            ms(stage(Stage::Write)),
            ms(stage(Stage::Raster) + stage(Stage::Encode)),
            ms(build - timed),
        );
    }
    println!();
}
