//! Command-line arguments: the clap types for every subcommand and their value parsers.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::pipeline::Slice;

/// blindspot: compile declarative task specs into reproducible image datasets.
#[derive(Debug, Parser)]
#[command(name = "blindspot", version, about, long_about = None)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
    /// Raise (or lower) a resource limit for this run, e.g. `--limit canvas-pixels=100000000`;
    /// repeatable. `blindspot limits` lists them.
    #[arg(long = "limit", global = true, value_name = "NAME=VALUE")]
    pub limits: Vec<String>,
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
    /// Re-check a built dataset's labels against its stored pixels with the `verify:`
    /// checks of the spec it was built from; exit 1 when a label disagrees outside the
    /// spec's margins.
    Verify {
        /// The dataset folder (with manifest.json).
        dataset: PathBuf,
        /// The task spec or suite the dataset was built from.
        #[arg(long)]
        spec: PathBuf,
        /// Copies the dataset was built with (as given to `build --repeat`).
        #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u64).range(1..))]
        repeat: u64,
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
    /// Print the resource limits in force (after any `--limit` overrides).
    Limits,
    /// Print the JSON Schema of task specs (or write it with --out).
    Schema {
        /// File to write instead of printing.
        #[arg(long)]
        out: Option<PathBuf>,
        /// The schema of suite files (`suite.yaml`) instead.
        #[arg(long)]
        suite: bool,
    },
    /// Print the task language reference as Markdown (every key, primitive, function,
    /// plugin, answer format, font and colour), or write it with --out.
    Reference {
        /// File to write instead of printing, e.g. docs/reference.md.
        #[arg(long)]
        out: Option<PathBuf>,
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
    /// Print the time spent per stage (expand, scene, svg, raster, verify, encode, write).
    #[arg(long)]
    pub timings: bool,
    /// Skip the `verify:` checks (no verification.json): faster for large training sets.
    /// Refused for a task whose margins redraw random samples.
    #[arg(long)]
    pub no_verify: bool,
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
    /// Publish even when a label disagrees with its pixels outside the spec's margins
    /// (`verify:` checks; inside a margin a disagreement never blocks); the disagreements
    /// are listed in verification.json and the card.
    #[arg(long)]
    pub accept_disagreements: bool,
}

fn parse_slice(text: &str) -> Result<Slice, String> {
    Slice::parse(text)
}
