//! Section 3: PNG encoder settings on the same rasterised images — size and time per image.

use std::hint::black_box;
use std::time::Instant;

use blindspot::render::{self, PixelFormat, Renderer};
use blindspot::spec::types::{ColorMode, Compression};
use resvg::tiny_skia::Pixmap;

use crate::args::Args;
use crate::prepare::{Task, prepare};
use crate::stats::{Timing, die, ms};

/// Images per task (fewer with `--samples`).
const MAX_IMAGES: u64 = 40;

/// Filters tried at the spec's colour policy and compression (`encode_png` uses Adaptive).
const FILTERS: [(png::Filter, &str); 7] = [
    (png::Filter::NoFilter, "NoFilter"),
    (png::Filter::Sub, "Sub"),
    (png::Filter::Up, "Up"),
    (png::Filter::Avg, "Avg"),
    (png::Filter::Paeth, "Paeth"),
    (png::Filter::Adaptive, "Adaptive"),
    (png::Filter::MinEntropy, "MinEntropy"),
];

const COMPRESSIONS: [Compression; 3] =
    [Compression::Fast, Compression::Balanced, Compression::High];

/// One encoder configuration.
struct Setting {
    label: String,
    /// The pixel format per image.
    formats: Vec<PixelFormat>,
    compression: Compression,
    /// The row filter (`render::encode_png` uses Adaptive).
    filter: png::Filter,
    is_default: bool,
}

/// Size and time of one setting over a task's images.
#[derive(Clone, Default)]
struct Outcome {
    bytes_mean: f64,
    /// Seconds per image, per run.
    per_image: Timing,
}

/// Runs section 3: one table per task, then a summary over tasks.
pub fn run(tasks: &[Task], args: &Args) {
    println!("## 3. PNG settings (same images, encoded once per run per setting)");
    println!();
    println!(
        "`encode_png` = blindspot's encoder (adaptive filter); `png <Filter>` = the same encoder \
         (`render::encode_png_filtered`) with another row filter, at the spec's compression and colour."
    );
    println!(
        "colour: spec = the spec's policy, auto = gray exactly when the scene is gray, palette = as auto \
         with an 8-bit palette for colour images of ≤ 256 colours, rgb = always RGB."
    );
    println!(
        "ms/img = median over --runs {}. Default (what builds do today) in bold.",
        args.runs
    );
    println!();
    let mut summary: Vec<(String, f64, f64)> = Vec::new();
    for task in tasks {
        for (label, bytes, secs) in run_task(task, args) {
            match summary.iter_mut().find(|s| s.0 == label) {
                Some(s) => (s.1, s.2) = (s.1 + bytes, s.2 + secs),
                None => summary.push((label, bytes, secs)),
            }
        }
    }
    print_summary(&summary, tasks.len());
}

/// Measures every setting on one task; returns (label, bytes/img, s/img) per setting.
fn run_task(task: &Task, args: &Args) -> Vec<(String, f64, f64)> {
    let n = task.samples(args.samples).min(MAX_IMAGES);
    let prepared = prepare(&task.spec, n);
    let renderer = Renderer::new();
    let pixmaps: Vec<Pixmap> = prepared
        .svgs
        .iter()
        .map(|svg| {
            renderer
                .rasterize(svg)
                .unwrap_or_else(|e| die(&task.stem, e))
        })
        .collect();
    let mpx = pixmaps.iter().map(|p| p.width() * p.height()).sum::<u32>() as f64 / n as f64 / 1e6;
    let compression = task.spec.output.compression;
    let settings = settings(task.spec.output.color, &prepared.scene_gray, compression);
    let done = measure_all(&settings, &pixmaps, args.runs);
    print_task(task, n, mpx, &settings, &done);
    settings
        .iter()
        .zip(&done)
        .map(|(s, (_, o))| (s.label.clone(), o.bytes_mean, o.per_image.median()))
        .collect()
}

/// Colour × compression through `encode_png`, then every filter at the spec's settings.
fn settings(spec: ColorMode, scene_gray: &[bool], spec_comp: Compression) -> Vec<Setting> {
    let policy = |mode: ColorMode| -> Vec<PixelFormat> {
        let format = |&gray: &bool| render::pixel_format(mode, gray);
        scene_gray.iter().map(format).collect()
    };
    let colours = [
        ("spec", policy(spec)),
        ("auto", policy(ColorMode::Auto)),
        ("palette", policy(ColorMode::Palette)),
        ("rgb", policy(ColorMode::Rgb)),
    ];
    let mut out = Vec::new();
    for (colour, formats) in &colours {
        for c in COMPRESSIONS {
            out.push(Setting {
                label: format!("encode_png {colour} {}", comp_name(c)),
                formats: formats.clone(),
                compression: c,
                filter: png::Filter::Adaptive,
                is_default: *colour == "spec" && c == spec_comp,
            });
        }
    }
    for (f, name) in FILTERS {
        out.push(Setting {
            label: format!("png {name} spec {}", comp_name(spec_comp)),
            formats: policy(spec),
            compression: spec_comp,
            filter: f,
            is_default: false,
        });
    }
    out
}

