//! Row facts: what the [`super::Tally`] needs of a row — its texts and hashes and its Arrow
//! size, never the image — and a small file format for them, so that a build's chunk can be
//! tallied without decoding its Parquet file (whose row groups are then copied raw).
//!
//! Invariants: a facts file holds the facts of its chunk's rows in row order; records are
//! the length-prefixed strings of [`super::spill`], so any text round-trips exactly.

use std::fs::File;
use std::io::{BufReader, BufWriter};
use std::path::{Path, PathBuf};

use super::spill::{create, io_error, open, read_record, write_fields};
use super::{Row, SinkError};

/// The tally's view of one row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowFacts {
    /// Row id.
    pub id: String,
    /// Task display label.
    pub task: String,
    /// Task slug.
    pub task_id: String,
    /// The image's file name (rows of one image are consecutive).
    pub image_path: String,
    /// Full prompt text.
    pub prompt: String,
    /// Canonical answer.
    pub groundtruth: String,
    /// Prompt id within the task.
    pub prompt_id: String,
    /// Hex SHA-256 of the image.
    pub image_sha256: String,
    /// In-memory Arrow size of the row (see [`super::Tally::arrow_bytes`]).
    pub arrow_bytes: u64,
}

impl RowFacts {
    /// The facts of a row.
    pub fn of(row: &Row) -> Self {
        Self {
            id: row.id.clone(),
            task: row.task.clone(),
            task_id: row.task_id.clone(),
            image_path: row.image_path.clone(),
            prompt: row.prompt.clone(),
            groundtruth: row.groundtruth.clone(),
            prompt_id: row.prompt_id.clone(),
            image_sha256: row.image_sha256.clone(),
            arrow_bytes: arrow_row_bytes(row),
        }
    }
}

/// Variable-length Arrow arrays per row: 10 string columns plus `image.bytes`
/// and `image.path`.
const VAR_LEN_ARRAYS: u64 = 12;

/// Data plus one `i32` offset per variable-length value (pyarrow's `nbytes`
/// does not count the closing offset of an array), plus the fixed-width
/// `width`, `height` (4 bytes each) and `seed` (8 bytes).
fn arrow_row_bytes(row: &Row) -> u64 {
    let var_len = [
        row.id.len(),
        row.task.len(),
        row.task_id.len(),
        row.image.len(),
        row.image_path.len(),
        row.prompt.len(),
        row.groundtruth.len(),
        row.metadata.len(),
        row.image_sha256.len(),
        row.prompt_id.len(),
        row.answer_format.len(),
        row.answer_choices.len(),
    ];
    let data: u64 = var_len.iter().map(|&n| n as u64).sum();
    data + VAR_LEN_ARRAYS * 4 + 4 + 4 + 8
}

/// Writes the facts of rows, in order, to a file.
pub struct FactsWriter {
    path: PathBuf,
    out: BufWriter<File>,
}

impl FactsWriter {
    /// Creates (truncating) the file at `path`; its folder must exist.
    pub fn create(path: &Path) -> Result<Self, SinkError> {
        Ok(Self {
            path: path.to_path_buf(),
            out: BufWriter::new(create(path)?),
        })
    }

    /// Appends the facts of `rows` (the fields of [`RowFacts`], in order).
    pub fn write(&mut self, rows: &[Row]) -> Result<(), SinkError> {
        for row in rows {
            let size = arrow_row_bytes(row).to_string();
            let fields = [
                &row.id,
                &row.task,
                &row.task_id,
                &row.image_path,
                &row.prompt,
                &row.groundtruth,
                &row.prompt_id,
                &row.image_sha256,
                &size,
            ];
            write_fields(&mut self.out, &fields.map(String::as_str))
                .map_err(|e| io_error(&self.path, e))?;
        }
        Ok(())
    }

    /// Flushes and syncs the file.
    pub fn finish(self) -> Result<(), SinkError> {
        let file = self
            .out
            .into_inner()
            .map_err(|e| io_error(&self.path, e.into_error()))?;
        file.sync_all().map_err(|e| io_error(&self.path, e))
    }
}

/// Calls `f` on the facts in the file at `path`, in order.
pub fn for_each_fact(
    path: &Path,
    mut f: impl FnMut(RowFacts) -> Result<(), SinkError>,
) -> Result<(), SinkError> {
    let mut r = BufReader::new(open(path)?);
    while let Some(fields) = read_record::<9>(&mut r).map_err(|e| io_error(path, e))? {
        let [
            id,
            task,
            task_id,
            image_path,
            prompt,
            groundtruth,
            prompt_id,
            image_sha256,
            size,
        ] = fields;
        let arrow_bytes = size
            .parse()
            .map_err(|_| SinkError::new(format!("{}: damaged facts record", path.display())))?;
        f(RowFacts {
            id,
            task,
            task_id,
            image_path,
            prompt,
            groundtruth,
            prompt_id,
            image_sha256,
            arrow_bytes,
        })?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sink::test_support::sample_rows;

    #[test]
    fn facts_round_trip_in_order() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.facts");
        let rows = sample_rows(37);
        let mut w = FactsWriter::create(&path).unwrap();
        w.write(&rows[..10]).unwrap();
        w.write(&rows[10..]).unwrap();
        w.finish().unwrap();
        let mut back = Vec::new();
        for_each_fact(&path, |f| {
            back.push(f);
            Ok(())
        })
        .unwrap();
        let want: Vec<RowFacts> = rows.iter().map(RowFacts::of).collect();
        assert_eq!(back, want);
    }

    #[test]
    fn a_truncated_facts_file_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.facts");
        let mut w = FactsWriter::create(&path).unwrap();
        w.write(&sample_rows(3)).unwrap();
        w.finish().unwrap();
        let bytes = std::fs::read(&path).unwrap();
        std::fs::write(&path, &bytes[..bytes.len() - 5]).unwrap();
        assert!(for_each_fact(&path, |_| Ok(())).is_err());
    }
}
