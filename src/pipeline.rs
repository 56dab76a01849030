//! The build driver: expand → compose → SVG → raster → PNG → Parquet, then card and
//! manifest, published atomically.
//!
//! Invariants:
//! - Samples are processed in chunks; each chunk is computed in parallel and collected in
//!   index order, so the output is byte-identical for any thread count, and memory holds at
//!   most one chunk of images.
//! - Everything is written into a staging folder beside the target; the target appears only
//!   when complete (rename). On any error the staging folder is removed, and an existing
//!   dataset at the target is left untouched.
//! - A version is immutable: a release at the target with the same name and version but a
//!   different content digest or data file hashes is not replaced, unless forced.

use std::path::{Path, PathBuf};
use std::time::Instant;

use rayon::prelude::*;

use crate::compose::{self, ComposeError, Sample};
use crate::dataset::Dataset;
use crate::diag::Diagnostic;
use crate::expand::{Planner, SamplePlan};
use crate::publish::Release;
use crate::render::{self, Renderer};
use crate::scene::svg::to_svg;
use crate::sink::shards::ShardSet;
use crate::sink::{self, Row, SinkError, Tally};
use crate::spec::TaskSpec;
use crate::spec::locate::locate_path;

/// Samples computed per parallel chunk.
pub const CHUNK: u64 = 256;

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
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// The dataset folder to create (replaced atomically if it exists).
    pub out_dir: PathBuf,
    /// Worker threads; `None` uses every core.
    pub threads: Option<usize>,
    /// Size limit of one Parquet file; `None` uses [`sink::shards::MAX_SHARD_BYTES`].
    pub max_file_bytes: Option<u64>,
    /// Replace a release of the same name and version even if its content differs.
    pub force: bool,
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
}

/// Builds the dataset of one task spec.
pub fn build(spec: &TaskSpec, opts: &BuildOptions) -> Result<BuildReport, Failure> {
    build_release(&Release::task(spec), opts)
}

/// Builds a release (one task or a suite) into `opts.out_dir`, atomically.
pub fn build_release(rel: &Release<'_>, opts: &BuildOptions) -> Result<BuildReport, Failure> {
    let start = Instant::now();
    let renderer = Renderer::new();
    let pool = thread_pool(opts.threads)?;
    let staging = Staging::create(&opts.out_dir)?;
    let mut tally = Tally::new();
    let mut files = Vec::new();
    let mut images = 0;
    for task in &rel.tasks {
        let limit = opts.max_file_bytes.unwrap_or(sink::shards::MAX_SHARD_BYTES);
        let shards =
            ShardSet::new(staging.path(), &rel.shard_dir(task), rel.split).with_max_bytes(limit);
        files.extend(write_task(task, &renderer, &pool, shards, &mut tally)?);
        images += task.images();
    }
    let rows = tally.rows();
    crate::publish::write_docs(rel, staging.path(), tally, files)?;
    if !opts.force {
        guard_version(rel, staging.path(), &opts.out_dir)?;
    }
    staging.commit()?;
    Ok(BuildReport {
        images,
        rows,
        seconds: start.elapsed().as_secs_f64(),
    })
}

/// Renders every sample of one task into its Parquet shards, in chunks.
fn write_task(
    spec: &TaskSpec,
    renderer: &Renderer,
    pool: &rayon::ThreadPool,
    mut writer: ShardSet,
    tally: &mut Tally,
) -> Result<Vec<sink::FileSummary>, Failure> {
    let planner = planner(spec)?;
    let total = spec.images();
    let mut first = 0;
    while first < total {
        let last = (first + CHUNK).min(total);
        let chunk: Vec<Result<Vec<Row>, Failure>> = pool.install(|| {
            (first..last)
                .into_par_iter()
                .map(|i| sample_rows(spec, renderer, &planner.plan(i)))
                .collect()
        });
        for rows in chunk {
            let rows = rows?;
            rows.iter().for_each(|r| tally.add(r));
            writer.write(&rows)?;
        }
        first = last;
    }
    Ok(writer.finish()?)
}

