//! Spec text → `spec::parse` → compose the first few samples (values, constraints, scene,
//! answers, prompts) → SVG text. Compose errors must become located diagnostics; nothing
//! may panic, and each sample's work is bounded by its evaluation budget.
#![no_main]

use blindspot::spec::{self, Source, load::MAX_SPEC_BYTES};
use blindspot::{compose, expand, pipeline, scene};
use libfuzzer_sys::fuzz_target;

/// Samples composed per spec.
const SAMPLES: u64 = 3;

fuzz_target!(|data: &[u8]| {
    if data.len() > MAX_SPEC_BYTES {
        return;
    }
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(spec) = spec::parse(Source::new("fuzz.yaml", text)) else {
        return;
    };
    // `sampling.unique` needs a planner that draws every seed key first; plain plans
    // (no skips) reach the same composition code.
    for index in 0..spec.images().min(SAMPLES) {
        match compose::compose(&spec, &expand::plan(&spec, index)) {
            Ok(sample) => {
                let _ = scene::svg::to_svg(&sample.scene);
            }
            Err(e) => {
                let _ = pipeline::compose_failure(&spec, index, e);
            }
        }
    }
});
