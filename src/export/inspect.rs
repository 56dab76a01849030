//! inspect_ai: `test.jsonl` with one chat-message sample per row (the image as a path
//! relative to the JSONL, which `json_dataset` resolves), `images/*.png` (one file per
//! distinct image), and `task.py`: a `@task` with `json_dataset`, `generate()` and a scorer
//! that applies the embedded blindspot scorer with each sample's `metadata.answer_format`.

use std::path::Path;

use serde_json::json;

use super::files::{ImageFiles, LineFile, write_text};
use super::{ExportReport, Source, row_json, snake};

const TASK: &str = include_str!("../../assets/export/inspect_task.py");

/// Writes `test.jsonl`, `images/` and `task.py` into `dir`.
pub(super) fn write(src: &Source, dir: &Path) -> Result<ExportReport, String> {
    let mut images = ImageFiles::create(dir)?;
    let mut jsonl = LineFile::create(dir, "test.jsonl")?;
    let rows = src.rows(true, |row| {
        let image = images.place(&row)?;
        let (choices, params) = row_json(&row)?;
        let group = src.group(&row);
        let sample = json!({
            "id": row.id,
            "input": [{"role": "user", "content": [
                {"type": "image", "image": image},
                {"type": "text", "text": row.prompt},
            ]}],
            "target": row.groundtruth,
            "metadata": {
                "task": row.task,
                "task_id": row.task_id,
                "group": group,
                "prompt_id": row.prompt_id,
                "answer_format": row.answer_format,
                "answer_choices": choices,
                "width": row.width,
                "height": row.height,
                "params": params,
            },
        });
        jsonl.line(&sample.to_string())
    })?;
    jsonl.finish()?;
    let mut task = src.scorer_module("inspect_ai task: blindspot's answer contract as the scorer.");
    task.push_str(&TASK.replace("__TASK__", &snake(&src.ds.name)));
    write_text(dir, "task.py", &task)?;
    Ok(ExportReport {
        rows,
        images: images.count(),
        ..ExportReport::default()
    })
}
