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
    let recorded = report::recorded_redraws(dir).map_err(Failure::Io)?;
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
        let (width, height, rgba) = crate::render::decode_png(&first.image)
            .map_err(|e| Failure::Io(format!("{stem}: {e}")))?;
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

fn failure_text(f: Failure) -> String {
    match f {
        Failure::Io(m) => m,
        Failure::Spec(d) => crate::diag::render(&d).trim_end().to_string(),
    }
}
