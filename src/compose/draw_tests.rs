//! Tests of the draw loop: composing from the planner's [`DrawStart`] equals replaying
//! every rejected and skipped draw.

use super::*;
use crate::compose::{Sample, compose};
use crate::expand::{Planner, SamplePlan};

/// Twelve seed keys × two sizes; `a` takes 12 values for 12 keys (6 per quota value), so `sampling.unique`
/// skips draws; the constraint and the balance quota reject others.
const SPEC: &str = "name: t\nversion: 1.0.0\ntask: {id: t, label: T}\nlicense: mit\nseed: 7\n\
    grid:\n  k: {range: {from: 0, to: 11, step: 1}}\n  size: [64, 96]\n\
    sampling:\n  seed_by: [k]\n  unique: [a]\n  balance: {on: big, values: [1, 0]}\n  retries: 1000\n\
    vars:\n  a: randint(0, 11)\n  b: choice([0, 1, 2])\n  big: '1 if a >= 6 else 0'\n  half: size / 2 + a\n\
    constraints:\n  - 'b != 0'\n\
    scene: {width: '= size', height: '= size', shapes: []}\n\
    answers: {x: half}\n\
    prompts:\n  - {template: 'a?', answer: x}\n";

fn spec() -> TaskSpec {
    crate::spec::parse(crate::spec::Source::new("t.yaml", SPEC)).expect("spec parses")
}

/// Everything a sample contributes except its plan.
fn contents(s: &Sample) -> String {
    format!(
        "{:?} {:?} {} {:?} {:?}",
        s.scene, s.prompts, s.metadata, s.rejected, s.values
    )
}

/// The contents of the sample `p` composes.
fn composed(spec: &TaskSpec, p: &SamplePlan) -> String {
    contents(&compose(spec, p).expect("composes"))
}

/// `p` without its start, so composing replays every draw from the seed.
fn replayed(p: &SamplePlan) -> SamplePlan {
    SamplePlan {
        draw_start: None,
        ..p.clone()
    }
}

#[test]
fn composing_from_the_planners_start_equals_replaying_every_draw() {
    let spec = spec();
    let planner = Planner::new(&spec).expect("plans");
    let (mut skips, mut rejected) = (0, 0);
    for i in 0..spec.images() {
        let p = planner.plan(i);
        let start = p.draw_start.as_ref().expect("the planner finds the start");
        assert_eq!(start.skip(), p.skip);
        assert_eq!(
            composed(&spec, &p),
            composed(&spec, &replayed(&p)),
            "sample {i}"
        );
        skips += p.skip;
        rejected += usize::from(start.rejected != Rejections::default());
    }
    assert!(skips > 0, "the spec makes uniqueness skip draws");
    assert!(rejected > 0, "the spec rejects draws");
}

#[test]
fn a_start_for_another_skip_or_an_unaccepted_attempt_falls_back_to_replaying() {
    let spec = spec();
    let planner = Planner::new(&spec).expect("plans");
    let (mut stale, mut unaccepted) = (0, 0);
    for i in 0..spec.images() {
        let p = planner.plan(i);
        let want = composed(&spec, &p);
        // A margin redraw raises the plan's skip: the start no longer belongs to it.
        let mut redraw = p.clone();
        redraw.skip += 1;
        let got = composed(&spec, &redraw);
        assert_eq!(got, composed(&spec, &replayed(&redraw)), "sample {i}");
        stale += usize::from(got != want);
        // A start at a rejected first attempt is not taken: with no skip (no uniqueness
        // rejection), every attempt before the accepted one failed a constraint or the quota.
        let mut first = p.clone();
        let s = first.draw_start.as_mut().unwrap();
        if s.skip() == 0 && s.rejected.total() > 0 {
            s.rng = SampleRng::new(p.seed);
            assert_eq!(composed(&spec, &first), want, "sample {i}");
            unaccepted += 1;
        }
    }
    assert!(
        stale > 0 && unaccepted > 0,
        "{stale} stale, {unaccepted} unaccepted"
    );
}
