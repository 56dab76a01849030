//! The batch-engine examples in `docs/batch/` work as written: the exact commands of the
//! Kubernetes Indexed Job and of the Slurm array script, run once per index with the
//! variables the engine would set, then their merge step, give the single-machine release.

#![cfg(unix)]

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{assert_same_tree, root};

/// A small two-task suite stands in for BlindTest (the examples take SPEC from the env),
/// repeated so that every shard gets chunks of both tasks.
const SPEC: &str = "tests/fixtures/valid/export-mix";
const REPEAT: &str = "150";

fn bin_dir() -> PathBuf {
    Path::new(env!("CARGO_BIN_EXE_blindspot"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// Runs `program args` from the repository root with `blindspot` on PATH and `env` set.
fn run(program: &str, args: &[&str], env: &[(&str, String)]) {
    let path = format!(
        "{}:{}",
        bin_dir().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let out = Command::new(program)
        .args(args)
        .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
        .env("PATH", path)
        .current_dir(root())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{program} {args:?} failed:\n{stderr}");
}

fn single_build(dir: &Path) -> PathBuf {
    let out = dir.join("single");
    let o = common::blindspot(&[
        "build",
        SPEC,
        "-q",
        "--repeat",
        REPEAT,
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success());
    out
}

/// The first container of a Job manifest: its `env` (name → value) and its shell script.
fn job(file: &str) -> (serde_yaml::Value, Vec<(String, String)>, String) {
    let text = std::fs::read_to_string(root().join("docs/batch").join(file)).unwrap();
    let doc: serde_yaml::Value = serde_yaml::from_str(&text).unwrap();
    let c = &doc["spec"]["template"]["spec"]["containers"][0];
    assert_eq!(c["command"][0].as_str(), Some("sh"));
    let env = c["env"]
        .as_sequence()
        .unwrap()
        .iter()
        .map(|e| {
            let value = e["value"].as_str().unwrap().to_string();
            (e["name"].as_str().unwrap().to_string(), value)
        })
        .collect();
    let script = c["args"][0].as_str().unwrap().to_string();
    (doc, env, script)
}

#[test]
fn the_kubernetes_indexed_job_and_its_merge_give_the_single_build() {
    let dir = tempfile::tempdir().unwrap();
    let (doc, env, script) = job("kubernetes-shards.yaml");
    let spec = &doc["spec"];
    assert_eq!(spec["completionMode"].as_str(), Some("Indexed"));
    let shards: String = env.iter().find(|(k, _)| k == "SHARDS").unwrap().1.clone();
    let n: u64 = shards.parse().unwrap();
    assert_eq!(
        spec["completions"].as_u64(),
        Some(n),
        "completions = SHARDS"
    );
    let data = dir.path().join("data").display().to_string();
    for i in 0..n {
        let vars = [
            ("SPEC", SPEC.to_string()),
            ("SHARDS", shards.clone()),
            ("DATA", data.clone()),
            ("JOB_COMPLETION_INDEX", i.to_string()),
            ("REPEAT", REPEAT.to_string()),
        ];
        run("sh", &["-c", &script], &vars);
    }
    let (_, _, merge) = job("kubernetes-merge.yaml");
    let vars = [
        ("SPEC", SPEC.to_string()),
        ("DATA", data.clone()),
        ("REPEAT", REPEAT.to_string()),
    ];
    run("sh", &["-c", &merge], &vars);
    let data = Path::new(&data);
    for i in 0..n {
        let files = std::fs::read_dir(data.join(format!("shards/{i}/data/squares"))).unwrap();
        assert_eq!(files.count(), 1, "shard {i} holds a slice of every task");
    }
    assert_same_tree(&single_build(dir.path()), &data.join("release"));
}

#[test]
fn the_slurm_array_and_its_merge_give_the_single_build() {
    let dir = tempfile::tempdir().unwrap();
    let script = root().join("docs/batch/slurm-shards.sh");
    let text = std::fs::read_to_string(&script).unwrap();
    let range = text
        .lines()
        .find_map(|l| l.strip_prefix("#SBATCH --array=0-"))
        .expect("an --array=0-M directive");
    let n: u64 = range.trim().parse::<u64>().unwrap() + 1;
    let (out, release) = (dir.path().join("shards"), dir.path().join("release"));
    let vars = |i: u64| {
        vec![
            ("SPEC", SPEC.to_string()),
            ("OUT", out.display().to_string()),
            ("RELEASE", release.display().to_string()),
            ("SLURM_ARRAY_TASK_ID", i.to_string()),
            ("SLURM_ARRAY_TASK_COUNT", n.to_string()),
            ("REPEAT", REPEAT.to_string()),
        ]
    };
    for i in 0..n {
        run("bash", &[script.to_str().unwrap()], &vars(i));
    }
    let merge = root().join("docs/batch/slurm-merge.sh");
    run("bash", &[merge.to_str().unwrap()], &vars(0));
    assert_same_tree(&single_build(dir.path()), &release);
}
