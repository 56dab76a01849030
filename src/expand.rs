//! Expansion: the spec's grid × replicates → an indexed sequence of [`SamplePlan`]s.
//!
//! Invariants: plan `i` is computed from `i` alone (mixed-radix over the axes, first axis
//! outermost, replicate innermost; `build --repeat K` adds a repeat number outside all of
//! them), so plans can be produced lazily, in any order, on any thread or shard. A sample's
//! seed depends only on (spec seed, task id, the positions of the `seed_by` axes, replicate,
//! and — from the second copy on — the repeat number): see [`crate::rng::sample_seed`].
//! Copy 0 of a repeated build is therefore exactly the spec's own build. The one exception
//! is `sampling.unique`, which by definition relates samples: a [`Planner`] resolves it per
//! copy, sequentially in seed-key order, into a per-key number of accepted draws to skip, so
//! the result is still independent of threads and shards. Balance quotas also apply per
//! copy (`key_index` counts within a copy).

use crate::compose::{self, ComposeError, DrawStart};
use crate::rng::sample_seed;
use crate::spec::TaskSpec;

/// Where one sample sits in the expansion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SamplePlan {
    /// Global sample index, 0-based.
    pub index: u64,
    /// Position on each axis.
    pub cell: Vec<usize>,
    /// Replicate number within the cell.
    pub replicate: u32,
    /// Copy of the expansion (`build --repeat`), 0-based; 0 = the spec as written.
    pub repeat: u64,
    /// Index of the sample's seed key within its copy (the `seed_by` positions and
    /// replicate), 0-based.
    pub key_index: u64,
    /// Number of seed keys in one copy of the spec.
    pub key_count: u64,
    /// Accepted draws to skip (set by `sampling.unique`).
    pub skip: u32,
    /// Where the accepted draw begins, when the planner found it (`sampling.unique`);
    /// composing starts there instead of replaying the rejected draws. Used only while its
    /// `skip` equals the plan's (a margin redraw raises the plan's).
    pub draw_start: Option<DrawStart>,
    /// The per-sample seed.
    pub seed: u64,
}

/// The plan of sample `index` without uniqueness skips; `index` < `spec.images()`.
pub fn plan(spec: &TaskSpec, index: u64) -> SamplePlan {
    let base = spec.base_images().max(1);
    let repeat = index / base;
    let per_cell = u64::from(spec.sampling.per_cell);
    let replicate = (index % base % per_cell) as u32;
    let mut rest = index % base / per_cell;
    let mut cell = vec![0usize; spec.axes.len()];
    for (i, axis) in spec.axes.iter().enumerate().rev() {
        let n = axis.len() as u64;
        cell[i] = (rest % n) as usize;
        rest /= n;
    }
    let mut key: Vec<u64> = spec
        .sampling
        .seed_axes
        .iter()
        .map(|&a| cell[a] as u64)
        .collect();
    let mut key_index = 0u64;
    for &a in &spec.sampling.seed_axes {
        key_index = key_index * spec.axes[a].len() as u64 + cell[a] as u64;
    }
    key_index = key_index * per_cell + u64::from(replicate);
    key.push(u64::from(replicate));
    if repeat > 0 {
        key.push(repeat);
    }
    let seed = sample_seed(spec.seed, &spec.task_id, &key);
    SamplePlan {
        index,
        cell,
        replicate,
        repeat,
        key_index,
        key_count: spec.seed_keys(),
        skip: 0,
        draw_start: None,
        seed,
    }
}

/// Plans with `sampling.unique` resolved for the copies a build (or shard) covers.
#[derive(Debug)]
pub struct Planner<'a> {
    spec: &'a TaskSpec,
    /// The first copy with resolved skips.
    first_repeat: u64,
    /// Per copy from `first_repeat` on: per seed key, the accepted draws to skip and where
    /// the accepted draw begins.
    skips: Vec<Vec<DrawStart>>,
}

impl<'a> Planner<'a> {
    /// Resolves uniqueness for every sample of the spec.
    pub fn new(spec: &'a TaskSpec) -> Result<Self, (u64, ComposeError)> {
        Self::for_range(spec, 0..spec.images())
    }

    /// Resolves uniqueness (if the spec asks for it) for the copies that samples `range`
    /// belong to, by drawing every seed key of each copy in order.
    pub fn for_range(
        spec: &'a TaskSpec,
        range: std::ops::Range<u64>,
    ) -> Result<Self, (u64, ComposeError)> {
        if let Some(b) = &spec.sampling.balance {
            let (keys, values) = (spec.seed_keys(), b.values.len() as u64);
            if keys % values != 0 {
                let msg = format!("{keys} seed keys cannot be split evenly over {values} values");
                return Err((0, ComposeError::new("unbalanced-quota", msg, &b.on.path)));
            }
        }
        let base = spec.base_images().max(1);
        let first_repeat = range.start / base;
        let mut skips = Vec::new();
        if !spec.sampling.unique.is_empty() && range.start < range.end {
            let last_repeat = (range.end - 1) / base;
            let keys = key_representatives(spec);
            for repeat in first_repeat..=last_repeat {
                skips.push(compose::unique_skips(spec, &keys, repeat)?);
            }
        }
        Ok(Self {
            spec,
            first_repeat,
            skips,
        })
    }

    /// The plan of sample `index` (inside the range the planner was made for).
    pub fn plan(&self, index: u64) -> SamplePlan {
        let mut p = plan(self.spec, index);
        let copy = p.repeat.checked_sub(self.first_repeat);
        let start = copy
            .and_then(|c| self.skips.get(c as usize))
            .and_then(|s| s.get(p.key_index as usize));
        p.skip = start.map_or(0, DrawStart::skip);
        p.draw_start = start.cloned();
        p
    }
}

/// The first sample index of every seed key of copy 0, in key order.
pub fn key_representatives(spec: &TaskSpec) -> Vec<u64> {
    let mut first = vec![u64::MAX; spec.seed_keys() as usize];
    for i in 0..spec.base_images() {
        let p = plan(spec, i);
        let slot = &mut first[p.key_index as usize];
        if *slot == u64::MAX {
            *slot = i;
        }
    }
    first
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(repeat: u64) -> TaskSpec {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tasks/blindtest/nested_squares.yaml"
        );
        let mut spec = crate::spec::load(std::path::Path::new(path)).expect("spec loads");
        spec.sampling.repeat = repeat;
        spec
    }

    #[test]
    fn copy_zero_of_a_repeated_build_is_the_spec_build() {
        let (one, three) = (spec(1), spec(3));
        assert_eq!(three.images(), 3 * one.images());
        for i in 0..one.images() {
            assert_eq!(plan(&three, i), plan(&one, i));
        }
    }

    #[test]
    fn later_copies_repeat_the_grid_with_fresh_seeds() {
        let s = spec(3);
        let base = s.base_images();
        let mut seeds = std::collections::BTreeSet::new();
        for i in 0..base {
            let (a, b, c) = (plan(&s, i), plan(&s, i + base), plan(&s, i + 2 * base));
            assert_eq!((a.cell.clone(), a.replicate), (b.cell.clone(), b.replicate));
            assert_eq!((b.repeat, c.repeat), (1, 2));
            assert_eq!(a.key_index, c.key_index, "quotas apply per copy");
            seeds.extend([a.seed, b.seed, c.seed]);
        }
        // nested squares share draws across line widths (seed_by: depth), per copy.
        assert_eq!(seeds.len() as u64, 3 * s.seed_keys());
    }
}
