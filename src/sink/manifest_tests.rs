//! Unit tests for the manifest and the row tally.

use super::*;
use crate::sink::sha256_hex;
use crate::sink::spill::{RecordLog, RowRecords, SortedLines};
use crate::sink::test_support::sample_rows;

fn header() -> ManifestHeader {
    ManifestHeader {
        repeat: 1,
        name: "blindtest-mini".into(),
        version: "1.0.0".into(),
        compiler: CompilerInfo {
            name: "blindspot".into(),
            version: "0.1.0".into(),
        },
        seed: 42,
        seeding_scheme: "pcg64(master, task, index)".into(),
        spec: SpecInfo {
            path: "specs/blindtest.yaml".into(),
            sha256: "ab".repeat(32),
        },
        task_specs: vec![],
        renderer: RendererInfo {
            resvg: "0.49.0".into(),
            fonts: vec![FontInfo {
                family: "DejaVu Sans".into(),
                file: "DejaVuSans.ttf".into(),
                sha256: "cd".repeat(32),
                license: "Bitstream-Vera".into(),
            }],
        },
    }
}

fn manifest_for(rows: &[Row]) -> Manifest {
    let mut tally = Tally::new();
    tally.add_all(rows).unwrap();
    Manifest::new(header(), tally.finish().unwrap(), Vec::new())
}

#[test]
fn keys_come_in_the_documented_order() {
    let json = render_manifest(&manifest_for(&sample_rows(6))).unwrap();
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        [
            "format",
            "name",
            "version",
            "compiler",
            "seed",
            "seeding_scheme",
            "spec",
            "task_specs",
            "renderer",
            "files",
            "counts",
            "rows",
            "content_digest"
        ]
    );
    assert_eq!(v["format"], MANIFEST_FORMAT);
    assert!(json.ends_with("}\n"));
}

#[test]
fn counts_split_by_task_and_answer() {
    let rows = sample_rows(12);
    let m = manifest_for(&rows);
    assert_eq!(m.counts.rows, 12);
    let grid = &m.counts.per_task["counting-grid"];
    // Rows 2, 5, 8, 11: two images, each asked twice.
    assert_eq!((grid.images, grid.rows), (2, 4));
    let circles = &m.counts.per_task["touching-circles"];
    assert_eq!((circles.images, circles.rows), (4, 4));
    // Rows 0, 3, 6, 9; only row 0 has i % 4 == 0.
    assert_eq!(circles.per_groundtruth["Yes"], 1);
    assert_eq!(circles.per_groundtruth["No"], 3);
    assert_eq!(m.counts.images, 4 + 4 + 2);
    assert_eq!(m.rows.to_vec().unwrap()[1].id, rows[1].id);
}

#[test]
fn content_digest_ignores_row_order() {
    let rows = sample_rows(20);
    let mut reversed = rows.clone();
    reversed.reverse();
    let a = manifest_for(&rows);
    let b = manifest_for(&reversed);
    assert_eq!(a.content_digest, b.content_digest);
    assert_ne!(a.rows, b.rows);
}

#[test]
fn content_digest_matches_documented_formula() {
    let rows = sample_rows(5);
    let mut sorted: Vec<&Row> = rows.iter().collect();
    sorted.sort_by(|a, b| a.id.cmp(&b.id));
    let body: String = sorted
        .iter()
        .map(|r| content_digest_line(&r.id, &r.image_sha256, &r.prompt, &r.groundtruth))
        .collect();
    assert_eq!(
        manifest_for(&rows).content_digest,
        sha256_hex(body.as_bytes())
    );
    assert_eq!(
        content_digest_line("a\\b", "h", "x\ty\nz\r", "Yes"),
        "a\\\\b\th\tx\\ty\\nz\\r\tYes\n"
    );
}

#[test]
fn content_digest_changes_with_content() {
    let rows = sample_rows(5);
    let mut changed = rows.clone();
    changed[3].groundtruth = "Maybe".into();
    assert_ne!(
        manifest_for(&rows).content_digest,
        manifest_for(&changed).content_digest
    );
}

