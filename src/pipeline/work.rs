//! Rendering the chunks of a build in parallel, each into its own spool file.
//!
//! Invariants:
//! - Workers take chunks in job order from one shared counter; a chunk is rendered by one
//!   worker, sample after sample, and written to its own file, so no ordering between
//!   threads is ever needed and the bytes do not depend on the thread count.
//! - Memory per worker is one sample plus one Parquet row group. Chunks are written with
//!   the release's Parquet settings (compressed here, in parallel), with their rows' facts
//!   beside them, so that assembly copies their row groups instead of re-encoding them.
//! - Errors are reported deterministically: after a failure in job `j`, no job after `j`
//!   starts, jobs before it still finish, and the error of the earliest failing job (its
//!   first failing sample) is the one returned.

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use super::slice::chunk_samples;
use super::spool::{self, Spool};
use super::{Failure, Feedback, sample_rows};
use crate::compose::Composer;
use crate::expand::Planner;
use crate::render::Renderer;
use crate::sink::ShardWriter;
use crate::sink::facts::FactsWriter;
use crate::spec::TaskSpec;
use crate::timings::Stage;
use crate::verify::report::Checked;

/// One chunk of one task.
#[derive(Debug, Clone, Copy)]
pub struct Job {
    /// Index into the build's task list.
    pub task: usize,
    /// Chunk number within the task.
    pub chunk: u64,
}

/// What the workers share.
pub struct Work<'a> {
    /// The build's tasks, in release order.
    pub tasks: &'a [&'a TaskSpec],
    /// Each task's planner (uniqueness resolved for the build's samples).
    pub planners: &'a [Planner<'a>],
    /// The rasteriser.
    pub renderer: &'a Renderer,
    /// Where chunk files go.
    pub spool: &'a Spool,
    /// Progress and stage timings.
    pub feedback: &'a Feedback,
    /// Judge samples against `verify:` (off: `--no-verify`).
    pub verify: bool,
}

impl Work<'_> {
    /// Renders `jobs` on `threads` workers.
    pub fn run(&self, jobs: &[Job], threads: usize) -> Result<(), Failure> {
        let next = AtomicUsize::new(0);
        let first_failed = AtomicUsize::new(usize::MAX);
        let failures: Mutex<Vec<(usize, Failure)>> = Mutex::new(Vec::new());
        std::thread::scope(|s| {
            for _ in 0..threads.max(1) {
                s.spawn(|| {
                    loop {
                        let j = next.fetch_add(1, Ordering::Relaxed);
                        if j >= jobs.len() || j > first_failed.load(Ordering::Relaxed) {
                            break;
                        }
                        if let Err(e) = self.job(jobs[j]) {
                            first_failed.fetch_min(j, Ordering::Relaxed);
                            failures.lock().expect("no panics hold it").push((j, e));
                        }
                    }
                });
            }
        });
        let failures = failures.into_inner().expect("no panics hold it");
        match failures.into_iter().min_by_key(|(j, _)| *j) {
            Some((_, e)) => Err(e),
            None => Ok(()),
        }
    }

    /// Renders one chunk into its spool file.
    fn job(&self, job: Job) -> Result<(), Failure> {
        let spec = self.tasks[job.task];
        let planner = &self.planners[job.task];
        let tmp = Spool::chunk_rel(&spec.task_id, job.chunk, "parquet", true);
        let mut writer = ShardWriter::create(self.spool.root(), &tmp)?;
        let facts_tmp = Spool::chunk_rel(&spec.task_id, job.chunk, "facts", true);
        let mut facts = FactsWriter::create(&self.spool.root().join(facts_tmp))?;
        let timings = &self.feedback.timings;
        let mut composer = Composer::new(spec);
        let mut verdicts = Vec::new();
        for index in chunk_samples(job.chunk, spec.images()) {
            let plan = planner.plan(index);
            let (rows, checked) =
                sample_rows(&mut composer, self.renderer, &plan, timings, self.verify)?;
            verdicts.extend(checked);
            timings.time(Stage::Write, || {
                facts.write(&rows)?;
                writer.write(&rows)
            })?;
            self.feedback.progress.inc(1);
        }
        timings.time(Stage::Write, || {
            facts.finish()?;
            writer.finish()
        })?;
        self.write_verdicts(spec, job.chunk, &verdicts)?;
        self.spool.commit_chunk(&spec.task_id, job.chunk)
    }

    /// Writes a chunk's verdicts (none without `verify:`) beside its rows.
    fn write_verdicts(
        &self,
        spec: &TaskSpec,
        chunk: u64,
        verdicts: &[Checked],
    ) -> Result<(), Failure> {
        let rel = Spool::chunk_rel(&spec.task_id, chunk, spool::VERDICTS, true);
        let path = self.spool.root().join(rel);
        let io = |e: std::io::Error| Failure::Io(format!("{}: {e}", path.display()));
        let mut file = std::io::BufWriter::new(std::fs::File::create(&path).map_err(io)?);
        crate::verify::report::write_lines(&mut file, verdicts).map_err(io)?;
        file.into_inner()
            .map_err(|e| io(e.into_error()))?
            .sync_all()
            .map_err(io)
    }
}
