//! Streaming Parquet shard writer.
//!
//! Role: append [`Row`]s to one `data/<split>-NNNNN-of-NNNNN.parquet` file with the
//! layout Hugging Face `datasets`, the Hub viewer, DuckDB and Polars read natively
//! (HARNESS.md "Recommended output layout", CRATES.md §4.6/§5.5).
//!
//! Invariants:
//! * Rows are buffered in Arrow builders and handed to the Parquet writer in
//!   batches of exactly [`ROWS_PER_ROW_GROUP`] rows (the last one may be shorter),
//!   each becoming one row group. At most `ROWS_PER_ROW_GROUP - 1` rows are held
//!   between calls, and the file bytes depend only on the row sequence, never on
//!   how the caller chunks its `write` calls.
//! * Settings are fixed: ZSTD(3) everywhere; `image.bytes` dictionary-encoded with no
//!   size limit below a row group's image bytes (so it never falls back to PLAIN) and no
//!   statistics; page index on (the default); `created_by`
//!   pinned to [`CREATED_BY`]; the `huggingface` feature JSON both in the Arrow
//!   schema (inside `ARROW:schema`) and as a footer key/value pair. Nothing in
//!   the file depends on time or environment, so equal rows give equal bytes.
//! * Why a dictionary for the images: a sample asked several ways has one row per prompt,
//!   each carrying the same PNG. The dictionary stores each distinct PNG of a row group
//!   once (in order of first appearance) and the rows refer to it, so ZSTD compresses each
//!   image once and the file holds it once: the BlindTest suite's Parquet is 10 % smaller
//!   (circled letters, two prompts per image, 35 %). Readers see plain binary values.
//! * A row group of another file written with these settings can be appended as it is
//!   ([`ShardWriter::append_group`]): the bytes are the same as encoding its rows again,
//!   because the writer encodes each row group on its own (tests check all-copied,
//!   all-encoded and mixed files for equality).
//! * The file's SHA-256 is computed from the byte stream while it is written
//!   (Parquet output is strictly sequential), so `finish` never re-reads it.
//! * After any error the writer's state is unspecified: drop it and discard the
//!   partial file (the caller's temp-dir-and-rename scheme does this).

use std::fs::File;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use arrow_array::builder::{BinaryBuilder, Int32Builder, Int64Builder, StringBuilder};
use arrow_array::{ArrayRef, RecordBatch, StructArray};
use arrow_schema::SchemaRef;
use parquet::arrow::ArrowWriter;
use parquet::arrow::arrow_writer::{ArrowRowGroupWriterFactory, compute_leaves};
use parquet::basic::{Compression, Encoding, ZstdLevel};
use parquet::column::writer::ColumnCloseResult;
use parquet::file::metadata::KeyValue;
use parquet::file::metadata::{
    ColumnChunkMetaData, PageIndexPolicy, ParquetMetaData, ParquetMetaDataOptions,
    ParquetMetaDataReader,
};
use parquet::file::properties::{EnabledStatistics, WriterProperties};
use parquet::file::statistics::Statistics;
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::types::ColumnPath;
use sha2::{Digest, Sha256};

pub use super::schema::features_json;
use super::schema::{HF_METADATA_KEY, arrow_schema, image_fields};
use super::{FileSummary, ROWS_PER_ROW_GROUP, Row, SinkError, create_parent, hex, resolve};

/// Pinned Parquet `created_by`, so file bytes do not change with the crate's
/// patch version string.
pub const CREATED_BY: &str = "blindspot (parquet-rs 60.1.0)";

/// ZSTD level used for every column.
pub const ZSTD_LEVEL: i32 = 3;

/// Limit on the image bytes buffered for one row group: Arrow `Binary` arrays
/// use `i32` offsets, so one batch cannot exceed 2 GiB.
const MAX_BATCH_IMAGE_BYTES: usize = i32::MAX as usize;

/// Writes one Parquet shard. Create with [`ShardWriter::create`], feed rows with
/// [`ShardWriter::write`], and always end with [`ShardWriter::finish`]; a
/// writer dropped without `finish` leaves an incomplete, unreadable file.
pub struct ShardWriter {
    rel_path: String,
    full_path: PathBuf,
    schema: SchemaRef,
    writer: SerializedFileWriter<HashingWriter<File>>,
    encoders: ArrowRowGroupWriterFactory,
    buffer: RowBuffer,
    rows: u64,
}

