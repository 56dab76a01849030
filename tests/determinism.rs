//! The same spec and seed give byte-identical artifacts: across runs and thread counts.

mod common;

#[test]
fn builds_are_byte_identical_across_runs_and_thread_counts() {
    let spec = common::root().join("tasks/blindtest/touching_circles.yaml");
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("one-thread");
    let b = dir.path().join("two-threads");
    let c = dir.path().join("two-threads-again");
    common::build(&spec, &a, 1);
    common::build(&spec, &b, 2);
    common::build(&spec, &c, 2);
    let (ta, tb, tc) = (
        common::tree_bytes(&a),
        common::tree_bytes(&b),
        common::tree_bytes(&c),
    );
    let names: Vec<&str> = ta.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "README.md",
            "croissant.json",
            "data/valid-00000-of-00001.parquet",
            "manifest.json",
            "scoring/conformance.jsonl",
            "scoring/formats.json",
            "verification.json"
        ]
    );
    for ((x, y), z) in ta.iter().zip(&tb).zip(&tc) {
        assert_eq!(x.0, y.0);
        assert!(x.1 == y.1, "{} differs between 1 and 2 threads", x.0);
        assert!(y.1 == z.1, "{} differs between two runs", y.0);
    }
}

#[test]
fn rebuilding_replaces_the_folder_and_leaves_no_staging_behind() {
    let spec = common::root().join("tasks/blindtest/touching_circles.yaml");
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("ds");
    common::build(&spec, &out, 2);
    std::fs::write(out.join("stale.txt"), "old").unwrap();
    common::build(&spec, &out, 2);
    assert!(
        !out.join("stale.txt").exists(),
        "the old folder was replaced whole"
    );
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(leftovers, vec![std::ffi::OsString::from("ds")]);
}

#[test]
fn artifacts_never_record_machine_paths() {
    let spec = common::root().join("tests/fixtures/valid/minimal.yaml");
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("m");
    common::build(&spec, &out, 1);
    let root = common::root().to_string_lossy().into_owned();
    for (name, bytes) in common::tree_bytes(&out) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains(&root), "{name} mentions {root}");
    }
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["spec"]["path"], "minimal.yaml");
}
