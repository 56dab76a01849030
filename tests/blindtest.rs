//! The BlindTest suite against ../shared/blindtest/REFERENCE.md: counts per task and per
//! parameter value, answer balance, and every ground truth recomputed here from the sample's
//! metadata with independent code (not the expressions that produced it). Composes every
//! sample without rendering.

mod common;

use std::collections::BTreeMap;

use blindspot::compose::{Composer, DrawSplit, Sample, compose};
use blindspot::expand::Planner;
use blindspot::spec::TaskSpec;
use serde_json::Value;

fn suite() -> blindspot::spec::suite::Suite {
    let path = common::root().join("tasks/blindtest/suite.yaml");
    blindspot::spec::suite::load_suite(&path)
        .unwrap_or_else(|d| panic!("{}", blindspot::diag::render(&d)))
}

fn task<'a>(suite: &'a blindspot::spec::suite::Suite, id: &str) -> &'a TaskSpec {
    suite
        .tasks
        .iter()
        .find(|t| t.task_id == id)
        .unwrap_or_else(|| panic!("no task {id}"))
}

fn samples(task: &TaskSpec) -> Vec<(Sample, Value)> {
    let planner = Planner::new(task).unwrap_or_else(|(_, e)| panic!("{e:?}"));
    (0..task.images())
        .map(|i| {
            let s = compose(task, &planner.plan(i))
                .unwrap_or_else(|e| panic!("{}: {e:?}", task.task_id));
            let meta = serde_json::from_str(&s.metadata).unwrap();
            (s, meta)
        })
        .collect()
}

/// What a sample contributes, as comparable text.
fn fingerprint(s: &Sample) -> String {
    let prompts: Vec<_> = s.prompts.iter().map(|p| (&p.text, &p.answer)).collect();
    let svg = blindspot::scene::svg::to_svg(&s.scene);
    format!("{svg}\n{prompts:?}\n{}\n{:?}", s.metadata, s.rejected)
}

#[test]
fn sharing_a_seed_keys_draw_changes_no_sample() {
    let suite = suite();
    let mut shared_tasks = 0;
    for task in &suite.tasks {
        shared_tasks += usize::from(DrawSplit::of(task).per_key);
        let planner = Planner::new(task).unwrap_or_else(|(_, e)| panic!("{e:?}"));
        let mut composer = Composer::new(task);
        for i in 0..task.images() {
            let plan = planner.plan(i);
            let alone = compose(task, &plan).unwrap();
            let sequential = composer.compose(&plan).unwrap();
            assert_eq!(
                fingerprint(&alone),
                fingerprint(&sequential),
                "{} sample {i}",
                task.task_id
            );
        }
    }
    // Every BlindTest draw reads only seed axes, so every task goes through the sharing.
    assert_eq!(shared_tasks, suite.tasks.len());
}

fn tally(items: impl Iterator<Item = String>) -> BTreeMap<String, usize> {
    let mut m = BTreeMap::new();
    for i in items {
        *m.entry(i).or_default() += 1;
    }
    m
}

#[test]
fn suite_has_nine_labels_3828_images_and_8016_rows() {
    let s = suite();
    let want = [
        ("Line Plot Intersections", 1800, 3600),
        ("Touching Circles", 672, 1344),
        ("Circled Letter", 312, 624),
        ("Olympic Counting - Circles", 240, 480),
        ("Olympic Counting - Pentagons", 240, 480),
        ("Nested Squares", 120, 240),
        ("Counting Grid - Blank Grids", 132, 264),
        ("Counting Grid - Word Grids", 132, 264),
        ("Subway Connections", 180, 720),
    ];
    let got: Vec<(&str, u64, u64)> = s
        .tasks
        .iter()
        .map(|t| (t.label.as_str(), t.images(), t.rows()))
        .collect();
    assert_eq!(got, want.map(|(l, i, r)| (l, i as u64, r as u64)).to_vec());
    assert_eq!(s.tasks.iter().map(TaskSpec::rows).sum::<u64>(), 8016);
    assert!(s.tasks.iter().all(|t| t.split == "valid"));
}

/// Crossings of two 3-point lines at shared x: one per interval where the order swaps.
fn crossings(blue: &[f64], red: &[f64]) -> usize {
    (0..2)
        .filter(|&k| (blue[k] - red[k]).signum() != (blue[k + 1] - red[k + 1]).signum())
        .count()
}

