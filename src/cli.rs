//! Command-line interface: argument types and one function per subcommand.
//!
//! Exit codes: 0 success; 1 the spec is invalid or cannot be compiled, or a different
//! release already holds the output's name and version (diagnostics on stderr); 2 I/O or
//! internal errors. `diff` follows diff(1): 0 identical rows, 1 rows differ, 2 trouble.
//! Only this module and `main` print to the terminal.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::diag::{Diagnostic, render};
use crate::pipeline::{BuildOptions, Failure, Slice};
use crate::publish::Release;
use crate::spec::TaskSpec;
use crate::spec::suite::{Suite, load_suite, suite_path};

/// blindspot: compile declarative task specs into reproducible image datasets.
#[derive(Debug, Parser)]
#[command(name = "blindspot", version, about, long_about = None)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build a dataset: Parquet shards, README.md card, croissant.json and manifest.json.
    /// An interrupted build resumes: rerun the same command.
    Build(BuildArgs),
    /// Merge the folders of a sharded build (`build --shard I/N`, every I) into the release,
    /// byte-identical to building SPEC on one machine.
    Merge {
        /// The task spec or suite the shards were built from.
        spec: PathBuf,
        /// The shard folders, in any order.
        #[arg(required = true)]
        shards: Vec<PathBuf>,
        /// Copies the shards were built with (as given to `build --repeat`).
        #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u64).range(1..))]
        repeat: u64,
        #[command(flatten)]
        release: ReleaseArgs,
    },
    /// Write a commented starter task spec, `DIR/NAME.yaml`, that builds as it is.
    New {
        /// The task id: lowercase ASCII letters, digits and `-`, e.g. `dot-in-circle`.
        name: String,
        /// The folder to write it in.
        #[arg(long, default_value = "tasks")]
        dir: PathBuf,
    },
    /// Explain a spec before building it: axes, expansion size, how often draws are rejected,
    /// and each prompt's answer distribution with imbalance warnings (from a sample).
    Explain {
        /// The task spec or suite.
        spec: PathBuf,
        /// How many samples to compose for the estimates (spread over the expansion).
        #[arg(long, default_value_t = 400)]
        sample: u64,
    },
    /// Validate a spec and compose every sample without rendering; print the counts.
    Check {
        /// The task spec (YAML).
        spec: PathBuf,
    },
    /// Render a few samples as PNG and SVG files plus one contact sheet, to look at.
    Preview {
        /// The task spec (YAML).
        spec: PathBuf,
        /// How many samples, spread evenly over the expansion.
        #[arg(short = 'n', long, default_value_t = 12)]
        count: u64,
        /// Output folder. Default: out/preview/<name>.
        #[arg(long)]
        out: Option<PathBuf>,
        /// Also write index.html: a static gallery page of the samples, grouped by grid cell,
        /// with prompts, ground truth, metadata and rejected draws (opens without a server).
        #[arg(long)]
        html: bool,
    },
    /// Score model replies against a built dataset by its answer formats: accuracy per task,
    /// prompt and score column, plus CSV files and plots.
    Score {
        /// The release folder (out/<name>/<version>).
        dataset: PathBuf,
        /// JSON Lines of {"id": ..., "reply": ...} (or "response"/"prediction"/"output").
        #[arg(required_unless_present = "random")]
        predictions: Option<PathBuf>,
        /// Score a uniformly random guesser over each row's answer set, seeded, instead.
        #[arg(long, value_name = "SEED", conflicts_with = "predictions")]
        random: Option<u64>,
        /// Folder for summary.csv, rows.csv, params.csv and plots/. Default:
        /// <PREDICTIONS>.scores/ beside the predictions, or out/scores/random-<SEED>/.
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Compare two release folders row by row. Exit status: 0 identical rows, 1 rows
    /// differ, 2 a folder is not a readable release.
    Diff {
        /// The old release folder (e.g. the published one).
        old: PathBuf,
        /// The new release folder.
        new: PathBuf,
        /// Print a JSON report instead of the table.
        #[arg(long)]
        json: bool,
    },
    /// Export a built release for an evaluation harness (lmms-eval, VLMEvalKit, inspect_ai)
    /// or as plain images + JSONL.
    Export {
        /// The release folder (out/<name>/<version>).
        dataset: PathBuf,
        /// The harness.
        #[arg(long, value_enum)]
        to: crate::export::Format,
        /// Output folder. Default: DATASET/harness/<lmms_eval|vlmevalkit|inspect|plain>.
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// List the primitives, functions, fonts and palettes the language offers.
    List,
    /// Print the JSON Schema of task specs (or write it with --out).
    Schema {
        /// File to write instead of printing.
        #[arg(long)]
        out: Option<PathBuf>,
        /// The schema of suite files (`suite.yaml`) instead.
        #[arg(long)]
        suite: bool,
    },
}

/// Options of `build`.
#[derive(Debug, clap::Args)]
pub struct BuildArgs {
    /// The task spec (YAML), or a suite folder / suite.yaml.
    pub spec: PathBuf,
    /// Worker threads. Default: all cores. Output is identical for any value.
    #[arg(long, short = 'j')]
    pub threads: Option<usize>,
    /// Build K copies of the spec's samples, each with fresh draws (a training set from a
    /// benchmark spec). Copy 0 is the spec's own build; ids stay unique and stable.
    #[arg(long, value_name = "K", default_value_t = 1, value_parser = clap::value_parser!(u64).range(1..))]
    pub repeat: u64,
    /// Build only slice I of N (0-based), for a batch engine; `blindspot merge` joins the
    /// N folders into the release.
    #[arg(long, value_name = "I/N", value_parser = parse_slice)]
    pub shard: Option<Slice>,
    /// No progress and no summary line (errors only).
    #[arg(long, short = 'q')]
    pub quiet: bool,
    /// Print the time spent per stage (expand, scene, svg, raster, encode, write).
    #[arg(long)]
    pub timings: bool,
    #[command(flatten)]
    pub release: ReleaseArgs,
}

/// Where and how a release is written (`build`, `merge`).
#[derive(Debug, clap::Args)]
pub struct ReleaseArgs {
    /// Output folder. Default: out/<name>/<version> (`+repeat<K>` appended for --repeat,
    /// `.shard-<I>-of-<N>` for --shard).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Start a new Parquet file per task once one reaches this many MB (at a row-group
    /// boundary). Default: 450, under the Hub's ~500 MB per file.
    #[arg(long, value_name = "MB")]
    pub max_file_mb: Option<u64>,
    /// Replace a release of the same name and version even if its content differs
    /// (only for a release that was never published).
    #[arg(long)]
    pub force: bool,
}

fn parse_slice(text: &str) -> Result<Slice, String> {
    Slice::parse(text)
}

/// Runs a parsed command line and returns the process exit code.
pub fn run(cli: Cli) -> ExitCode {
    let result = match cli.command {
        Command::Build(args) => build(&args),
        Command::Merge {
            spec,
            shards,
            repeat,
            release,
        } => merge(&spec, &shards, repeat, &release),
        Command::New { name, dir } => new_task(&name, &dir),
        Command::Check { spec } => check(spec),
        Command::Explain { spec, sample } => explain(spec, sample),
        Command::Preview {
            spec,
            count,
            out,
            html,
        } => preview(spec, count, out, html),
        Command::Score {
            dataset,
            predictions,
            random,
            out,
        } => score(&dataset, predictions, random, out),
        Command::Diff { old, new, json } => return diff(&old, &new, json),
        Command::Export { dataset, to, out } => export(&dataset, to, out.as_deref()),
        Command::List => print(&crate::report::list_text()),
        Command::Schema { out, suite } => schema(out, suite),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Spec(diags)) => {
            eprint!("{}", render(&diags));
            ExitCode::from(1)
        }
        Err(Failure::Io(msg)) => {
            eprintln!("error: {msg}");
            ExitCode::from(2)
        }
    }
}

