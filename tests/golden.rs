//! Goldens: SVG text of fixed samples, and SHA-256 digests of their PNGs and of a small
//! Parquet build, so a dependency bump that changes output bytes fails loudly.
//! Regenerate with `BLINDSPOT_UPDATE=1 cargo test --test golden` and look at the images.

mod common;

use std::fmt::Write as _;

use blindspot::{compose, expand, pipeline, render::Renderer, scene::svg::to_svg};
use sha2::{Digest, Sha256};

const CASES: &[(&str, &[u64])] = &[
    ("tasks/blindtest/touching_circles.yaml", &[0, 101, 350, 671]),
    ("tasks/blindtest/line_plot_intersections.yaml", &[0, 1799]),
    ("tasks/blindtest/circled_letter.yaml", &[78]),
    ("tasks/blindtest/olympic_circles.yaml", &[210]),
    ("tasks/blindtest/olympic_pentagons.yaml", &[210]),
    ("tasks/blindtest/nested_squares.yaml", &[105]),
    ("tasks/blindtest/grid_blank.yaml", &[66]),
    ("tasks/blindtest/grid_words.yaml", &[66]),
    ("tasks/blindtest/subway_connections.yaml", &[135]),
    ("tests/fixtures/valid/minimal.yaml", &[0, 2]),
];

fn hex(b: &[u8]) -> String {
    Sha256::digest(b)
        .iter()
        .map(|x| format!("{x:02x}"))
        .collect()
}

#[test]
fn svg_text_and_png_digests_match_the_goldens() {
    let renderer = Renderer::new();
    let mut digests = String::new();
    let mut diffs = Vec::new();
    for (spec_path, indices) in CASES {
        let spec = blindspot::spec::load(&common::root().join(spec_path)).unwrap();
        for &i in *indices {
            let planner = expand::Planner::new(&spec).unwrap();
            let sample = compose::compose(&spec, &planner.plan(i)).unwrap();
            let svg = to_svg(&sample.scene);
            let name = format!("{}-{i:06}.svg", spec.task_id);
            let path = common::root().join("tests/golden/svg").join(&name);
            if common::updating() {
                std::fs::write(&path, &svg).unwrap();
            } else if std::fs::read_to_string(&path).unwrap_or_default() != svg {
                diffs.push(format!("{name} differs; got:\n{svg}"));
            }
            let png = pipeline::render_png(&spec, &renderer, &sample).unwrap();
            let _ = writeln!(digests, "{}  {}", hex(&png), name.replace(".svg", ".png"));
        }
    }
    let dir = tempfile::tempdir().unwrap();
    common::build(
        &common::root().join("tests/fixtures/valid/minimal.yaml"),
        &dir.path().join("m"),
        2,
    );
    for (rel, bytes) in common::tree_bytes(&dir.path().join("m")) {
        let _ = writeln!(digests, "{}  minimal/{rel}", hex(&bytes));
    }
    let hashes = common::root().join("tests/golden/hashes.txt");
    if common::updating() {
        std::fs::write(&hashes, &digests).unwrap();
    }
    let want = std::fs::read_to_string(&hashes).unwrap_or_default();
    if want != digests {
        diffs.push(format!(
            "digests differ (renderer, PNG or Parquet bytes changed):\nwant:\n{want}got:\n{digests}"
        ));
    }
    assert!(diffs.is_empty(), "{}", diffs.join("\n"));
}
