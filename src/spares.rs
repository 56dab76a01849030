//! Spare buffers kept per thread, so a build does not allocate, zero and page-fault in
//! image-sized memory for every sample.
//!
//! A build makes the same few large buffers for every sample — the canvas, the pixel plane
//! handed to the PNG encoder, a mask per colour — and frees them before the next sample.
//! Freed blocks that size go back to the kernel and fault in again as zeroed pages: the
//! BlindTest subway maps took 264k page faults in a 180-image build, about a third of its
//! time, and take 16k with spares. A [`Spares`] holds a few such buffers between samples.
//!
//! Invariant: spares never change a result. A buffer is handed out only to a caller that
//! overwrites or clears it first ([`crate::render`] clears a canvas unless the drawing
//! overwrites every pixel; masks clear the part they set before they are given back).

/// Up to `cap` spare buffers, most recently given first in line.
pub struct Spares<T> {
    items: Vec<T>,
    cap: usize,
}

impl<T> Spares<T> {
    /// An empty store that keeps at most `cap` buffers.
    pub const fn new(cap: usize) -> Self {
        Self {
            items: Vec::new(),
            cap,
        }
    }

    /// The most recently given buffer that `fits`, removed from the store.
    pub fn take(&mut self, fits: impl Fn(&T) -> bool) -> Option<T> {
        let at = self.items.iter().rposition(fits)?;
        Some(self.items.remove(at))
    }

    /// Keeps `item`, dropping the oldest spare when the store is full.
    pub fn give(&mut self, item: T) {
        if self.cap == 0 {
            return;
        }
        if self.items.len() == self.cap {
            self.items.remove(0);
        }
        self.items.push(item);
    }
}

#[cfg(test)]
mod tests {
    use super::Spares;

    #[test]
    fn takes_the_newest_fitting_spare_and_keeps_at_most_cap() {
        let mut s = Spares::new(2);
        s.give(vec![1u8; 4]);
        s.give(vec![2u8; 8]);
        s.give(vec![3u8; 4]); // drops the oldest, [1; 4]
        assert_eq!(s.take(|v| v.len() == 4), Some(vec![3u8; 4]));
        assert_eq!(s.take(|v| v.len() == 4), None);
        assert_eq!(s.take(|v| v.len() == 8), Some(vec![2u8; 8]));
        assert_eq!(s.take(|_| true), None);
    }
}