#[test]
fn line_plots_are_balanced_unique_and_counted_right() {
    let s = suite();
    let task = task(&s, "line-plot-intersections");
    let all = samples(task);
    let mut pairs = std::collections::BTreeSet::new();
    for (sample, meta) in &all {
        let f = |k: &str| -> Vec<f64> {
            meta[k]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_f64().unwrap())
                .collect()
        };
        let (blue, red) = (f("blue_y"), f("red_y"));
        assert!(
            blue.iter().zip(&red).all(|(b, r)| b != r),
            "distinct levels at every x"
        );
        let gt = crossings(&blue, &red);
        assert_eq!(sample.prompts[0].answer, gt.to_string());
        pairs.insert(format!("{blue:?}{red:?}"));
    }
    assert_eq!(pairs.len(), 300, "300 distinct pairs, each drawn 6 ways");
    let per_gt = tally(all.iter().map(|(s, _)| s.prompts[0].answer.clone()));
    assert_eq!(
        per_gt.values().copied().collect::<Vec<_>>(),
        vec![600, 600, 600]
    );
    let per_size = tally(all.iter().map(|(_, m)| m["resolution"].to_string()));
    assert_eq!(
        per_size.values().copied().collect::<Vec<_>>(),
        vec![600, 600, 600]
    );
}

#[test]
fn counting_tasks_answer_what_the_metadata_shows() {
    let s = suite();
    for task in &s.tasks {
        let all = samples(task);
        for (sample, meta) in &all {
            let gt = &sample.prompts[0].answer;
            let expected = match task.task_id.as_str() {
                "olympic-circles" | "olympic-pentagons" => {
                    meta["centers"].as_array().unwrap().len().to_string()
                }
                "nested-squares" => {
                    let sq = meta["squares"].as_array().unwrap();
                    assert_eq!(sq.len() as u64, meta["depth"].as_u64().unwrap());
                    sq.len().to_string()
                }
                "grid-blank" | "grid-words" => format!("{},{}", meta["rows"], meta["columns"]),
                "circled-letter" => {
                    let word: Vec<char> = meta["word"].as_str().unwrap().chars().collect();
                    word[meta["circle_index"].as_u64().unwrap() as usize].to_string()
                }
                _ => continue,
            };
            assert_eq!(
                gt, &expected,
                "{} sample {}",
                task.task_id, sample.plan.index
            );
        }
    }
}

#[test]
fn subway_answers_count_the_routes_between_the_asked_pair() {
    let s = suite();
    let task = task(&s, "subway-connections");
    for (sample, meta) in samples(task) {
        let routes = meta["connections"].as_array().unwrap();
        let n = meta["path_outs"].as_u64().unwrap() as usize;
        assert_eq!(
            routes.len(),
            2 * n,
            "every one of 4 stations ends exactly N routes"
        );
        let asked = meta["prompts"].as_array().unwrap();
        for (k, pair) in asked.iter().enumerate() {
            let (a, b) = (pair[0].as_str().unwrap(), pair[1].as_str().unwrap());
            let count = routes
                .iter()
                .filter(|r| {
                    let (s, e) = (r[0].as_str().unwrap(), r[1].as_str().unwrap());
                    (s, e) == (a, b) || (s, e) == (b, a)
                })
                .count();
            assert!(count >= 1, "only connected pairs are asked");
            assert_eq!(sample.prompts[2 * k].answer, count.to_string());
            assert!(
                sample.prompts[2 * k]
                    .text
                    .contains(&format!("from {a} to {b}"))
            );
        }
    }
}

#[test]
fn olympic_and_grid_counts_per_parameter_value() {
    let s = suite();
    let olympic = task(&s, "olympic-circles");
    let all = samples(olympic);
    let per_n = tally(
        all.iter()
            .map(|(_, m)| m["centers"].as_array().unwrap().len().to_string()),
    );
    assert_eq!(per_n.values().copied().collect::<Vec<_>>(), vec![48; 5]);
    let per_dpi = tally(all.iter().map(|(_, m)| m["dpi"].to_string()));
    assert_eq!(per_dpi.values().copied().collect::<Vec<_>>(), vec![80; 3]);
    let grid = task(&s, "grid-blank");
    let all = samples(grid);
    let per_shape = tally(all.iter().map(|(s, _)| s.prompts[0].answer.clone()));
    assert_eq!(per_shape.len(), 22);
    assert!(per_shape.values().all(|&n| n == 6));
}

