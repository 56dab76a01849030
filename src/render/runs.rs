//! Runs of equal pixels in an RGBA buffer: the one scanner behind the palette
//! ([`super::palette`]) and mask cutting ([`crate::verify::pixels`]), which both handle a run
//! of one colour at once.

/// The end of the run of pixels equal (all four bytes) to pixel `p` of the RGBA buffer
/// `rgba`: the first later pixel that differs, or the pixel count. Sixteen pixels at a time
/// (eight `u64` XORs folded with OR, which the compiler vectorises), then one at a time.
/// Panics if `p` is not a pixel of `rgba`.
// Inlined into both callers' per-run loops: as a call, a touching-circles build took
// 3–4 % longer.
#[inline]
pub fn run_end(rgba: &[u8], p: usize) -> usize {
    let n = rgba.len() / 4;
    let one = u32::from_le_bytes(rgba[4 * p..4 * p + 4].try_into().expect("4 bytes"));
    let two = u64::from(one) * 0x0000_0001_0000_0001;
    let mut q = p + 1;
    for block in rgba[4 * q..4 * n].chunks_exact(64) {
        let differ = block.chunks_exact(8).fold(0, |acc, word| {
            acc | (u64::from_le_bytes(word.try_into().expect("8 bytes")) ^ two)
        });
        if differ != 0 {
            break;
        }
        q += 16;
    }
    while q < n && rgba[4 * q..4 * q + 4] == rgba[4 * p..4 * p + 4] {
        q += 1;
    }
    q
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_end_at_the_first_differing_pixel() {
        // Runs of every length around the 16-pixel step, differing in one byte each time.
        let mut rgba = Vec::new();
        for (k, len) in [1usize, 15, 16, 17, 33, 2, 64, 1].into_iter().enumerate() {
            let byte = k % 4;
            let mut px: [u8; 4] = [10, 20, 30, 255];
            px[byte] = px[byte].wrapping_add(k as u8);
            (0..len).for_each(|_| rgba.extend_from_slice(&px));
        }
        let n = rgba.len() / 4;
        let px = |i: usize| &rgba[4 * i..4 * i + 4];
        for p in 0..n {
            let want = (p + 1..n).find(|&q| px(q) != px(p)).unwrap_or(n);
            assert_eq!(run_end(&rgba, p), want, "pixel {p}");
        }
    }
}
