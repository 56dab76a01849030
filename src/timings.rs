//! Per-stage time accounting for `--timings`: how a build's thread time splits between its
//! stages.
//!
//! Role: the build driver wraps each stage of each sample in [`Timings::time`] (or adds a
//! measured [`Duration`] with [`Timings::add`]); after the build, [`Timings::report`] renders
//! a plain-text table with thread-seconds, milliseconds per image and share per stage.
//!
//! Invariants:
//! - Timings never influence build results: they only measure.
//! - A disabled instance reads no clock and touches no atomic; [`Timings::time`] then costs
//!   one branch around the closure.
//! - Counters are relaxed atomics, so one `Timings` is shared by reference across worker
//!   threads. Stage times are thread time summed over all threads: with several threads
//!   their total can exceed the wall-clock time of the build.
//! - The report is computed from the counters only; it is deterministic for given counters.

use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// A stage of the build, in pipeline order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    /// Planning samples: grid cell and seed per index, including `sampling.unique` resolution.
    Expand,
    /// Composing a sample: draws, constraints, answers, prompts and metadata.
    Scene,
    /// Writing the scene as SVG text.
    Svg,
    /// Rasterising: usvg parse plus resvg render.
    Raster,
    /// Checking the labels against the pixels (`verify:`), redraws included.
    Verify,
    /// PNG encoding plus the image hash.
    Encode,
    /// Parquet writing and manifest bookkeeping (tallies, shard summaries).
    Write,
}

impl Stage {
    /// Every stage, in pipeline order.
    pub const ALL: [Stage; 7] = [
        Stage::Expand,
        Stage::Scene,
        Stage::Svg,
        Stage::Raster,
        Stage::Verify,
        Stage::Encode,
        Stage::Write,
    ];

