//! `blindspot diff` between real builds, and the guard that a built version is immutable.

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;

use common::blindspot;

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn minimal() -> PathBuf {
    common::root().join("tests/fixtures/valid/minimal.yaml")
}

/// minimal.yaml with n = 3 replaced by 0, an extra n = 3 (one more image), and a prompt that
/// reads differently for n = 1 only; same name, version and seed.
fn write_changed_spec(dir: &Path) -> PathBuf {
    let original = std::fs::read_to_string(minimal()).unwrap();
    let changed = original.replace("n: [1, 2, 3]", "n: [1, 2, 0, 3]").replace(
        "How many dots are there?",
        "How many dots are there{% if n == 1 %} in the image{% endif %}?",
    );
    assert_ne!(
        changed, original,
        "the fixture changed shape; update this test"
    );
    let path = dir.join("changed.yaml");
    std::fs::write(&path, changed).unwrap();
    path
}

fn diff(old: &Path, new: &Path, json: bool) -> Output {
    let mut args = vec!["diff", old.to_str().unwrap(), new.to_str().unwrap()];
    if json {
        args.push("--json");
    }
    blindspot(&args)
}

fn build_cli(spec: &Path, out: &Path, force: bool) -> Output {
    let mut args = vec![
        "build",
        spec.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ];
    if force {
        args.push("--force");
    }
    blindspot(&args)
}

#[test]
fn two_builds_of_one_spec_are_identical() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    common::build(&minimal(), &a, 1);
    common::build(&minimal(), &b, 2);
    let o = diff(&a, &b, false);
    let out = text(&o.stdout);
    assert_eq!(o.status.code(), Some(0), "{out}{}", text(&o.stderr));
    assert!(out.contains("rows identical: 3 rows"), "{out}");
    assert!(out.contains("content digest: same"), "{out}");
    assert!(out.contains("task specs:     same"), "{out}");
    let json: serde_json::Value = serde_json::from_slice(&diff(&a, &b, true).stdout).unwrap();
    assert_eq!(json["identical"], true);
    assert_eq!(json["tasks"]["dots"]["unchanged"], 3);
}

#[test]
fn a_changed_spec_counts_each_kind_of_change() {
    let dir = tempfile::tempdir().unwrap();
    let (old, new) = (dir.path().join("old"), dir.path().join("new"));
    common::build(&minimal(), &old, 2);
    common::build(&write_changed_spec(dir.path()), &new, 2);

    let o = diff(&old, &new, true);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o.stderr));
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let counts = serde_json::json!({
        "added": 1, "removed": 0, "changed": 2, "image": 1, "groundtruth": 1,
        "prompt": 1, "format": 0, "metadata": 1, "unchanged": 1
    });
    assert_eq!(json["tasks"]["dots"], counts);
    assert_eq!(json["total"], counts);
    assert_eq!(json["identical"], false);
    assert_eq!(json["content_digest_match"], false);
    assert_eq!(
        json["examples"]["added"],
        serde_json::json!(["dots/000003/p1"])
    );
    assert_eq!(
        json["examples"]["prompt"],
        serde_json::json!(["dots/000000/p1"])
    );
    for kind in ["image", "groundtruth", "metadata"] {
        assert_eq!(
            json["examples"][kind],
            serde_json::json!(["dots/000002/p1"])
        );
    }
    assert_eq!(json["spec_changes"][0]["task_id"], "dots");

    // The other way round, the extra row is removed.
    let back = diff(&new, &old, false);
    let out = text(&back.stdout);
    assert_eq!(back.status.code(), Some(1), "{out}");
    assert!(out.contains("removed (1): dots/000003/p1"), "{out}");
    assert!(
        out.contains("rows differ: 0 added, 1 removed, 2 changed, 1 unchanged"),
        "{out}"
    );
    assert!(out.contains("content digest: differs"), "{out}");
}

#[test]
fn a_missing_release_is_exit_code_2() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a");
    common::build(&minimal(), &a, 1);
    let o = diff(&a, &dir.path().join("nowhere"), false);
    assert_eq!(o.status.code(), Some(2));
    let err = text(&o.stderr);
    assert!(
        err.contains("nowhere") && err.contains("manifest.json"),
        "{err}"
    );
    assert!(err.contains("is this a release folder"), "{err}");
}

#[test]
fn a_built_version_is_not_replaced_by_other_content_unless_forced() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("ds");
    common::build(&minimal(), &out, 2);
    let manifest = std::fs::read(out.join("manifest.json")).unwrap();
    let changed = write_changed_spec(dir.path());

    let o = build_cli(&changed, &out, false);
    let err = text(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("error[version-exists]"), "{err}");
    assert!(
        err.contains("bump `version`") && err.contains("--force"),
        "{err}"
    );
    assert_eq!(std::fs::read(out.join("manifest.json")).unwrap(), manifest);
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert!(
        !names.iter().any(|n| n.contains(".tmp-")),
        "staging left behind: {names:?}"
    );

    let o = build_cli(&changed, &out, true);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert_ne!(std::fs::read(out.join("manifest.json")).unwrap(), manifest);
    // The same content again is no conflict.
    let o = build_cli(&changed, &out, false);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
}
