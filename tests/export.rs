//! `blindspot export`: builds two small releases (a mixed two-task suite and the all-numeric
//! minimal spec), exports each for lmms-eval, VLMEvalKit, inspect_ai and plain, checks the
//! files here, then loads them the way the harnesses do with tests/python/check_exports.py
//! (which also runs every conformance vector through each exported Python scorer).
//!
//! The Python check needs the harness venv (BLINDSPOT_HARNESS_PYTHON or .venv-harness; see
//! README). Without it that part is skipped with a message, unless BLINDSPOT_REQUIRE_HARNESS=1
//! (as in CI), where it fails; CI also requires inspect_ai to be installed there.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use blindspot::export::{Format, export};

const FORMATS: [Format; 4] = [
    Format::LmmsEval,
    Format::VlmEvalKit,
    Format::Inspect,
    Format::Plain,
];

fn build_suite(spec: &Path, out: &Path) {
    let suite = blindspot::spec::suite::load_suite(spec)
        .unwrap_or_else(|d| panic!("{}", blindspot::diag::render(&d)));
    let release = blindspot::publish::Release::suite(&suite);
    let opts = blindspot::pipeline::BuildOptions {
        out_dir: out.to_path_buf(),
        threads: Some(2),
        ..Default::default()
    };
    if let Err(e) = blindspot::pipeline::build_release(&release, &opts) {
        panic!("build failed: {e:?}");
    }
}

