//! Command-line interface: argument types and one function per subcommand.
//!
//! Exit codes: 0 success; 1 the spec is invalid or cannot be compiled (diagnostics on
//! stderr); 2 I/O or internal errors. Only this module and `main` print to the terminal.

use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::diag::{Diagnostic, render};
use crate::pipeline::{BuildOptions, Failure};

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
    /// Build a dataset: Parquet shards, README.md card and manifest.json.
    Build {
        /// The task spec (YAML).
        spec: PathBuf,
        /// Output folder. Default: out/<name>/<version>.
        #[arg(long)]
        out: Option<PathBuf>,
        /// Worker threads. Default: all cores. Output is identical for any value.
        #[arg(long, short = 'j')]
        threads: Option<usize>,
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
    },
    /// List the primitives, functions, fonts and palettes the language offers.
    List,
    /// Print the JSON Schema of task specs (or write it with --out).
    Schema {
        /// File to write instead of printing.
        #[arg(long)]
        out: Option<PathBuf>,
    },
}

/// Runs a parsed command line and returns the process exit code.
pub fn run(cli: Cli) -> ExitCode {
    let result = match cli.command {
        Command::Build { spec, out, threads } => build(spec, out, threads),
        Command::Check { spec } => check(spec),
        Command::Preview { spec, count, out } => preview(spec, count, out),
        Command::List => print(&crate::report::list_text()),
        Command::Schema { out } => schema(out),
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

fn load(spec: &std::path::Path) -> Result<crate::spec::TaskSpec, Failure> {
    let diags_to_failure = |d: Vec<Diagnostic>| {
        if d.iter().any(|x| x.id == "spec-unreadable") {
            Failure::Io(render(&d).trim_end().to_string())
        } else {
            Failure::Spec(d)
        }
    };
    crate::spec::load(spec).map_err(diags_to_failure)
}

fn build(spec: PathBuf, out: Option<PathBuf>, threads: Option<usize>) -> Result<(), Failure> {
    let task = load(&spec)?;
    let dir = out.unwrap_or_else(|| PathBuf::from("out").join(&task.name).join(&task.version));
    let opts = BuildOptions {
        out_dir: dir,
        threads,
    };
    let report = crate::pipeline::build(&task, &opts)?;
    eprintln!(
        "built {} images, {} rows in {:.2}s → {}",
        report.images,
        report.rows,
        report.seconds,
        opts.out_dir.display()
    );
    Ok(())
}

fn check(spec: PathBuf) -> Result<(), Failure> {
    let task = load(&spec)?;
    let summary = crate::report::check(&task)?;
    print(&summary)
}

fn preview(spec: PathBuf, count: u64, out: Option<PathBuf>) -> Result<(), Failure> {
    let task = load(&spec)?;
    let dir = out.unwrap_or_else(|| PathBuf::from("out").join("preview").join(&task.name));
    let files = crate::preview::write(&task, count, &dir)?;
    eprintln!("wrote {} files to {}", files, dir.display());
    Ok(())
}

fn schema(out: Option<PathBuf>) -> Result<(), Failure> {
    let text = crate::spec::json_schema();
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
