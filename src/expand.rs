//! Expansion: the spec's grid × replicates → an indexed sequence of [`SamplePlan`]s.
//!
//! Invariants: plan `i` is computed from `i` alone (mixed-radix over the axes, first axis
//! outermost, replicate innermost), so plans can be produced lazily, in any order, on any
//! thread or shard. A sample's seed depends only on (spec seed, task id, the positions of
//! the `seed_by` axes, replicate): see [`crate::rng::sample_seed`]. The one exception is
//! `sampling.unique`, which by definition relates samples: a [`Planner`] resolves it once,
//! sequentially in seed-key order, into a per-key number of accepted draws to skip, so the
//! result is still independent of threads and shards.

use crate::compose::{self, ComposeError};
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
    /// Index of the sample's seed key (the `seed_by` positions and replicate), 0-based.
    pub key_index: u64,
    /// Number of seed keys in the spec.
    pub key_count: u64,
    /// Accepted draws to skip (set by `sampling.unique`).
    pub skip: u32,
    /// The per-sample seed.
    pub seed: u64,
}

/// The plan of sample `index` without uniqueness skips; `index` < `spec.images()`.
pub fn plan(spec: &TaskSpec, index: u64) -> SamplePlan {
    let per_cell = u64::from(spec.sampling.per_cell);
    let replicate = (index % per_cell) as u32;
    let mut rest = index / per_cell;
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
    let seed = sample_seed(spec.seed, &spec.task_id, &key);
    SamplePlan {
        index,
        cell,
        replicate,
        key_index,
        key_count: spec.seed_keys(),
        skip: 0,
        seed,
    }
}

/// Plans with `sampling.unique` resolved.
#[derive(Debug)]
pub struct Planner<'a> {
    spec: &'a TaskSpec,
    skips: Vec<u32>,
}

impl<'a> Planner<'a> {
    /// Resolves uniqueness (if the spec asks for it) by drawing every seed key in order.
    pub fn new(spec: &'a TaskSpec) -> Result<Self, (u64, ComposeError)> {
        if let Some(b) = &spec.sampling.balance {
            let (keys, values) = (spec.seed_keys(), b.values.len() as u64);
            if keys % values != 0 {
                let msg = format!("{keys} seed keys cannot be split evenly over {values} values");
                return Err((0, ComposeError::new("unbalanced-quota", msg, &b.on.path)));
            }
        }
        let skips = if spec.sampling.unique.is_empty() {
            Vec::new()
        } else {
            compose::unique_skips(spec)?
        };
        Ok(Self { spec, skips })
    }

    /// The plan of sample `index`.
    pub fn plan(&self, index: u64) -> SamplePlan {
        let mut p = plan(self.spec, index);
        p.skip = self.skips.get(p.key_index as usize).copied().unwrap_or(0);
        p
    }
}

/// The first sample index of every seed key, in key order.
pub fn key_representatives(spec: &TaskSpec) -> Vec<u64> {
    let mut first = vec![u64::MAX; spec.seed_keys() as usize];
    for i in 0..spec.images() {
        let p = plan(spec, i);
        let slot = &mut first[p.key_index as usize];
        if *slot == u64::MAX {
            *slot = i;
        }
    }
    first
}
