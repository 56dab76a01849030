//! Label verification end to end: the report a build writes, margins that redraw random
//! samples reproducibly, and `blindspot verify` catching labels and pixels that were changed
//! after the build — including a hand-drawn image that contradicts its label.

mod common;

use std::path::{Path, PathBuf};

use blindspot::sink::{Row, ShardWriter};
use common::{blindspot, root};

const DOTS: &str = "tests/fixtures/verify/dots.yaml";
const GAPS: &str = "tests/fixtures/verify/gaps.yaml";

fn build(spec: &str, out: &Path, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["build", spec, "-q", "--out", out.to_str().unwrap()];
    args.extend_from_slice(extra);
    blindspot(&args)
}

fn report(dir: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(dir.join("verification.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn verify(dir: &Path, spec: &str) -> std::process::Output {
    blindspot(&["verify", dir.to_str().unwrap(), "--spec", spec])
}

fn text(o: &std::process::Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// The one data file of a single-task release.
fn data_file(dir: &Path) -> PathBuf {
    dir.join("data/valid-00000-of-00001.parquet")
        .canonicalize()
        .or_else(|_| dir.join("data/test-00000-of-00001.parquet").canonicalize())
        .unwrap()
}

/// Rewrites the release's data file with `edit` applied to every row.
fn tamper(dir: &Path, mut edit: impl FnMut(&mut Row)) {
    let file = data_file(dir);
    let mut rows = Vec::new();
    blindspot::sink::read::for_each_row(&file, |mut r| {
        edit(&mut r);
        rows.push(r);
        Ok(())
    })
    .unwrap();
    let rel = file.strip_prefix(dir.canonicalize().unwrap()).unwrap();
    let mut w = ShardWriter::create(&dir.canonicalize().unwrap(), rel.to_str().unwrap()).unwrap();
    w.write(&rows).unwrap();
    w.finish().unwrap();
}

/// A hand-drawn gray PNG of `n` dark discs in a row on white, 96×32 like the dots spec.
fn hand_drawn_dots(n: u32) -> Vec<u8> {
    let (w, h) = (96u32, 32u32);
    let mut px = vec![255u8; (w * h) as usize];
    for i in 0..n {
        let cx = 12.0 + 22.0 * f64::from(i);
        for y in 0..h {
            for x in 0..w {
                let (dx, dy) = (f64::from(x) + 0.5 - cx, f64::from(y) + 0.5 - 16.0);
                if dx * dx + dy * dy <= 36.0 {
                    px[(y * w + x) as usize] = 0;
                }
            }
        }
    }
    let mut out = Vec::new();
    let mut enc = png::Encoder::new(&mut out, w, h);
    enc.set_color(png::ColorType::Grayscale);
    enc.set_depth(png::BitDepth::Eight);
    let mut writer = enc.write_header().unwrap();
    writer.write_image_data(&px).unwrap();
    writer.finish().unwrap();
    out
}

#[test]
fn a_build_reports_agreement_and_verify_repeats_it() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("dots");
    let o = build(DOTS, &out, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let r = report(&out);
    let t = &r["tasks"][0];
    assert_eq!(r["format"], "blindspot-verification-v1");
    assert_eq!(
        (t["checked"].as_u64(), t["agreed"].as_u64()),
        (Some(4), Some(4))
    );
    let card = std::fs::read_to_string(out.join("README.md")).unwrap();
    assert!(card.contains("## Label verification"), "{card}");
    let manifest = std::fs::read_to_string(out.join("manifest.json")).unwrap();
    assert!(
        manifest.contains("\"verification.json\""),
        "listed with its hash"
    );
    let v = verify(&out, DOTS);
    assert_eq!(v.status.code(), Some(0), "{}", text(&v));
    assert!(
        text(&v).contains("| dots | count | 4 | 4 | 0 |"),
        "{}",
        text(&v)
    );
}

#[test]
fn a_wrong_label_is_published_only_when_accepted() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("wrong");
    let spec = "tests/fixtures/invalid/label-disagrees.yaml";
    let o = build(spec, &out, &["--accept-disagreements"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let t = &report(&out)["tasks"][0];
    assert_eq!(t["disagreed"], 1);
    let d = &t["disagreements"][0];
    assert_eq!(d["id"], "dots/000001", "the two-dot image");
    assert_eq!(d["checks"][0]["label"], "3");
    assert_eq!(d["checks"][0]["measured"], "2");
    assert_eq!(d["measures"]["found"], 2);
    let v = verify(&out, spec);
    assert_eq!(v.status.code(), Some(1), "{}", text(&v));
    assert!(text(&v).contains("label-disagrees"), "{}", text(&v));
}

#[test]
fn verify_catches_a_label_changed_after_the_build() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("dots");
    assert_eq!(build(DOTS, &out, &[]).status.code(), Some(0));
    tamper(&out, |r| {
        if r.id == "dots/000002/p1" {
            r.groundtruth = "4".into(); // the image shows 3 dots
        }
    });
    let v = verify(&out, DOTS);
    assert_eq!(v.status.code(), Some(1), "{}", text(&v));
    assert!(
        text(&v).contains("| dots | count | 4 | 3 | 1 |"),
        "{}",
        text(&v)
    );
}

#[test]
fn verify_judges_a_hand_drawn_image_against_its_label() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("dots");
    assert_eq!(build(DOTS, &out, &[]).status.code(), Some(0));
    // The 4-dot image replaced by a hand-drawn one: 4 dots still agree, 5 dots do not.
    for (n, agreed) in [(4, 4), (5, 3)] {
        tamper(&out, |r| {
            if r.id == "dots/000003/p1" {
                r.image = hand_drawn_dots(n);
            }
        });
        let v = verify(&out, DOTS);
        let want = format!("| dots | count | 4 | {agreed} | {} |", 4 - agreed);
        assert!(text(&v).contains(&want), "{n} dots: {}", text(&v));
    }
}

#[test]
fn margins_redraw_random_samples_reproducibly() {
    let tmp = tempfile::tempdir().unwrap();
    let (one, two) = (tmp.path().join("j1"), tmp.path().join("j2"));
    let o = build(GAPS, &one, &["-j", "1"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert_eq!(build(GAPS, &two, &["-j", "2"]).status.code(), Some(0));
    for f in ["verification.json", "manifest.json"] {
        let (a, b) = (std::fs::read(one.join(f)), std::fs::read(two.join(f)));
        assert_eq!(a.unwrap(), b.unwrap(), "{f} differs between -j 1 and -j 2");
    }
    let t = &report(&one)["tasks"][0];
    assert!(t["redrawn"].as_u64().unwrap() > 0, "{t}");
    assert_eq!(t["inside_margin"], 0, "{t}");
    assert_eq!(t["agreed"], 40, "{t}");
    let v = verify(&one, GAPS);
    assert_eq!(
        v.status.code(),
        Some(0),
        "replays the redraws: {}",
        text(&v)
    );
}

#[test]
fn without_redraws_samples_inside_a_margin_are_reported() {
    let tmp = tempfile::tempdir().unwrap();
    let spec_text = std::fs::read_to_string(root().join(GAPS)).unwrap() + "  redraws: 0\n";
    let spec = tmp.path().join("gaps.yaml");
    std::fs::write(&spec, spec_text).unwrap();
    let out = tmp.path().join("gaps");
    // Samples inside the margin may disagree (a gap under a pixel vanishes); the margin
    // declares them ambiguous, so they are kept and listed, and the build succeeds.
    let o = build(spec.to_str().unwrap(), &out, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let t = &report(&out)["tasks"][0];
    assert_eq!(t["redrawn"], 0);
    let inside = t["inside_margin"].as_u64().unwrap();
    assert!(inside > 0, "{t}");
    let margin = "apart by at least 3 clear pixels, or overlapping by a pixel";
    assert_eq!(t["inside"][0]["margins"][0], margin);
    let disagreements = t["disagreements"].as_array().unwrap();
    assert!(
        !disagreements.is_empty(),
        "the fixture has ambiguous samples: {t}"
    );
    for d in disagreements {
        assert_eq!(d["margins"][0], margin, "{d}");
    }
    let card = std::fs::read_to_string(out.join("README.md")).unwrap();
    assert!(
        card.contains("disagreements inside a margin (ambiguous, kept)"),
        "{card}"
    );
    let v = verify(&out, spec.to_str().unwrap());
    assert_eq!(v.status.code(), Some(0), "{}", text(&v));
    let note = "lie inside a margin, where the spec declares the pixels ambiguous";
    assert!(text(&v).contains(note), "{}", text(&v));
}

#[test]
fn no_verify_skips_the_report_but_not_where_it_would_change_samples() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("dots");
    let o = build(DOTS, &out, &["--no-verify"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(!out.join("verification.json").exists());
    let gaps = tmp.path().join("gaps");
    let o = build(GAPS, &gaps, &["--no-verify"]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains("error[verify-required]"), "{}", text(&o));
    assert!(!gaps.exists());
}

#[test]
fn a_merge_of_shards_reports_what_the_single_build_reports() {
    let tmp = tempfile::tempdir().unwrap();
    let whole = tmp.path().join("whole");
    assert_eq!(build(GAPS, &whole, &[]).status.code(), Some(0));
    let mut dirs = Vec::new();
    for i in 0..3 {
        let dir = tmp.path().join(format!("s{i}"));
        let shard = format!("{i}/3");
        let o = build(GAPS, &dir, &["--shard", &shard]);
        assert_eq!(o.status.code(), Some(0), "{}", text(&o));
        dirs.push(dir);
    }
    let merged = tmp.path().join("merged");
    let mut args = vec!["merge", GAPS, "--out", merged.to_str().unwrap()];
    args.extend(dirs.iter().map(|d| d.to_str().unwrap()));
    let o = blindspot(&args);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    for f in ["verification.json", "manifest.json", "README.md"] {
        let (a, b) = (std::fs::read(whole.join(f)), std::fs::read(merged.join(f)));
        assert_eq!(a.unwrap(), b.unwrap(), "{f} differs after the merge");
    }
}

#[test]
fn preview_shows_the_sample_the_build_keeps_with_its_verdict() {
    let tmp = tempfile::tempdir().unwrap();
    let (out, pv) = (tmp.path().join("gaps"), tmp.path().join("preview"));
    assert_eq!(build(GAPS, &out, &[]).status.code(), Some(0));
    let o = blindspot(&[
        "preview",
        GAPS,
        "-n",
        "40",
        "--html",
        "--out",
        pv.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let mut built = std::collections::BTreeMap::new();
    blindspot::sink::read::for_each_row(&data_file(&out), |r| {
        built.insert(r.image_path.clone(), r.image);
        Ok(())
    })
    .unwrap();
    assert_eq!(built.len(), 40);
    for (path, png) in &built {
        let shown = std::fs::read(pv.join(path)).unwrap();
        assert!(
            &shown == png,
            "{path}: the preview shows another image than the build"
        );
    }
    let page = std::fs::read_to_string(pv.join("index.html")).unwrap();
    assert!(
        page.contains("verify: labels agree with the pixels"),
        "verdicts shown"
    );
    assert!(page.contains("to leave the margins"), "redraws shown");
    assert!(
        page.contains("margin: the rendered sample was inside it"),
        "{page}"
    );
    assert!(
        !page.contains("uniqueness"),
        "margin redraws are not uniqueness rejections"
    );
}
