//! BlindTest "Touching Circles" against ../shared/blindtest/REFERENCE.md §2.
//!
//! The dataset is built once and read back with the parquet crate and a PNG decoder. Every
//! expectation is recomputed here from the reference's formulas, never by calling the code
//! that produced the data.

mod common;

use std::collections::BTreeMap;
use std::sync::OnceLock;

use common::{ReadRow, decode_png, read_parquet};

const DISTANCES: [f64; 14] = [
    -0.15, -0.1, -0.05, 0.0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5,
];
const P_TOUCH: &str = "Are the two circles touching each other? Answer with Yes/No.";
const P_OVERLAP: &str = "Are the two circles overlapping? Answer with Yes/No.";

struct Built {
    _dir: tempfile::TempDir,
    rows: Vec<ReadRow>,
    groups: Vec<i64>,
    root: std::path::PathBuf,
}

fn dataset() -> &'static Built {
    static BUILT: OnceLock<Built> = OnceLock::new();
    BUILT.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("tc");
        common::build(
            &common::root().join("tasks/blindtest/touching_circles.yaml"),
            &out,
            2,
        );
        let (rows, groups) = read_parquet(&out.join("data/valid-00000-of-00001.parquet"));
        Built {
            _dir: dir,
            rows,
            groups,
            root: out,
        }
    })
}

fn meta_f64(r: &ReadRow, key: &str) -> f64 {
    r.metadata[key]
        .as_f64()
        .unwrap_or_else(|| panic!("{key} in {}", r.metadata))
}

#[test]
fn has_1344_rows_in_row_groups_of_at_most_100() {
    let d = dataset();
    assert_eq!(d.rows.len(), 1344);
    assert!(d.groups.iter().all(|&g| g <= 100), "{:?}", d.groups);
    assert!(d.rows.iter().all(|r| r.task == "Touching Circles"));
    let images: std::collections::BTreeSet<&str> =
        d.rows.iter().map(|r| r.image_path.as_str()).collect();
    assert_eq!(images.len(), 672);
    let ids: std::collections::BTreeSet<&str> = d.rows.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids.len(), 1344, "ids are unique");
    assert!(
        d.rows[0].id.starts_with("touching-circles/000000/"),
        "{}",
        d.rows[0].id
    );
}

#[test]
fn counts_per_parameter_value_match_the_reference() {
    let d = dataset();
    let mut by: BTreeMap<(String, String), usize> = BTreeMap::new();
    for r in d.rows.iter().filter(|r| r.prompt == P_TOUCH) {
        for key in ["distance", "rotation", "dpi", "diameter"] {
            let v = r.metadata[key].to_string();
            *by.entry((key.to_string(), v)).or_default() += 1;
        }
    }
    let count = |k: &str| {
        by.iter()
            .filter(|((key, _), _)| key == k)
            .map(|(_, n)| *n)
            .collect::<Vec<_>>()
    };
    assert_eq!(count("distance"), vec![48; 14], "48 images per d");
    assert_eq!(count("rotation"), vec![168; 4], "168 per orientation");
    assert_eq!(count("diameter"), vec![168; 4], "168 per diameter");
    assert_eq!(count("dpi"), vec![224; 3], "224 per size");
    let mut ds: Vec<f64> = by
        .keys()
        .filter(|(k, _)| k == "distance")
        .map(|(_, v)| v.parse().unwrap())
        .collect();
    ds.sort_by(f64::total_cmp);
    assert_eq!(ds, DISTANCES.to_vec());
}

#[test]
fn ground_truth_follows_the_gap_rule_and_prompts_are_verbatim() {
    let d = dataset();
    let mut prompts = BTreeMap::new();
    for r in &d.rows {
        let dist = meta_f64(r, "distance");
        let expected = match r.prompt.as_str() {
            P_TOUCH => dist <= 0.0,
            P_OVERLAP => dist < 0.0,
            other => panic!("unexpected prompt {other:?}"),
        };
        assert_eq!(
            r.groundtruth,
            if expected { "Yes" } else { "No" },
            "{}",
            r.id
        );
        *prompts.entry(r.prompt.as_str()).or_insert(0) += 1;
    }
    assert_eq!(
        prompts.values().copied().collect::<Vec<_>>(),
        vec![672, 672]
    );
}

/// Reference centres in pixels: gap g = d·φ, centre distance (1+d)·φ, symmetric about the
/// centre of the drawn square S; released `diagonal_1` has the blue circle upper-left.
fn reference_geometry(r: &ReadRow) -> ((f64, f64), (f64, f64), f64) {
    let dpi = meta_f64(r, "dpi");
    let s = (3.85 * dpi).round();
    let phi = meta_f64(r, "diameter");
    let rad = phi / 2.0;
    let half = (meta_f64(r, "distance") * phi + 2.0 * rad) / 2.0;
    let k = std::f64::consts::FRAC_1_SQRT_2;
    let (ux, uy) = match r.metadata["rotation"].as_str().unwrap() {
        "diagonal_1" => (-k, k),
        "diagonal_2" => (-k, -k),
        "horizontal" => (-1.0, 0.0),
        "vertical" => (0.0, -1.0),
        other => panic!("rotation {other}"),
    };
    let px = |u: f64, v: f64| (u * s, (1.0 - v) * s);
    (
        px(0.5 + ux * half, 0.5 + uy * half),
        px(0.5 - ux * half, 0.5 - uy * half),
        rad * s,
    )
}

