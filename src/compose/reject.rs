//! Why draws were rejected: each sample counts its rejected draws per reason (a constraint,
//! the balance quota, or uniqueness), so reports can say which rule made draws start over.
//!
//! Invariants: counts are kept in [`Rejection`] order (constraints in spec order, then the
//! quota, then uniqueness), independent of the order the draws happened in; a sample with no
//! rejected draw allocates nothing.

use crate::spec::TaskSpec;

/// Why one draw was rejected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Rejection {
    /// The constraint at this index of `spec.constraints` was false.
    Constraint(usize),
    /// The `sampling.balance` expression did not give the value the sample's seed key needs.
    Quota,
    /// The draw met every rule, but its `sampling.unique` values were all taken by earlier
    /// seed keys, so it was skipped.
    Unique,
    /// Kept by the draw loop but inside a `verify:` margin, so redrawn.
    Margin,
}

impl Rejection {
    /// One line naming the rule, with its source text (and message, for a constraint).
    pub fn describe(self, spec: &TaskSpec) -> String {
        match self {
            Rejection::Constraint(i) => {
                let c = &spec.constraints[i];
                match &c.message {
                    Some(m) => format!("constraint `{}` ({m})", c.expr.source()),
                    None => format!("constraint `{}`", c.expr.source()),
                }
            }
            Rejection::Quota => match &spec.sampling.balance {
                Some(b) => format!(
                    "balance quota: `{}` was not the value this seed key must have",
                    b.on.expr.source()
                ),
                None => "balance quota".to_string(),
            },
            Rejection::Unique => {
                let on: Vec<String> = spec
                    .sampling
                    .unique
                    .iter()
                    .map(|c| format!("`{}`", c.expr.source()))
                    .collect();
                format!(
                    "uniqueness: {} already taken by an earlier sample",
                    on.join(", ")
                )
            }
            Rejection::Margin => {
                "a `verify:` margin: the rendered sample was inside it".to_string()
            }
        }
    }
}

/// The rejected draws of one sample, counted per reason.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rejections(Vec<(Rejection, u32)>);

impl Rejections {
    /// Counts one rejected draw.
    pub fn add(&mut self, why: Rejection) {
        self.add_n(why, 1);
    }

    /// Adds every count of `other`.
    pub fn merge(&mut self, other: &Rejections) {
        for &(why, n) in &other.0 {
            self.add_n(why, n);
        }
    }

    /// Moves up to `n` counts from one reason to another (a margin redraw is counted by the
    /// draw loop as a skipped draw).
    pub fn reassign(&mut self, from: Rejection, to: Rejection, n: u32) {
        let Ok(i) = self.0.binary_search_by_key(&from, |&(r, _)| r) else {
            return;
        };
        let moved = n.min(self.0[i].1);
        self.0[i].1 -= moved;
        if self.0[i].1 == 0 {
            self.0.remove(i);
        }
        if moved > 0 {
            self.add_n(to, moved);
        }
    }

    fn add_n(&mut self, why: Rejection, n: u32) {
        match self.0.binary_search_by_key(&why, |&(r, _)| r) {
            Ok(i) => self.0[i].1 = self.0[i].1.saturating_add(n),
            Err(i) => self.0.insert(i, (why, n)),
        }
    }

    /// The rejected draws of one reason.
    pub fn count(&self, why: Rejection) -> u32 {
        (self.0.binary_search_by_key(&why, |&(r, _)| r)).map_or(0, |i| self.0[i].1)
    }

    /// All rejected draws.
    pub fn total(&self) -> u32 {
        self.0.iter().fold(0u32, |t, &(_, n)| t.saturating_add(n))
    }

    /// The counts per reason, in [`Rejection`] order; reasons that never happened are absent.
    pub fn counts(&self) -> &[(Rejection, u32)] {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_are_kept_per_reason_in_reason_order() {
        let mut r = Rejections::default();
        for why in [
            Rejection::Unique,
            Rejection::Constraint(1),
            Rejection::Quota,
            Rejection::Constraint(1),
            Rejection::Constraint(0),
        ] {
            r.add(why);
        }
        assert_eq!(r.total(), 5);
        assert_eq!(
            r.counts(),
            [
                (Rejection::Constraint(0), 1),
                (Rejection::Constraint(1), 2),
                (Rejection::Quota, 1),
                (Rejection::Unique, 1)
            ]
        );
        let mut sum = Rejections::default();
        sum.merge(&r);
        sum.merge(&r);
        assert_eq!(sum.total(), 10);
        assert_eq!(sum.counts()[1], (Rejection::Constraint(1), 4));
        assert_eq!(Rejections::default().total(), 0);
    }
}
