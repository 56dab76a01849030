//! Reading rows back, losslessly, from Parquet files this module wrote (build spool
//! segments, `--shard` outputs), so they can be re-laid into a release.
//!
//! Invariants: every column of [`super::schema::COLUMNS`] must be present with its exact
//! type and without nulls (these files are our own; anything else is an error, never a
//! silently defaulted value); rows come in file order, one record batch at a time, so
//! memory holds at most one row group.

use std::fs::File;
use std::path::Path;

use arrow_array::{Array, BinaryArray, Int32Array, Int64Array, RecordBatch, StringArray};
use arrow_array::{ArrayRef, StructArray};
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;

use super::{Row, SinkError};

/// Calls `f` on every row of the Parquet file at `path`, in order.
pub fn for_each_row(
    path: &Path,
    f: impl FnMut(Row) -> Result<(), SinkError>,
) -> Result<(), SinkError> {
    for_each_row_in(path, None, f)
}

/// Calls `f` on every row of the given row groups of the Parquet file at `path`, in order.
pub fn for_each_row_of_groups(
    path: &Path,
    groups: Vec<usize>,
    f: impl FnMut(Row) -> Result<(), SinkError>,
) -> Result<(), SinkError> {
    for_each_row_in(path, Some(groups), f)
}

fn for_each_row_in(
    path: &Path,
    groups: Option<Vec<usize>>,
    mut f: impl FnMut(Row) -> Result<(), SinkError>,
) -> Result<(), SinkError> {
    let ctx = |e: SinkError| e.context(path.display());
    let file = File::open(path).map_err(|e| ctx(e.into()))?;
    let reader = ParquetRecordBatchReaderBuilder::try_new(file)
        .map(|b| match groups {
            Some(g) => b.with_row_groups(g),
            None => b,
        })
        .and_then(|b| b.build())
        .map_err(|e| ctx(e.into()))?;
    for batch in reader {
        let batch = batch.map_err(|e| ctx(SinkError::from(e)))?;
        let cols = Columns::of(&batch).map_err(ctx)?;
        for i in 0..batch.num_rows() {
            f(cols.row(i))?;
        }
    }
    Ok(())
}

/// The typed columns of one batch.
struct Columns<'a> {
    text: [&'a StringArray; 11],
    bytes: &'a BinaryArray,
    width: &'a Int32Array,
    height: &'a Int32Array,
    seed: &'a Int64Array,
}

/// The string columns, in [`Columns::text`] order (`image.path` is index 10).
const TEXT: [&str; 10] = [
    "id",
    "task",
    "task_id",
    "prompt",
    "groundtruth",
    "metadata",
    "image_sha256",
    "prompt_id",
    "answer_format",
    "answer_choices",
];

impl<'a> Columns<'a> {
    fn of(batch: &'a RecordBatch) -> Result<Self, SinkError> {
        let image: &StructArray = typed(batch.column_by_name("image"), "image")?;
        let mut text = Vec::with_capacity(11);
        for name in TEXT {
            text.push(typed::<StringArray>(batch.column_by_name(name), name)?);
        }
        text.push(typed(image.column_by_name("path"), "image.path")?);
        Ok(Self {
            text: text.try_into().expect("eleven string columns"),
            bytes: typed(image.column_by_name("bytes"), "image.bytes")?,
            width: typed(batch.column_by_name("width"), "width")?,
            height: typed(batch.column_by_name("height"), "height")?,
            seed: typed(batch.column_by_name("seed"), "seed")?,
        })
    }

    fn row(&self, i: usize) -> Row {
        let t = |k: usize| self.text[k].value(i).to_owned();
        Row {
            id: t(0),
            task: t(1),
            task_id: t(2),
            image: self.bytes.value(i).to_vec(),
            image_path: t(10),
            prompt: t(3),
            groundtruth: t(4),
            metadata: t(5),
            width: self.width.value(i),
            height: self.height.value(i),
            seed: self.seed.value(i),
            image_sha256: t(6),
            prompt_id: t(7),
            answer_format: t(8),
            answer_choices: t(9),
        }
    }
}

/// The column downcast to its expected type, which must hold no nulls.
fn typed<'a, T: Array + 'static>(
    col: Option<&'a ArrayRef>,
    name: &str,
) -> Result<&'a T, SinkError> {
    let col = col.ok_or_else(|| SinkError::new(format!("column `{name}` is missing")))?;
    let arr = col
        .as_any()
        .downcast_ref::<T>()
        .ok_or_else(|| SinkError::new(format!("column `{name}` has the wrong type")))?;
    if arr.null_count() > 0 {
        return Err(SinkError::new(format!("column `{name}` holds nulls")));
    }
    Ok(arr)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sink::ShardWriter;
    use crate::sink::test_support::sample_rows;

    #[test]
    fn rows_read_back_exactly_as_written() {
        let dir = tempfile::tempdir().unwrap();
        let rows = sample_rows(230);
        let mut w = ShardWriter::create(dir.path(), "a.parquet").unwrap();
        w.write(&rows).unwrap();
        w.finish().unwrap();
        let mut back = Vec::new();
        for_each_row(&dir.path().join("a.parquet"), |r| {
            back.push(r);
            Ok(())
        })
        .unwrap();
        assert_eq!(back, rows);
    }

    #[test]
    fn a_foreign_file_is_an_error_not_a_panic() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.parquet");
        std::fs::write(&path, b"not parquet").unwrap();
        let err = for_each_row(&path, |_| Ok(())).unwrap_err();
        assert!(err.to_string().contains("x.parquet"), "{err}");
    }
}