impl ShardWriter {
    /// Creates (truncating) `root/rel_path` and its parent directories.
    /// `rel_path` must be `/`-separated and relative, e.g.
    /// `data/valid-00000-of-00001.parquet` (see [`super::shard_path`]).
    pub fn create(root: &Path, rel_path: &str) -> Result<Self, SinkError> {
        Self::create_with(
            root,
            rel_path,
            Compression::ZSTD(ZstdLevel::try_new(ZSTD_LEVEL)?),
        )
    }

    fn create_with(root: &Path, rel_path: &str, codec: Compression) -> Result<Self, SinkError> {
        let full_path = resolve(root, rel_path)?;
        create_parent(&full_path)?;
        let file = File::create(&full_path)
            .map_err(|e| SinkError::from(e).context(full_path.display()))?;
        let schema = arrow_schema();
        // The Arrow writer sets up the schema, `ARROW:schema` and properties; row groups are
        // then encoded here (as `ArrowWriter::flush` does) or spliced in raw.
        let (writer, encoders) = ArrowWriter::try_new(
            HashingWriter::new(file),
            Arc::clone(&schema),
            Some(writer_properties(codec)?),
        )
        .and_then(ArrowWriter::into_serialized_writer)
        .map_err(|e| SinkError::from(e).context(rel_path))?;
        Ok(Self {
            rel_path: rel_path.to_owned(),
            full_path,
            schema,
            writer,
            encoders,
            buffer: RowBuffer::default(),
            rows: 0,
        })
    }

    /// Appends rows. Every time [`ROWS_PER_ROW_GROUP`] rows are buffered they are
    /// encoded and written out as one row group.
    pub fn write(&mut self, rows: &[Row]) -> Result<(), SinkError> {
        for row in rows {
            self.buffer
                .push(row)
                .map_err(|e| e.context(&self.rel_path))?;
            if self.buffer.len == ROWS_PER_ROW_GROUP {
                self.flush_group()?;
            }
        }
        Ok(())
    }

    /// Bytes written to the file so far (complete row groups).
    pub fn bytes_written(&self) -> u64 {
        self.writer.bytes_written() as u64
    }

    /// Whether the next row starts a new row group.
    pub fn at_group_start(&self) -> bool {
        self.buffer.len == 0
    }

    /// Writes the last (partial) row group and the footer, syncs the file and
    /// returns its summary. The SHA-256 covers exactly the bytes on disk.
    pub fn finish(mut self) -> Result<FileSummary, SinkError> {
        self.flush_group()?;
        let ctx = |e: SinkError| e.context(&self.rel_path);
        let hashing = self.writer.into_inner().map_err(|e| ctx(e.into()))?;
        let (file, sha256, bytes) = hashing.into_parts();
        file.sync_all().map_err(|e| ctx(e.into()))?;
        let on_disk = file.metadata().map_err(|e| ctx(e.into()))?.len();
        if on_disk != bytes {
            return Err(SinkError::new(format!(
                "{}: wrote {bytes} bytes but the file holds {on_disk}",
                self.full_path.display()
            )));
        }
        Ok(FileSummary {
            path: self.rel_path,
            rows: self.rows,
            bytes,
            sha256,
        })
    }

    /// Encodes the buffered rows (if any) as one row group.
    fn flush_group(&mut self) -> Result<(), SinkError> {
        if self.buffer.len == 0 {
            return Ok(());
        }
        let n = self.buffer.len as u64;
        let batch = self.buffer.take_batch(&self.schema)?;
        self.encode(&batch)
            .map_err(|e| SinkError::from(e).context(&self.rel_path))?;
        self.rows += n;
        Ok(())
    }

    fn encode(&mut self, batch: &RecordBatch) -> Result<(), parquet::errors::ParquetError> {
        let group = self.writer.flushed_row_groups().len();
        let mut columns = self.encoders.create_column_writers(group)?;
        let mut next = columns.iter_mut();
        for (field, array) in self.schema.fields().iter().zip(batch.columns()) {
            for leaf in compute_leaves(field, array)? {
                next.next().expect("one writer per leaf").write(&leaf)?;
            }
        }
        let mut group = self.writer.next_row_group()?;
        for column in columns {
            column.close()?.append_to_row_group(&mut group)?;
        }
        group.close()?;
        Ok(())
    }