/// The mixed suite (11 rows, 7 images) and the minimal spec (3 rows), built into `dir`.
fn releases(dir: &Path) -> (PathBuf, PathBuf) {
    let mix = dir.join("mix");
    build_suite(
        &common::root().join("tests/fixtures/valid/export-mix/suite.yaml"),
        &mix,
    );
    let minimal = dir.join("minimal");
    common::build(
        &common::root().join("tests/fixtures/valid/minimal.yaml"),
        &minimal,
        1,
    );
    (mix, minimal)
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Every built-in format's definition and conformance vectors, for the Python scorers.
fn builtin_vectors(dir: &Path) -> (PathBuf, PathBuf) {
    use blindspot::answer::{builtins, release};
    let all = builtins();
    let refs: Vec<_> = all.iter().collect();
    let names: Vec<&str> = all.iter().map(|f| f.name.as_str()).collect();
    let (formats, vectors) = (dir.join("formats.json"), dir.join("conformance.jsonl"));
    std::fs::write(&formats, release::formats_json(&refs)).unwrap();
    std::fs::write(&vectors, release::conformance_jsonl(&names)).unwrap();
    (formats, vectors)
}

#[test]
fn exports_load_in_their_harnesses() {
    let tmp = tempfile::tempdir().unwrap();
    let (mix, minimal) = releases(tmp.path());
    let mut outs = Vec::new();
    for format in FORMATS {
        let report = export(&mix, format, None).unwrap();
        assert_eq!(report.rows, 11);
        assert_eq!(
            report.out,
            mix.canonicalize()
                .unwrap()
                .join("harness")
                .join(format.folder())
        );
        // The minimal export goes outside its release, so lmms-eval paths climb out of it.
        let out = tmp.path().join("elsewhere").join(format.folder());
        let report = export(&minimal, format, Some(&out)).unwrap();
        assert_eq!(report.rows, 3);
        let numeric_warning = report.warnings.iter().any(|w| w.contains("dtype"));
        assert_eq!(numeric_warning, format == Format::VlmEvalKit, "{report:?}");
        outs.push(out);
    }
    check_files(&mix);
    let lmms = read(&outs[0].join("minimal.yaml"));
    assert!(
        lmms.contains("      - \"../../minimal/data/test-00000-of-00001.parquet\"\n"),
        "{lmms}"
    );
    run_python(tmp.path(), &mix, &mix.join("harness"));
    run_python(tmp.path(), &minimal, &tmp.path().join("elsewhere"));
}

/// What each export of the mixed suite holds, checked without Python.
fn check_files(mix: &Path) {
    let h = mix.join("harness");
    let yaml = read(&h.join("lmms_eval/export_mix.yaml"));
    for line in [
        "task: export_mix\n",
        "dataset_path: parquet\n",
        "      - \"../../data/dots/test-00000-of-00001.parquet\"\n",
        "      - \"../../data/squares/test-00000-of-00001.parquet\"\n",
        "test_split: \"test\"\n",
        "process_results: !function utils.process_results\n",
        "    aggregation: !function utils.aggregate_by_task\n",
    ] {
        assert!(yaml.contains(line), "{line}: {yaml}");
    }
    let utils = read(&h.join("lmms_eval/utils.py"));
    let imports: Vec<&str> = utils
        .lines()
        .filter(|l| l.starts_with("import ") || l.starts_with("from "))
        .collect();
    assert_eq!(
        imports,
        ["import json", "import re"],
        "utils.py uses only the standard library"
    );
    assert!(utils.contains("    \"dots\": \"Counting\",\n"), "{utils}");

    let tsv = read(&h.join("vlmevalkit/BlindspotExportMix.tsv"));
    assert!(tsv.starts_with(
        "index\timage\tquestion\tanswer\tanswers\ttask\tcategory\tid\tanswer_format\n"
    ));
    // The dots prompt holds a tab, quotes and a line break: quoted, quotes doubled.
    assert!(
        tsv.contains("\t\"How many \"\"dots\"\" are there?\tCount them all.\nAnswer"),
        "quoting"
    );
    let md5 = read(&h.join("vlmevalkit/BlindspotExportMix.tsv.md5"));
    assert!(
        md5.ends_with("  BlindspotExportMix.tsv\n") && md5.len() == 32 + 2 + 23,
        "{md5}"
    );

    let jsonl = read(&h.join("inspect/test.jsonl"));
    assert_eq!(jsonl.lines().count(), 11);
    let first: serde_json::Value = serde_json::from_str(jsonl.lines().next().unwrap()).unwrap();
    assert_eq!(
        first["input"][0]["content"][0]["image"],
        "images/dots-000000.png"
    );
    assert_eq!(first["metadata"]["group"], "Counting");
    assert_eq!(
        std::fs::read_dir(h.join("inspect/images")).unwrap().count(),
        7
    );
    assert!(read(&h.join("inspect/task.py")).contains("@task\ndef export_mix():"));

    let plain = read(&h.join("plain/samples.jsonl"));
    let last: serde_json::Value = serde_json::from_str(plain.lines().last().unwrap()).unwrap();
    assert_eq!(last["answer_format"], "angle_word");
    assert!(last["metadata"].is_object() && last["answer_choices"].is_array());
    assert_eq!(
        std::fs::read_dir(h.join("plain/images")).unwrap().count(),
        7
    );
}

/// Runs tests/python/check_exports.py on the four exports under `exports`.
fn run_python(tmp: &Path, release: &Path, exports: &Path) {
    let required = common::harness_required();
    let Some(py) = common::harness_python() else {
        assert!(
            !required,
            "the export check needs BLINDSPOT_HARNESS_PYTHON or .venv-harness"
        );
        eprintln!(
            "skipped the Python check: no harness Python (set BLINDSPOT_HARNESS_PYTHON or create .venv-harness)"
        );
        return;
    };
    let (formats, vectors) = builtin_vectors(tmp);
    let mut cmd = Command::new(py);
    cmd.arg(common::root().join("tests/python/check_exports.py"))
        .arg(release)
        .arg("--vectors")
        .args([&formats, &vectors])
        .env("HF_DATASETS_OFFLINE", "1");
    for format in FORMATS {
        cmd.arg(format!("--{}", format_flag(format)))
            .arg(exports.join(format.folder()));
    }
    if required {
        cmd.arg("--require-inspect");
    }
    let o = cmd.output().expect("python runs");
    let text = String::from_utf8_lossy(&o.stdout);
    eprintln!("{text}");
    assert!(
        o.status.success(),
        "check_exports failed:\n{text}{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(text.ends_with("check_exports: OK\n"), "{text}");
}

fn format_flag(format: Format) -> &'static str {
    match format {
        Format::LmmsEval => "lmms-eval",
        Format::VlmEvalKit => "vlmevalkit",
        Format::Inspect => "inspect",
        Format::Plain => "plain",
    }
}

#[test]
fn exports_are_deterministic_and_replace_earlier_ones() {
    let tmp = tempfile::tempdir().unwrap();
    let (mix, _) = releases(tmp.path());
    for format in FORMATS {
        export(&mix, format, None).unwrap();
        let dir = mix.join("harness").join(format.folder());
        let first = common::tree_bytes(&dir);
        std::fs::write(dir.join("stale.txt"), "left over").unwrap();
        export(&mix, format, None).unwrap();
        assert_eq!(common::tree_bytes(&dir), first, "{format:?}");
    }
    let names: Vec<String> = std::fs::read_dir(mix.join("harness"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 4, "no staging folders left: {names:?}");
}

#[test]
fn exports_refuse_paths_in_the_release_and_foreign_folders() {
    let tmp = tempfile::tempdir().unwrap();
    let (_, minimal) = releases(tmp.path());
    let before = common::tree_bytes(&minimal);
    let foreign = tmp.path().join("notes");
    std::fs::create_dir(&foreign).unwrap();
    std::fs::write(foreign.join("todo.txt"), "keep me").unwrap();
    for out in [
        minimal.join("data"),
        minimal.join("data/lmms"),
        minimal.join("scoring"),
        minimal.join("harness"),
        minimal.clone(),
        tmp.path().to_path_buf(),
        minimal.join("harness/../data/x"),
        foreign.clone(),
    ] {
        let err = export(&minimal, Format::Plain, Some(&out)).unwrap_err();
        assert!(
            format!("{err:?}").contains("--out"),
            "{}: {err:?}",
            out.display()
        );
    }
    assert_eq!(common::tree_bytes(&minimal), before);
    assert_eq!(read(&foreign.join("todo.txt")), "keep me");
}

#[test]
fn a_failed_export_leaves_nothing_behind() {
    let tmp = tempfile::tempdir().unwrap();
    let (_, minimal) = releases(tmp.path());
    // A formats.json without the format the rows use: the export fails while streaming rows.
    let formats = minimal.join("scoring/formats.json");
    let text = read(&formats).replace("\"exact\"", "\"renamed\"");
    std::fs::write(&formats, text).unwrap();
    let out = tmp.path().join("exports/plain");
    let err = export(&minimal, Format::Plain, Some(&out)).unwrap_err();
    assert!(
        format!("{err:?}").contains("answer format `exact`"),
        "{err:?}"
    );
    let left: Vec<_> = std::fs::read_dir(tmp.path().join("exports"))
        .unwrap()
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn the_command_line_exports_and_reports() {
    let tmp = tempfile::tempdir().unwrap();
    let (_, minimal) = releases(tmp.path());
    let run = common::blindspot;
    let dir = minimal.to_str().unwrap();
    let o = run(&["export", dir, "--to", "vlmevalkit"]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(
        err.contains("warning: BlindspotMinimal.tsv: every answer looks like a number"),
        "{err}"
    );
    assert!(err.contains("exported 3 rows, 0 image files"), "{err}");
    let o = run(&["export", dir, "--to", "csv"]);
    assert_eq!(o.status.code(), Some(2));
    let o = run(&[
        "export",
        dir,
        "--to",
        "plain",
        "--out",
        &format!("{dir}/data/x"),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("never into data/"));
    let o = run(&[
        "export",
        tmp.path().join("nothing").to_str().unwrap(),
        "--to",
        "plain",
    ]);
    assert_eq!(o.status.code(), Some(2));
}
