//! `blindspot verify DATASET --spec SPEC`: re-checks a built dataset's labels against its
//! stored pixels.
//!
//! For every image of every task that declares `verify:`, the stored PNG is decoded, the
//! sample is composed again from the spec (for the values the measures and checks read,
//! replaying the redraws the release's `verification.json` records), and the stored labels
//! of its rows are judged. Invariant: only the stored pixels and labels are judged; the
//! recomposed sample contributes values, never pixels or labels.

use std::collections::BTreeMap;
use std::path::Path;

use super::judge::judge;
use super::pixels::Image;
use super::report::{self, Checked, Report, TaskReport};
use crate::compose::Composer;
use crate::dataset::Dataset;
use crate::expand::Planner;
use crate::pipeline::{Failure, compose_failure};
use crate::publish::Release;
use crate::sink::Row;
use crate::spec::TaskSpec;

/// Re-checks every task of `rel` that declares `verify:` in the dataset at `dir`.
pub fn verify(dir: &Path, rel: &Release<'_>) -> Result<Report, Failure> {
    let ds = Dataset::open(dir).map_err(Failure::Io)?;
    let recorded = recorded_redraws(dir)?;
    let mut tasks = Vec::new();
    for &t in &rel.tasks {
        let Some(mut report) = TaskReport::new(t) else {
            continue;
        };
        same_spec(&ds, t)?;
        let files: Vec<&String> = (ds.data_files.iter())
            .filter(|f| rel.is_task_file(t, f))
            .collect();
        let planner = Planner::new(t).map_err(|(i, e)| compose_failure(t, i, e))?;
        let mut judge = Judge {
            spec: t,
            planner: &planner,
            composer: Composer::new(t),
            redraws: &recorded,
            report: &mut report,
            rows: Vec::new(),
        };
        for f in files {
            crate::sink::read::for_each_row(&dir.join(f), |row| {
                judge
                    .push(row)
                    .map_err(|e| crate::sink::SinkError::new(failure_text(e)))
            })
            .map_err(|e| Failure::Io(e.to_string()))?;
        }
        judge.flush()?;
        tasks.push(report);
    }
    Ok(Report::new(tasks))
}

/// Judges the rows of one task, image by image.
struct Judge<'a, 's> {
    spec: &'s TaskSpec,
    planner: &'a Planner<'s>,
    composer: Composer<'s>,
    redraws: &'a BTreeMap<String, u32>,
    report: &'a mut TaskReport,
    /// The rows of the image being read.
    rows: Vec<Row>,
}

impl Judge<'_, '_> {
    fn push(&mut self, row: Row) -> Result<(), Failure> {
        let same = self
            .rows
            .first()
            .is_some_and(|r| r.image_path == row.image_path);
        if !same {
            self.flush()?;
        }
        self.rows.push(row);
        Ok(())
    }

    /// Judges the image whose rows are buffered.
    fn flush(&mut self) -> Result<(), Failure> {
        let rows = std::mem::take(&mut self.rows);
        let Some(first) = rows.first() else {
            return Ok(());
        };
        let spec = self.spec;
        let index = sample_index(&first.id)
            .ok_or_else(|| Failure::Io(format!("row id {:?} names no sample", first.id)))?;
        let stem = format!("{}/{index:06}", spec.task_id);
        let redraws = self.redraws.get(&stem).copied().unwrap_or(0);
        let mut plan = self.planner.plan(index);
        plan.skip = plan.skip.saturating_add(redraws);
        let sample = (self.composer.compose(&plan)).map_err(|e| compose_failure(spec, index, e))?;
        let labels = labels(spec, &rows)?;
        let (width, height, rgba) =
            decode(&first.image).map_err(|e| Failure::Io(format!("{stem}: {e}")))?;
        let image = Image {
            width,
            height,
            rgba: &rgba,
        };
        let v = spec
            .verify
            .as_ref()
            .expect("only tasks with verify: are judged");
        let verdict = judge(
            spec,
            v,
            &sample.values,
            &labels,
            sample.scene.background,
            &image,
        )
        .map_err(|e| compose_failure(spec, index, e))?;
        self.report.add(&Checked {
            index,
            redraws,
            verdict,
        });
        Ok(())
    }
}

