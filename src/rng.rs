//! Per-sample random numbers, seeded by a hash blindspot owns.
//!
//! Invariants:
//! - A sample's seed depends only on (spec seed, task id, sample key): never on other samples,
//!   thread count, shard or wall clock. The derivation is SHA-256 over a fixed, documented
//!   encoding (seeding scheme `blindspot-seed-v1`), not `std`'s unstable `DefaultHasher`.
//! - All samplers are built here on `next_u64` so that a `rand` release can never change
//!   the values a spec draws: uniform reals use the top 53 bits, integers use Lemire's
//!   unbiased multiply-and-reject method on `u64`.

use rand_pcg::Pcg64Mcg;
use rand_pcg::rand_core::Rng;
use sha2::{Digest, Sha256};

/// Identifier of the seeding scheme, recorded in manifests.
pub const SEED_SCHEME: &str = "blindspot-seed-v1";

/// Derives the 64-bit seed of one sample.
///
/// Encoding hashed with SHA-256: `"blindspot-seed-v1\0"`, the spec seed as 8 little-endian
/// bytes, the task id's UTF-8 bytes, a `0` byte, then each key part as 8 little-endian bytes.
/// The seed is the first 8 bytes of the digest, little-endian.
pub fn sample_seed(spec_seed: u64, task_id: &str, key: &[u64]) -> u64 {
    let mut h = Sha256::new();
    h.update(SEED_SCHEME.as_bytes());
    h.update([0u8]);
    h.update(spec_seed.to_le_bytes());
    h.update(task_id.as_bytes());
    h.update([0u8]);
    for k in key {
        h.update(k.to_le_bytes());
    }
    let d = h.finalize();
    u64::from_le_bytes(d[..8].try_into().expect("digest has 32 bytes"))
}

/// The random source of one sample: PCG-64 MCG seeded from the sample seed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SampleRng {
    inner: Pcg64Mcg,
}

impl SampleRng {
    /// Creates the generator for a sample seed. The 128-bit state is the first 16 bytes
    /// of SHA-256(`"blindspot-rng-v1\0"` ‖ seed as 8 little-endian bytes).
    pub fn new(seed: u64) -> Self {
        let mut h = Sha256::new();
        h.update(b"blindspot-rng-v1\0");
        h.update(seed.to_le_bytes());
        let d = h.finalize();
        let state = u128::from_le_bytes(d[..16].try_into().expect("digest has 32 bytes"));
        Self {
            inner: Pcg64Mcg::new(state),
        }
    }

    /// The next raw 64-bit value.
    pub fn next_u64(&mut self) -> u64 {
        self.inner.next_u64()
    }

    /// A real in [0, 1) with 53 random bits.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// A real in [lo, hi).
    pub fn uniform(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.unit()
    }

    /// An unbiased integer in [0, n); `n` must be > 0.
    pub fn below(&mut self, n: u64) -> u64 {
        debug_assert!(n > 0);
        // Lemire's nearly-divisionless method.
        let mut m = u128::from(self.next_u64()) * u128::from(n);
        let mut low = m as u64;
        if low < n {
            let threshold = n.wrapping_neg() % n;
            while low < threshold {
                m = u128::from(self.next_u64()) * u128::from(n);
                low = m as u64;
            }
        }
        (m >> 64) as u64
    }

    /// An integer in [lo, hi] (inclusive); requires lo <= hi.
    pub fn int_inclusive(&mut self, lo: i64, hi: i64) -> i64 {
        let span = (hi as i128 - lo as i128 + 1) as u128;
        if span > u128::from(u64::MAX) {
            return self.next_u64() as i64;
        }
        lo.wrapping_add(self.below(span as u64) as i64)
    }

    /// Shuffles a slice in place (Fisher–Yates, from the back).
    pub fn shuffle<T>(&mut self, xs: &mut [T]) {
        for i in (1..xs.len()).rev() {
            let j = self.below(i as u64 + 1) as usize;
            xs.swap(i, j);
        }
    }

    /// `k` distinct indices from 0..n in draw order (partial Fisher–Yates); requires k <= n.
    pub fn sample_indices(&mut self, n: usize, k: usize) -> Vec<usize> {
        let mut idx: Vec<usize> = (0..n).collect();
        for i in 0..k {
            let j = i + self.below((n - i) as u64) as usize;
            idx.swap(i, j);
        }
        idx.truncate(k);
        idx
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seeds_are_stable_and_distinct() {
        let a = sample_seed(7, "touching-circles", &[0]);
        assert_eq!(a, sample_seed(7, "touching-circles", &[0]));
        assert_ne!(a, sample_seed(7, "touching-circles", &[1]));
        assert_ne!(a, sample_seed(8, "touching-circles", &[0]));
        assert_ne!(a, sample_seed(7, "other", &[0]));
    }

    #[test]
    fn samplers_stay_in_range() {
        let mut r = SampleRng::new(1);
        for _ in 0..10_000 {
            let u = r.uniform(-2.0, 3.0);
            assert!((-2.0..3.0).contains(&u));
            let i = r.int_inclusive(-3, 3);
            assert!((-3..=3).contains(&i));
        }
        let s = r.sample_indices(13, 13);
        let mut sorted = s.clone();
        sorted.sort_unstable();
        assert_eq!(sorted, (0..13).collect::<Vec<_>>());
    }

    #[test]
    fn below_is_roughly_uniform() {
        let mut r = SampleRng::new(99);
        let mut counts = [0u32; 6];
        for _ in 0..60_000 {
            counts[r.below(6) as usize] += 1;
        }
        for c in counts {
            assert!((9_000..11_000).contains(&c), "{counts:?}");
        }
    }
}
