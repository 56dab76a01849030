//! Build progress on stderr: a live bar on a terminal, sparse plain lines in logs, or nothing.
//!
//! Role: the build driver creates one [`Progress`] per build (or task) and calls
//! [`Progress::inc`] from its worker threads as images complete; [`Progress::finish`] writes
//! the closing line.
//!
//! Modes ([`Mode::Auto`] picks by whether stderr is a terminal):
//! - terminal: an `indicatif` bar, `{msg} [{bar}] {pos}/{len} images {per_sec} ETA {eta}`,
//!   redrawn at most 20 times a second by indicatif and ticked steadily, replaced at the end
//!   by the closing line below;
//! - not a terminal (CI logs, Kubernetes, Slurm): plain lines such as
//!   `progress: 1200/8016 images (15.0%), 412.3 images/s, ETA 12s (touching-circles)`, at most
//!   one per [`PLAIN_INTERVAL`], then `progress: done, 8016 images in 19.4s (413.2 images/s)`;
//! - [`Mode::Quiet`]: nothing at all.
//!
//! Invariants:
//! - Progress only reads counters; it never influences build results, and write errors on
//!   its output are ignored.
//! - All methods take `&self` and are safe to call from many threads; an increment costs one
//!   relaxed atomic add, plus (plain mode) one clock read and, once per interval, a line
//!   written under a mutex.
//! - By convention only `cli.rs` and `main.rs` print to the terminal. Progress output is the
//!   accepted exception: this module writes to stderr through a handle it owns, never to
//!   stdout, so command output stays clean.
//! - Dropping an unfinished `Progress` (a failed build) clears a terminal bar and writes no
//!   closing line.

use std::io::{IsTerminal, Write};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Shortest time between two plain progress lines.
pub const PLAIN_INTERVAL: Duration = Duration::from_secs(10);

/// The terminal bar's template.
const BAR_TEMPLATE: &str = "{msg} [{bar:30}] {pos}/{len} images {per_sec:1} ETA {eta}";

/// How often the terminal bar redraws when no image completes.
const TICK: Duration = Duration::from_millis(200);

/// Which progress output a build shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// A bar when stderr is a terminal, plain lines otherwise.
    Auto,
    /// No progress output.
    Quiet,
}

impl Mode {
    /// The mode for a `--quiet` flag.
    pub fn from_quiet(quiet: bool) -> Self {
        if quiet { Mode::Quiet } else { Mode::Auto }
    }
}

/// Progress of one build: a count of completed images out of a known total.
pub struct Progress {
    total: u64,
    done: AtomicU64,
    finished: AtomicBool,
    out: Output,
}

enum Output {
    Quiet,
    Bar(ProgressBar),
    Plain(Plain),
}

/// Plain-line output: a writer, the start time and the earliest time of the next line.
struct Plain {
    start: Instant,
    interval: Duration,
    /// Nanoseconds after `start` before which no line is written.
    next_due: AtomicU64,
    message: Mutex<String>,
    out: Mutex<Box<dyn Write + Send>>,
}

impl Progress {
    /// Progress of `total` images; `what` (e.g. the task id, or "build") is the initial
    /// message. In [`Mode::Auto`] this draws a bar if stderr is a terminal and writes plain
    /// lines to stderr every [`PLAIN_INTERVAL`] otherwise.
    pub fn new(mode: Mode, what: &str, total: u64) -> Self {
        match mode {
            Mode::Quiet => Self::with_output(total, Output::Quiet),
            Mode::Auto if std::io::stderr().is_terminal() => Self::bar(what, total),
            Mode::Auto => Self::plain_to(Box::new(std::io::stderr()), PLAIN_INTERVAL, what, total),
        }
    }

    /// Plain-line progress written to `out`, at most one line per `interval` (tests use a
    /// shared buffer and a zero interval, which writes a line on every increment).
    pub fn plain_to(
        out: Box<dyn Write + Send>,
        interval: Duration,
        what: &str,
        total: u64,
    ) -> Self {
        let plain = Plain {
            start: Instant::now(),
            interval,
            next_due: AtomicU64::new(nanos(interval)),
            message: Mutex::new(what.to_string()),
            out: Mutex::new(out),
        };
        Self::with_output(total, Output::Plain(plain))
    }

    fn bar(what: &str, total: u64) -> Self {
        let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
        if bar.is_hidden() {
            let out = Box::new(std::io::stderr());
            return Self::plain_to(out, PLAIN_INTERVAL, what, total);
        }
        bar.set_style(bar_style());
        bar.set_message(what.to_string());
        bar.enable_steady_tick(TICK);
        Self::with_output(total, Output::Bar(bar))
    }

    fn with_output(total: u64, out: Output) -> Self {
        Self {
            total,
            done: AtomicU64::new(0),
            finished: AtomicBool::new(false),
            out,
        }
    }

