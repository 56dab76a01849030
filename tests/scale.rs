//! Large builds: `--repeat`, `--shard I/N` + `blindspot merge`, and resuming an interrupted
//! build. Every check compares against a plain single-machine build, byte for byte.

mod common;

use std::path::{Path, PathBuf};

use common::{ReadRow, assert_same_tree, blindspot, read_parquet};

const MIX: &str = "tests/fixtures/valid/export-mix";

fn run(args: &[&str]) -> String {
    let out = blindspot(args);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "{args:?} failed:\n{stderr}");
    stderr
}

fn path(p: &Path) -> &str {
    p.to_str().expect("temp paths are UTF-8")
}

/// Rows of every Parquet file under `dir/data/<task>/` (`dir/data/` for task ""), files in
/// name order.
fn task_rows(dir: &Path, task: &str) -> Vec<ReadRow> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir.join("data").join(task))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files.iter().flat_map(|f| read_parquet(f).0).collect()
}

fn same_rows(a: &[ReadRow], b: &[ReadRow]) -> bool {
    a.len() == b.len()
        && a.iter().zip(b).all(|(x, y)| {
            (
                &x.id,
                &x.image,
                &x.image_path,
                &x.prompt,
                &x.groundtruth,
                x.seed,
            ) == (
                &y.id,
                &y.image,
                &y.image_path,
                &y.prompt,
                &y.groundtruth,
                y.seed,
            )
        })
}

/// Builds the three shards of a spec (with `extra` flags) into `dir/s0..s2`.
fn shards(dir: &Path, spec: &str, extra: &[&str]) -> Vec<PathBuf> {
    (0..3)
        .map(|i| {
            let out = dir.join(format!("s{i}"));
            let shard = format!("{i}/3");
            let threads = if i == 1 { "1" } else { "2" };
            let mut args = vec!["build", spec, "--shard", &shard, "-j", threads, "-q"];
            args.extend(["--out", path(&out)]);
            args.extend(extra);
            run(&args);
            out
        })
        .collect()
}

#[test]
fn three_shards_of_a_suite_merge_into_the_single_machine_release_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    let single = dir.path().join("single");
    let repeat = ["--repeat", "150"];
    run(&[
        "build",
        MIX,
        "-q",
        "--out",
        path(&single),
        "--repeat",
        "150",
    ]);
    let parts = shards(dir.path(), MIX, &repeat);
    for task in ["dots", "squares"] {
        let joined: Vec<ReadRow> = parts.iter().flat_map(|s| task_rows(s, task)).collect();
        assert!(
            same_rows(&joined, &task_rows(&single, task)),
            "{task}: the shards' rows, in shard order, are the single build's rows"
        );
        let names: Vec<String> = std::fs::read_dir(parts[1].join("data").join(task))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(
            names,
            ["test-00001-of-00003.parquet"],
            "split `test`, slice 1 of 3"
        );
    }
    let merged = dir.path().join("merged");
    let [a, b, c] = [0, 1, 2].map(|i| path(&parts[i]).to_string());
    let stderr = run(&[
        "merge",
        MIX,
        &c,
        &a,
        &b,
        "--repeat",
        "150",
        "--out",
        path(&merged),
    ]);
    assert!(stderr.contains("merged 3 shards"), "{stderr}");
    assert_same_tree(&single, &merged);
}

#[test]
fn three_shards_of_touching_circles_merge_into_the_single_build() {
    let spec = "tasks/blindtest/touching_circles.yaml";
    let dir = tempfile::tempdir().unwrap();
    let single = dir.path().join("single");
    run(&["build", spec, "-q", "--out", path(&single)]);
    let parts = shards(dir.path(), spec, &[]);
    let merged = dir.path().join("merged");
    let [a, b, c] = [0, 1, 2].map(|i| path(&parts[i]).to_string());
    run(&["merge", spec, &a, &b, &c, "--out", path(&merged)]);
    assert_same_tree(&single, &merged);
}

