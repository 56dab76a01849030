//! Loads a built dataset with the real consumer libraries (pyarrow, duckdb, polars, Hugging
//! Face `datasets`, mlcroissant) through ../shared/tools/harness_check.py.
//!
//! Needs a Python with the packages of ../shared/tools/requirements-harness.txt: set
//! BLINDSPOT_HARNESS_PYTHON, or create .venv-harness (see README). Without one the test is
//! skipped with a message, unless BLINDSPOT_REQUIRE_HARNESS=1 (as in CI), where it fails.

mod common;

use std::process::Command;

#[test]
fn built_dataset_loads_in_datasets_pyarrow_duckdb_and_polars() {
    let checker = common::root().join("../shared/tools/harness_check.py");
    let required = common::harness_required();
    let (Some(py), true) = (common::harness_python(), checker.exists()) else {
        assert!(
            !required,
            "harness_check needs BLINDSPOT_HARNESS_PYTHON and ../shared/tools/harness_check.py"
        );
        eprintln!(
            "skipped: no harness Python (set BLINDSPOT_HARNESS_PYTHON or create .venv-harness)"
        );
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("touching-circles");
    common::build(
        &common::root().join("tasks/blindtest/touching_circles.yaml"),
        &out,
        2,
    );
    let o = Command::new(py)
        .arg(&checker)
        .arg(&out)
        .output()
        .expect("python runs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(o.status.success(), "harness_check failed:\n{text}");
    assert!(
        text.contains("harness_check: 1344 rows, 1 files, OK"),
        "{text}"
    );
}
