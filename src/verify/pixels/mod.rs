//! Re-derives ground-truth answers from rendered pixels.
//!
//! A verifier cuts binary masks out of a rendered image by colour ([`masks`]) and measures
//! them: connected components, closed contours (holes), runs along a line, the clear gap
//! between two masks, contact length, crossings, and connections between two regions. The
//! measures are compared with the answers a dataset claims, so a label that disagrees with
//! its own image is caught.
//!
//! Conventions: a mask's pixels are 8-connected; its complement (holes) is 4-connected, so a
//! one-pixel diagonal curve closes a contour.
//!
//! Invariants:
//! - Deterministic: every result depends only on the pixels and the arguments. Labelling is
//!   integer union-find over runs whose root is always the smallest run index; distances
//!   stay exact squared integers until one final square root; there is no floating-point
//!   accumulation, no hash map, no threading.
//! - No recursion: labelling is iterative, so 2000×2000 masks are safe.
//! - Linear time: masks are cut in one pass over the pixels (a run of equal pixels is
//!   classified once), recording each mask's runs and bounding box as they are cut;
//!   measures work inside the masks' bounding boxes, on the recorded runs rather than
//!   pixels where they can; joining within `k` pixels costs O(runs · k).
//! - `std` only, plus the crate's per-thread [`crate::spares`] for mask buffers and its
//!   run scanner [`crate::render::run_end`].

mod label;
mod pair;
mod runs;

use std::cell::RefCell;

use crate::render::run_end;
use crate::spares::Spares;

use label::{Bounds, View, bbox, label};
pub use pair::{Joined, Rect, connects, contact, crossings, gap};
use runs::{Runs, runs_of};

#[cfg(test)]
mod tests;

/// An opaque RGBA8 image: row-major, 4 bytes per pixel; alpha is ignored.
#[derive(Clone, Copy)]
pub struct Image<'a> {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// Exactly `width * height * 4` bytes, R, G, B, A per pixel, row-major.
    pub rgba: &'a [u8],
}

thread_local! {
    /// Buffers of dropped masks, all clear, for the next mask that fits.
    static SPARE_BITS: RefCell<Spares<Vec<bool>>> = const { RefCell::new(Spares::new(16)) };
}

/// A binary mask of an image's size.
///
/// Its buffer is handed to this thread's spares when it is dropped, cleared where it was
/// set (its recorded runs, else its box, else in full), so the masks of the next image
/// reuse it (see [`crate::spares`]).
#[derive(Clone, Debug)]
pub struct Mask {
    width: u32,
    height: u32,
    /// Row-major pixels in its first `width * height` entries; a reused spare may be longer,
    /// and its tail is always clear.
    bits: Vec<bool>,
    /// The bounding box of the set pixels when known (`Some(None)`: known empty), so the
    /// measures need not scan for it; [`masks_for`] records it while cutting.
    bounds: Option<Option<Bounds>>,
    /// The runs of set pixels over the whole mask when known, recorded by [`masks_for`]
    /// while cutting, so the measures need not scan the pixels for them.
    runs: Option<Runs>,
}

impl PartialEq for Mask {
    fn eq(&self, other: &Self) -> bool {
        (self.width, self.height) == (other.width, other.height) && self.pixels() == other.pixels()
    }
}

impl Eq for Mask {}

impl Mask {
    /// An all-clear mask.
    pub fn new(width: u32, height: u32) -> Self {
        let n = width as usize * height as usize;
        // A spare is all clear and keeps its full length, so a smaller mask uses its first
        // `n` pixels as they are: no pixel is written here, and none past `n` ever is.
        let spare = SPARE_BITS.with(|s| s.borrow_mut().take(|b| b.len() >= n));
        let bits = spare.unwrap_or_else(|| vec![false; n]);
        Self {
            width,
            height,
            bits,
            bounds: Some(None),
            runs: None,
        }
    }

    /// A mask whose pixel `(x, y)` is `f(x, y)`.
    pub fn from_fn(width: u32, height: u32, f: impl Fn(u32, u32) -> bool) -> Self {
        let f = &f;
        let bits = (0..height).flat_map(|y| (0..width).map(move |x| f(x, y)));
        let bits = bits.collect();
        Self {
            width,
            height,
            bits,
            bounds: None,
            runs: None,
        }
    }