/// The stored labels of one image's rows, in the spec's prompt order.
fn labels(spec: &TaskSpec, rows: &[Row]) -> Result<Vec<String>, Failure> {
    (spec.prompts.iter())
        .map(|p| {
            (rows.iter().find(|r| r.prompt_id == p.id))
                .map(|r| r.groundtruth.clone())
                .ok_or_else(|| {
                    Failure::Io(format!(
                        "{}: no row for prompt {}",
                        rows[0].image_path, p.id
                    ))
                })
        })
        .collect()
}

/// `task/000123/p1` → 123.
fn sample_index(id: &str) -> Option<u64> {
    id.rsplit('/').nth(1)?.parse().ok()
}

/// The dataset must come from this very spec file.
fn same_spec(ds: &Dataset, t: &TaskSpec) -> Result<(), Failure> {
    match ds.tasks.iter().find(|e| e.task_id == t.task_id) {
        Some(e) if e.sha256 == t.source.sha256 => Ok(()),
        Some(_) => Err(Failure::Io(format!(
            "{} differs from the spec the dataset was built from (its SHA-256 is not the manifest's); verify with that spec",
            t.source.file
        ))),
        None => Err(Failure::Io(format!(
            "the dataset has no task `{}`",
            t.task_id
        ))),
    }
}

/// Redraw counts recorded by the build, by sample id.
fn recorded_redraws(dir: &Path) -> Result<BTreeMap<String, u32>, Failure> {
    let path = dir.join(report::FILE);
    let Ok(text) = std::fs::read_to_string(&path) else {
        return Ok(BTreeMap::new());
    };
    let v: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| Failure::Io(format!("{}: {e}", path.display())))?;
    let mut out = BTreeMap::new();
    for t in v["tasks"].as_array().into_iter().flatten() {
        for r in t["redraws"].as_array().into_iter().flatten() {
            if let (Some(id), Some(n)) = (r["id"].as_str(), r["redraws"].as_u64()) {
                out.insert(id.to_string(), n.min(u64::from(u32::MAX)) as u32);
            }
        }
    }
    Ok(out)
}

/// Decodes a stored PNG (gray or RGB, 8-bit) into RGBA.
fn decode(png_bytes: &[u8]) -> Result<(u32, u32, Vec<u8>), String> {
    let mut decoder = png::Decoder::new(std::io::Cursor::new(png_bytes));
    decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
    let mut reader = decoder
        .read_info()
        .map_err(|e| format!("PNG does not decode ({e})"))?;
    let mut buf = vec![0; reader.output_buffer_size().ok_or("PNG too large")?];
    let info = reader
        .next_frame(&mut buf)
        .map_err(|e| format!("PNG does not decode ({e})"))?;
    let pixels = &buf[..info.buffer_size()];
    let rgba: Vec<u8> = match info.color_type {
        png::ColorType::Grayscale => pixels.iter().flat_map(|&g| [g, g, g, 255]).collect(),
        png::ColorType::GrayscaleAlpha => pixels
            .chunks_exact(2)
            .flat_map(|p| [p[0], p[0], p[0], 255])
            .collect(),
        png::ColorType::Rgb => pixels
            .chunks_exact(3)
            .flat_map(|p| [p[0], p[1], p[2], 255])
            .collect(),
        png::ColorType::Rgba => pixels.to_vec(),
        png::ColorType::Indexed => return Err("indexed PNG after expansion".into()),
    };
    Ok((info.width, info.height, rgba))
}

fn failure_text(f: Failure) -> String {
    match f {
        Failure::Io(m) => m,
        Failure::Spec(d) => crate::diag::render(&d).trim_end().to_string(),
    }
}