#[test]
fn canvases_and_circle_geometry_are_within_one_pixel_of_the_reference() {
    let d = dataset();
    for r in d.rows.iter().filter(|r| r.prompt == P_TOUCH) {
        let expected_size = match meta_f64(r, "dpi") as u32 {
            100 => (384, 385),
            200 => (769, 770),
            300 => (1155, 1155),
            other => panic!("dpi {other}"),
        };
        let img = decode_png(&r.image);
        assert_eq!((img.width, img.height), expected_size, "{}", r.id);
        assert_eq!((r.width as u32, r.height as u32), expected_size);
        let ((bx, by), (mx, my), rad) = reference_geometry(r);
        // Majority-coverage masks: blue #0075ff has red 0, magenta #ea00ff has green 0.
        let (mut blue_min_x, mut magenta_max_x) = (f64::MAX, f64::MIN);
        for y in 0..img.height {
            for x in 0..img.width {
                let [red, green, _] = img.at(x, y);
                if red < 128 {
                    blue_min_x = blue_min_x.min(f64::from(x));
                }
                if green < 128 {
                    magenta_max_x = magenta_max_x.max(f64::from(x) + 1.0);
                }
            }
        }
        assert!(
            (blue_min_x - (bx - rad)).abs() <= 1.0,
            "{}: blue left edge {blue_min_x} vs {}",
            r.id,
            bx - rad
        );
        let right = (mx + rad).min(f64::from(img.width));
        assert!(
            (magenta_max_x - right).abs() <= 1.0,
            "{}: magenta right edge {magenta_max_x} vs {right}",
            r.id
        );
        let at = |x: f64, y: f64| img.at(x as u32, y as u32);
        assert_eq!(at(mx, my), [0xea, 0x00, 0xff], "{}: magenta centre", r.id);
        if meta_f64(r, "distance") >= 0.0 {
            assert_eq!(at(bx, by), [0x00, 0x75, 0xff], "{}: blue centre", r.id);
        }
        assert_eq!(img.at(0, 0), [255, 255, 255], "{}: background", r.id);
    }
}

#[test]
fn metadata_has_the_reference_keys_and_hashes_match() {
    let d = dataset();
    let r = &d.rows[0];
    let keys: Vec<&str> = r
        .metadata
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        [
            "diameter",
            "center_1",
            "center_2",
            "distance",
            "rotation",
            "dpi",
            "canvas_size"
        ]
    );
    for r in d.rows.iter().step_by(97) {
        use sha2::Digest as _;
        let sha: String = sha2::Sha256::digest(&r.image)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(sha, r.image_sha256);
    }
}

#[test]
fn card_and_manifest_describe_the_data() {
    let d = dataset();
    let card = std::fs::read_to_string(d.root.join("README.md")).unwrap();
    assert!(card.starts_with("---\n"), "front matter");
    assert!(card.contains("num_examples: 1344"), "{card}");
    assert!(card.contains("config_name: \"default\""));
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(d.root.join("manifest.json")).unwrap())
            .unwrap();
    assert_eq!(manifest["counts"]["rows"], 1344);
    assert_eq!(manifest["counts"]["images"], 672);
    assert_eq!(manifest["seed"], 20240709);
    assert_eq!(manifest["rows"].as_array().unwrap().len(), 1344);
}

#[test]
fn croissant_lists_the_parquet_with_the_manifest_sha256() {
    use sha2::Digest as _;
    let d = dataset();
    let read = |name: &str| std::fs::read(d.root.join(name)).unwrap();
    let manifest: serde_json::Value = serde_json::from_slice(&read("manifest.json")).unwrap();
    let croissant: serde_json::Value = serde_json::from_slice(&read("croissant.json")).unwrap();
    let files = manifest["files"].as_array().unwrap();
    let sha = |path: &str| files.iter().find(|f| f["path"] == path).unwrap()["sha256"].clone();
    let own: String = sha2::Sha256::digest(read("croissant.json"))
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(sha("croissant.json"), own.as_str());
    let objects = croissant["distribution"].as_array().unwrap();
    assert_eq!(objects.len(), 1);
    let parquet = "data/valid-00000-of-00001.parquet";
    assert_eq!(objects[0]["contentUrl"], parquet);
    assert_eq!(objects[0]["sha256"], sha(parquet));
    assert_eq!(croissant["recordSet"][0]["name"], "default");
    assert_eq!(croissant["license"], "https://spdx.org/licenses/MIT.html");
}