    /// Appends row group `group` of the Parquet file `src` (described by `meta`, read with
    /// its page index) as it is, without decoding it. The file must have this writer's
    /// schema and settings: the result is then the same bytes as writing its rows.
    /// Only between row groups ([`ShardWriter::at_group_start`]).
    pub fn append_group(
        &mut self,
        src: &File,
        meta: &ParquetMetaData,
        group: usize,
    ) -> Result<(), SinkError> {
        if !self.at_group_start() {
            return Err(SinkError::new(format!(
                "{}: a row group can only be copied between row groups",
                self.rel_path
            )));
        }
        let ctx = |e: parquet::errors::ParquetError| SinkError::from(e).context(&self.rel_path);
        let source = meta.row_group(group);
        let index = meta.page_index_for_row_group(group);
        let mut out = self.writer.next_row_group().map_err(ctx)?;
        for (i, column) in source.columns().iter().enumerate() {
            let close = ColumnCloseResult {
                bytes_written: column.compressed_size() as u64,
                rows_written: source.num_rows() as u64,
                metadata: as_written(column).map_err(ctx)?,
                bloom_filter: None,
                column_index: index.column_index(i).cloned(),
                offset_index: index.offset_index(i).cloned(),
            };
            out.append_column(src, close).map_err(ctx)?;
        }
        out.close().map_err(ctx)?;
        self.rows += source.num_rows() as u64;
        Ok(())
    }
}

/// A column chunk's metadata as the writer held it before writing it. Reading a footer
/// back loses one flag: whether the statistics also fill the deprecated `min`/`max` fields,
/// which the writer does for columns with a signed sort order.
fn as_written(
    column: &ColumnChunkMetaData,
) -> Result<ColumnChunkMetaData, parquet::errors::ParquetError> {
    let Some(stats) = column.statistics().cloned() else {
        return Ok(column.clone());
    };
    let signed = column.column_descr().sort_order().is_signed();
    let stats = match stats {
        Statistics::Boolean(s) => Statistics::Boolean(s.with_backwards_compatible_min_max(signed)),
        Statistics::Int32(s) => Statistics::Int32(s.with_backwards_compatible_min_max(signed)),
        Statistics::Int64(s) => Statistics::Int64(s.with_backwards_compatible_min_max(signed)),
        Statistics::Int96(s) => Statistics::Int96(s.with_backwards_compatible_min_max(signed)),
        Statistics::Float(s) => Statistics::Float(s.with_backwards_compatible_min_max(signed)),
        Statistics::Double(s) => Statistics::Double(s.with_backwards_compatible_min_max(signed)),
        Statistics::ByteArray(s) => {
            Statistics::ByteArray(s.with_backwards_compatible_min_max(signed))
        }
        Statistics::FixedLenByteArray(s) => {
            Statistics::FixedLenByteArray(s.with_backwards_compatible_min_max(signed))
        }
    };
    column.clone().into_builder().set_statistics(stats).build()
}

/// The footer of a Parquet file with its page index, as [`ShardWriter::append_group`] needs.
pub fn read_layout(file: &File) -> Result<ParquetMetaData, SinkError> {
    // Full page-encoding statistics (not the default summary mask), so they are copied.
    let options = ParquetMetaDataOptions::new().with_encoding_stats_as_mask(false);
    Ok(ParquetMetaDataReader::new()
        .with_metadata_options(Some(options))
        .with_page_index_policy(PageIndexPolicy::Optional)
        .parse_and_finish(file)?)
}

/// The fixed writer settings described in the module docs.
fn writer_properties(codec: Compression) -> Result<WriterProperties, SinkError> {
    let image_bytes = ColumnPath::from(vec!["image".to_owned(), "bytes".to_owned()]);
    let hf = KeyValue::new(HF_METADATA_KEY.to_owned(), features_json().to_string());
    Ok(WriterProperties::builder()
        .set_created_by(CREATED_BY.to_owned())
        .set_max_row_group_row_count(Some(ROWS_PER_ROW_GROUP))
        .set_compression(codec)
        .set_column_dictionary_enabled(image_bytes.clone(), true)
        .set_column_dictionary_page_size_limit(image_bytes.clone(), MAX_BATCH_IMAGE_BYTES)
        .set_column_encoding(image_bytes.clone(), Encoding::PLAIN)
        .set_column_statistics_enabled(image_bytes, EnabledStatistics::None)
        .set_key_value_metadata(Some(vec![hf]))
        .build())
}