/// What a path names: one task spec, or a suite (a folder with `suite.yaml`, or that file).
enum Target {
    Task(Box<TaskSpec>),
    Suite(Box<Suite>),
}

fn load(path: &Path) -> Result<Target, Failure> {
    let to_failure = |d: Vec<Diagnostic>| {
        if d.iter().any(|x| x.id == "spec-unreadable") {
            Failure::Io(render(&d).trim_end().to_string())
        } else {
            Failure::Spec(d)
        }
    };
    match suite_path(path) {
        Some(p) => load_suite(&p)
            .map(|s| Target::Suite(Box::new(s)))
            .map_err(to_failure),
        None => crate::spec::load(path)
            .map(|t| Target::Task(Box::new(t)))
            .map_err(to_failure),
    }
}

fn build(args: &BuildArgs) -> Result<(), Failure> {
    let mut target = load(&args.spec)?;
    set_repeat(&mut target, args.repeat);
    let release = release_of(&target);
    let slice = args.shard.unwrap_or(Slice::WHOLE);
    let opts = BuildOptions {
        threads: args.threads,
        slice,
        progress: !args.quiet,
        timings: args.timings,
        ..release_options(&args.release, &release, slice)
    };
    let report = crate::pipeline::build_release(&release, &opts)?;
    if !args.quiet {
        let what = match slice.is_whole() {
            true => "built".to_string(),
            false => format!("built shard {slice}:"),
        };
        eprintln!(
            "{what} {} images, {} rows in {:.2}s → {}",
            report.images,
            report.rows,
            report.seconds,
            opts.out_dir.display()
        );
        if report.resumed_chunks > 0 {
            eprintln!(
                "resumed: {} of {} chunks were already rendered by an interrupted run",
                report.resumed_chunks, report.chunks
            );
        }
    }
    if let Some(t) = &report.timings {
        eprint!("{t}");
    }
    Ok(())
}

