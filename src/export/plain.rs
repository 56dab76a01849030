//! plain: `images/*.png` (one file per distinct image) and `samples.jsonl` (one row per
//! line, choices as a list and metadata as an object), plus the blindspot scorer, for tools
//! with no dedicated export.

use std::path::Path;

use serde_json::json;

use super::files::{ImageFiles, LineFile, write_text};
use super::{ExportReport, Source, row_json};

/// Writes `samples.jsonl`, `images/` and `blindspot_scoring.py` into `dir`.
pub(super) fn write(src: &Source, dir: &Path) -> Result<ExportReport, String> {
    let mut images = ImageFiles::create(dir)?;
    let mut jsonl = LineFile::create(dir, "samples.jsonl")?;
    let rows = src.rows(true, |row| {
        let image = images.place(&row)?;
        let (choices, metadata) = row_json(&row)?;
        let group = src.group(&row);
        let sample = json!({
            "id": row.id,
            "task": row.task,
            "task_id": row.task_id,
            "group": group,
            "image": image,
            "prompt": row.prompt,
            "prompt_id": row.prompt_id,
            "groundtruth": row.groundtruth,
            "answer_format": row.answer_format,
            "answer_choices": choices,
            "metadata": metadata,
            "width": row.width,
            "height": row.height,
        });
        jsonl.line(&sample.to_string())
    })?;
    jsonl.finish()?;
    let scorer = src.scorer_module(
        "blindspot's answer contract: score(FORMATS[answer_format], reply, groundtruth).",
    );
    write_text(dir, "blindspot_scoring.py", &scorer)?;
    Ok(ExportReport {
        rows,
        images: images.count(),
        ..ExportReport::default()
    })
}
