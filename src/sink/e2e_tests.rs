//! End-to-end: write a complete sample dataset folder (Parquet shard with three
//! row groups, README.md, croissant.json, manifest.json) the way the compiler will.
//!
//! * `sample_dataset_is_consistent` always runs (in a temp dir).
//! * `harness_check_accepts_sample_dataset` is `#[ignore]`d: it runs the real
//!   consumer libraries through `tools/harness_check.py`; set
//!   `BLINDSPOT_SINK_SAMPLE_DIR` to keep its folder for inspection. Run with
//!   `HARNESS_PYTHON=.venv-harness/bin/python HARNESS_CHECK=../shared/tools/harness_check.py
//!   cargo test sink::e2e -- --ignored`.

use std::fs;
use std::path::Path;
use std::process::Command;

use super::test_support::sample_rows;
use super::*;

const ROWS: usize = 250;
const SPLIT: &str = "valid";

fn header() -> ManifestHeader {
    ManifestHeader {
        repeat: 1,
        name: "blindspot-sample".into(),
        version: "0.0.1".into(),
        compiler: CompilerInfo {
            name: "blindspot".into(),
            version: "0.1.0".into(),
        },
        seed: 7,
        seeding_scheme: "test".into(),
        spec: SpecInfo {
            path: "sample.yaml".into(),
            sha256: sha256_hex(b"sample spec"),
        },
        task_specs: vec![],
        renderer: RendererInfo {
            resvg: "0.49.0".into(),
            fonts: Vec::new(),
        },
    }
}

fn card_info(tally: &Tally, files: Vec<FileSummary>) -> CardInfo {
    CardInfo {
        repeat: 1,
        name: "blindspot-sample".into(),
        pretty_name: "blindspot sample: \"quotes\", colons & | pipes".into(),
        version: "0.0.1".into(),
        description: "Tiny synthetic dataset written by the sink tests.".into(),
        license: "mit".into(),
        citation: Some("@misc{sample, title={Sample}}".into()),
        tags: vec!["synthetic".into(), "image".into()],
        task_categories: vec!["visual-question-answering".into()],
        split: SPLIT.into(),
        num_rows: tally.rows(),
        compiler_version: "0.1.0".into(),
        spec_sha256: sha256_hex(b"sample spec"),
        seed: 7,
        tasks: tally.task_counts(),
        files,
        configs: vec![],
        prompts: vec![],
        formats: vec![],
    }
}

fn croissant_info(shard: &FileSummary) -> CroissantInfo {
    CroissantInfo {
        name: "blindspot-sample".into(),
        description: "Tiny synthetic dataset: \"quotes\", <angles> &\nnewlines.".into(),
        license: "mit".into(),
        version: "0.0.1".into(),
        citation: Some("@misc{sample, title={Sample}}".into()),
        url: croissant::hub_url("blindspot-sample"),
        date_published: croissant::UNDATED.into(),
        keywords: vec!["synthetic".into()],
        record_sets: vec![RecordSetInfo {
            name: "default".into(),
            path: shard.path.clone(),
            sha256: shard.sha256.clone(),
        }],
    }
}

/// Streams the rows in uneven chunks into one shard, then writes the card,
/// croissant.json and the manifest. Returns the manifest.
fn write_sample_dataset(root: &Path) -> Manifest {
    let rows = sample_rows(ROWS);
    let mut tally = Tally::new();
    let mut shard = ShardWriter::create(root, &shard_path(SPLIT, 0, 1)).unwrap();
    for chunk in rows.chunks(41) {
        shard.write(chunk).unwrap();
        tally.add_all(chunk).unwrap();
    }
    let files = vec![shard.finish().unwrap()];
    let card = render_card(&card_info(&tally, files.clone()));
    let readme = write_text_file(root, "README.md", &card).unwrap();
    let croissant = render_croissant(&croissant_info(&files[0]));
    let croissant = write_text_file(root, "croissant.json", &croissant).unwrap();
    let mut all_files = files;
    all_files.extend([readme, croissant]);
    let manifest = Manifest::new(header(), tally.finish().unwrap(), all_files);
    write_manifest(root, &manifest).unwrap();
    manifest
}

fn output_root() -> (Option<tempfile::TempDir>, std::path::PathBuf) {
    match std::env::var_os("BLINDSPOT_SINK_SAMPLE_DIR") {
        Some(dir) => (None, dir.into()),
        None => {
            let tmp = tempfile::tempdir().unwrap();
            let path = tmp.path().to_path_buf();
            (Some(tmp), path)
        }
    }
}

#[test]
fn sample_dataset_is_consistent() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let manifest = write_sample_dataset(root);
    assert_eq!(manifest.counts.rows, ROWS as u64);
    assert_eq!(manifest.files[0].path, "data/valid-00000-of-00001.parquet");
    assert_eq!(manifest.files[2].path, "croissant.json");
    for f in &manifest.files {
        let bytes = fs::read(root.join(&f.path)).unwrap();
        assert_eq!(f.sha256, sha256_hex(&bytes), "{}", f.path);
        assert_eq!(f.bytes, bytes.len() as u64);
    }
    let card = fs::read_to_string(root.join("README.md")).unwrap();
    assert!(card.contains("    num_examples: 250\n"));
    let on_disk = fs::read_to_string(root.join("manifest.json")).unwrap();
    assert_eq!(on_disk, render_manifest(&manifest).unwrap());

    // A second build into a fresh folder gives identical bytes everywhere.
    let again = tempfile::tempdir().unwrap();
    let second = write_sample_dataset(again.path());
    assert_eq!(second, manifest);
}

#[test]
#[ignore = "needs HARNESS_PYTHON and HARNESS_CHECK (tools/harness_check.py with its venv)"]
fn harness_check_accepts_sample_dataset() {
    let python = std::env::var("HARNESS_PYTHON").expect("HARNESS_PYTHON");
    let script = std::env::var("HARNESS_CHECK").expect("HARNESS_CHECK");
    let (_guard, root) = output_root();
    write_sample_dataset(&root);
    let out = Command::new(python)
        .arg(script)
        .arg(&root)
        .output()
        .expect("run harness_check");
    let stdout = String::from_utf8_lossy(&out.stdout);
    println!("{stdout}\n{}", String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "harness_check failed");
    let last = stdout.lines().last().unwrap_or_default();
    assert_eq!(last, format!("harness_check: {ROWS} rows, 1 files, OK"));
}
