//! Throughput benchmark of the build pipeline (a plain `main`, no harness).
//!
//! What is measured, with `std::time::Instant`, each setting repeated `--runs` times and
//! reported as median and best (min time / max rate):
//!
//! 1. **raster limit vs build** (`--section build`, alias `raster`), one thread, per task.
//!    The raster limit is a loop over pre-composed SVGs doing exactly
//!    `Renderer::rasterize` (usvg parse + resvg render) + `render::encode_png`. The build is
//!    the real `pipeline::build` with `threads: Some(1)` into a fresh temporary folder
//!    (everything: planning, compose, SVG, raster, PNG, SHA-256, Parquet, card, manifest,
//!    publish). When `--samples` caps a task below its size, the build column is measured as
//!    the pipeline's per-sample path instead (`pipeline::sample_rows` + `ShardSet` + `Tally`,
//!    no card or manifest); the `mode` column says which. Each build is also timed with
//!    `verify: false` (`build --no-verify`), the compiler without the label check of
//!    specs that declare `verify:`. Target: build/raster ≥ 0.85.
//!    A second table splits the cost per image into stages.
//! 2. **threads** (`--section threads`): the whole `tasks/blindtest/` suite through
//!    `pipeline::build_release` at 1 and 2 threads. Target: speedup ≥ 1.7×.
//! 3. **PNG settings** (`--section png`): up to 40 rasterised images per task (rendered
//!    once, untimed) encoded with each colour policy (the spec's, `auto`, `palette`, `rgb`)
//!    × compression through `render::encode_png`, and with each `png::Filter` at the spec's
//!    colour and compression through `render::encode_png_filtered` (the same conversion and
//!    encoder; `encode_png` is its Adaptive case).
//!
//! Run (release profile; output is markdown on stdout):
//!
//! ```text
//! cargo bench --bench throughput                          # all sections, all tasks, 3 runs
//! cargo bench --bench throughput -- --runs 1 --section build --tasks touching_circles
//! cargo bench --bench throughput -- --samples 50 --section png
//! ```
//!
//! Options: `--tasks a,b` (spec file stems in tasks/blindtest, default all but suite.yaml),
//! `--samples N` (cap per task), `--runs R` (default 3), `--section build|raster|threads|png|all`,
//! `--color auto|palette|rgb|gray` (replaces every spec's `output.color` in sections build and
//! png, to compare colour policies on the same tasks).
//! Timings on a shared machine are noisy: compare medians of several runs.

#[path = "throughput/args.rs"]
mod args;
#[path = "throughput/build.rs"]
mod build;
#[path = "throughput/png_settings.rs"]
mod png_settings;
#[path = "throughput/prepare.rs"]
mod prepare;
#[path = "throughput/stats.rs"]
mod stats;
#[path = "throughput/threads.rs"]
mod threads;

use args::Section;

fn main() {
    let args = match args::parse(std::env::args().skip(1)) {
        Ok(a) => a,
        Err(msg) => {
            if !msg.is_empty() {
                eprintln!("error: {msg}");
            }
            eprintln!("{}", args::USAGE);
            std::process::exit(if msg.is_empty() { 0 } else { 2 });
        }
    };
    header(&args);
    let tasks = prepare::load_tasks(&args.tasks, args.color);
    if args.wants(Section::Build) {
        build::run(&tasks, &args);
    }
    if args.wants(Section::Threads) {
        threads::run(&args);
    }
    if args.wants(Section::Png) {
        png_settings::run(&tasks, &args);
    }
}

/// What ran where: the options and how busy the machine was at the start.
fn header(args: &args::Args) {
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    let load: Vec<&str> = load.split_whitespace().take(3).collect();
    println!("# blindspot throughput");
    println!();
    println!(
        "runs {}, samples {}, cores {cores}, load average at start {}",
        args.runs,
        args.samples.map_or("all".to_string(), |n| n.to_string()),
        if load.is_empty() {
            "n/a".to_string()
        } else {
            load.join(" ")
        }
    );
    if let Some(color) = args.color {
        println!("colour policy of every task (sections build and png): {color:?}");
    }
    println!();
}
