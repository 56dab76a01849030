//! Unit tests for the dataset card.

use super::*;

pub(crate) fn sample_info() -> CardInfo {
    CardInfo {
        repeat: 1,
        name: "blindtest-mini".into(),
        pretty_name: "BlindTest: mini | \"compiled\"".into(),
        version: "1.0.0".into(),
        description: "Synthetic *BlindTest*-style images.".into(),
        license: "mit".into(),
        citation: Some("@misc{x, title={Has ``` inside}}".into()),
        tags: vec!["synthetic".into(), "key: value # not a comment".into()],
        task_categories: vec!["visual-question-answering".into()],
        split: "valid".into(),
        num_rows: 250,
        compiler_version: "0.1.0".into(),
        spec_sha256: "ab".repeat(32),
        seed: u64::MAX,
        tasks: vec![TaskCount {
            label: "Counting | Grid".into(),
            task_id: "counting-grid".into(),
            images: 42,
            rows: 84,
            arrow_bytes: 98_765,
        }],
        files: vec![FileSummary {
            path: "data/valid-00000-of-00001.parquet".into(),
            rows: 250,
            bytes: 1234,
            sha256: "cd".repeat(32),
        }],
        configs: vec![],
        prompts: vec![CardPrompt {
            task: "Counting | Grid".into(),
            prompt_id: "p1".into(),
            format: "rows_columns".into(),
            reply: "rows={$1} columns={$2}".into(),
        }],
        formats: vec![crate::answer::builtin("rows_columns").unwrap()],
    }
}

fn front(card: &str) -> &str {
    let rest = card.strip_prefix("---\n").expect("starts with ---");
    &rest[..rest.find("\n---\n").expect("closing ---")]
}

#[test]
fn size_categories_follow_hub_buckets() {
    assert_eq!(size_category(0), "n<1K");
    assert_eq!(size_category(999), "n<1K");
    assert_eq!(size_category(1_000), "1K<n<10K");
    assert_eq!(size_category(9_999), "1K<n<10K");
    assert_eq!(size_category(10_000), "10K<n<100K");
    assert_eq!(size_category(2_500_000), "1M<n<10M");
    assert_eq!(size_category(u64::MAX), "n>1T");
}

#[test]
fn front_matter_has_configs_and_features() {
    let card = render_card(&sample_info());
    let yaml = front(&card);
    for line in [
        "license: \"mit\"",
        "pretty_name: \"BlindTest: mini | \\\"compiled\\\"\"",
        "- \"key: value # not a comment\"",
        "size_categories:\n- \"n<1K\"",
        "configs:\n- config_name: \"default\"\n  data_files:\n  - split: \"valid\"\n    path: \"data/valid-*\"",
        "dataset_info:\n- config_name: \"default\"\n  features:",
        "  - name: image\n    dtype: image",
        "  - name: seed\n    dtype: int64",
        "  - name: width\n    dtype: int32",
        "  - name: id\n    dtype: string",
        "  splits:\n  - name: \"valid\"\n    num_bytes: 98765\n    num_examples: 250\n  download_size: 1234\n  dataset_size: 98765",
    ] {
        assert!(yaml.contains(line), "missing {line:?} in\n{yaml}");
    }
    assert_eq!(yaml.matches("  - name: ").count(), COLUMNS.len() + 1);
}

#[test]
fn several_configs_each_get_files_and_sizes() {
    let mut info = sample_info();
    let config = |name: &str, glob: &str, default: bool, rows: u64| CardConfig {
        name: name.into(),
        data_glob: glob.into(),
        default,
        rows,
        num_bytes: rows * 10,
        download_size: rows,
    };
    info.configs = vec![
        config("all", "data/*/valid-*", true, 250),
        config("grid", "data/grid/valid-*", false, 84),
    ];
    let card = render_card(&info);
    let yaml = front(&card);
    assert!(yaml.contains("- config_name: \"all\"\n  data_files:\n  - split: \"valid\"\n    path: \"data/*/valid-*\"\n  default: true\n"));
    assert!(yaml.contains("- config_name: \"grid\"\n  data_files:\n  - split: \"valid\"\n    path: \"data/grid/valid-*\"\ndataset_info:\n"));
    assert!(yaml.contains("    num_examples: 84\n  download_size: 84\n  dataset_size: 840"));
    assert_eq!(yaml.matches("config_name:").count(), 4);
}

#[test]
fn empty_lists_are_flow_sequences() {
    let mut info = sample_info();
    info.tags.clear();
    let card = render_card(&info);
    assert!(front(&card).contains("\ntags: []\n"));
}

#[test]
fn prose_has_tables_provenance_and_citation() {
    let card = render_card(&sample_info());
    assert!(card.contains("\n# BlindTest: mini \\| \"compiled\"\n"));
    assert!(card.contains("load_dataset(\"blindtest-mini\", split=\"valid\")"));
    assert!(card.contains("| Counting \\| Grid | `counting-grid` | 42 | 84 |"));
    assert!(card.contains("| **Total** | | 42 | 84 |"));
    assert!(card.contains(&format!("- Spec SHA-256: `{}`", "ab".repeat(32))));
    assert!(card.contains("- Seed: `18446744073709551615`"));
    assert!(card.contains(&format!(
        "| `data/valid-00000-of-00001.parquet` | 250 | 1234 | `{}` |",
        "cd".repeat(32)
    )));
    assert!(card.contains("````bibtex\n@misc{x, title={Has ``` inside}}\n````\n"));
}

#[test]
fn no_citation_section_without_citation() {
    let mut info = sample_info();
    info.citation = None;
    assert!(!render_card(&info).contains("## Citation"));
}

#[test]
fn rendering_is_deterministic() {
    assert_eq!(render_card(&sample_info()), render_card(&sample_info()));
}