    /// Width in pixels.
    pub fn width(&self) -> u32 {
        self.width
    }

    /// Height in pixels.
    pub fn height(&self) -> u32 {
        self.height
    }

    /// Whether pixel `(x, y)` is set. Panics if it lies outside the mask.
    pub fn get(&self, x: u32, y: u32) -> bool {
        self.bits[self.index(x, y)]
    }

    /// Sets or clears pixel `(x, y)`. Panics if it lies outside the mask.
    pub fn set(&mut self, x: u32, y: u32, v: bool) {
        let i = self.index(x, y);
        self.bits_mut()[i] = v;
    }

    /// The number of set pixels.
    pub fn count(&self) -> u64 {
        self.pixels().iter().filter(|&&v| v).count() as u64
    }

    /// The mask's pixels, row-major (its buffer may be longer: a spare of a larger mask).
    fn pixels(&self) -> &[bool] {
        &self.bits[..self.area()]
    }

    /// Its number of pixels, `width * height`.
    fn area(&self) -> usize {
        self.width as usize * self.height as usize
    }

    /// The pixels for writing; the bounding box and the runs are then no longer known.
    fn bits_mut(&mut self) -> &mut [bool] {
        (self.bounds, self.runs) = (None, None);
        let n = self.area();
        &mut self.bits[..n]
    }

    /// Sets pixels `p..q` (row-major, possibly over several rows) and records their runs;
    /// the box comes from the runs in [`Mask::end_cut`].
    fn cut(&mut self, p: usize, q: usize) {
        let w = self.width as usize;
        self.bits[p..q].fill(true);
        let runs = self.runs.get_or_insert_with(Runs::default);
        let mut s = p;
        while s < q {
            let (y, e) = (s / w, q.min((s / w + 1) * w));
            runs.record(y, (s - y * w) as u32, (e - y * w) as u32);
            s = e;
        }
    }

    /// Ends cutting: the recorded runs cover every row, and the box is theirs.
    fn end_cut(&mut self) {
        if let Some(runs) = &mut self.runs {
            runs.finish(self.height as usize);
            self.bounds = Some(runs.bounds());
        }
    }

    fn index(&self, x: u32, y: u32) -> usize {
        let (w, h) = (self.width, self.height);
        assert!(x < w && y < h, "pixel ({x}, {y}) outside a {w}x{h} mask");
        y as usize * w as usize + x as usize
    }

    fn dims(&self) -> (usize, usize) {
        (self.width as usize, self.height as usize)
    }

    fn view(&self, b: Bounds) -> View<'_> {
        View { mask: self, b }
    }

    fn full(&self) -> View<'_> {
        let (w, h) = self.dims();
        self.view(Bounds::new(0, 0, w, h))
    }
}

impl Drop for Mask {
    fn drop(&mut self) {
        let mut bits = std::mem::take(&mut self.bits);
        if bits.is_empty() {
            return;
        }
        let w = self.width as usize;
        match (&self.runs, self.bounds) {
            (Some(runs), _) => (0..runs.height()).for_each(|y| {
                let row = runs.row(y).iter();
                row.for_each(|r| bits[y * w + r.x0 as usize..y * w + r.x1 as usize].fill(false))
            }),
            (None, Some(None)) => {}
            (None, Some(Some(b))) => {
                (b.y0..b.y1).for_each(|y| bits[y * w + b.x0..y * w + b.x1].fill(false))
            }
            (None, None) => bits[..self.area()].fill(false),
        }
        // During thread teardown the store may be gone; the buffer is then simply freed.
        let _ = SPARE_BITS.try_with(|s| s.borrow_mut().give(bits));
    }
}

/// How one mask is cut out of the image.
#[derive(Clone, Debug, PartialEq)]
pub enum MaskRule {
    /// Pixels whose nearest colour (Euclidean RGB distance) among the background and the
    /// `Color` rules of the same [`masks`] call is this colour, and within `tolerance` of it.
    /// The `Color` masks of one call therefore never overlap (a partition; ties go to the
    /// earlier rule, and the background wins ties against any rule). A pixel nearest to a
    /// colour but beyond its tolerance goes to no mask. A negative or NaN tolerance selects
    /// nothing.
    Color {
        /// The colour drawn.
        rgb: [u8; 3],
        /// Largest Euclidean RGB distance (0–255 channels) still counted.
        tolerance: f64,
    },
    /// Pixels whose largest per-channel difference from the background exceeds `threshold`.
    Ink {
        /// Largest per-channel difference still treated as background.
        threshold: u8,
    },
    /// Pixels whose luma (BT.601: `(299 r + 587 g + 114 b + 500) / 1000`, integer division)
    /// is below `threshold`.
    Dark {
        /// Luma below which a pixel is dark.
        threshold: u8,
    },
}