/// Station label ink boxes at 1024 px, measured on the reference's images (REFERENCE.md §7).
#[test]
fn subway_labels_land_within_a_pixel_of_the_reference_boxes() {
    let s = suite();
    let task = task(&s, "subway-connections");
    let planner = Planner::new(task).unwrap();
    let index = (0..task.images())
        .find(|&i| {
            serde_json::from_str::<Value>(&compose(task, &planner.plan(i)).unwrap().metadata)
                .unwrap()["size"]
                == 1024
        })
        .unwrap();
    let sample = compose(task, &planner.plan(index)).unwrap();
    let png = blindspot::pipeline::render_png(task, &blindspot::render::Renderer::new(), &sample)
        .unwrap();
    let img = common::decode_png(&png);
    let reference = [
        ("A", 482, 540, 28, 84, (400, 0, 620, 100)),
        ("B", 946, 992, 478, 533, (900, 400, 1024, 600)),
        ("C", 485, 532, 931, 990, (400, 900, 620, 1024)),
        ("D", 30, 83, 478, 533, (0, 400, 120, 600)),
    ];
    for (name, x0, x1, y0, y1, (ax, ay, bx, by)) in reference {
        let (mut min_x, mut max_x, mut min_y, mut max_y) = (u32::MAX, 0, u32::MAX, 0);
        for y in ay..by {
            for x in ax..bx {
                if img.at(x, y).iter().all(|&c| c < 100) {
                    (min_x, max_x, min_y, max_y) =
                        (min_x.min(x), max_x.max(x), min_y.min(y), max_y.max(y));
                }
            }
        }
        let got = [min_x, max_x, min_y, max_y].map(i64::from);
        let want = [x0, x1, y0, y1];
        assert!(
            got.iter().zip(want).all(|(g, w)| (g - w).abs() <= 1),
            "{name}: {got:?} vs reference {want:?}"
        );
    }
}

fn render(task: &TaskSpec, index: u64) -> (Sample, common::Pixels) {
    let planner = Planner::new(task).unwrap();
    let sample = compose(task, &planner.plan(index)).unwrap();
    let png = blindspot::pipeline::render_png(task, &blindspot::render::Renderer::new(), &sample)
        .unwrap();
    let img = common::decode_png(&png);
    (sample, img)
}

/// Dark runs (majority coverage) along a row or column, as [first, last] pixel indices.
fn dark_runs(len: u32, dark: impl Fn(u32) -> bool) -> Vec<(u32, u32)> {
    let mut runs = Vec::new();
    let mut start = None;
    for i in 0..=len {
        match (i < len && dark(i), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                runs.push((s, i - 1));
                start = None;
            }
            _ => {}
        }
    }
    runs
}

#[test]
fn grid_bands_match_the_reference_rows() {
    let s = suite();
    let task = task(&s, "grid-blank");
    // Sample 2: the 3×3 grid, w = 10, at 2000 px; REFERENCE.md §6 measured rows 0–10,
    // 664–673, 1327–1336 and 1991–1999 on the reference image.
    let (sample, img) = render(task, 2);
    assert_eq!(sample.prompts[0].answer, "3,3");
    assert_eq!(img.width, 2000);
    let runs = dark_runs(img.height, |y| img.at(1000, y)[0] < 128);
    let want = [(0, 10), (664, 673), (1327, 1336), (1991, 1999)];
    assert_eq!(runs.len(), 4, "{runs:?}");
    for ((a, b), (c, d)) in runs.iter().zip(want) {
        assert!(
            a.abs_diff(c) <= 1 && b.abs_diff(d) <= 1,
            "{runs:?} vs {want:?}"
        );
    }
}

#[test]
fn nested_squares_sit_where_the_reference_mapping_puts_them() {
    let s = suite();
    let task = task(&s, "nested-squares");
    for index in [0, 45, 119] {
        let (sample, img) = render(task, index);
        let meta: Value = serde_json::from_str(&sample.metadata).unwrap();
        let outer: Vec<f64> = meta["squares"][0]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_f64().unwrap())
            .collect();
        let stroke = match meta["line_thickness"].as_u64().unwrap() {
            2 => 3.0,
            3 => 4.0,
            _ => 6.0,
        };
        // Data [-15, 15] maps to x 127.5–897.5 and y 890–120 (REFERENCE.md §5).
        let unit = 770.0 / 30.0;
        let left = 127.5 + (outer[0] - outer[2] / 2.0 + 15.0) * unit;
        let row = (120.0 + (15.0 - outer[1]) * unit) as u32;
        let runs = dark_runs(img.width, |x| img.at(x, row)[0] < 128);
        let (a, b) = runs[0];
        let centre = f64::from(a + b + 1) / 2.0;
        assert!(
            (centre - left).abs() <= 1.0,
            "sample {index}: left edge {centre} vs {left}"
        );
        assert!(
            (f64::from(b + 1 - a) - stroke).abs() <= 1.0,
            "sample {index}: stroke {} vs {stroke}",
            b + 1 - a
        );
    }
}

