//! lmms-eval: a task folder (`<task>.yaml` and `utils.py`) that reads the release's Parquet
//! files where they are.
//!
//! lmms-eval resolves a relative `data_files` entry against the YAML's folder only when it
//! names an existing file (globs are not resolved), so every Parquet file is listed, by its
//! path relative to where the export is published (absolute only when no relative path
//! exists). Moving the export folder away from the release breaks these paths: export again.

use std::fmt::Write as _;
use std::path::Path;

use indexmap::IndexMap;

use super::files::{relative, write_text};
use super::{ExportReport, Source, quoted, snake};

const HOOKS: &str = include_str!("../../assets/export/lmms_eval_utils.py");

/// Greedy decoding, as the stock `vlmsareblind` task does.
const GENERATION: &str = "generation_kwargs:
  max_new_tokens: 32
  temperature: 0
  top_p: 1.0
  num_beams: 1
  do_sample: false
";

const METRICS: &str = "metric_list:
  - metric: accuracy
    aggregation: mean
    higher_is_better: true
  - metric: accuracy_by_task
    aggregation: !function utils.aggregate_by_task
    higher_is_better: true
  - metric: unparseable
    aggregation: mean
    higher_is_better: false
";

/// Writes `<task>.yaml` and `utils.py` into `dir`, with data paths relative to `target`.
pub(super) fn write(src: &Source, dir: &Path, target: &Path) -> Result<ExportReport, String> {
    let rows = src.rows(false, |_| Ok(()))?;
    let task = snake(&src.ds.name);
    let yaml = task_yaml(src, &task, target)?;
    write_text(dir, &format!("{task}.yaml"), &yaml)?;
    write_text(dir, "utils.py", &utils_py(src))?;
    Ok(ExportReport {
        rows,
        ..ExportReport::default()
    })
}

/// The task YAML.
fn task_yaml(src: &Source, task: &str, target: &Path) -> Result<String, String> {
    let splits = data_files(src, target)?;
    let test_split = splits
        .keys()
        .next()
        .cloned()
        .unwrap_or_else(|| "test".into());
    let mut y = format!(
        "# lmms-eval task for {name} {version}, written by `blindspot export`.\n\
         # Run: python -m lmms_eval --include_path <this folder> --tasks {task} --model <model> ...\n\
         # data_files are relative to this folder: export again if you move it.\n\
         task: {task}\n\
         dataset_path: parquet\n\
         dataset_kwargs:\n  data_files:\n",
        name = src.ds.name,
        version = src.ds.version,
    );
    for (split, files) in &splits {
        let _ = writeln!(y, "    {}:", quoted(split));
        for f in files {
            let _ = writeln!(y, "      - {}", quoted(f));
        }
    }
    let _ = write!(
        y,
        "test_split: {}\n\
         output_type: generate_until\n\
         doc_to_visual: image\n\
         doc_to_text: prompt\n\
         doc_to_target: groundtruth\n\
         process_results: !function utils.process_results\n\
         {GENERATION}{METRICS}\
         metadata:\n  - version: 0.0\n",
        quoted(&test_split)
    );
    Ok(y)
}

/// Parquet files by split (from `<split>-NNNNN-of-NNNNN.parquet`), as paths from `target`.
fn data_files(src: &Source, target: &Path) -> Result<IndexMap<String, Vec<String>>, String> {
    let mut splits: IndexMap<String, Vec<String>> = IndexMap::new();
    for rel in &src.ds.data_files {
        let file = src.ds.root.join(rel);
        let abs = std::fs::canonicalize(&file).map_err(|e| format!("{}: {e}", file.display()))?;
        let path = relative(target, &abs).unwrap_or_else(|| abs.to_string_lossy().into_owned());
        splits.entry(split_of(rel)).or_default().push(path);
    }
    Ok(splits)
}

/// The split in a shard name: `data/x/valid-00000-of-00001.parquet` → `valid`.
fn split_of(rel: &str) -> String {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    let stem = name.strip_suffix(".parquet").unwrap_or(name);
    let parts: Vec<&str> = stem.rsplitn(4, '-').collect();
    match parts.as_slice() {
        [count, "of", index, split]
            if [count, index]
                .iter()
                .all(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit())) =>
        {
            (*split).to_owned()
        }
        _ => stem.to_owned(),
    }
}

/// `utils.py`: the scorer, the formats, the score groups and the two hooks.
fn utils_py(src: &Source) -> String {
    let mut groups = String::from("{\n");
    for (task_id, group) in &src.groups {
        let _ = writeln!(groups, "    {}: {},", quoted(task_id), quoted(group));
    }
    groups.push('}');
    let mut out = src.scorer_module("lmms-eval hooks: blindspot's answer contract as metrics.");
    out.push_str(&HOOKS.replace("__GROUPS__", &groups));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_come_from_shard_names() {
        assert_eq!(split_of("data/a/valid-00000-of-00001.parquet"), "valid");
        assert_eq!(split_of("data/test-00003-of-00010.parquet"), "test");
        assert_eq!(split_of("data/odd.parquet"), "odd");
    }
}
