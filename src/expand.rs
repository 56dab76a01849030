//! Expansion: the spec's grid × replicates → an indexed sequence of [`SamplePlan`]s.
//!
//! Invariants: plan `i` is computed from `i` alone (mixed-radix over the axes, first axis
//! outermost, replicate innermost), so plans can be produced lazily, in any order, on any
//! thread or shard. A sample's seed depends only on (spec seed, task id, the positions of
//! the `seed_by` axes, replicate): see [`crate::rng::sample_seed`].

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
    /// The per-sample seed.
    pub seed: u64,
}

/// The plan of sample `index`; `index` must be below `spec.images()`.
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
    key.push(u64::from(replicate));
    let seed = sample_seed(spec.seed, &spec.task_id, &key);
    SamplePlan {
        index,
        cell,
        replicate,
        seed,
    }
}

/// Every plan in order.
pub fn plans(spec: &TaskSpec) -> impl Iterator<Item = SamplePlan> + '_ {
    (0..spec.images()).map(move |i| plan(spec, i))
}