/// Cuts one mask per rule, in rule order, in one pass over the pixels.
///
/// Panics if `image.rgba` is not exactly `width * height * 4` bytes long.
pub fn masks(image: &Image<'_>, background: [u8; 3], rules: &[MaskRule]) -> Vec<Mask> {
    masks_for(image, background, rules, &vec![true; rules.len()])
}

/// Like [`masks`], but cuts only the masks whose `wanted` flag is set (every rule still
/// takes part in the colour partition); the others come back empty.
pub fn masks_for(
    image: &Image<'_>,
    background: [u8; 3],
    rules: &[MaskRule],
    wanted: &[bool],
) -> Vec<Mask> {
    let n = image.width as usize * image.height as usize;
    let len = image.rgba.len();
    assert_eq!(len, n * 4, "RGBA buffer of {len} bytes for {n} pixels");
    // One fresh (zeroed, untouched) buffer per mask: cloning a template would copy every
    // page of it.
    let fresh = |_| Mask::new(image.width, image.height);
    let mut out: Vec<Mask> = (0..rules.len()).map(fresh).collect();
    if !wanted.iter().any(|&w| w) {
        return out;
    }
    for (m, _) in out.iter_mut().zip(wanted).filter(|(_, w)| **w) {
        m.runs = Some(Runs::default());
    }
    // Runs of one colour are common (background above all): classify once per run and
    // fill the run's bits at once.
    let rgba = image.rgba;
    let (mut p, mut memo) = (0, Memo::new());
    while p < n {
        let q = run_end(rgba, p);
        let c = [rgba[4 * p], rgba[4 * p + 1], rgba[4 * p + 2]];
        let hits = memo.get(c, |hits| {
            classify(c, background, rules, hits);
            hits.retain(|&i| wanted[i]);
        });
        for &i in hits {
            out[i].cut(p, q);
        }
        p = q;
    }
    out.iter_mut().for_each(Mask::end_cut);
    out
}

/// The wanted masks a colour goes to, remembered for recent colours in a direct-mapped
/// table: anti-aliased edges repeat a few colours many times.
struct Memo {
    /// `0x0100_0000 | rgb` of the colour in each slot; 0 for an empty slot.
    keys: Vec<u32>,
    /// The mask indices of each slot's colour (buffers reused when a slot is replaced).
    hits: Vec<Vec<usize>>,
}

impl Memo {
    const SLOTS: usize = 256;

    fn new() -> Self {
        Memo {
            keys: vec![0; Self::SLOTS],
            hits: vec![Vec::new(); Self::SLOTS],
        }
    }

    /// The masks of colour `c`: from the table, or else written by `classify` into the
    /// slot's (cleared) buffer and kept.
    fn get(&mut self, c: [u8; 3], classify: impl FnOnce(&mut Vec<usize>)) -> &[usize] {
        let key = 0x0100_0000 | u32::from_be_bytes([0, c[0], c[1], c[2]]);
        let slot = (key.wrapping_mul(0x9E37_79B1) >> 24) as usize % Self::SLOTS;
        if self.keys[slot] != key {
            self.keys[slot] = key;
            classify(&mut self.hits[slot]);
        }
        &self.hits[slot]
    }
}

/// Replaces `hits` with the indices of the rules that select colour `c`.
fn classify(c: [u8; 3], background: [u8; 3], rules: &[MaskRule], hits: &mut Vec<usize>) {
    let dist = |rgb: [u8; 3]| -> i64 {
        (0..3)
            .map(|k| (i64::from(c[k]) - i64::from(rgb[k])).pow(2))
            .sum()
    };
    let (mut nearest, mut claim) = (dist(background), None);
    hits.clear();
    for (i, rule) in rules.iter().enumerate() {
        match *rule {
            MaskRule::Color { rgb, tolerance } => {
                let d = dist(rgb);
                if d < nearest {
                    (nearest, claim) = (d, ((d as f64).sqrt() <= tolerance).then_some(i));
                }
            }
            MaskRule::Ink { threshold } => {
                let ink = (0..3).any(|k| c[k].abs_diff(background[k]) > threshold);
                hits.extend(ink.then_some(i));
            }
            MaskRule::Dark { threshold } => {
                let [r, g, b] = c.map(u32::from);
                let luma = (299 * r + 587 * g + 114 * b + 500) / 1000;
                hits.extend((luma < u32::from(threshold)).then_some(i));
            }
        }
    }
    hits.extend(claim);
}