fn merge(spec: &Path, shards: &[PathBuf], repeat: u64, args: &ReleaseArgs) -> Result<(), Failure> {
    let mut target = load(spec)?;
    set_repeat(&mut target, repeat);
    let release = release_of(&target);
    let opts = release_options(args, &release, Slice::WHOLE);
    let report = crate::pipeline::merge::merge(&release, shards, &opts)?;
    eprintln!(
        "merged {} shards: {} images, {} rows in {:.2}s → {}",
        shards.len(),
        report.images,
        report.rows,
        report.seconds,
        opts.out_dir.display()
    );
    Ok(())
}

fn set_repeat(target: &mut Target, repeat: u64) {
    match target {
        Target::Task(t) => t.sampling.repeat = repeat,
        Target::Suite(s) => s.tasks.iter_mut().for_each(|t| t.sampling.repeat = repeat),
    }
}

fn release_of(target: &Target) -> Release<'_> {
    match target {
        Target::Task(t) => Release::task(t),
        Target::Suite(s) => Release::suite(s),
    }
}

/// Output folder, file size limit and `--force` of a release (or one slice of it).
fn release_options(args: &ReleaseArgs, release: &Release<'_>, slice: Slice) -> BuildOptions {
    let dir = args.out.clone().unwrap_or_else(|| {
        let mut version = release.version.to_string();
        if release.repeat() > 1 {
            version.push_str(&format!("+repeat{}", release.repeat()));
        }
        if !slice.is_whole() {
            version.push_str(&format!(".shard-{}-of-{}", slice.index, slice.count));
        }
        PathBuf::from("out").join(release.name).join(version)
    });
    BuildOptions {
        out_dir: dir,
        max_file_bytes: args.max_file_mb.map(|mb| mb.saturating_mul(1024 * 1024)),
        force: args.force,
        ..BuildOptions::default()
    }
}

fn diff(old: &Path, new: &Path, json: bool) -> ExitCode {
    let d = match crate::diff::diff(old, new) {
        Ok(d) => d,
        Err(msg) => {
            eprintln!("error: {msg}");
            return ExitCode::from(2);
        }
    };
    let text = if json { d.to_json() } else { d.to_text() };
    if let Err(Failure::Io(msg)) = print(&text) {
        eprintln!("error: {msg}");
        return ExitCode::from(2);
    }
    ExitCode::from(u8::from(!d.identical))
}

