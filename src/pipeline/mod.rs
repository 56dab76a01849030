//! The build driver: expand → compose → SVG → raster → PNG → Parquet, then card and
//! manifest, published atomically.
//!
//! A build runs in two phases. **Render**: the samples are cut into chunks of
//! [`spool::CHUNK`]; workers render whole chunks in parallel, each into its own file in the
//! spool beside the target ([`work`], [`spool`]), skipping chunks an interrupted run of the
//! same build already finished. **Assemble**: the chunks are read back in order into the
//! final Parquet files, the row tally, card, croissant.json and manifest ([`assemble`]),
//! inside a staging folder that becomes the target by one rename ([`staging`]). A slice of a
//! build (`--shard I/N`, [`slice`]) stops after assembling its own files plus `shard.json`;
//! [`merge`] assembles the slices into the release.
//!
//! Invariants:
//! - Output bytes depend only on the specs, `--repeat` and the compiler: never on threads,
//!   chunking, interruptions or sharding (a merge of N slices equals the single build).
//! - Memory holds one sample and one row group per worker, plus the row tally.
//! - On any error the staging folder is removed and an existing dataset at the target is
//!   left untouched.
//! - A version is immutable: a release at the target with the same name and version but a
//!   different content digest or data file hashes is not replaced, unless forced.

pub mod assemble;
pub mod merge;
mod sample;
pub mod slice;
pub mod spool;
pub mod staging;
pub mod verdicts;
pub mod work;

use std::path::{Path, PathBuf};

use assemble::Piece;
use std::time::Instant;

use crate::compose::ComposeError;
use crate::dataset::Dataset;
use crate::diag::Diagnostic;
use crate::expand::Planner;
use crate::progress::{Mode, Progress};
use crate::publish::Release;
use crate::render::Renderer;
use crate::sink::shards::ShardSet;
use crate::sink::{self, FileSummary, SinkError, Tally};
use crate::spec::TaskSpec;
use crate::spec::locate::locate_path;
use crate::timings::{Stage, Timings};
use crate::verify::report::Report;

pub use sample::{Kept, check_skippable, encode, render_png, render_verified, sample_rows};
pub use slice::Slice;
pub(crate) use staging::{Scratch, Staging};

/// Why a command failed: the spec (exit 1) or the environment (exit 2).
#[derive(Debug)]
pub enum Failure {
    /// The spec is invalid or cannot be compiled.
    Spec(Vec<Diagnostic>),
    /// I/O or internal error.
    Io(String),
}

impl From<SinkError> for Failure {
    fn from(e: SinkError) -> Self {
        Failure::Io(e.to_string())
    }
}

/// Options of a build.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The dataset folder to create (replaced atomically if it exists).
    pub out_dir: PathBuf,
    /// Worker threads; `None` uses every core.
    pub threads: Option<usize>,
    /// Size limit of one Parquet file; `None` uses [`sink::shards::MAX_SHARD_BYTES`].
    pub max_file_bytes: Option<u64>,
    /// Replace a release of the same name and version even if its content differs.
    pub force: bool,
    /// The part of the build to make (`--shard I/N`); [`Slice::WHOLE`] makes the release.
    pub slice: Slice,
    /// Show progress on stderr (a bar on a terminal, periodic lines otherwise).
    pub progress: bool,
    /// Measure time per stage ([`BuildReport::timings`]).
    pub timings: bool,
    /// Publish even when a label disagrees with its pixels (the report lists them).
    pub accept_disagreements: bool,
    /// Judge every sample against its task's `verify:` section (off: `--no-verify`, no report).
    pub verify: bool,
}

impl Default for BuildOptions {
    fn default() -> Self {
        Self {
            out_dir: PathBuf::from("out"),
            threads: None,
            max_file_bytes: None,
            force: false,
            slice: Slice::WHOLE,
            progress: false,
            timings: false,
            accept_disagreements: false,
            verify: true,
        }
    }
}

/// What a build produced.
#[derive(Debug, Clone)]
pub struct BuildReport {
    /// Images rendered.
    pub images: u64,
    /// Rows written.
    pub rows: u64,
    /// Wall-clock seconds.
    pub seconds: f64,
    /// Chunks reused from an interrupted run of the same build.
    pub resumed_chunks: u64,
    /// Chunks of this build in all.
    pub chunks: u64,
    /// The per-stage time table, when asked for.
    pub timings: Option<String>,
    /// Thread seconds per stage, when timings were asked for (else empty).
    pub stage_seconds: Vec<(Stage, f64)>,
    /// The label verification table, when a task declares `verify:`.
    pub verification: Option<String>,
}

/// Progress and stage timings of one build, shared by its workers.
pub struct Feedback {
    /// Images done.
    pub progress: Progress,
    /// Time per stage.
    pub timings: Timings,
}

