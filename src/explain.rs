//! `blindspot explain`: what a spec will produce, before building it — its axes and expansion
//! size, how often its constraints (and quotas and uniqueness) make draws start over, and the
//! answer distribution of every prompt, with warnings where answers are imbalanced.
//!
//! Invariants: the estimate composes (never renders) at most `sample` samples spread evenly
//! over the expansion (all of them when the expansion is smaller), in index order, so the
//! report is deterministic; it says whether it is an estimate or a full count.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::compose::Sample;
use crate::pipeline::Failure;
use crate::spec::TaskSpec;

/// An answer is flagged when its share differs from an even share by more than this factor.
const IMBALANCE: f64 = 1.5;

/// The explanation of one task, from at most `sample` composed samples.
pub fn explain(spec: &TaskSpec, sample: u64) -> Result<String, Failure> {
    let samples = crate::report::compose_samples(spec, &spread(spec.images(), sample))?;
    let mut out = String::new();
    crate::report::header(&mut out, spec);
    let whole = samples.len() as u64 == spec.images();
    let basis = match whole {
        true => format!("all {} samples composed", samples.len()),
        false => format!(
            "estimated from {} of {} samples, spread evenly",
            samples.len(),
            spec.images()
        ),
    };
    let _ = writeln!(out, "{basis}");
    redraws(&mut out, &samples);
    for p in 0..spec.prompts.len() {
        answers(&mut out, &samples, p, whole);
    }
    Ok(out)
}

/// Up to `k` indices spread evenly over `0..n`.
fn spread(n: u64, k: u64) -> Vec<u64> {
    let k = k.clamp(1, n.max(1)).min(n);
    (0..k).map(|j| j * n / k).collect()
}

fn redraws(out: &mut String, samples: &[Sample]) {
    let rejected: u64 = samples.iter().map(|s| u64::from(s.rejected.total())).sum();
    let attempts = samples.len() as u64 + rejected;
    let share = 100.0 * rejected as f64 / attempts.max(1) as f64;
    let _ = writeln!(
        out,
        "draws: {attempts} for {} samples; {rejected} rejected ({share:.1} %) by constraints, quotas or uniqueness",
        samples.len()
    );
    let worst = samples.iter().max_by_key(|s| s.rejected.total());
    if let Some(s) = worst.filter(|s| s.rejected.total() > 0) {
        let _ = writeln!(
            out,
            "  most redraws: sample {} ({} redraws)",
            s.plan.index,
            s.rejected.total()
        );
    }
}

fn answers(out: &mut String, samples: &[Sample], p: usize, whole: bool) {
    let Some(first) = samples.first() else {
        return;
    };
    let id = &first.prompts[p].id;
    let mut counts: BTreeMap<&str, u64> = BTreeMap::new();
    for s in samples {
        *counts.entry(s.prompts[p].answer.as_str()).or_default() += 1;
    }
    let n = samples.len() as f64;
    let parts: Vec<String> = counts
        .iter()
        .map(|(a, c)| format!("{a}: {c} ({:.0} %)", 100.0 * *c as f64 / n))
        .collect();
    let _ = writeln!(out, "answers {id}: {}", parts.join(", "));
    // A fixed choice list (the same for every sample) defines the even share and can have
    // choices that never come up; per-sample lists (e.g. a word's letters) cannot.
    let fixed = samples
        .iter()
        .all(|s| s.prompts[p].choices == first.prompts[p].choices);
    let choices = match fixed {
        true => first.prompts[p].choices.clone().unwrap_or_default(),
        false => Vec::new(),
    };
    let kinds = counts.len().max(choices.len()).max(1) as f64;
    for (a, c) in &counts {
        if skewed(*c as f64, n, kinds) {
            let share = 100.0 * *c as f64 / n;
            let _ = writeln!(
                out,
                "  warning: `{a}` is {share:.0} % of {id}'s answers (even would be {:.0} %): always answering `{a}` scores {share:.0} %",
                100.0 / kinds
            );
        }
    }
    let missing: Vec<&str> = choices
        .iter()
        .map(String::as_str)
        .filter(|c| !counts.contains_key(c))
        .collect();
    if !missing.is_empty() {
        let seen = if whole {
            "never the answer"
        } else {
            "not the answer in the sample"
        };
        let _ = writeln!(out, "  warning: choices {seen}: {}", missing.join(", "));
    }
}

/// Whether `count` of `n` answers is well above an even share among `kinds` answers: more
/// than [`IMBALANCE`] times the even count, and more than three standard deviations above it
/// (so a small sample's noise is not reported).
fn skewed(count: f64, n: f64, kinds: f64) -> bool {
    let even = n / kinds;
    let sd = (n * (1.0 / kinds) * (1.0 - 1.0 / kinds)).sqrt();
    count > IMBALANCE * even && count - even > 3.0 * sd
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skew_needs_both_a_large_share_and_more_than_noise() {
        assert!(skewed(314.0, 400.0, 2.0), "78 % of 400 yes/no answers");
        assert!(!skewed(16.0, 20.0, 2.0), "80 % of 20 is within noise");
        assert!(!skewed(220.0, 400.0, 2.0), "55 % is not skewed");
        assert!(
            !skewed(5.0, 50.0, 33.0),
            "5 of 50 among 33 answers is noise"
        );
    }

    #[test]
    fn indices_spread_evenly_and_never_repeat() {
        assert_eq!(spread(10, 4), [0, 2, 5, 7]);
        assert_eq!(spread(3, 200), [0, 1, 2]);
        assert_eq!(spread(0, 5), Vec::<u64>::new());
    }
}
