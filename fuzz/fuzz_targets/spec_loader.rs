//! Spec text → `spec::parse` (YAML, raw spec, validation, constant evaluation).
//! Every input must give a spec or at least one error diagnostic; nothing may panic.
#![no_main]

use blindspot::diag;
use blindspot::spec::{self, Source, load::MAX_SPEC_BYTES};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // `spec::load` refuses oversize and non-UTF-8 files before parsing.
    if data.len() > MAX_SPEC_BYTES {
        return;
    }
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match spec::parse(Source::new("fuzz.yaml", text)) {
        Ok(spec) => {
            // The counts the CLI prints must be computable for every accepted spec.
            let _ = (spec.images(), spec.rows(), spec.seed_keys());
        }
        Err(diags) => {
            assert!(
                diags.iter().any(|d| d.is_error()),
                "a rejection has an error"
            );
            assert!(diags.iter().all(|d| !d.id.is_empty()));
            let _ = diag::render(&diags);
        }
    }
});
