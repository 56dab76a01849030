//! Command-line interface: one function per subcommand (the clap types are in `args`).
//!
//! Exit codes: 0 success; 1 the spec is invalid or cannot be compiled, or a different
//! release already holds the output's name and version (diagnostics on stderr); 2 I/O or
//! internal errors. `diff` follows diff(1): 0 identical rows, 1 rows differ, 2 trouble.
//! Only this module and `main` print to the terminal.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

mod args;

pub use args::{BuildArgs, Cli, Command, ReleaseArgs};

use crate::diag::{Diagnostic, render};
use crate::limits::Limits;
use crate::pipeline::{BuildOptions, Failure, Slice};
use crate::publish::Release;
use crate::spec::TaskSpec;
use crate::spec::suite::{Suite, load_suite_with, suite_path};

thread_local! {
    /// The limits of this run (`--limit`), set once by [`run`] before any spec is loaded.
    static LIMITS: std::cell::Cell<Limits> = std::cell::Cell::new(Limits::default());
}

/// Runs a parsed command line and returns the process exit code.
pub fn run(cli: Cli) -> ExitCode {
    match Limits::with(&cli.limits) {
        Ok(l) => LIMITS.set(l),
        Err(msg) => {
            eprintln!("error: --limit: {msg}");
            return ExitCode::from(2);
        }
    }
    let result = match cli.command {
        Command::Build(args) => build(&args),
        Command::Merge {
            spec,
            shards,
            repeat,
            release,
        } => merge(&spec, &shards, repeat, &release),
        Command::Verify {
            dataset,
            spec,
            repeat,
        } => verify(&dataset, &spec, repeat),
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
        Command::Limits => print(&LIMITS.get().table()),
        Command::Schema { out, suite } => schema(out, suite),
        Command::Reference { out } => write_or_print(out, &crate::reference::markdown()),
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
        Some(p) => load_suite_with(&p, &LIMITS.get())
            .map(|s| Target::Suite(Box::new(s)))
            .map_err(to_failure),
        None => crate::spec::load_with(path, &LIMITS.get())
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
        verify: !args.no_verify,
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
        if let Some(table) = &report.verification {
            eprint!("label verification:\n{table}");
        }
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

fn verify(dataset: &Path, spec: &Path, repeat: u64) -> Result<(), Failure> {
    let mut target = load(spec)?;
    set_repeat(&mut target, repeat);
    let release = release_of(&target);
    let report = crate::verify::dataset::verify(dataset, &release)?;
    print!("{}", report.summary());
    match report.contradicted() {
        0 => Ok(()),
        n => Err(Failure::Spec(vec![
            Diagnostic::error(
                "label-disagrees",
                format!(
                    "{n} sample(s) in {} have labels their pixels contradict",
                    dataset.display()
                ),
            )
            .hint("the disagreeing samples are listed above, by id"),
        ])),
    }
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
        accept_disagreements: args.accept_disagreements,
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
    write_or_print(out, &text)
}

/// Writes `text` to the file `out`, or prints it when there is none.
fn write_or_print(out: Option<PathBuf>, text: &str) -> Result<(), Failure> {
    match out {
        Some(path) => std::fs::write(&path, text)
            .map_err(|e| Failure::Io(format!("cannot write {} ({e})", path.display()))),
        None => print(text),
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
