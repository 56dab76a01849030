//! Bad specs: each fixture in tests/fixtures/invalid/ must fail with exit code 1, print a
//! diagnostic whose text matches its `.stderr` snapshot, never panic, and write no output.
//! Regenerate snapshots with `BLINDSPOT_UPDATE=1 cargo test --test errors`.

mod common;

use std::process::Command;

fn run_check(rel: &str, out: &std::path::Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_blindspot"))
        .args(["build", rel, "-q", "--out"])
        .arg(out)
        .current_dir(common::root())
        .output()
        .expect("the binary runs")
}

#[test]
fn every_invalid_fixture_fails_cleanly_with_its_snapshot() {
    let dir = common::root().join("tests/fixtures/invalid");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".yaml"))
        .collect();
    names.sort();
    assert!(names.len() >= 40, "the corpus has {} cases", names.len());
    let tmp = tempfile::tempdir().unwrap();
    let mut failures = Vec::new();
    for name in &names {
        let out = tmp.path().join(name.trim_end_matches(".yaml"));
        let output = run_check(&format!("tests/fixtures/invalid/{name}"), &out);
        let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        assert!(!stderr.contains("panicked"), "{name} panicked:\n{stderr}");
        assert_eq!(
            output.status.code(),
            Some(1),
            "{name}: exit code, stderr:\n{stderr}"
        );
        assert!(!out.exists(), "{name}: no dataset may be written");
        let snap = dir.join(name.replace(".yaml", ".stderr"));
        if common::updating() {
            std::fs::write(&snap, &stderr).unwrap();
        } else {
            let want = std::fs::read_to_string(&snap).unwrap_or_default();
            if want != stderr {
                failures.push(format!("--- {name}: expected\n{want}--- got\n{stderr}"));
            }
        }
    }
    let leftovers: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().collect();
    assert!(leftovers.is_empty(), "no staging folders are left behind");
    assert!(
        failures.is_empty(),
        "snapshots differ (BLINDSPOT_UPDATE=1 to accept):\n{}",
        failures.join("\n")
    );
}

#[test]
fn the_diagnostic_id_is_named_after_the_fixture() {
    let dir = common::root().join("tests/fixtures/invalid");
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "stderr") {
            let text = std::fs::read_to_string(&path).unwrap();
            let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
            let id = text.split(['[', ']']).nth(1).unwrap_or("");
            assert!(
                stem.starts_with(id) || known_alias(&stem, id),
                "{stem}: first diagnostic is [{id}]"
            );
        }
    }
}

/// Fixtures whose name describes the input rather than the diagnostic id.
fn known_alias(stem: &str, id: &str) -> bool {
    matches!(
        (stem, id),
        ("unknown-function", "expr-syntax")
            | ("unsatisfiable-fixed", "unsatisfiable")
            | ("division-by-zero", "eval-error")
            | ("wrong-type-runtime", "wrong-type")
            | ("eval-step-limit", "eval-error")
            | ("answer-unknown-variable", "unknown-variable")
            | ("bad-sampling", "unknown-axis")
            | ("billion-laughs", "yaml-too-complex")
            | ("deep-nesting", "yaml-too-complex")
            | ("unknown-field-in-shape", "unknown-field")
            | ("unknown-font", "unknown-font")
    )
}
