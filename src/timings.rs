//! Placeholder (replaced by the full module): per-stage time accounting.
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// Pipeline stages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[allow(missing_docs)]
pub enum Stage {
    Expand,
    Scene,
    Svg,
    Raster,
    Encode,
    Write,
}

/// Thread-seconds per stage.
#[derive(Debug, Default)]
pub struct Timings {
    enabled: bool,
    nanos: [AtomicU64; 6],
}

impl Timings {
    /// New accounting, recording only when enabled.
    pub fn new(enabled: bool) -> Self {
        Self {
            enabled,
            ..Self::default()
        }
    }
    /// Times `f` under `stage`.
    pub fn time<T>(&self, stage: Stage, f: impl FnOnce() -> T) -> T {
        if !self.enabled {
            return f();
        }
        let t = Instant::now();
        let out = f();
        self.add(stage, t.elapsed());
        out
    }
    /// Adds a duration.
    pub fn add(&self, stage: Stage, d: Duration) {
        self.nanos[stage as usize].fetch_add(d.as_nanos() as u64, Ordering::Relaxed);
    }
    /// Report.
    pub fn report(&self, wall: Duration, images: u64) -> String {
        format!("{wall:?} {images}")
    }
}
