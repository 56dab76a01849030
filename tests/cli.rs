//! Smoke tests of the command line: exit codes and what users see.

mod common;

use std::process::Output;

use common::blindspot;

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn check_prints_counts_per_axis_value() {
    let o = blindspot(&["check", "tasks/blindtest/touching_circles.yaml"]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let text = stdout(&o);
    assert!(
        text.contains("images: 672   prompts: 2   rows: 1344   split: valid"),
        "{text}"
    );
    assert!(text.contains("axis distance:"));
    assert!(text.contains("answers p1: No: 480, Yes: 192"), "{text}");
    assert!(text.contains("answers p2: No: 528, Yes: 144"), "{text}");
}

#[test]
fn list_names_primitives_functions_plugins_formats_and_fonts() {
    let o = blindspot(&["list"]);
    assert_eq!(o.status.code(), Some(0));
    let text = stdout(&o);
    for needle in [
        "regular_polygon",
        "uniform",
        "sqrt",
        "DejaVu Sans",
        "tab:blue",
        "lattice_routes",
        "routes_per_station",
        "braced_integer",
    ] {
        assert!(text.contains(needle), "list lacks {needle}");
    }
}

#[test]
fn schema_prints_json() {
    let o = blindspot(&["schema"]);
    assert_eq!(o.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["title"], "blindspot task spec");
}

#[test]
fn preview_writes_pngs_and_a_contact_sheet() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("p");
    let o = blindspot(&[
        "preview",
        "tests/fixtures/valid/minimal.yaml",
        "-n",
        "3",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    for f in [
        "contact-sheet.png",
        "samples.txt",
        "dots-000000.png",
        "dots-000000.svg",
    ] {
        assert!(out.join(f).exists(), "{f}");
    }
    let sheet = common::decode_png(&std::fs::read(out.join("contact-sheet.png")).unwrap());
    assert!(sheet.width >= 256 && sheet.height >= 256);
}

#[test]
fn missing_spec_is_an_io_error_with_exit_code_2() {
    let o = blindspot(&["check", "tasks/does-not-exist.yaml"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("cannot read spec"));
}

#[test]
fn build_reports_progress_and_stage_timings_and_quiet_silences_them() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("ds");
    let out = out.to_str().unwrap();
    let spec = "tests/fixtures/valid/minimal.yaml";
    let o = blindspot(&["build", spec, "--out", out, "--timings"]);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{stderr}");
    // Not a terminal: plain lines instead of a bar, ending with the totals.
    assert!(stderr.contains("progress: done, 3 images in"), "{stderr}");
    assert!(stderr.contains("built 3 images, 3 rows"), "{stderr}");
    for stage in [
        "expand", "scene", "svg", "raster", "encode", "write", "total", "wall",
    ] {
        assert!(
            stderr.lines().any(|l| l.starts_with(stage)),
            "{stage} row in {stderr}"
        );
    }
    let o = blindspot(&["build", spec, "--out", out, "--quiet"]);
    assert!(o.status.success());
    assert_eq!(
        String::from_utf8_lossy(&o.stderr),
        "",
        "--quiet prints nothing"
    );
}

#[test]
fn new_writes_a_starter_spec_that_builds_with_labels_matching_its_pictures() {
    let dir = tempfile::tempdir().unwrap();
    let tasks = dir.path().join("tasks");
    let out = blindspot(&["new", "dot-in-circle", "--dir", tasks.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let spec = tasks.join("dot-in-circle.yaml");
    assert!(
        stdout(&out).contains("blindspot build"),
        "prints the next steps"
    );
    let again = blindspot(&["new", "dot-in-circle", "--dir", tasks.to_str().unwrap()]);
    assert_eq!(
        again.status.code(),
        Some(1),
        "an existing spec is never overwritten"
    );

    let ds = dir.path().join("ds");
    common::build(&spec, &ds, 2);
    let (rows, _) = common::read_parquet(&ds.join("data/test-00000-of-00001.parquet"));
    assert_eq!(rows.len(), 60);
    for r in &rows {
        // The dot is the only black blob; the circle is centred at (160, 160).
        let px = common::decode_png(&r.image);
        let (mut sx, mut sy, mut n) = (0f64, 0f64, 0f64);
        for y in 0..px.height {
            for x in 0..px.width {
                if px.at(x, y).iter().all(|&c| c < 60) {
                    (sx, sy, n) = (sx + f64::from(x), sy + f64::from(y), n + 1.0);
                }
            }
        }
        let (cx, cy) = (sx / n - 159.5, sy / n - 159.5);
        let radius = r.metadata["radius"]
            .as_f64()
            .expect("radius in the metadata");
        let inside = (cx * cx + cy * cy).sqrt() < radius;
        let want = if inside { "Yes" } else { "No" };
        assert_eq!(r.groundtruth, want, "{}: dot at ({cx:.1}, {cy:.1})", r.id);
    }
    let yes = rows.iter().filter(|r| r.groundtruth == "Yes").count();
    assert_eq!(yes, 30);
}

#[test]
fn explain_estimates_draws_and_answers_and_warns_about_imbalance() {
    let out = blindspot(&["explain", "tasks/blindtest/touching_circles.yaml"]);
    assert!(out.status.success());
    let text = stdout(&out);
    assert!(text.contains("estimated from 400 of 672 samples"), "{text}");
    assert!(
        text.contains("warning: `No` is 78 % of p2's answers"),
        "the overlap question is mostly No:\n{text}"
    );
    assert!(
        !text.contains("p1's answers"),
        "71 % is within the bound:\n{text}"
    );

    let out = blindspot(&["explain", "tasks/blindtest/line_plot_intersections.yaml"]);
    let text = stdout(&out);
    assert!(
        text.contains("rejected ("),
        "quota redraws are reported:\n{text}"
    );
    assert!(!text.contains("warning"), "balanced by quota:\n{text}");

    let out = blindspot(&["explain", "tasks/examples/arrows_same_direction.yaml"]);
    let text = stdout(&out);
    assert!(text.contains("all 60 samples composed"), "{text}");
    assert!(
        text.contains("answers p1: No: 30 (50 %), Yes: 30 (50 %)"),
        "{text}"
    );
}

#[test]
fn limits_stop_a_spec_and_an_override_lets_it_through() {
    let dir = tempfile::tempdir().unwrap();
    let spec = common::root().join("tests/fixtures/invalid/too-many-retries.yaml");
    let spec = spec.to_str().unwrap();
    let out = dir.path().join("d");
    let refused = blindspot(&["build", spec, "--out", out.to_str().unwrap()]);
    assert_eq!(refused.status.code(), Some(1));
    let err = String::from_utf8_lossy(&refused.stderr);
    assert!(err.contains("error[too-many-retries]") && err.contains("--limit retries=N"));
    assert!(!out.exists(), "a refused build writes nothing");
    let args = ["build", spec, "--out", out.to_str().unwrap(), "--quiet"];
    let raised = blindspot(&[&args[..], &["--limit", "retries=2000000"]].concat());
    assert!(
        raised.status.success(),
        "{}",
        String::from_utf8_lossy(&raised.stderr)
    );
    assert!(out.join("manifest.json").exists());
    // A lowered limit refuses what the defaults allow; a bad override is a usage error.
    let minimal = common::root().join("tests/fixtures/valid/minimal.yaml");
    let lowered = blindspot(&[
        "--limit",
        "canvas-pixels=1000",
        "check",
        minimal.to_str().unwrap(),
    ]);
    assert_eq!(lowered.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&lowered.stderr).contains("error[canvas-too-large]"));
    let bad = blindspot(&["--limit", "canvas-pixels=0", "limits"]);
    assert_eq!(bad.status.code(), Some(2));
    let table = stdout(&blindspot(&["limits", "--limit", "samples=20_000_000"]));
    assert!(
        table
            .lines()
            .any(|l| l.starts_with("samples") && l.contains("20000000"))
    );
}
