//! Placeholder (replaced by the full module): build progress.

/// Output mode.
#[derive(Debug, Clone, Copy)]
pub enum Mode {
    /// Bar or lines.
    Auto,
    /// Nothing.
    Quiet,
}

/// Progress.
#[derive(Debug)]
pub struct Progress;

impl Progress {
    /// New progress.
    pub fn new(_mode: Mode, _what: &str, _total: u64) -> Self {
        Self
    }
    /// Adds done items.
    pub fn inc(&self, _n: u64) {}
    /// Sets the message.
    pub fn set_message(&self, _msg: &str) {}
    /// Finishes.
    pub fn finish(&self) {}
}