    /// Counts `n` more completed images.
    pub fn inc(&self, n: u64) {
        self.done.fetch_add(n, Ordering::Relaxed);
        match &self.out {
            Output::Quiet => {}
            Output::Bar(bar) => bar.inc(n),
            Output::Plain(plain) => {
                if plain.due() && !self.finished.load(Ordering::Relaxed) {
                    plain.line(self.position(), self.total);
                }
            }
        }
    }

    /// Replaces the message (e.g. the task being built).
    pub fn set_message(&self, msg: &str) {
        match &self.out {
            Output::Quiet => {}
            Output::Bar(bar) => bar.set_message(msg.to_string()),
            Output::Plain(plain) => *lock(&plain.message) = msg.to_string(),
        }
    }

    /// Images counted so far.
    pub fn position(&self) -> u64 {
        self.done.load(Ordering::Relaxed)
    }

    /// Ends the progress: clears a bar and writes the closing line
    /// (`progress: done, N images in 19.4s (413.2 images/s)`). Later calls do nothing.
    pub fn finish(&self) {
        if self.finished.swap(true, Ordering::Relaxed) {
            return;
        }
        match &self.out {
            Output::Quiet => {}
            Output::Bar(bar) => {
                // Clear the bar and write the line ourselves: indicatif leaves the cursor at the
                // end of a finished bar, so the next stderr text would continue that line.
                bar.finish_and_clear();
                let mut err = std::io::stderr();
                let _ = writeln!(err, "{}", done_line(self.position(), bar.elapsed()));
            }
            Output::Plain(plain) => plain.write(&done_line(self.position(), plain.start.elapsed())),
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        if let Output::Bar(bar) = &self.out
            && !self.finished.load(Ordering::Relaxed)
        {
            bar.finish_and_clear();
        }
    }
}

impl Plain {
    /// Whether a line is due now; claims the slot so concurrent callers write one line only.
    fn due(&self) -> bool {
        let now = nanos(self.start.elapsed());
        let due = self.next_due.load(Ordering::Relaxed);
        now >= due
            && self
                .next_due
                .compare_exchange(
                    due,
                    now.saturating_add(nanos(self.interval)),
                    Ordering::Relaxed,
                    Ordering::Relaxed,
                )
                .is_ok()
    }

    fn line(&self, done: u64, total: u64) {
        let msg = lock(&self.message).clone();
        self.write(&plain_line(done, total, self.start.elapsed(), &msg));
    }