/// Column builders for the rows of the row group being assembled.
#[derive(Default)]
struct RowBuffer {
    id: StringBuilder,
    task: StringBuilder,
    task_id: StringBuilder,
    image_bytes: BinaryBuilder,
    image_path: StringBuilder,
    prompt: StringBuilder,
    groundtruth: StringBuilder,
    metadata: StringBuilder,
    width: Int32Builder,
    height: Int32Builder,
    seed: Int64Builder,
    image_sha256: StringBuilder,
    prompt_id: StringBuilder,
    answer_format: StringBuilder,
    answer_choices: StringBuilder,
    len: usize,
    image_byte_count: usize,
}

impl RowBuffer {
    /// Appends one row; fails (instead of overflowing Arrow's `i32` offsets) if
    /// the batch's image bytes would exceed 2 GiB.
    fn push(&mut self, row: &Row) -> Result<(), SinkError> {
        let image_bytes = self.image_byte_count.saturating_add(row.image.len());
        if image_bytes > MAX_BATCH_IMAGE_BYTES {
            return Err(SinkError::new(format!(
                "row {:?}: images of one row group exceed 2 GiB",
                row.id
            )));
        }
        self.image_byte_count = image_bytes;
        self.id.append_value(&row.id);
        self.task.append_value(&row.task);
        self.task_id.append_value(&row.task_id);
        self.image_bytes.append_value(&row.image);
        self.image_path.append_value(&row.image_path);
        self.prompt.append_value(&row.prompt);
        self.groundtruth.append_value(&row.groundtruth);
        self.metadata.append_value(&row.metadata);
        self.width.append_value(row.width);
        self.height.append_value(row.height);
        self.seed.append_value(row.seed);
        self.image_sha256.append_value(&row.image_sha256);
        self.prompt_id.append_value(&row.prompt_id);
        self.answer_format.append_value(&row.answer_format);
        self.answer_choices.append_value(&row.answer_choices);
        self.len += 1;
        Ok(())
    }

    /// Drains the builders into a batch whose columns follow
    /// [`super::schema::COLUMNS`].
    fn take_batch(&mut self, schema: &SchemaRef) -> Result<RecordBatch, SinkError> {
        let image = StructArray::try_new(
            image_fields(),
            vec![
                Arc::new(self.image_bytes.finish()) as ArrayRef,
                Arc::new(self.image_path.finish()),
            ],
            None,
        )?;
        let columns: Vec<ArrayRef> = vec![
            Arc::new(self.id.finish()),
            Arc::new(self.task.finish()),
            Arc::new(self.task_id.finish()),
            Arc::new(image),
            Arc::new(self.prompt.finish()),
            Arc::new(self.groundtruth.finish()),
            Arc::new(self.metadata.finish()),
            Arc::new(self.width.finish()),
            Arc::new(self.height.finish()),
            Arc::new(self.seed.finish()),
            Arc::new(self.image_sha256.finish()),
            Arc::new(self.prompt_id.finish()),
            Arc::new(self.answer_format.finish()),
            Arc::new(self.answer_choices.finish()),
        ];
        self.len = 0;
        self.image_byte_count = 0;
        Ok(RecordBatch::try_new(Arc::clone(schema), columns)?)
    }
}

/// A `Write` adapter that hashes and counts every byte passed through.
pub struct HashingWriter<W> {
    inner: W,
    hasher: Sha256,
    bytes: u64,
}

impl<W: Write> HashingWriter<W> {
    /// Wraps `inner`.
    pub fn new(inner: W) -> Self {
        Self {
            inner,
            hasher: Sha256::new(),
            bytes: 0,
        }
    }

    /// Returns the inner writer, the hex SHA-256 and the byte count.
    pub fn into_parts(self) -> (W, String, u64) {
        (self.inner, hex(&self.hasher.finalize()), self.bytes)
    }
}

impl<W: Write> Write for HashingWriter<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hasher.update(&buf[..n]);
        self.bytes += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

#[cfg(test)]
#[path = "parquet_tests.rs"]
mod tests;
