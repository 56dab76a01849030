//! Unit tests for `croissant.json`.

use super::*;

fn file(name: &str, path: &str, salt: &str) -> RecordSetInfo {
    RecordSetInfo {
        name: name.into(),
        path: path.into(),
        sha256: salt.repeat(64 / salt.len()),
    }
}

fn single() -> CroissantInfo {
    CroissantInfo {
        name: "blindtest-mini".into(),
        description: "Synthetic images.".into(),
        license: "mit".into(),
        version: "1.0.0".into(),
        citation: Some("@misc{x, title={X}}\n".into()),
        url: hub_url("blindtest-mini"),
        date_published: UNDATED.into(),
        keywords: vec!["synthetic".into()],
        record_sets: vec![file("default", "data/valid-00000-of-00001.parquet", "ab")],
    }
}

fn suite() -> CroissantInfo {
    CroissantInfo {
        record_sets: vec![
            file(
                "touching-circles",
                "data/touching-circles/valid-00000-of-00001.parquet",
                "a",
            ),
            file(
                "grid-blank",
                "data/grid-blank/valid-00000-of-00001.parquet",
                "b",
            ),
        ],
        ..single()
    }
}

fn parse(info: &CroissantInfo) -> Value {
    serde_json::from_str(&render_croissant(info)).expect("valid JSON")
}

#[test]
fn output_is_deterministic() {
    assert_eq!(render_croissant(&suite()), render_croissant(&suite()));
    let text = render_croissant(&single());
    assert!(text.ends_with("}\n"));
    let keys: Vec<String> = parse(&single())
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect();
    assert_eq!(
        keys,
        [
            "@context",
            "@type",
            "conformsTo",
            "name",
            "description",
            "license",
            "url",
            "creator",
            "datePublished",
            "version",
            "keywords",
            "citeAs",
            "distribution",
            "recordSet"
        ]
    );
}

#[test]
fn dataset_properties() {
    let v = parse(&single());
    assert_eq!(v["conformsTo"], CONFORMS_TO);
    assert_eq!(v["license"], "https://spdx.org/licenses/MIT.html");
    assert_eq!(v["url"], "https://huggingface.co/datasets/blindtest-mini");
    assert_eq!(v["creator"]["name"], "blindtest-mini authors");
    assert_eq!(v["datePublished"], "1970-01-01");
    assert_eq!(v["version"], "1.0.0");
    assert_eq!(v["citeAs"], "@misc{x, title={X}}");
    let bare = CroissantInfo {
        citation: None,
        description: " ".into(),
        keywords: Vec::new(),
        ..single()
    };
    let v = parse(&bare);
    assert!(v.get("citeAs").is_none() && v.get("keywords").is_none());
    assert_eq!(v["description"], "blindtest-mini");
}

#[test]
fn one_field_per_column_in_column_order() {
    let v = parse(&single());
    let rs = &v["recordSet"][0];
    assert_eq!(rs["@id"], "default");
    assert_eq!(rs["key"]["@id"], "default/id");
    let fields = rs["field"].as_array().unwrap();
    assert_eq!(fields.len(), COLUMNS.len());
    for (f, (column, kind)) in fields.iter().zip(COLUMNS) {
        assert_eq!(f["name"], column);
        assert_eq!(f["@id"], format!("default/{column}"));
        assert_eq!(f["dataType"], data_type(kind));
        assert_eq!(f["source"]["extract"]["column"], column);
        assert_eq!(
            f["source"]["fileObject"]["@id"],
            "data/valid-00000-of-00001.parquet"
        );
        let transform = &f["source"]["transform"];
        match kind {
            ColumnKind::Image => assert_eq!(transform["jsonPath"], "bytes"),
            _ => assert!(transform.is_null()),
        }
    }
    assert_eq!(data_type(ColumnKind::Int64), "sc:Integer");
    assert_eq!(data_type(ColumnKind::Image), "sc:ImageObject");
}

#[test]
fn every_file_object_has_its_sha256() {
    let v = parse(&suite());
    let files = v["distribution"].as_array().unwrap();
    assert_eq!(files.len(), 2);
    for (f, rs) in files.iter().zip(&suite().record_sets) {
        assert_eq!(f["@type"], "cr:FileObject");
        assert_eq!(f["contentUrl"], rs.path);
        assert_eq!(f["sha256"], rs.sha256);
        assert_eq!(f["sha256"].as_str().unwrap().len(), 64);
    }
}

#[test]
fn suite_has_one_record_set_per_task_with_unique_ids() {
    let v = parse(&suite());
    let sets = v["recordSet"].as_array().unwrap();
    let names: Vec<&str> = sets.iter().map(|s| s["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["touching-circles", "grid-blank"]);
    let mut ids: Vec<&str> = v["distribution"]
        .as_array()
        .unwrap()
        .iter()
        .chain(sets)
        .chain(sets.iter().flat_map(|s| s["field"].as_array().unwrap()))
        .map(|x| x["@id"].as_str().unwrap())
        .collect();
    let n = ids.len();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), n, "duplicate @id");
    for s in sets {
        let want = format!(
            "data/{}/valid-00000-of-00001.parquet",
            s["name"].as_str().unwrap()
        );
        for f in s["field"].as_array().unwrap() {
            assert_eq!(f["source"]["fileObject"]["@id"], want.as_str());
        }
    }
}

#[test]
fn odd_text_is_escaped_and_round_trips() {
    let odd = "say \"hi\"\n<script>alert('x')</script>\t\\ é";
    let info = CroissantInfo {
        name: odd.into(),
        description: odd.into(),
        citation: Some(odd.into()),
        keywords: vec![odd.into()],
        ..single()
    };
    let text = render_croissant(&info);
    let escaped = r#""say \"hi\"\n<script>alert('x')</script>\t\\ é""#;
    assert!(text.contains(escaped), "{text}");
    let v: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["name"], odd);
    assert_eq!(v["description"], odd);
    assert_eq!(v["citeAs"], odd.trim());
    assert_eq!(v["keywords"][0], odd);
    assert_eq!(v["creator"]["name"], format!("{odd} authors"));
}

#[test]
fn licence_ids_map_to_spdx() {
    let url = |s: &str| format!("https://spdx.org/licenses/{s}.html");
    assert_eq!(license_url("mit"), url("MIT"));
    assert_eq!(license_url("MIT"), url("MIT"));
    assert_eq!(license_url("cc-by-4.0"), url("CC-BY-4.0"));
    assert_eq!(license_url("cc-by-nc-sa-4.0"), url("CC-BY-NC-SA-4.0"));
    assert_eq!(license_url("cc0-1.0"), url("CC0-1.0"));
    assert_eq!(license_url("apache-2.0"), url("Apache-2.0"));
    assert_eq!(license_url("bsd-3-clause"), url("BSD-3-Clause"));
    assert_eq!(license_url("odbl"), url("ODbL-1.0"));
    assert_eq!(license_url("other"), "other");
    assert_eq!(license_url("openrail"), "openrail");
    let given = "https://example.org/licence";
    assert_eq!(license_url(given), given);
}