#[test]
fn line_plot_vertices_and_stroke_widths_match_the_reference_formulas() {
    let s = suite();
    let task = task(&s, "line-plot-intersections");
    let mut checked = 0;
    for index in (0..task.images()).step_by(97) {
        let (sample, img) = render(task, index);
        let meta: Value = serde_json::from_str(&sample.metadata).unwrap();
        let c = f64::from(img.width);
        let width = meta["linewidth"].as_f64().unwrap() * c / 360.0;
        // Data (5u, 5v) rounded to 2 decimals on a 5 × 5 axis filling the image.
        let px = |u: f64| (5.0 * u * 100.0).round() / 100.0 / 5.0 * c;
        let (x0, x1) = (px(0.1 / 12.0), px(0.5));
        for (key, is_colour) in [("blue_y", 2usize), ("red_y", 0usize)] {
            let ys: Vec<f64> = meta[key]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| c - px(v.as_f64().unwrap()))
                .collect();
            let x = (x0 + x1) / 2.0;
            let centre = (ys[0] + ys[1]) / 2.0;
            let slope = (ys[1] - ys[0]) / (x1 - x0);
            let mask = |y: u32| {
                let p = img.at(x as u32, y);
                let other = if is_colour == 2 { 0 } else { 2 };
                p[is_colour] > 128 && p[other] < 128 && p[1] < 128
            };
            let runs = dark_runs(img.height, mask);
            let other: Vec<f64> = meta[if key == "blue_y" { "red_y" } else { "blue_y" }]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| c - px(v.as_f64().unwrap()))
                .collect();
            let near = ((other[0] + other[1]) / 2.0 - centre).abs() < 4.0 * width + 4.0;
            if runs.len() != 1 || near {
                continue; // the other line passes here and covers part of this one
            }
            let (a, b) = runs[0];
            let mid = f64::from(a + b + 1) / 2.0;
            let thick = f64::from(b + 1 - a);
            let want = width * (1.0 + slope * slope).sqrt();
            assert!(
                (mid - centre).abs() <= 1.0,
                "sample {index} {key}: centre {mid} vs {centre}"
            );
            assert!(
                (thick - want).abs() <= 1.5,
                "sample {index} {key}: thickness {thick} vs {want:.2}"
            );
            checked += 1;
        }
    }
    assert!(checked >= 20, "only {checked} unobstructed measurements");
}

/// Images per metadata value, as in the reference's count tables (REFERENCE.md §1–§7).
#[test]
fn images_per_parameter_value_match_the_reference_tables() {
    let s = suite();
    let expect: &[(&str, &str, usize)] = &[
        ("line-plot-intersections", "linewidth", 900),
        ("line-plot-intersections", "gt", 600),
        ("circled-letter", "font", 156),
        ("circled-letter", "thickness", 104),
        ("olympic-circles", "linewidth", 120),
        ("olympic-circles", "diameter", 120),
        ("olympic-pentagons", "dpi", 80),
        ("olympic-pentagons", "linewidth", 120),
        ("olympic-pentagons", "side", 120),
        ("nested-squares", "depth", 30),
        ("nested-squares", "line_thickness", 40),
        ("grid-blank", "linewidth", 66),
        ("grid-blank", "image_size", 44),
        ("grid-words", "linewidth", 66),
        ("grid-words", "image_size", 44),
        ("subway-connections", "path_outs", 60),
        ("subway-connections", "size", 90),
        ("subway-connections", "linewidth", 90),
    ];
    for task in &s.tasks {
        let rows: Vec<&(&str, &str, usize)> = expect
            .iter()
            .filter(|(t, _, _)| *t == task.task_id)
            .collect();
        if rows.is_empty() {
            continue;
        }
        let all = samples(task);
        for (_, key, n) in rows {
            let counts = tally(all.iter().map(|(_, m)| m[*key].to_string()));
            assert!(
                counts.values().all(|c| c == n),
                "{} {key}: {counts:?}, want {n} each",
                task.task_id
            );
        }
    }
}
