//! Command-line options of the throughput benchmark, parsed by hand.

/// Usage text, printed on `--help` and on errors.
pub const USAGE: &str = "usage: cargo bench --bench throughput -- [--tasks a,b] [--samples N] \
[--runs R] [--section build|raster|threads|png|all] [--color auto|palette|rgb|gray]";

use blindspot::spec::types::ColorMode;

/// Which part of the benchmark to run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    /// Raster limit vs build, one thread, per task (`build` or `raster`).
    Build,
    /// The whole suite at 1 and 2 threads.
    Threads,
    /// PNG encoder settings.
    Png,
    /// Everything.
    All,
}

/// Parsed options.
#[derive(Debug, Clone)]
pub struct Args {
    /// Task spec stems; empty means every spec in tasks/blindtest but suite.yaml.
    pub tasks: Vec<String>,
    /// Cap on samples per task.
    pub samples: Option<u64>,
    /// Repetitions of each measurement.
    pub runs: usize,
    /// Section to run.
    pub section: Section,
    /// Every task's `output.color` replaced by this (sections build and png); `None` keeps
    /// each spec's own.
    pub color: Option<ColorMode>,
}

impl Args {
    /// Whether `s` runs.
    pub fn wants(&self, s: Section) -> bool {
        self.section == Section::All || self.section == s
    }
}

/// Parses the arguments after the program name; `Err("")` asks for the usage text.
pub fn parse(raw: impl Iterator<Item = String>) -> Result<Args, String> {
    let mut args = Args {
        tasks: Vec::new(),
        samples: None,
        runs: 3,
        section: Section::All,
        color: None,
    };
    let mut it = raw.flat_map(split_eq);
    while let Some(flag) = it.next() {
        let mut value = || it.next().ok_or(format!("{flag} needs a value"));
        match flag.as_str() {
            "--bench" => {} // passed by `cargo bench`
            "--tasks" => args.tasks = stems(&value()?),
            "--samples" => args.samples = Some(positive(&flag, &value()?)?),
            "--runs" => args.runs = positive(&flag, &value()?)? as usize,
            "--section" => args.section = section(&value()?)?,
            "--color" => args.color = Some(color(&value()?)?),
            "-h" | "--help" => return Err(String::new()),
            other => return Err(format!("unknown option `{other}`")),
        }
    }
    Ok(args)
}

/// `--opt=value` → [`--opt`, `value`].
fn split_eq(arg: String) -> Vec<String> {
    match arg.split_once('=') {
        Some((k, v)) if k.starts_with("--") => vec![k.to_string(), v.to_string()],
        _ => vec![arg],
    }
}

fn stems(list: &str) -> Vec<String> {
    list.split(',')
        .map(|s| s.trim().trim_end_matches(".yaml").to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

fn positive(flag: &str, v: &str) -> Result<u64, String> {
    match v.parse::<u64>() {
        Ok(n) if n > 0 => Ok(n),
        _ => Err(format!("{flag} needs a positive integer, not `{v}`")),
    }
}

fn section(v: &str) -> Result<Section, String> {
    Ok(match v {
        "build" | "raster" => Section::Build,
        "threads" => Section::Threads,
        "png" => Section::Png,
        "all" => Section::All,
        _ => return Err(format!("unknown section `{v}`")),
    })
}

fn color(v: &str) -> Result<ColorMode, String> {
    Ok(match v {
        "auto" => ColorMode::Auto,
        "palette" => ColorMode::Palette,
        "rgb" => ColorMode::Rgb,
        "gray" => ColorMode::Gray,
        _ => return Err(format!("unknown colour policy `{v}`")),
    })
}