/// Connected components (8-connected) with at least `min_area` pixels.
pub fn components(mask: &Mask, min_area: u64) -> u64 {
    let runs = runs_of(mask.full(), true);
    let (ids, n) = label(&runs, true);
    let mut area = vec![0u64; n];
    for (run, &id) in runs.runs.iter().zip(&ids) {
        area[id as usize] += u64::from(run.x1 - run.x0);
    }
    area.iter().filter(|&&a| a >= min_area).count() as u64
}

/// Closed contours: holes of the mask, i.e. connected components (4-connected) of the
/// complement that do not touch the image border, with at least `min_area` pixels.
/// N nested square outlines give N; an "O" gives 1; a "C" gives 0; an "8" gives 2.
pub fn contours(mask: &Mask, min_area: u64) -> u64 {
    // Clear pixels outside the bounding box reach the border, and so does any clear pixel
    // on the box's edge, so the box's edge stands in for the image border.
    let Some(b) = bbox(mask) else { return 0 };
    let runs = runs_of(mask.view(b), false);
    let (ids, n) = label(&runs, false);
    let (mut area, mut open) = (vec![0u64; n], vec![false; n]);
    for y in 0..b.h() {
        let span = runs.rows[y]..runs.rows[y + 1];
        for (run, &id) in runs.runs[span.clone()].iter().zip(&ids[span]) {
            let id = id as usize;
            area[id] += u64::from(run.x1 - run.x0);
            open[id] |= y == 0 || y + 1 == b.h() || run.x0 == 0 || run.x1 as usize == b.w();
        }
    }
    (0..n).filter(|&c| !open[c] && area[c] >= min_area).count() as u64
}

/// One image row or column.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Line {
    /// The row at this y.
    Row(u32),
    /// The column at this x.
    Column(u32),
}

/// Along one image row or column: the number of maximal runs of set pixels at least
/// `min_len` long. A line outside the image gives 0.
pub fn runs(mask: &Mask, line: Line, min_len: u32) -> u64 {
    let (w, h) = mask.dims();
    let cells: Box<dyn Iterator<Item = &bool>> = match line {
        Line::Row(y) if (y as usize) < h => Box::new(mask.full().row(y as usize).iter()),
        Line::Column(x) if (x as usize) < w => {
            Box::new(mask.pixels().iter().skip(x as usize).step_by(w))
        }
        _ => return 0,
    };
    count_runs(cells.copied(), min_len)
}

/// [`runs`] of the mask `masks(image, background, rules)[rule]` would give, computed from
/// the pixels on the line alone (no mask is cut).
pub fn runs_on_line(
    image: &Image<'_>,
    background: [u8; 3],
    rules: &[MaskRule],
    rule: usize,
    line: Line,
    min_len: u32,
) -> u64 {
    let (w, h) = (image.width as usize, image.height as usize);
    let pixels: Vec<usize> = match line {
        Line::Row(y) if (y as usize) < h => (0..w).map(|x| y as usize * w + x).collect(),
        Line::Column(x) if (x as usize) < w => (0..h).map(|y| y * w + x as usize).collect(),
        _ => return 0,
    };
    let mut hits = Vec::new();
    let cells = pixels.into_iter().map(|p| {
        let px = &image.rgba[4 * p..4 * p + 3];
        classify([px[0], px[1], px[2]], background, rules, &mut hits);
        hits.contains(&rule)
    });
    count_runs(cells, min_len)
}

/// Maximal runs of `true` at least `min_len` long.
fn count_runs(cells: impl Iterator<Item = bool>, min_len: u32) -> u64 {
    let (mut count, mut len) = (0, 0u64);
    for v in cells.chain([false]) {
        count += u64::from(!v && len > 0 && len >= u64::from(min_len));
        len = if v { len + 1 } else { 0 };
    }
    count
}