#[test]
fn duplicate_ids_and_label_conflicts_are_errors() {
    let mut rows = sample_rows(4);
    rows[3].id = rows[0].id.clone();
    let mut tally = Tally::new();
    tally.add_all(&rows).unwrap();
    assert!(
        tally
            .finish()
            .unwrap_err()
            .message
            .contains("duplicate row id")
    );

    let mut rows = sample_rows(4);
    rows[3].task = "Other label".into();
    let mut tally = Tally::new();
    tally.add_all(&rows).unwrap();
    assert!(tally.finish().unwrap_err().message.contains("two labels"));
}

#[test]
fn task_counts_feed_the_card() {
    let mut tally = Tally::new();
    tally.add_all(&sample_rows(12)).unwrap();
    let counts = tally.task_counts();
    let ids: Vec<&str> = counts.iter().map(|t| t.task_id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "counting-grid",
            "line-plot-intersections",
            "touching-circles"
        ]
    );
    assert_eq!(counts[0].label, "Counting | Grid \"quoted\"");
    assert_eq!(tally.rows(), 12);
    let summed: u64 = counts.iter().map(|t| t.arrow_bytes).sum();
    assert_eq!(summed, tally.arrow_bytes());
}

#[test]
fn rendering_is_deterministic() {
    let rows = sample_rows(9);
    assert_eq!(
        render_manifest(&manifest_for(&rows)).unwrap(),
        render_manifest(&manifest_for(&rows)).unwrap()
    );
}

#[test]
fn arrow_bytes_counts_data_offsets_and_fixed_columns() {
    let rows = sample_rows(3);
    let mut tally = Tally::new();
    tally.add_all(&rows).unwrap();
    let want: usize = rows
        .iter()
        .map(|r| {
            let texts = [&r.id, &r.task, &r.task_id, &r.image_path, &r.prompt];
            let more = [&r.groundtruth, &r.metadata, &r.image_sha256, &r.prompt_id];
            let scoring = [&r.answer_format, &r.answer_choices];
            let all = texts.iter().chain(&more).chain(&scoring);
            let data: usize = all.map(|s| s.len()).sum();
            data + r.image.len() + 12 * 4 + 16
        })
        .sum();
    assert_eq!(tally.arrow_bytes(), want as u64);
}

/// A tally that keeps tiny sorted runs on disk.
fn spilling_tally(dir: &std::path::Path, budget: usize) -> Tally {
    let records = RecordLog::new(Some(dir)).unwrap();
    Tally::with_logs(records, SortedLines::new(Some(dir), budget))
}

#[test]
fn a_spilled_tally_writes_the_same_manifest_as_one_in_memory() {
    let mut rows = sample_rows(300);
    rows.reverse();
    let dir = tempfile::tempdir().unwrap();
    let mut spilled = spilling_tally(dir.path(), 4096);
    spilled.add_all(&rows).unwrap();
    assert!(spilled.digest.runs() > 5, "the small budget spills runs");
    let stats = spilled.finish().unwrap();
    assert!(matches!(stats.rows, RowRecords::File { len: 300, .. }));
    let on_disk = Manifest::new(header(), stats, Vec::new());
    let out = tempfile::tempdir().unwrap();
    let summary = write_manifest(out.path(), &on_disk).unwrap();
    let written = std::fs::read_to_string(out.path().join("manifest.json")).unwrap();
    assert_eq!(written, render_manifest(&manifest_for(&rows)).unwrap());
    assert_eq!(summary.sha256, sha256_hex(written.as_bytes()));
    assert_eq!(summary.bytes, written.len() as u64);
}

#[test]
fn a_spilled_tally_still_rejects_duplicate_ids_across_runs() {
    let mut rows = sample_rows(200);
    rows[199].id = rows[0].id.clone();
    let dir = tempfile::tempdir().unwrap();
    let mut tally = spilling_tally(dir.path(), 2048);
    tally.add_all(&rows).unwrap();
    let err = tally.finish().unwrap_err();
    assert!(err.message.contains("duplicate row id"), "{err}");
}

#[test]
fn images_are_counted_as_changes_of_image_path_within_a_task() {
    let rows = sample_rows(12);
    let mut tally = Tally::new();
    tally.add_all(&rows).unwrap();
    let mut distinct: std::collections::BTreeMap<&str, std::collections::BTreeSet<&str>> =
        Default::default();
    for r in &rows {
        distinct
            .entry(&r.task_id)
            .or_default()
            .insert(&r.image_path);
    }
    for t in tally.task_counts() {
        assert_eq!(t.images, distinct[t.task_id.as_str()].len() as u64);
    }
}
