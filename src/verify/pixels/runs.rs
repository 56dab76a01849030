//! Maximal runs of a mask, row by row: recorded while a mask is cut, or scanned from its
//! pixels, and taken for a window of it.
//!
//! Invariants: runs are maximal (no two runs of one row touch) and sorted left to right; a
//! mask's recorded runs are exactly its set pixels, so [`runs_of`] gives the same runs
//! whether it clips the record or scans the pixels (a test checks both ways agree).

use super::label::{Bounds, View, seek};

/// A maximal horizontal run `[x0, x1)` of one row.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Run {
    pub(super) x0: u32,
    pub(super) x1: u32,
}

/// The runs of a window, row by row: row `y` holds `runs[rows[y]..rows[y + 1]]`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(super) struct Runs {
    pub(super) runs: Vec<Run>,
    pub(super) rows: Vec<usize>,
}

impl Runs {
    /// The number of rows.
    pub(super) fn height(&self) -> usize {
        self.rows.len().saturating_sub(1)
    }

    /// The runs of row `y`, left to right.
    pub(super) fn row(&self, y: usize) -> &[Run] {
        &self.runs[self.rows[y]..self.rows[y + 1]]
    }

    /// Appends `[x0, x1)` to row `y`, which is this record's last row or a later one, with
    /// `x0` no smaller than the row's last run's; joins it to that run when they overlap or
    /// touch, so runs stay maximal.
    pub(super) fn record(&mut self, y: usize, x0: u32, x1: u32) {
        while self.rows.len() <= y {
            self.rows.push(self.runs.len());
        }
        let open = self.runs[self.rows[y]..].last_mut();
        match open {
            Some(last) if x0 <= last.x1 => last.x1 = last.x1.max(x1),
            _ => self.runs.push(Run { x0, x1 }),
        }
    }

    /// Ends a record of `h` rows: the rows after the last recorded one are empty.
    pub(super) fn finish(&mut self, h: usize) {
        while self.rows.len() <= h {
            self.rows.push(self.runs.len());
        }
    }

    /// The box of all runs, if any.
    pub(super) fn bounds(&self) -> Option<Bounds> {
        let mut rows = (0..self.height()).filter(|&y| self.rows[y] < self.rows[y + 1]);
        let (y0, y1) = (rows.next()?, rows.next_back());
        let y1 = y1.unwrap_or(y0);
        let x0 = self.runs.iter().map(|r| r.x0).min()? as usize;
        let x1 = self.runs.iter().map(|r| r.x1).max()? as usize;
        Some(Bounds::new(x0, y0, x1, y1 + 1))
    }

    /// The runs of pixels equal to `value` inside window `b` of the mask these runs
    /// record, in the window's coordinates.
    fn window(&self, b: Bounds, value: bool) -> Runs {
        let mut out = Runs {
            runs: Vec::new(),
            rows: Vec::with_capacity(b.h() + 1),
        };
        let (lo, hi) = (b.x0 as u32, b.x1 as u32);
        for y in b.y0..b.y1 {
            out.rows.push(out.runs.len());
            let inside = self.row(y).iter().filter_map(|r| {
                let (x0, x1) = (r.x0.max(lo), r.x1.min(hi));
                (x0 < x1).then_some(Run { x0, x1 })
            });
            let mut x = lo; // with `!value`: the start of the next gap
            for r in inside {
                match value {
                    true => out.runs.push(Run {
                        x0: r.x0 - lo,
                        x1: r.x1 - lo,
                    }),
                    false if x < r.x0 => out.runs.push(Run {
                        x0: x - lo,
                        x1: r.x0 - lo,
                    }),
                    false => {}
                }
                x = r.x1;
            }
            if !value && x < hi {
                out.runs.push(Run {
                    x0: x - lo,
                    x1: hi - lo,
                });
            }
        }
        out.rows.push(out.runs.len());
        out
    }
}

/// The maximal runs of pixels equal to `value` in a window: from the mask's recorded runs
/// when it has them, else by scanning its pixels.
pub(super) fn runs_of(view: View<'_>, value: bool) -> Runs {
    match &view.mask.runs {
        Some(known) => known.window(view.b, value),
        None => scan_runs(view, value),
    }
}

/// The maximal runs of pixels equal to `value`, found in the pixels.
pub(super) fn scan_runs(view: View<'_>, value: bool) -> Runs {
    let mut out = Runs {
        runs: Vec::new(),
        rows: Vec::with_capacity(view.h() + 1),
    };
    for y in 0..view.h() {
        out.rows.push(out.runs.len());
        let (row, mut x) = (view.row(y), 0);
        while let Some(start) = seek(&row[x..], value) {
            let x0 = x + start;
            x = seek(&row[x0..], !value).map_or(row.len(), |l| x0 + l);
            out.runs.push(Run {
                x0: x0 as u32,
                x1: x as u32,
            });
        }
    }
    out.rows.push(out.runs.len());
    out
}