/// Whether two settings do identical work (e.g. `spec` colour is `rgb` for this task).
fn same_work(a: &Setting, b: &Setting) -> bool {
    a.formats == b.formats && a.compression == b.compression && a.filter == b.filter
}

/// Each setting's outcome, runs outermost so that drift on a busy machine touches every
/// setting alike; a setting doing the same work as an earlier one reuses its numbers.
fn measure_all(
    settings: &[Setting],
    pixmaps: &[Pixmap],
    runs: usize,
) -> Vec<(Option<usize>, Outcome)> {
    let same: Vec<Option<usize>> = (0..settings.len())
        .map(|i| (0..i).find(|&j| same_work(&settings[j], &settings[i])))
        .collect();
    // Warm-up (untimed), so the first setting does not pay for cold caches alone.
    pass(&settings[0], pixmaps, &mut Outcome::default());
    let mut outcomes = vec![Outcome::default(); settings.len()];
    for _ in 0..runs {
        for ((s, o), same) in settings.iter().zip(&mut outcomes).zip(&same) {
            if same.is_none() {
                pass(s, pixmaps, o);
            }
        }
    }
    for (i, &j) in same.iter().enumerate() {
        if let Some(j) = j {
            outcomes[i] = outcomes[j].clone();
        }
    }
    same.into_iter().zip(outcomes).collect()
}

/// Encodes every image once, adding the time per image (and, on the first pass, the sizes).
fn pass(s: &Setting, pixmaps: &[Pixmap], o: &mut Outcome) {
    let first = o.per_image.runs.is_empty();
    let mut bytes = 0usize;
    let start = Instant::now();
    for (pixmap, &format) in pixmaps.iter().zip(&s.formats) {
        let png = render::encode_png_filtered(black_box(pixmap), format, s.compression, s.filter)
            .unwrap_or_else(|e| die("png", e));
        bytes += png.len();
        black_box(png);
    }
    o.per_image
        .push(start.elapsed().as_secs_f64() / pixmaps.len() as f64);
    if first {
        o.bytes_mean = bytes as f64 / pixmaps.len() as f64;
    }
}

fn comp_name(c: Compression) -> &'static str {
    match c {
        Compression::Fast => "fast",
        Compression::Balanced => "balanced",
        Compression::High => "high",
    }
}

/// "gray", "rgb", "palette", or the count of each, e.g. "3/40 gray, 37/40 rgb".
fn pixel_format(formats: &[PixelFormat]) -> String {
    let names = [
        (PixelFormat::Gray, "gray"),
        (PixelFormat::Palette, "palette"),
        (PixelFormat::Rgb, "rgb"),
    ];
    let counts: Vec<(usize, &str)> = names
        .iter()
        .map(|(f, name)| (formats.iter().filter(|&g| g == f).count(), *name))
        .filter(|(k, _)| *k > 0)
        .collect();
    match counts.as_slice() {
        [(_, name)] => (*name).into(),
        _ => {
            let n = formats.len();
            let parts: Vec<String> = counts
                .iter()
                .map(|(k, name)| format!("{k}/{n} {name}"))
                .collect();
            parts.join(", ")
        }
    }
}

/// One task's table; `done` holds each setting's outcome and the earlier setting doing the
/// same work, if any (its numbers are reused, not measured again).
fn print_task(
    task: &Task,
    n: u64,
    mpx: f64,
    settings: &[Setting],
    done: &[(Option<usize>, Outcome)],
) {
    let d = settings
        .iter()
        .position(|s| s.is_default)
        .expect("one default");
    let base = &done[d].1;
    println!("### {} ({n} images, mean {mpx:.2} Mpx)", task.stem);
    println!();
    println!("| setting | pixels | bytes/img | ms/img | size vs default | time vs default |");
    println!("|---|---|---:|---:|---:|---:|");
    for (s, (same, o)) in settings.iter().zip(done) {
        let label = match (s.is_default, same) {
            (true, _) => format!("**{} (default)**", s.label),
            (false, Some(j)) => format!("{} (= {})", s.label, settings[*j].label),
            (false, None) => s.label.clone(),
        };
        println!(
            "| {label} | {} | {:.0} | {} | {:.2} | {:.2} |",
            pixel_format(&s.formats),
            o.bytes_mean,
            ms(o.per_image.median()),
            o.bytes_mean / base.bytes_mean,
            o.per_image.median() / base.per_image.median()
        );
    }
    println!();
}

/// Totals over tasks: one mean-sized image of each task.
fn print_summary(summary: &[(String, f64, f64)], tasks: usize) {
    let Some(base) = summary
        .iter()
        .find(|s| s.0.starts_with("encode_png spec fast"))
    else {
        return;
    };
    println!("### All {tasks} tasks: sum over tasks of the per-image means");
    println!();
    println!(
        "| setting | bytes | ms | size vs encode_png spec fast | time vs encode_png spec fast |"
    );
    println!("|---|---:|---:|---:|---:|");
    for (label, bytes, secs) in summary {
        println!(
            "| {label} | {bytes:.0} | {} | {:.2} | {:.2} |",
            ms(*secs),
            bytes / base.1,
            secs / base.2
        );
    }
    println!();
}