fn tasks(target: &Target) -> Vec<&TaskSpec> {
    match target {
        Target::Task(t) => vec![t],
        Target::Suite(s) => s.tasks.iter().collect(),
    }
}

fn new_task(name: &str, dir: &std::path::Path) -> Result<(), Failure> {
    let path = crate::scaffold::write_starter(name, dir)?;
    let p = path.display();
    print(&format!(
        "wrote {p}\nnext: blindspot check {p}\n      blindspot preview {p}\n      blindspot build {p}\n"
    ))
}

/// Each task's report, one after another with a blank line between.
fn task_reports(
    target: &Target,
    report: impl Fn(&TaskSpec) -> Result<String, Failure>,
) -> Result<String, Failure> {
    let mut text = String::new();
    for task in tasks(target) {
        text.push_str(&report(task)?);
        text.push('\n');
    }
    Ok(text)
}

fn explain(spec: PathBuf, sample: u64) -> Result<(), Failure> {
    let target = load(&spec)?;
    print(&task_reports(&target, |t| {
        crate::explain::explain(t, sample)
    })?)
}

fn check(spec: PathBuf) -> Result<(), Failure> {
    let target = load(&spec)?;
    let mut text = task_reports(&target, crate::report::check)?;
    if let Target::Suite(s) = &target {
        text.push_str(&crate::report::suite_table(s));
    }
    print(&text)
}

fn preview(spec: PathBuf, count: u64, out: Option<PathBuf>, html: bool) -> Result<(), Failure> {
    let target = load(&spec)?;
    // One folder per task, except for a single task written where --out says.
    let per_task = matches!(target, Target::Suite(_)) || out.is_none();
    let base = out.unwrap_or_else(|| PathBuf::from("out").join("preview"));
    for task in tasks(&target) {
        let dir = if per_task {
            base.join(&task.task_id)
        } else {
            base.clone()
        };
        let files = crate::preview::write(task, count, &dir, html)?;
        eprintln!("wrote {} files to {}", files, dir.display());
        if html {
            eprintln!("gallery: {}", dir.join("index.html").display());
        }
    }
    Ok(())
}

fn score(
    dataset: &Path,
    predictions: Option<PathBuf>,
    random: Option<u64>,
    out: Option<PathBuf>,
) -> Result<(), Failure> {
    use crate::score::Replies;
    let (replies, default_out) = match (predictions, random) {
        (_, Some(seed)) => (
            Replies::Random(seed),
            PathBuf::from("out/scores").join(format!("random-{seed}")),
        ),
        (Some(p), None) => {
            let dir = p.with_extension("scores");
            (Replies::File(p), dir)
        }
        (None, None) => return Err(Failure::Io("give PREDICTIONS or --random SEED".into())),
    };
    let scores = crate::score::score(dataset, &replies).map_err(Failure::Io)?;
    let dir = out.unwrap_or(default_out);
    let text = crate::score::write_outputs(&scores, &dir).map_err(Failure::Io)?;
    print(&text)?;
    eprintln!(
        "wrote summary.csv, rows.csv, params.csv and plots/ to {}",
        dir.display()
    );
    Ok(())
}

fn export(dataset: &Path, to: crate::export::Format, out: Option<&Path>) -> Result<(), Failure> {
    let report = crate::export::export(dataset, to, out)?;
    for w in &report.warnings {
        eprintln!("warning: {w}");
    }
    eprintln!(
        "exported {} rows, {} image files → {}",
        report.rows,
        report.images,
        report.out.display()
    );
    Ok(())
}

fn schema(out: Option<PathBuf>, suite: bool) -> Result<(), Failure> {
    let text = if suite {
        crate::spec::suite::json_schema()
    } else {
        crate::spec::json_schema()
    };
    match out {
        Some(path) => std::fs::write(&path, text)
            .map_err(|e| Failure::Io(format!("cannot write {} ({e})", path.display()))),
        None => print(&text),
    }
}

#[allow(clippy::print_stdout)]
fn print(text: &str) -> Result<(), Failure> {
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(text.as_bytes()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(Failure::Io(format!("cannot write to stdout ({e})"))),
    }
}