/// Builds the dataset of one task spec.
pub fn build(spec: &TaskSpec, opts: &BuildOptions) -> Result<BuildReport, Failure> {
    build_release(&Release::task(spec), opts)
}

/// Builds a release (one task or a suite) — or one slice of it — into `opts.out_dir`,
/// atomically, resuming an interrupted run of the same build.
pub fn build_release(rel: &Release<'_>, opts: &BuildOptions) -> Result<BuildReport, Failure> {
    let start = Instant::now();
    check_size(rel)?;
    if !opts.verify {
        rel.tasks.iter().try_for_each(|t| check_skippable(t))?;
    }
    let slice = opts.slice;
    let images: u64 = rel
        .tasks
        .iter()
        .map(|t| span(slice.samples(t.images())))
        .sum();
    let mode = if opts.progress {
        Mode::Auto
    } else {
        Mode::Quiet
    };
    let feedback = Feedback {
        progress: Progress::new(mode, rel.name, images),
        timings: Timings::new(opts.timings),
    };
    let planners = feedback
        .timings
        .time(Stage::Expand, || planners(rel, slice))?;
    let build_json = spool::Identity::of(rel).to_json(slice, opts.verify);
    let spool = spool::Spool::open(&opts.out_dir, &build_json)?;
    let (jobs, done) = jobs(rel, slice, &spool);
    feedback.progress.inc(done.iter().map(|&(_, n)| n).sum());
    let work = work::Work {
        tasks: &rel.tasks,
        planners: &planners,
        renderer: &Renderer::new(),
        spool: &spool,
        feedback: &feedback,
        verify: opts.verify,
    };
    let workers = threads(opts.threads);
    if let Err(e) = work.run(&jobs, workers) {
        if matches!(e, Failure::Spec(_)) {
            spool.remove();
        }
        return Err(e);
    }
    feedback.progress.finish();
    let (rows, verification) = match publish(rel, opts, &spool, &feedback.timings) {
        Ok(done) => done,
        Err(e) => {
            // A spec failure (a label the pixels contradict, a version clash) has nothing
            // to resume; an I/O failure keeps the rendered chunks for the rerun.
            if matches!(e, Failure::Spec(_)) {
                spool.remove();
            }
            return Err(e);
        }
    };
    spool.remove();
    let seconds = start.elapsed();
    Ok(BuildReport {
        images,
        rows,
        seconds: seconds.as_secs_f64(),
        resumed_chunks: done.len() as u64,
        chunks: (jobs.len() + done.len()) as u64,
        timings: opts
            .timings
            .then(|| feedback.timings.report(seconds, images, workers)),
        stage_seconds: feedback.timings.seconds(),
        verification: (!verification.tasks.is_empty()).then(|| verification.summary()),
    })
}

/// Each task's planner over the slice's samples.
fn planners<'a>(rel: &Release<'a>, slice: Slice) -> Result<Vec<Planner<'a>>, Failure> {
    rel.tasks
        .iter()
        .map(|&t| {
            Planner::for_range(t, slice.samples(t.images()))
                .map_err(|(i, e)| compose_failure(t, i, e))
        })
        .collect()
}

/// The chunks still to render, in release order, and the (job, images) already spooled.
fn jobs(
    rel: &Release<'_>,
    slice: Slice,
    spool: &spool::Spool,
) -> (Vec<work::Job>, Vec<(work::Job, u64)>) {
    let (mut todo, mut done) = (Vec::new(), Vec::new());
    for (task, t) in rel.tasks.iter().enumerate() {
        for chunk in slice.chunks(t.images()) {
            let job = work::Job { task, chunk };
            if spool.is_done(&t.task_id, chunk) {
                done.push((job, span(slice::chunk_samples(chunk, t.images()))));
            } else {
                todo.push(job);
            }
        }
    }
    (todo, done)
}

/// Assembles the spooled chunks into the release (or the slice's files) and publishes it.
fn publish(
    rel: &Release<'_>,
    opts: &BuildOptions,
    spool: &spool::Spool,
    timings: &Timings,
) -> Result<(u64, Report), Failure> {
    let staging = Staging::create(&opts.out_dir)?;
    let scratch = Scratch::create(&opts.out_dir, "tally")?;
    let mut tally = Tally::spilling_to(scratch.path())?;
    let mut files = Vec::new();
    let mut reports = Vec::new();
    for t in &rel.tasks {
        let pieces: Vec<Piece> = opts
            .slice
            .chunks(t.images())
            .map(|c| spool.piece(&t.task_id, c))
            .collect();
        let writer = shard_set(rel, t, staging.path(), opts);
        files.extend(assemble::assemble_task(
            &pieces, writer, &mut tally, timings,
        )?);
        let verdicts: Vec<PathBuf> = (opts.slice.chunks(t.images()))
            .map(|c| spool.verdicts_path(&t.task_id, c))
            .collect();
        if !opts.verify {
            continue;
        }
        reports.extend(verdicts::task_report(t, &verdicts)?);
        if !opts.slice.is_whole() {
            verdicts::copy_for_slice(t, &verdicts, staging.path())?;
        }
    }
    let rows = tally.rows();
    let report = Report::new(reports);
    if opts.slice.is_whole() {
        verdicts::check_agreement(rel, &report, opts.accept_disagreements)?;
        finish_release(rel, opts, &staging, tally, files, &report)?;
    } else {
        merge::write_slice_record(rel, opts.slice, staging.path(), &files)?;
    }
    staging.commit()?;
    Ok((rows, report))
}