    /// The stage's name in the report.
    pub fn name(self) -> &'static str {
        match self {
            Stage::Expand => "expand",
            Stage::Scene => "scene",
            Stage::Svg => "svg",
            Stage::Raster => "raster",
            Stage::Verify => "verify",
            Stage::Encode => "encode",
            Stage::Write => "write",
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// Thread time and call count per stage; `Sync`, shared by reference across workers.
#[derive(Debug, Default)]
pub struct Timings {
    enabled: bool,
    nanos: [AtomicU64; 7],
    calls: [AtomicU64; 7],
}

impl Timings {
    /// Timings that record if `enabled`, and do nothing otherwise.
    pub fn new(enabled: bool) -> Self {
        Self {
            enabled,
            ..Self::default()
        }
    }

    /// Whether this instance records.
    pub fn is_enabled(&self) -> bool {
        self.enabled
    }

    /// Runs `f`, adding its duration to `stage` if enabled.
    pub fn time<T>(&self, stage: Stage, f: impl FnOnce() -> T) -> T {
        if !self.enabled {
            return f();
        }
        let start = Instant::now();
        let out = f();
        self.add(stage, start.elapsed());
        out
    }

    /// Adds one call of duration `d` to `stage` if enabled.
    pub fn add(&self, stage: Stage, d: Duration) {
        if !self.enabled {
            return;
        }
        let ns = u64::try_from(d.as_nanos()).unwrap_or(u64::MAX);
        self.nanos[stage.index()].fetch_add(ns, Ordering::Relaxed);
        self.calls[stage.index()].fetch_add(1, Ordering::Relaxed);
    }

    /// Thread time recorded for `stage`.
    pub fn total(&self, stage: Stage) -> Duration {
        Duration::from_nanos(self.nanos[stage.index()].load(Ordering::Relaxed))
    }

    /// Thread seconds per stage, in pipeline order; empty when not enabled.
    pub fn seconds(&self) -> Vec<(Stage, f64)> {
        match self.enabled {
            true => Stage::ALL
                .iter()
                .map(|&s| (s, self.total(s).as_secs_f64()))
                .collect(),
            false => Vec::new(),
        }
    }

    /// Calls recorded for `stage`.
    pub fn calls(&self, stage: Stage) -> u64 {
        self.calls[stage.index()].load(Ordering::Relaxed)
    }

    /// The table: per stage thread-seconds, ms per image (of `images`) and share of the summed
    /// stage time; then the total and the wall-clock line for a build on `threads` threads.
    pub fn report(&self, wall: Duration, images: u64, threads: usize) -> String {
        let secs: Vec<f64> = Stage::ALL
            .iter()
            .map(|&s| self.total(s).as_secs_f64())
            .collect();
        let sum: f64 = secs.iter().sum();
        let mut out = format!(
            "{:<8}{:>10}{:>11}{:>9}\n",
            "stage", "thread-s", "ms/image", "share"
        );
        for (stage, &s) in Stage::ALL.iter().zip(&secs) {
            row(&mut out, stage.name(), s, images, share(s, sum));
        }
        row(
            &mut out,
            "total",
            sum,
            images,
            if sum > 0.0 { 100.0 } else { 0.0 },
        );
        wall_lines(&mut out, wall, images, threads);
        out
    }
}

/// One aligned table row.
fn row(out: &mut String, name: &str, secs: f64, images: u64, share: f64) {
    let per_image = if images == 0 {
        0.0
    } else {
        secs * 1000.0 / images as f64
    };
    let _ = writeln!(out, "{name:<8}{secs:>10.2}{per_image:>11.2}{share:>8.1}%");
}

/// Percent of `part` in `sum`, 0 when nothing was recorded.
fn share(part: f64, sum: f64) -> f64 {
    if sum > 0.0 { part * 100.0 / sum } else { 0.0 }
}

/// The wall-clock line and the note on thread time.
fn wall_lines(out: &mut String, wall: Duration, images: u64, threads: usize) {
    let secs = wall.as_secs_f64();
    let plural = if threads == 1 { "" } else { "s" };
    let _ = write!(
        out,
        "{:<8}{secs:>10.2} s with {threads} thread{plural}",
        "wall"
    );
    if secs > 0.0 {
        let _ = write!(out, ", {:.1} images/s", images as f64 / secs);
    }
    let _ = writeln!(
        out,
        "\nthread-s sum the time of every worker thread: stages run on several threads at \
         once, so they can exceed wall time"
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(report: &str) -> Vec<&str> {
        report.lines().collect()
    }

    #[test]
    fn report_lists_every_stage_with_ms_per_image_and_share() {
        let t = Timings::new(true);
        t.add(Stage::Svg, Duration::from_secs(1));
        t.add(Stage::Raster, Duration::from_secs(2));
        t.add(Stage::Raster, Duration::from_secs(1));
        let report = t.report(Duration::from_secs(2), 1000, 2);
        let l = lines(&report);
        assert_eq!(l[0], "stage     thread-s   ms/image    share");
        for (stage, line) in Stage::ALL.iter().zip(&l[1..]) {
            assert!(line.starts_with(stage.name()), "{report}");
        }
        assert_eq!(l[1], "expand        0.00       0.00     0.0%");
        assert_eq!(l[3], "svg           1.00       1.00    25.0%");
        assert_eq!(l[4], "raster        3.00       3.00    75.0%");
        assert_eq!(l[5], "verify        0.00       0.00     0.0%");
        assert_eq!(l[8], "total         4.00       4.00   100.0%");
        assert_eq!(l[9], "wall          2.00 s with 2 threads, 500.0 images/s");
        assert!(l[10].contains("exceed wall time"), "{report}");
        assert_eq!(t.calls(Stage::Raster), 2);
        assert_eq!(t.total(Stage::Raster), Duration::from_secs(3));
    }

    #[test]
    fn empty_report_has_no_division_by_zero() {
        let report = Timings::new(true).report(Duration::ZERO, 0, 1);
        assert!(
            !report.contains("NaN") && !report.contains("inf"),
            "{report}"
        );
        assert!(
            report.contains("total         0.00       0.00     0.0%"),
            "{report}"
        );
        assert!(
            report.contains("wall          0.00 s with 1 thread\n"),
            "{report}"
        );
    }

    #[test]
    fn disabled_timings_record_nothing() {
        let t = Timings::new(false);
        assert!(!t.is_enabled());
        assert_eq!(t.time(Stage::Scene, || 7), 7);
        t.add(Stage::Write, Duration::from_secs(5));
        for stage in Stage::ALL {
            assert_eq!(t.total(stage), Duration::ZERO);
            assert_eq!(t.calls(stage), 0);
        }
        assert!(t.seconds().is_empty());
    }

    #[test]
    fn seconds_lists_every_stage_in_order() {
        let t = Timings::new(true);
        t.add(Stage::Verify, Duration::from_millis(1500));
        t.add(Stage::Write, Duration::from_millis(250));
        let seconds = t.seconds();
        let stages: Vec<Stage> = seconds.iter().map(|&(s, _)| s).collect();
        assert_eq!(stages, Stage::ALL);
        for (stage, s) in seconds {
            let want = match stage {
                Stage::Verify => 1.5,
                Stage::Write => 0.25,
                _ => 0.0,
            };
            assert_eq!(s, want, "{}", stage.name());
        }
    }

    #[test]
    fn time_counts_calls_and_returns_the_value() {
        let t = Timings::new(true);
        assert_eq!(t.time(Stage::Encode, || "png"), "png");
        assert_eq!(t.calls(Stage::Encode), 1);
        assert_eq!(t.calls(Stage::Raster), 0);
    }

    #[test]
    fn additions_from_several_threads_sum() {
        let t = Timings::new(true);
        std::thread::scope(|s| {
            for _ in 0..4 {
                s.spawn(|| (0..250).for_each(|_| t.add(Stage::Scene, Duration::from_millis(2))));
            }
        });
        assert_eq!(t.calls(Stage::Scene), 1000);
        assert_eq!(t.total(Stage::Scene), Duration::from_secs(2));
    }

    #[test]
    fn stage_order_matches_index() {
        for (i, stage) in Stage::ALL.iter().enumerate() {
            assert_eq!(stage.index(), i);
        }
    }
}
