use super::*;

fn row(id: &str, image: &str, prompt: &str, gt: &str) -> DatasetRow {
    DatasetRow {
        id: id.into(),
        task_id: id.split('/').next().unwrap_or_default().into(),
        image_sha256: image.into(),
        prompt: prompt.into(),
        groundtruth: gt.into(),
        answer_format: "integer".into(),
        answer_choices: "[]".into(),
        metadata: "{}".into(),
        ..DatasetRow::default()
    }
}

fn fp(r: &DatasetRow) -> Fingerprint {
    Fingerprint::of(r)
}

#[test]
fn each_field_counts_under_its_own_kind() {
    let base = row("t/000000/p1", "aa", "How many?", "3");
    let mut d = RowDiff::default();
    d.compare(&base.id, Some(&fp(&base)), &fp(&base));
    let mut gt_and_image = base.clone();
    gt_and_image.groundtruth = "4".into();
    gt_and_image.image_sha256 = "bb".into();
    d.compare(&base.id, Some(&fp(&base)), &fp(&gt_and_image));
    let mut format = base.clone();
    format.answer_choices = "[\"Yes\"]".into();
    d.compare(&base.id, Some(&fp(&base)), &fp(&format));
    let mut meta = base.clone();
    meta.metadata = "{\"n\":3}".into();
    meta.prompt = "How many dots?".into();
    d.compare(&base.id, Some(&fp(&base)), &fp(&meta));
    let c = d.tasks["t"];
    let want = Counts {
        changed: 3,
        image: 1,
        groundtruth: 1,
        prompt: 1,
        format: 1,
        metadata: 1,
        unchanged: 1,
        ..Counts::default()
    };
    assert_eq!(c, want);
}

#[test]
fn added_and_removed_rows_count_under_their_own_task() {
    let mut d = RowDiff::default();
    let a = row("a/000001/p1", "x", "p", "1");
    let b = row("b/000001/p1", "x", "p", "1");
    d.compare(&a.id, None, &fp(&a));
    d.removed(&b.id, &fp(&b));
    assert_eq!(d.tasks["a"].added, 1);
    assert_eq!(d.tasks["b"].removed, 1);
    assert_eq!(d.total().added + d.total().removed, 2);
    assert_eq!(d.examples.added, ["a/000001/p1"]);
    assert_eq!(d.examples.removed, ["b/000001/p1"]);
}

#[test]
fn examples_keep_the_first_five_ids_in_byte_order() {
    let mut d = RowDiff::default();
    for i in [9, 3, 7, 1, 8, 2, 6, 0, 5, 4] {
        let r = row(&format!("t/{i:06}/p1"), "x", "p", "1");
        d.compare(&r.id, None, &fp(&r));
    }
    let want: Vec<String> = (0..5).map(|i| format!("t/{i:06}/p1")).collect();
    assert_eq!(d.examples.added, want);
    assert_eq!(d.total().added, 10);
}

#[test]
fn hashing_separates_field_boundaries() {
    assert_ne!(hash(&["ab", "c"]), hash(&["a", "bc"]));
}

fn sample_diff() -> Diff {
    let side = |path: &str, version: &str| Side {
        path: path.into(),
        name: "minimal".into(),
        version: version.into(),
        compiler_version: "0.1.0".into(),
        content_digest: "0123456789abcdef".into(),
        rows: 3,
    };
    let mut rows = RowDiff::default();
    let r = row("dots/000000/p1", "x", "p", "1");
    rows.compare(&r.id, Some(&fp(&r)), &fp(&r));
    let total = rows.total();
    Diff {
        identical: true,
        old: side("old", "0.1.0"),
        new: side("new", "0.2.0"),
        content_digest_match: true,
        spec_changes: vec![SpecChange {
            task_id: "dots".into(),
            old: Some("aaaaaaaaaaaaaaaa".into()),
            new: Some("bbbbbbbbbbbbbbbb".into()),
        }],
        total,
        tasks: rows.tasks,
        examples: rows.examples,
    }
}

#[test]
fn text_report_names_header_changes_and_the_table() {
    let text = sample_diff().to_text();
    assert!(
        text.contains("name/version:   minimal 0.1.0 → minimal 0.2.0"),
        "{text}"
    );
    assert!(text.contains("compiler:       same"), "{text}");
    assert!(
        text.contains("task specs:     dots changed (aaaaaaaaaaaa → bbbbbbbbbbbb)"),
        "{text}"
    );
    assert!(text.contains("content digest: same"), "{text}");
    assert!(text.ends_with("rows identical: 1 rows\n"), "{text}");
    let table = sample_diff().table();
    let lines: Vec<&str> = table.lines().collect();
    assert_eq!(lines.len(), 3, "{table}");
    assert!(lines[0].starts_with("task "));
    assert!(lines[2].starts_with("total"));
    assert_eq!(lines[0].len(), lines[1].len(), "columns align:\n{table}");
}

#[test]
fn json_keys_follow_a_fixed_order() {
    let json = sample_diff().to_json();
    let keys = [
        "\"identical\"",
        "\"old\"",
        "\"new\"",
        "\"content_digest_match\"",
        "\"spec_changes\"",
        "\"total\"",
        "\"tasks\"",
        "\"examples\"",
    ];
    let at: Vec<usize> = keys.iter().map(|k| json.find(k).unwrap()).collect();
    assert!(at.windows(2).all(|w| w[0] < w[1]), "{json}");
    assert_eq!(json, sample_diff().to_json());
}