/// The writer of a task's final files (a slice's files are named as parts of one dataset).
fn shard_set(rel: &Release<'_>, task: &TaskSpec, root: &Path, opts: &BuildOptions) -> ShardSet {
    let limit = opts.max_file_bytes.unwrap_or(sink::shards::MAX_SHARD_BYTES);
    let set = ShardSet::new(root, &rel.shard_dir(task), rel.split).with_max_bytes(limit);
    match opts.slice.is_whole() {
        true => set,
        false => set.for_slice(opts.slice.index, opts.slice.count),
    }
}

/// Writes the documents beside the data and checks the version is not being rewritten.
fn finish_release(
    rel: &Release<'_>,
    opts: &BuildOptions,
    staging: &Staging,
    tally: Tally,
    files: Vec<FileSummary>,
    report: &Report,
) -> Result<(), Failure> {
    crate::publish::write_docs(rel, staging.path(), tally, files, report)?;
    if !opts.force {
        guard_version(rel, staging.path(), &opts.out_dir)?;
    }
    Ok(())
}

/// Refuses a release with more images than the `samples` limit (the whole release, so every
/// shard of a sharded build agrees with the single build).
fn check_size(rel: &Release<'_>) -> Result<(), Failure> {
    let total = rel
        .tasks
        .iter()
        .fold(0u64, |n, t| n.saturating_add(t.images()));
    let Some(first) = rel.tasks.first() else {
        return Ok(());
    };
    let max = rel
        .tasks
        .iter()
        .map(|t| t.limits.samples)
        .min()
        .unwrap_or(u64::MAX);
    if total <= max {
        return Ok(());
    }
    let msg = format!("the build has {total} images, more than the limit of {max}");
    let d = Diagnostic::error("too-many-samples", msg)
        .in_file(first.source.file.clone())
        .hint(crate::limits::hint("samples"));
    Err(Failure::Spec(vec![d]))
}

/// The number of samples in a range.
fn span(r: std::ops::Range<u64>) -> u64 {
    r.end.saturating_sub(r.start)
}

/// The worker count: as asked, else every core.
fn threads(asked: Option<usize>) -> usize {
    asked
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
        .max(1)
}

/// Plans the spec's samples (resolving `sampling.unique`), as a located diagnostic on failure.
pub fn planner(spec: &TaskSpec) -> Result<Planner<'_>, Failure> {
    Planner::new(spec).map_err(|(i, e)| compose_failure(spec, i, e))
}

/// Turns a compose error into a located diagnostic naming the sample.
pub fn compose_failure(spec: &TaskSpec, index: u64, e: ComposeError) -> Failure {
    let src = &spec.source;
    let loc = locate_path(&src.file, &src.text, &e.path, e.span);
    let d = Diagnostic::error(e.id, format!("{} (in sample {index})", e.message))
        .at(e.path)
        .in_file(src.file.clone())
        .with_location(loc)
        .maybe_hint(e.hint);
    Failure::Spec(vec![d])
}

/// Refuses to replace a release at `target` that has the staged release's name and version
/// but other content (content digest or data file hashes). A target that holds no readable
/// release, or another name or version, is replaced as before.
fn guard_version(rel: &Release<'_>, staged: &Path, target: &Path) -> Result<(), Failure> {
    let Ok(old) = Dataset::open(target) else {
        return Ok(());
    };
    let new = Dataset::open(staged).map_err(Failure::Io)?;
    let same_release = old.name == new.name && old.version == new.version;
    let same_content = old.content_digest == new.content_digest
        && old.data_files == new.data_files
        && old.data_sha256 == new.data_sha256;
    if !same_release || same_content {
        return Ok(());
    }
    let d = Diagnostic::error(
        "version-exists",
        format!(
            "{} already holds {} {} with different content; a released version is immutable",
            target.display(),
            old.name,
            old.version
        ),
    )
    .in_file(rel.spec_file.clone())
    .at(if rel.per_task {
        "suite.version"
    } else {
        "version"
    })
    .hint("bump `version` in the spec to release changed data")
    .hint("or pass --force to overwrite a release that was never published");
    Err(Failure::Spec(vec![d]))
}