#[test]
fn merge_refuses_missing_repeated_foreign_and_damaged_shards() {
    let dir = tempfile::tempdir().unwrap();
    let parts = shards(dir.path(), MIX, &["--repeat", "150"]);
    let [a, b, c] = [0, 1, 2].map(|i| path(&parts[i]).to_string());
    let out = dir.path().join("merged");
    let refused = |args: &[&str], code: i32, needle: &str| {
        let mut all = vec!["merge", MIX];
        all.extend(args);
        all.extend(["--out", path(&out)]);
        let o = blindspot(&all);
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(code), "{args:?}: {stderr}");
        assert!(stderr.contains(needle), "{args:?}: {stderr}");
        assert!(!out.exists(), "{args:?}: nothing is written");
    };
    refused(
        &[&a, &b, "--repeat", "150"],
        1,
        "error[shard-missing]: shard 2/3",
    );
    refused(
        &[&a, &b, &b, &c, "--repeat", "150"],
        1,
        "shard 1/3 is given twice",
    );
    refused(&[&a, &b, &c], 1, "another --repeat (150)");
    let victim = parts[2].join("data/dots/test-00002-of-00003.parquet");
    let mut bytes = std::fs::read(&victim).unwrap();
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0xff;
    std::fs::write(&victim, bytes).unwrap();
    refused(
        &[&a, &b, &c, "--repeat", "150"],
        2,
        "does not match shard.json",
    );
}

/// Builds `spec` plain and with `--repeat 3`; returns the rows of `task` of both.
fn base_and_three_copies(spec: &str, task: &str) -> (Vec<ReadRow>, Vec<ReadRow>) {
    let dir = tempfile::tempdir().unwrap();
    let (base, big) = (dir.path().join("base"), dir.path().join("big"));
    run(&["build", spec, "-q", "--out", path(&base)]);
    run(&["build", spec, "-q", "--out", path(&big), "--repeat", "3"]);
    let (one, three) = (task_rows(&base, task), task_rows(&big, task));
    assert_eq!(three.len(), 3 * one.len(), "{spec}");
    let mut ids: Vec<&str> = three.iter().map(|r| r.id.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), three.len(), "{spec}: ids are unique");
    assert!(
        same_rows(&one, &three[..one.len()]),
        "{spec}: copy 0 is the spec's own build"
    );
    let copy1 = &three[one.len()..2 * one.len()];
    assert!(
        one.iter()
            .zip(copy1)
            .all(|(x, y)| x.id != y.id && x.seed != y.seed)
    );
    (one, three)
}

#[test]
fn repeat_draws_fresh_pictures_for_random_specs() {
    // minimal.yaml draws a radius per sample: new seeds give new pictures.
    let (one, three) = base_and_three_copies("tests/fixtures/valid/minimal.yaml", "");
    let copy1 = &three[one.len()..2 * one.len()];
    assert!(one.iter().zip(copy1).all(|(x, y)| x.image != y.image));
}

#[test]
fn repeat_keeps_the_geometry_of_specs_without_random_parts() {
    // squares has no random part: the same pictures under new ids.
    let (one, three) = base_and_three_copies(MIX, "squares");
    let copy2 = &three[2 * one.len()..];
    assert!(one.iter().zip(copy2).all(|(x, y)| x.image == y.image));
}

#[cfg(unix)]
#[test]
fn an_interrupted_build_resumes_without_redoing_finished_chunks() {
    let spec = "tasks/blindtest/touching_circles.yaml";
    let dir = tempfile::tempdir().unwrap();
    let (fresh, resumed) = (dir.path().join("fresh"), dir.path().join("resumed"));
    run(&["build", spec, "-q", "--repeat", "3", "--out", path(&fresh)]);
    let spool = dir.path().join(".resumed.partial/spool/touching-circles");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_blindspot"))
        .args([
            "build",
            spec,
            "-q",
            "-j",
            "1",
            "--repeat",
            "3",
            "--out",
            path(&resumed),
        ])
        .current_dir(common::root())
        .spawn()
        .unwrap();
    let finished = |d: &Path| {
        std::fs::read_dir(d).map_or(0, |r| {
            // A chunk is done once its Parquet file has its final name (renamed last).
            r.filter(|e| {
                let name = e.as_ref().unwrap().file_name();
                let name = name.to_string_lossy();
                name.ends_with(".parquet") && !name.contains("tmp")
            })
            .count()
        })
    };
    while finished(&spool) < 2 {
        assert!(
            child.try_wait().unwrap().is_none(),
            "the build ended before it was stopped"
        );
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(!resumed.exists(), "a killed build publishes nothing");
    let done = finished(&spool);
    let stderr = run(&["build", spec, "--repeat", "3", "--out", path(&resumed)]);
    let expected = format!("resumed: {done} of 21 chunks");
    assert!(stderr.contains(&expected), "{expected:?} in {stderr}");
    assert_same_tree(&fresh, &resumed);
    assert!(
        !spool.exists(),
        "the spool is removed once the release is published"
    );
}
