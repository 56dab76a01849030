//! Section 2: the whole BlindTest suite built at 1 and 2 threads.

use blindspot::pipeline::{self, BuildOptions};
use blindspot::publish::Release;
use blindspot::spec::suite::{load_suite, suite_path};

use crate::args::Args;
use crate::prepare::task_dir;
use crate::stats::{Timing, die, timed};

/// Speedup of 2 threads over 1 that passes.
const TARGET_SPEEDUP: f64 = 1.7;

/// Runs section 2 and prints its table.
pub fn run(args: &Args) {
    let dir = task_dir();
    let path = suite_path(&dir).unwrap_or_else(|| die(dir.display(), "no suite.yaml"));
    let suite = load_suite(&path).unwrap_or_else(|d| die(path.display(), d));
    let release = Release::suite(&suite);
    println!("## 2. Threads: whole suite (tasks/blindtest/, pipeline::build_release)");
    println!();
    println!(
        "{} tasks; --tasks and --samples do not apply; --runs {} per thread count; target speedup >= {TARGET_SPEEDUP}.",
        suite.tasks.len(),
        args.runs
    );
    println!();
    println!("| threads | images | seconds median | seconds min | img/s (median) | speedup vs 1 |");
    println!("|---:|---:|---:|---:|---:|---:|");
    let mut base = None;
    for threads in [1, 2] {
        let (images, t) = measure(&release, threads, args.runs);
        let speedup = base.map_or(1.0, |b: f64| b / t.median());
        base.get_or_insert(t.median());
        let pass = match threads {
            1 => String::new(),
            _ if speedup >= TARGET_SPEEDUP => " (pass)".into(),
            _ => " (**below target**)".into(),
        };
        println!(
            "| {threads} | {images} | {:.2} | {:.2} | {:.0} | {speedup:.2}×{pass} |",
            t.median(),
            t.min(),
            images as f64 / t.median()
        );
    }
    println!();
}

/// Builds the release `runs` times into fresh temporary folders (removed untimed).
fn measure(release: &Release<'_>, threads: usize, runs: usize) -> (u64, Timing) {
    let mut t = Timing::default();
    let mut images = 0;
    for _ in 0..runs {
        let tmp = tempfile::tempdir().unwrap_or_else(|e| die("temp dir", e));
        let opts = BuildOptions {
            out_dir: tmp.path().join("dataset"),
            threads: Some(threads),
            ..Default::default()
        };
        let (report, seconds) = timed(|| pipeline::build_release(release, &opts));
        images = report.unwrap_or_else(|e| die(release.name, e)).images;
        t.push(seconds);
    }
    (images, t)
}
