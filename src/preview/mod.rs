//! `blindspot preview`: a few samples as PNG and SVG files, a text listing of their prompts
//! and answers, and one contact-sheet PNG to look at.
//!
//! The contact sheet is itself a [`Scene`]: each sample's items are placed in a scaled
//! group over its background, with a caption, and rendered by the same renderer. With
//! `--html`, [`html::page`] also writes `index.html`, a static gallery of the same samples.
//!
//! Invariant: the samples, files and their contents depend only on the spec and `count`.

pub mod html;

use std::fmt::Write as _;
use std::path::Path;

use crate::compose::{Composer, Sample};
use crate::pipeline::{Failure, Kept, encode, planner, render_verified};
use crate::render::{self, Renderer, fonts};
use crate::scene::svg::to_svg;
use crate::scene::{Geom, Group, Item, Rgb, Scene, Shape, Style, Text};
use crate::spec::TaskSpec;
use crate::spec::types::Compression;
use crate::timings::Timings;

const THUMB: f64 = 256.0;
const CAPTION: f64 = 40.0;
const COLUMNS: u64 = 4;

/// Renders `count` samples spread over the expansion into `dir`, plus the gallery page
/// `index.html` when `html` is set; returns the number of files written.
pub fn write(spec: &TaskSpec, count: u64, dir: &Path, html: bool) -> Result<usize, Failure> {
    let io = |e: std::io::Error| Failure::Io(format!("cannot write to {} ({e})", dir.display()));
    std::fs::create_dir_all(dir).map_err(io)?;
    let renderer = Renderer::new();
    let planner = planner(spec)?;
    let total = spec.images();
    let count = count.clamp(1, total.max(1)).min(total);
    let mut samples = Vec::new();
    let mut verdicts = Vec::new();
    let mut listing = String::new();
    let mut composer = Composer::new(spec);
    let timings = Timings::new(false);
    for k in 0..count {
        let index = k * total / count;
        // As the build keeps it: redrawn out of margins, with its verdict.
        let kept = render_verified(
            &mut composer,
            &renderer,
            &planner.plan(index),
            &timings,
            true,
        )?;
        let stem = format!("{}-{index:06}", spec.task_id);
        let png = encode(spec, &kept).map_err(|e| Failure::Io(e.to_string()))?;
        let Kept {
            sample, checked, ..
        } = kept;
        verdicts.push(checked);
        std::fs::write(dir.join(format!("{stem}.png")), png).map_err(io)?;
        std::fs::write(dir.join(format!("{stem}.svg")), to_svg(&sample.scene)).map_err(io)?;
        let _ = writeln!(listing, "{stem}  metadata {}", sample.metadata);
        for p in &sample.prompts {
            let _ = writeln!(listing, "  [{}] {}  →  {}", p.id, p.text, p.answer);
        }
        samples.push((stem, sample));
    }
    std::fs::write(dir.join("samples.txt"), listing).map_err(io)?;
    let sheet = contact_sheet(&samples);
    let pixmap = renderer
        .rasterize(&to_svg(&sheet))
        .map_err(|e| Failure::Io(e.to_string()))?;
    let png = render::encode_png(&pixmap, render::PixelFormat::Rgb, Compression::Fast)
        .map_err(|e| Failure::Io(e.to_string()))?;
    std::fs::write(dir.join("contact-sheet.png"), png).map_err(io)?;
    if html {
        let page = html::page(spec, &samples, &verdicts);
        std::fs::write(dir.join("index.html"), page).map_err(io)?;
    }
    Ok(samples.len() * 2 + 2 + usize::from(html))
}

/// Lays the samples out in a grid of thumbnails with captions.
pub fn contact_sheet(samples: &[(String, Sample)]) -> Scene {
    let n = samples.len() as u64;
    let cols = n.clamp(1, COLUMNS);
    let rows = n.div_ceil(cols).max(1);
    let mut items = Vec::new();
    for (k, (stem, s)) in samples.iter().enumerate() {
        let (col, row) = (k as u64 % cols, k as u64 / cols);
        let (x, y) = (
            col as f64 * (THUMB + 8.0) + 4.0,
            row as f64 * (THUMB + CAPTION + 8.0) + 4.0,
        );
        let scale = THUMB / f64::from(s.scene.width.max(s.scene.height));
        let mut cell = vec![background(&s.scene)];
        cell.extend(s.scene.items.iter().cloned());
        items.push(Item::Group(Group {
            translate: (x, y),
            rotate: 0.0,
            scale: (scale, scale),
            opacity: 1.0,
            items: cell,
        }));
        let answers: Vec<String> = s
            .prompts
            .iter()
            .map(|p| format!("{}={}", p.id, p.answer))
            .collect();
        items.push(caption(x, y + THUMB + 14.0, stem));
        items.push(caption(x, y + THUMB + 30.0, &answers.join("  ")));
    }
    Scene {
        width: (cols as f64 * (THUMB + 8.0)) as u32,
        height: (rows as f64 * (THUMB + CAPTION + 8.0)) as u32,
        background: Rgb(236, 236, 236),
        items,
    }
}

fn background(scene: &Scene) -> Item {
    let geom = Geom::Rect {
        x: 0.0,
        y: 0.0,
        width: f64::from(scene.width),
        height: f64::from(scene.height),
        rx: 0.0,
    };
    Item::Shape(Shape {
        geom,
        style: Style::solid(scene.background),
    })
}

fn caption(x: f64, y: f64, text: &str) -> Item {
    let short: String = text.chars().take(40).collect();
    let t = Text {
        x,
        y,
        text: short,
        family: fonts::DEFAULT_FAMILY.into(),
        size: 12.0,
        weight: 400,
        anchor: "start",
        baseline: "alphabetic",
    };
    Item::Shape(Shape {
        geom: Geom::Text(t),
        style: Style::solid(Rgb(20, 20, 20)),
    })
}