fn thread_pool(threads: Option<usize>) -> Result<rayon::ThreadPool, Failure> {
    let mut b = rayon::ThreadPoolBuilder::new();
    if let Some(n) = threads {
        b = b.num_threads(n.max(1));
    }
    b.build()
        .map_err(|e| Failure::Io(format!("cannot start worker threads ({e})")))
}

/// Composes, renders and encodes one planned sample into its rows.
pub fn sample_rows(
    spec: &TaskSpec,
    renderer: &Renderer,
    plan: &SamplePlan,
) -> Result<Vec<Row>, Failure> {
    let index = plan.index;
    let sample = compose::compose(spec, plan).map_err(|e| compose_failure(spec, index, e))?;
    let png = render_png(spec, renderer, &sample)
        .map_err(|e| Failure::Io(format!("sample {index}: {e}")))?;
    let image_sha256 = sink::sha256_hex(&png);
    let stem = format!("{}/{:06}", spec.task_id, index);
    let image_path = format!("{}-{:06}.png", spec.task_id, index);
    let rows = sample
        .prompts
        .iter()
        .map(|p| Row {
            id: format!("{stem}/{}", p.id),
            task: spec.label.clone(),
            task_id: spec.task_id.clone(),
            image: png.clone(),
            image_path: image_path.clone(),
            prompt: p.text.clone(),
            groundtruth: p.answer.clone(),
            metadata: sample.metadata.clone(),
            width: sample.scene.width as i32,
            height: sample.scene.height as i32,
            seed: sample.plan.seed as i64,
            image_sha256: image_sha256.clone(),
            prompt_id: p.id.clone(),
            answer_format: p.format.clone(),
            answer_choices: choices_json(p.choices.as_deref()),
        })
        .collect();
    Ok(rows)
}

/// SVG → pixels → PNG for one composed sample.
pub fn render_png(
    spec: &TaskSpec,
    renderer: &Renderer,
    sample: &Sample,
) -> Result<Vec<u8>, render::RenderError> {
    let pixmap = renderer.rasterize(&to_svg(&sample.scene))?;
    let gray = render::use_gray(spec.output.color, sample.scene.is_gray());
    render::encode_png(&pixmap, gray, spec.output.compression)
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

/// A staging folder that becomes the target on commit and is removed otherwise (builds and
/// exports publish through it).
pub(crate) struct Staging {
    tmp: PathBuf,
    target: PathBuf,
    committed: bool,
}

impl Staging {
    pub(crate) fn create(target: &Path) -> Result<Self, Failure> {
        let parent = target
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "dataset".into());
        let tmp = parent.join(format!(".{name}.tmp-{}", std::process::id()));
        let io = |e: std::io::Error| Failure::Io(format!("cannot create {} ({e})", tmp.display()));
        if tmp.exists() {
            std::fs::remove_dir_all(&tmp).map_err(io)?;
        }
        std::fs::create_dir_all(&tmp).map_err(io)?;
        Ok(Self {
            tmp,
            target: target.to_path_buf(),
            committed: false,
        })
    }

    pub(crate) fn path(&self) -> &Path {
        &self.tmp
    }

    pub(crate) fn commit(mut self) -> Result<(), Failure> {
        let io = |e: std::io::Error| {
            Failure::Io(format!("cannot publish {} ({e})", self.target.display()))
        };
        if self.target.exists() {
            let old = self.tmp.with_extension("old");
            std::fs::rename(&self.target, &old).map_err(io)?;
            std::fs::rename(&self.tmp, &self.target).map_err(io)?;
            std::fs::remove_dir_all(&old).map_err(io)?;
        } else {
            std::fs::rename(&self.tmp, &self.target).map_err(io)?;
        }
        self.committed = true;
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.tmp);
        }
    }
}

/// The `answer_choices` column: a JSON array of strings.
fn choices_json(choices: Option<&[String]>) -> String {
    serde_json::to_string(choices.unwrap_or_default()).expect("strings serialise")
}
