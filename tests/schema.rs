//! The committed JSON Schema matches the Rust types, and every spec in tasks/ points
//! editors at it and validates.
//! Regenerate with `BLINDSPOT_UPDATE=1 cargo test --test schema` (or `blindspot schema --out`).

mod common;

use std::path::{Path, PathBuf};

#[test]
fn committed_schema_is_current() {
    let how = "run `BLINDSPOT_UPDATE=1 cargo test --test schema`";
    common::assert_current(
        "schemas/task.schema.json",
        &blindspot::spec::json_schema(),
        how,
    );
}

fn yaml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let p = entry.unwrap().path();
        if p.is_dir() {
            yaml_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "yaml" || e == "yml") {
            out.push(p);
        }
    }
}

#[test]
fn every_task_spec_has_the_schema_line_and_validates() {
    let mut files = Vec::new();
    yaml_files(&common::root().join("tasks"), &mut files);
    yaml_files(&common::root().join("tests/fixtures/valid"), &mut files);
    assert!(!files.is_empty());
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        let first = text.lines().next().unwrap_or("");
        let rel = first.trim_start_matches("# yaml-language-server: $schema=");
        assert!(
            first.starts_with("# yaml-language-server: $schema="),
            "{}: first line",
            f.display()
        );
        let schema = f.parent().unwrap().join(rel);
        let is_suite = f.file_name().is_some_and(|n| n == "suite.yaml");
        let want = if is_suite {
            "schemas/suite.schema.json"
        } else {
            "schemas/task.schema.json"
        };
        assert!(
            schema.canonicalize().is_ok_and(|p| p.ends_with(want)),
            "{}: {rel}",
            f.display()
        );
        let result = match is_suite {
            true => blindspot::spec::suite::load_suite(&f).map(|_| ()),
            false => blindspot::spec::load(&f).map(|_| ()),
        };
        if let Err(d) = result {
            panic!(
                "{} does not validate:\n{}",
                f.display(),
                blindspot::diag::render(&d)
            );
        }
    }
}
