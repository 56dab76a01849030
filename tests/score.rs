//! `blindspot score` on the full BlindTest build: a uniformly random guesser reproduces the
//! paper's Table 1 chance baselines, gold replies score 100 %, and the CLI writes its files.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use blindspot::answer::{Compiled, release};
use blindspot::dataset::Dataset;
use blindspot::score::{Replies, score};

/// Paper Table 1 random baselines per score column (percent).
const TABLE_1: [(&str, f64); 8] = [
    ("Line Plot Intersections", 33.33),
    ("Touching Circles", 50.00),
    ("Circled Letter", 5.77),
    ("Olympic Counting - Circles", 20.00),
    ("Olympic Counting - Pentagons", 20.00),
    ("Nested Squares", 25.00),
    ("Counting Grid", 4.55),
    ("Subway Connections", 33.33),
];

fn summary(dir: &Path) -> BTreeMap<String, (u64, f64, f64)> {
    let text = std::fs::read_to_string(dir.join("summary.csv")).unwrap();
    text.lines()
        .filter(|l| l.starts_with("column,"))
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            (
                f[1].to_owned(),
                (
                    f[3].parse().unwrap(),
                    f[8].parse().unwrap(),
                    f[9].parse().unwrap(),
                ),
            )
        })
        .collect()
}

use common::blindspot as run;

#[test]
fn random_guessing_gives_table_1_and_gold_replies_score_everything() {
    let tmp = tempfile::tempdir().unwrap();
    let ds = tmp.path().join("blindtest");
    let suite = common::root().join("tasks/blindtest");
    let res = run(&[
        "build",
        suite.to_str().unwrap(),
        "--out",
        ds.to_str().unwrap(),
    ]);
    assert!(
        res.status.success(),
        "{}",
        String::from_utf8_lossy(&res.stderr)
    );
    let ds_s = ds.to_str().unwrap();

    let out = tmp.path().join("random");
    let res = run(&[
        "score",
        ds_s,
        "--random",
        "2024",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(
        res.status.success(),
        "{}",
        String::from_utf8_lossy(&res.stderr)
    );
    let cols = summary(&out);
    assert_eq!(cols.len(), 8, "{cols:?}");
    for (name, paper) in TABLE_1 {
        let (n, acc, chance) = cols[name];
        // Sampling error of a fixed-seed run: within 3 standard errors of the paper's figure.
        let p = paper / 100.0;
        let se = 100.0 * (p * (1.0 - p) / n as f64).sqrt();
        assert!(
            (acc - paper).abs() <= 3.0 * se,
            "{name}: {acc:.2}% vs {paper}% (SE {se:.2})"
        );
        // The expected value from the answer sets. Circled Letter: the paper's 5.77 % = 3/52 is
        // the mean of 1/len(word); case-insensitively "Acknowledgement" has 12 distinct
        // letters, not 15, so a uniform guess over the answer set is right 6.25 % of the time.
        let want = if name == "Circled Letter" {
            6.25
        } else {
            paper
        };
        assert!(
            (chance - want).abs() < 0.01,
            "{name}: chance {chance:.4}% vs {want}%"
        );
    }
    for f in [
        "rows.csv",
        "params.csv",
        "plots/touching-circles.png",
        "plots/nested-squares.png",
    ] {
        assert!(out.join(f).exists(), "{f}");
    }

    let gold = tmp.path().join("gold.jsonl");
    write_gold(&ds, &gold);
    let scores = score(&ds, &Replies::File(gold)).unwrap();
    assert!(scores.rows.iter().all(|r| r.parsed.is_some()));
    let correct = scores
        .rows
        .iter()
        .filter(|r| {
            r.outcome == blindspot::score::RowOutcome::Scored(blindspot::answer::Outcome::Correct)
        })
        .count();
    assert_eq!(correct, 8016);
}

/// A reply per row, written the way its format shows the ground truth, with harmless noise.
fn write_gold(ds: &Path, path: &Path) {
    let formats = release::read_formats(ds).unwrap();
    let mut text = String::new();
    for r in Dataset::open(ds).unwrap().rows().unwrap() {
        let f: &Compiled = &formats[&r.answer_format];
        let reply = format!("**{}**", f.reply_for(&r.groundtruth));
        let line = serde_json::json!({"id": r.id, "response": reply});
        text.push_str(&format!("{line}\n"));
    }
    std::fs::write(path, text).unwrap();
}

#[test]
fn bad_predictions_are_reported_with_their_line() {
    let tmp = tempfile::tempdir().unwrap();
    let ds = tmp.path().join("ds");
    common::build(
        &common::root().join("tests/fixtures/valid/minimal.yaml"),
        &ds,
        1,
    );
    let preds = tmp.path().join("p.jsonl");
    std::fs::write(
        &preds,
        "{\"id\": \"dots/000000/p1\", \"reply\": \"{1}\"}\nnot json\n",
    )
    .unwrap();
    let res = run(&["score", ds.to_str().unwrap(), preds.to_str().unwrap()]);
    assert_eq!(res.status.code(), Some(2));
    let err = String::from_utf8_lossy(&res.stderr);
    assert!(err.contains("p.jsonl:2: not a JSON object"), "{err}");

    std::fs::write(
        &preds,
        "{\"id\": \"dots/000000/p1\", \"reply\": \"1\"}\n{\"id\": \"nope\", \"reply\": \"2\"}\n",
    )
    .unwrap();
    let out = tmp.path().join("scores");
    let res = run(&[
        "score",
        ds.to_str().unwrap(),
        preds.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(res.status.success());
    let text = String::from_utf8_lossy(&res.stdout);
    assert!(
        text.contains("1 replies have ids not in the dataset"),
        "{text}"
    );
    let rows = std::fs::read_to_string(out.join("rows.csv")).unwrap();
    assert_eq!(
        rows.lines().filter(|l| l.ends_with(",missing")).count(),
        2,
        "{rows}"
    );
    assert_eq!(
        rows.lines().filter(|l| l.ends_with(",correct")).count(),
        1,
        "{rows}"
    );
}
