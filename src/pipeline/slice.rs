//! Slices of a build (`build --shard I/N`): which chunks of each task one run renders.
//!
//! Invariant: slice `I` of `N` takes, for every task, the contiguous chunks
//! `[I·C/N, (I+1)·C/N)` of its `C` chunks, so the `N` slices partition every task exactly and
//! in order; a slice depends only on `(I, N)` and the task's size, never on the machine.

use std::ops::Range;

use super::spool::CHUNK;

/// Part `index` (0-based) of `count`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Slice {
    /// This part, `0 ≤ index < count`.
    pub index: usize,
    /// Number of parts.
    pub count: usize,
}

impl Slice {
    /// The whole build.
    pub const WHOLE: Slice = Slice { index: 0, count: 1 };

    /// Parses `I/N` (0-based `I`).
    pub fn parse(text: &str) -> Result<Self, String> {
        let bad = || {
            format!(
                "`{text}` is not a shard: write I/N with 0 ≤ I < N, e.g. 0/4 for the first of four"
            )
        };
        let (i, n) = text.split_once('/').ok_or_else(bad)?;
        let index: usize = i.trim().parse().map_err(|_| bad())?;
        let count: usize = n.trim().parse().map_err(|_| bad())?;
        if count == 0 || index >= count {
            return Err(bad());
        }
        Ok(Self { index, count })
    }

    /// Whether this is the whole build.
    pub fn is_whole(&self) -> bool {
        self.count == 1
    }

    /// The chunks of a task of `images` samples that this slice renders.
    pub fn chunks(&self, images: u64) -> Range<u64> {
        let total = images.div_ceil(CHUNK);
        let (i, n) = (self.index as u64, self.count as u64);
        (i * total / n)..((i + 1) * total / n)
    }

    /// The samples of a task of `images` samples that this slice renders.
    pub fn samples(&self, images: u64) -> Range<u64> {
        let c = self.chunks(images);
        (c.start * CHUNK).min(images)..(c.end * CHUNK).min(images)
    }
}

impl std::fmt::Display for Slice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

/// The samples of chunk `chunk` of a task of `images` samples.
pub fn chunk_samples(chunk: u64, images: u64) -> Range<u64> {
    (chunk * CHUNK).min(images)..((chunk + 1) * CHUNK).min(images)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_i_of_n_and_rejects_the_rest() {
        assert_eq!(Slice::parse("2/3").unwrap(), Slice { index: 2, count: 3 });
        for bad in ["3/3", "0/0", "1", "a/2", "-1/2", "1/2/3"] {
            assert!(Slice::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn slices_partition_every_task_in_order() {
        for images in [0, 1, 99, 100, 101, 672, 1800, 100_128] {
            for count in 1..=7 {
                let mut next = 0;
                for index in 0..count {
                    let s = Slice { index, count }.samples(images);
                    assert_eq!(s.start, next, "{images} {index}/{count}");
                    next = s.end;
                }
                assert_eq!(next, images);
            }
        }
    }
}
