//! Repeated timings and their summary (median and min), plus number formatting.

use std::fmt::Debug;
use std::time::Instant;

/// Seconds of one measured quantity over several runs.
#[derive(Debug, Clone, Default)]
pub struct Timing {
    /// Every run, in order.
    pub runs: Vec<f64>,
}

impl Timing {
    /// Adds one run.
    pub fn push(&mut self, seconds: f64) {
        self.runs.push(seconds);
    }

    /// Median of the runs (mean of the middle two for an even count).
    pub fn median(&self) -> f64 {
        let mut v = self.runs.clone();
        v.sort_by(f64::total_cmp);
        match v.len() {
            0 => f64::NAN,
            n if n % 2 == 1 => v[n / 2],
            n => (v[n / 2 - 1] + v[n / 2]) / 2.0,
        }
    }

    /// Fastest run.
    pub fn min(&self) -> f64 {
        self.runs.iter().copied().fold(f64::INFINITY, f64::min)
    }
}

/// Runs `f` and returns its result with the wall-clock seconds it took.
pub fn timed<T>(f: impl FnOnce() -> T) -> (T, f64) {
    let start = Instant::now();
    let out = f();
    (out, start.elapsed().as_secs_f64())
}

/// Ends the benchmark on a setup error (a benchmark with broken inputs measures nothing).
pub fn die(what: impl std::fmt::Display, e: impl Debug) -> ! {
    eprintln!("error: {what}: {e:?}");
    std::process::exit(1)
}

/// A rate with sensible precision.
pub fn rate(x: f64) -> String {
    if x >= 100.0 {
        format!("{x:.0}")
    } else {
        format!("{x:.1}")
    }
}

/// Milliseconds with three significant-ish digits.
pub fn ms(seconds: f64) -> String {
    let m = seconds * 1e3;
    if m.abs() >= 10.0 {
        format!("{m:.1}")
    } else {
        format!("{m:.3}")
    }
}

/// Images per second as "median (best)".
pub fn rate_pair(images: u64, t: &Timing) -> String {
    let n = images as f64;
    format!("{} ({})", rate(n / t.median()), rate(n / t.min()))
}
