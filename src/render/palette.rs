//! Lossless palettes: an image of at most 256 distinct colours as one 8-bit index per pixel.
//!
//! Invariants:
//! - Exact: every pixel's index names its own R, G, B in the palette; nothing is quantised.
//! - Deterministic: the palette lists the colours in order of first appearance, row-major, so
//!   both outputs depend only on the pixels.
//! - Alpha is ignored, as in RGB encoding: scenes paint an opaque background, so tiny-skia's
//!   premultiplied R, G, B are the colour itself.
//! - One pass, linear time: a run of equal pixels ([`super::runs::run_end`]) is looked up
//!   once, in a small open-addressing table (no hash map, no allocation but the outputs).

use super::runs::run_end;

/// The most colours an 8-bit palette holds.
pub const MAX_COLORS: usize = 256;

/// Table slots: a power of two, four times the palette, so probe chains stay short.
const SLOTS: usize = 1024;

/// Maps every RGBA pixel of `rgba` to a palette index.
///
/// On success `indices` holds one byte per pixel and `palette` three bytes (R, G, B) per
/// colour, and the result is true. An image with more than [`MAX_COLORS`] colours, or no
/// pixel at all, gives false and leaves both buffers unspecified.
pub fn index(rgba: &[u8], indices: &mut Vec<u8>, palette: &mut Vec<u8>) -> bool {
    let n = rgba.len() / 4;
    palette.clear();
    // Every index is written below, so kept contents need no clearing.
    indices.resize(n, 0);
    let mut table = Table::new();
    let mut i = 0;
    while i < n {
        let key = key_at(rgba, i);
        let Some(slot) = table.find_or_insert(key, palette) else {
            return false;
        };
        let end = run_end(rgba, i);
        indices[i..end].fill(slot);
        i = end;
    }
    n > 0
}

/// Pixel `i`'s colour as a table key: its four bytes with alpha forced to 255, so a key is
/// never 0 (the empty slot) and colours differing only in alpha share an entry.
fn key_at(rgba: &[u8], i: usize) -> u32 {
    let p = &rgba[4 * i..4 * i + 4];
    u32::from_le_bytes([p[0], p[1], p[2], p[3]]) | 0xff00_0000
}

/// Colour keys to palette indices, by linear probing.
struct Table {
    keys: [u32; SLOTS],
    indices: [u8; SLOTS],
}

impl Table {
    fn new() -> Self {
        Self {
            keys: [0; SLOTS],
            indices: [0; SLOTS],
        }
    }

    /// The index of `key`, adding its colour (the key's R, G, B bytes) to `palette` if it is
    /// new; `None` when the palette is full.
    fn find_or_insert(&mut self, key: u32, palette: &mut Vec<u8>) -> Option<u8> {
        // Fibonacci hashing: the top log2(SLOTS) bits of the product.
        let mut slot = (key.wrapping_mul(0x9e37_79b1) >> (32 - SLOTS.trailing_zeros())) as usize;
        loop {
            if self.keys[slot] == key {
                return Some(self.indices[slot]);
            }
            if self.keys[slot] == 0 {
                let next = palette.len() / 3;
                if next == MAX_COLORS {
                    return None;
                }
                self.keys[slot] = key;
                self.indices[slot] = next as u8;
                palette.extend_from_slice(&key.to_le_bytes()[..3]);
                return Some(next as u8);
            }
            slot = (slot + 1) % SLOTS;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::SampleRng;

    /// The definition, pixel by pixel: first-appearance order, alpha ignored.
    fn reference(rgba: &[u8]) -> Option<(Vec<u8>, Vec<u8>)> {
        let (mut indices, mut palette) = (Vec::new(), Vec::<[u8; 3]>::new());
        for p in rgba.chunks_exact(4) {
            let c = [p[0], p[1], p[2]];
            let k = match palette.iter().position(|q| *q == c) {
                Some(k) => k,
                None => {
                    palette.push(c);
                    palette.len() - 1
                }
            };
            if k >= MAX_COLORS {
                return None;
            }
            indices.push(k as u8);
        }
        (!indices.is_empty()).then(|| (indices, palette.concat()))
    }

    /// `pixels` pixels drawn from `colors` colours in runs of 1 to `max_run`, with random alpha.
    fn image(rng: &mut SampleRng, pixels: usize, colors: u32, max_run: u32) -> Vec<u8> {
        let mut out = Vec::with_capacity(pixels * 4);
        while out.len() < pixels * 4 {
            let c = (rng.below(u64::from(colors)) as u32).wrapping_mul(0x0101_3b47) & 0xff_ffff;
            let run = 1 + rng.below(u64::from(max_run));
            for _ in 0..run {
                if out.len() == pixels * 4 {
                    break;
                }
                let alpha = rng.below(3) as u8 * 127;
                out.extend_from_slice(&(c | u32::from(alpha) << 24).to_le_bytes());
            }
        }
        out
    }

    #[test]
    fn indices_and_palette_match_the_per_pixel_definition() {
        let mut rng = SampleRng::new(7);
        // Kept buffers across calls, as a thread's are: nothing of a larger image may show.
        let (mut indices, mut palette) = (vec![9; 3], vec![9; 5]);
        let mut too_many = 0;
        for (pixels, colors, max_run) in [
            (1, 1, 1),
            (7, 3, 2),
            (9, 1, 20),
            (64, 5, 9),
            (1000, 200, 3),
            (5000, 256, 40),
            (5000, 257, 40),
            (20000, 400, 4),
            (3000, 300, 1),
            (17, 2, 8),
            (4096, 40, 100),
        ] {
            let rgba = image(&mut rng, pixels, colors, max_run);
            let ok = index(&rgba, &mut indices, &mut palette);
            match reference(&rgba) {
                Some((want_indices, want_palette)) => {
                    assert!(ok, "{pixels} px, {colors} colours");
                    assert_eq!(indices, want_indices, "{pixels} px, {colors} colours");
                    assert_eq!(palette, want_palette, "{pixels} px, {colors} colours");
                }
                None => {
                    assert!(!ok, "{pixels} px, {colors} colours: over 256");
                    too_many += 1;
                }
            }
        }
        assert!(too_many >= 2, "the cases include images over the limit");
    }

    #[test]
    fn exactly_256_colours_fit_and_257_do_not() {
        let rgba = |n: u32| -> Vec<u8> {
            (0..n)
                .flat_map(|c| (c * 0x10101 + 1).to_le_bytes())
                .collect()
        };
        let (mut indices, mut palette) = (Vec::new(), Vec::new());
        assert!(index(&rgba(256), &mut indices, &mut palette));
        assert_eq!(palette.len(), 256 * 3);
        assert_eq!(indices, (0..=255).collect::<Vec<u8>>());
        assert!(!index(&rgba(257), &mut indices, &mut palette));
        assert!(
            !index(&[], &mut indices, &mut palette),
            "no pixel, no palette"
        );
    }
}