    fn write(&self, line: &str) {
        let mut out = lock(&self.out);
        let _ = writeln!(out, "{line}");
        let _ = out.flush();
    }
}

fn bar_style() -> ProgressStyle {
    ProgressStyle::with_template(BAR_TEMPLATE)
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> ")
}

/// Locks a mutex, ignoring poisoning (progress state stays usable after a panic elsewhere).
fn lock<T: ?Sized>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

fn nanos(d: Duration) -> u64 {
    u64::try_from(d.as_nanos()).unwrap_or(u64::MAX)
}

/// Images per second, 0 when no time has passed.
fn rate(done: u64, elapsed: Duration) -> f64 {
    let secs = elapsed.as_secs_f64();
    if secs > 0.0 { done as f64 / secs } else { 0.0 }
}

/// One plain progress line; `msg`, if any, follows in parentheses.
fn plain_line(done: u64, total: u64, elapsed: Duration, msg: &str) -> String {
    let percent = if total == 0 {
        100.0
    } else {
        done as f64 * 100.0 / total as f64
    };
    let per_sec = rate(done, elapsed);
    let eta = if done >= total {
        "0s".to_string()
    } else if per_sec > 0.0 {
        human_secs((total - done) as f64 / per_sec)
    } else {
        "?".to_string()
    };
    let mut line = format!(
        "progress: {done}/{total} images ({percent:.1}%), {per_sec:.1} images/s, ETA {eta}"
    );
    if !msg.is_empty() {
        line.push_str(&format!(" ({msg})"));
    }
    line
}

/// The closing line.
fn done_line(done: u64, elapsed: Duration) -> String {
    format!(
        "progress: done, {done} images in {:.1}s ({:.1} images/s)",
        elapsed.as_secs_f64(),
        rate(done, elapsed)
    )
}

/// Whole seconds as `12s`, `3m05s` or `2h07m`.
fn human_secs(secs: f64) -> String {
    let s = secs.round().min(u64::MAX as f64) as u64;
    match s {
        0..60 => format!("{s}s"),
        60..3600 => format!("{}m{:02}s", s / 60, s % 60),
        _ => format!("{}h{:02}m", s / 3600, s % 3600 / 60),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    /// A writer whose bytes the test can read back.
    #[derive(Clone, Default)]
    struct Shared(Arc<Mutex<Vec<u8>>>);

    impl Write for Shared {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            lock(&self.0).extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    impl Shared {
        fn lines(&self) -> Vec<String> {
            let text = String::from_utf8(lock(&self.0).clone()).unwrap();
            text.lines().map(str::to_string).collect()
        }
    }

    fn plain(interval: Duration, total: u64) -> (Progress, Shared) {
        let buf = Shared::default();
        let p = Progress::plain_to(Box::new(buf.clone()), interval, "touching-circles", total);
        (p, buf)
    }

    #[test]
    fn plain_line_format() {
        let secs = Duration::from_secs(5);
        assert_eq!(
            plain_line(2000, 8000, secs, "touching-circles"),
            "progress: 2000/8000 images (25.0%), 400.0 images/s, ETA 15s (touching-circles)"
        );
        assert_eq!(
            plain_line(1200, 8016, Duration::from_secs(3), ""),
            "progress: 1200/8016 images (15.0%), 400.0 images/s, ETA 17s"
        );
        assert!(plain_line(0, 10, Duration::ZERO, "").ends_with("0.0 images/s, ETA ?"));
        assert!(plain_line(10, 10, secs, "").contains("(100.0%), 2.0 images/s, ETA 0s"));
        assert!(plain_line(0, 0, secs, "").contains("0/0 images (100.0%)"));
    }

    #[test]
    fn done_line_format() {
        assert_eq!(
            done_line(8016, Duration::from_millis(19_400)),
            "progress: done, 8016 images in 19.4s (413.2 images/s)"
        );
        assert_eq!(
            done_line(0, Duration::ZERO),
            "progress: done, 0 images in 0.0s (0.0 images/s)"
        );
    }

    #[test]
    fn eta_units() {
        assert_eq!(human_secs(12.4), "12s");
        assert_eq!(human_secs(185.0), "3m05s");
        assert_eq!(human_secs(7620.0), "2h07m");
    }

    #[test]
    fn zero_interval_writes_a_line_per_increment_and_a_final_line() {
        let (p, buf) = plain(Duration::ZERO, 4);
        p.inc(1);
        p.set_message("other-task");
        p.inc(3);
        p.finish();
        p.finish();
        p.inc(1);
        let lines = buf.lines();
        assert_eq!(lines.len(), 3, "{lines:?}");
        assert!(
            lines[0].starts_with("progress: 1/4 images (25.0%), "),
            "{lines:?}"
        );
        assert!(lines[0].ends_with("(touching-circles)"), "{lines:?}");
        assert!(
            lines[1].starts_with("progress: 4/4 images (100.0%), "),
            "{lines:?}"
        );
        assert!(lines[1].ends_with("ETA 0s (other-task)"), "{lines:?}");
        assert!(
            lines[2].starts_with("progress: done, 4 images in "),
            "{lines:?}"
        );
        assert!(lines[2].ends_with(" images/s)"), "{lines:?}");
    }

    #[test]
    fn long_interval_writes_only_the_final_line() {
        let (p, buf) = plain(Duration::from_secs(3600), 100);
        for _ in 0..100 {
            p.inc(1);
        }
        assert!(buf.lines().is_empty());
        p.finish();
        let lines = buf.lines();
        assert_eq!(lines.len(), 1, "{lines:?}");
        assert!(lines[0].starts_with("progress: done, 100 images in "));
    }

    #[test]
    fn dropping_unfinished_progress_writes_nothing() {
        let (p, buf) = plain(Duration::from_secs(3600), 10);
        p.inc(5);
        drop(p);
        assert!(buf.lines().is_empty());
    }

    #[test]
    fn quiet_counts_and_writes_nothing() {
        let p = Progress::new(Mode::Quiet, "build", 10);
        p.inc(4);
        p.set_message("x");
        p.finish();
        assert_eq!(p.position(), 4);
        assert!(matches!(p.out, Output::Quiet));
        assert_eq!(Mode::from_quiet(true), Mode::Quiet);
        assert_eq!(Mode::from_quiet(false), Mode::Auto);
    }

    #[test]
    fn increments_from_several_threads_sum() {
        let (p, buf) = plain(Duration::from_secs(3600), 8 * 1000);
        std::thread::scope(|s| {
            for _ in 0..8 {
                s.spawn(|| (0..1000).for_each(|_| p.inc(1)));
            }
        });
        assert_eq!(p.position(), 8000);
        p.finish();
        assert!(buf.lines()[0].starts_with("progress: done, 8000 images in "));
    }

    #[test]
    fn zero_interval_from_several_threads_ends_at_total() {
        let (p, buf) = plain(Duration::ZERO, 400);
        std::thread::scope(|s| {
            for _ in 0..4 {
                s.spawn(|| (0..100).for_each(|_| p.inc(1)));
            }
        });
        p.finish();
        let lines = buf.lines();
        assert!(lines.len() >= 2 && lines.len() <= 401, "{}", lines.len());
        assert!(
            lines
                .last()
                .unwrap()
                .starts_with("progress: done, 400 images")
        );
    }

    #[test]
    fn bar_template_parses() {
        assert!(ProgressStyle::with_template(BAR_TEMPLATE).is_ok());
    }

    #[test]
    fn progress_is_shareable_across_threads() {
        fn assert_sync_send<T: Sync + Send>() {}
        assert_sync_send::<Progress>();
    }
}
