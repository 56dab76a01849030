//! Unit tests for the shard writer: round trip, row groups, writer settings,
//! footer metadata and byte-for-byte determinism.

use std::fs;
use std::path::Path;

use arrow_array::cast::AsArray;
use arrow_array::types::{Int32Type, Int64Type};
use arrow_array::{Array, RecordBatch};
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use parquet::basic::{Compression, Encoding};
use parquet::file::metadata::ParquetMetaData;

use super::*;
use crate::sink::schema::COLUMNS;
use crate::sink::sha256_hex;
use crate::sink::test_support::sample_rows;

const REL: &str = "data/valid-00000-of-00001.parquet";

fn write_in_chunks(root: &Path, rows: &[Row], chunk: usize) -> FileSummary {
    let mut w = ShardWriter::create(root, REL).unwrap();
    for part in rows.chunks(chunk) {
        w.write(part).unwrap();
    }
    w.finish().unwrap()
}

fn read_back(path: &Path) -> (ParquetMetaData, Vec<RecordBatch>) {
    let builder = ParquetRecordBatchReaderBuilder::try_new(fs::File::open(path).unwrap()).unwrap();
    let meta = builder.metadata().as_ref().clone();
    let batches = builder.build().unwrap().map(Result::unwrap).collect();
    (meta, batches)
}

#[test]
fn rows_round_trip_in_column_order() {
    let dir = tempfile::tempdir().unwrap();
    let rows = sample_rows(250);
    let summary = write_in_chunks(dir.path(), &rows, 250);
    let (_, batches) = read_back(&dir.path().join(REL));
    let names: Vec<String> = batches[0]
        .schema()
        .fields()
        .iter()
        .map(|f| f.name().clone())
        .collect();
    assert_eq!(names, COLUMNS.map(|(n, _)| n.to_owned()));
    let mut i = 0;
    for batch in &batches {
        let image = batch.column(3).as_struct();
        let bytes = image.column(0).as_binary::<i32>();
        let paths = image.column(1).as_string::<i32>();
        for r in 0..batch.num_rows() {
            let want = &rows[i];
            let text = |c: usize| batch.column(c).as_string::<i32>().value(r).to_owned();
            assert_eq!(text(0), want.id);
            assert_eq!(text(1), want.task);
            assert_eq!(text(2), want.task_id);
            assert_eq!(bytes.value(r), want.image.as_slice());
            assert_eq!(paths.value(r), want.image_path);
            assert_eq!(text(4), want.prompt);
            assert_eq!(text(5), want.groundtruth);
            assert_eq!(text(6), want.metadata);
            assert_eq!(
                batch.column(7).as_primitive::<Int32Type>().value(r),
                want.width
            );
            assert_eq!(
                batch.column(8).as_primitive::<Int32Type>().value(r),
                want.height
            );
            assert_eq!(
                batch.column(9).as_primitive::<Int64Type>().value(r),
                want.seed
            );
            assert_eq!(text(10), want.image_sha256);
            assert!(batch.columns().iter().all(|c| c.null_count() == 0));
            i += 1;
        }
    }
    assert_eq!(i, 250);
    assert_eq!(summary.rows, 250);
}

#[test]
fn summary_matches_file_on_disk() {
    let dir = tempfile::tempdir().unwrap();
    let summary = write_in_chunks(dir.path(), &sample_rows(30), 7);
    let bytes = fs::read(dir.path().join(REL)).unwrap();
    assert_eq!(summary.path, REL);
    assert_eq!(summary.bytes, bytes.len() as u64);
    assert_eq!(summary.sha256, sha256_hex(&bytes));
    assert_eq!(&bytes[..4], b"PAR1");
}

#[test]
fn row_groups_hold_at_most_100_rows() {
    let dir = tempfile::tempdir().unwrap();
    write_in_chunks(dir.path(), &sample_rows(250), 33);
    let (meta, _) = read_back(&dir.path().join(REL));
    let sizes: Vec<i64> = meta.row_groups().iter().map(|g| g.num_rows()).collect();
    assert_eq!(sizes, [100, 100, 50]);
}

#[test]
fn footer_carries_pinned_settings_and_features() {
    let dir = tempfile::tempdir().unwrap();
    write_in_chunks(dir.path(), &sample_rows(120), 120);
    let (meta, _) = read_back(&dir.path().join(REL));
    let file = meta.file_metadata();
    assert_eq!(file.created_by(), Some(CREATED_BY));
    let kv = file.key_value_metadata().unwrap();
    let keys: Vec<&str> = kv.iter().map(|k| k.key.as_str()).collect();
    assert_eq!(keys, ["huggingface", "ARROW:schema"]);
    let hf: serde_json::Value = serde_json::from_str(kv[0].value.as_deref().unwrap()).unwrap();
    assert_eq!(hf, features_json());
    for group in meta.row_groups() {
        for col in group.columns() {
            assert!(matches!(col.compression(), Compression::ZSTD(_)));
            assert!(col.offset_index_offset().is_some(), "no page index");
            let is_image_bytes = col.column_path().string() == "image.bytes";
            assert_eq!(
                col.statistics().is_none(),
                is_image_bytes,
                "{}",
                col.column_path()
            );
            if is_image_bytes {
                assert!(col.dictionary_page_offset().is_some(), "no dictionary");
                assert!(col.encodings().any(|e| e == Encoding::RLE_DICTIONARY));
            }
        }
    }
}

/// `n` incompressible bytes from a linear congruential generator at `state`.
fn noise(state: &mut u64, n: usize) -> Vec<u8> {
    (0..n)
        .map(|_| {
            *state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1);
            (*state >> 56) as u8
        })
        .collect()
}

/// Rows that carry the same PNG (one per prompt) store it once per row group, and read
/// back as plain values, each row with its own copy.
#[test]
fn rows_sharing_an_image_store_it_once() {
    let noise = noise(&mut 7, 40_000);
    let rows: Vec<Row> = sample_rows(100)
        .into_iter()
        .map(|mut row| {
            row.image = noise.clone();
            row.image_sha256 = sha256_hex(&noise);
            row
        })
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let summary = write_in_chunks(dir.path(), &rows, 7);
    assert!(
        summary.bytes < 2 * noise.len() as u64,
        "{} bytes for 100 copies of {} incompressible bytes",
        summary.bytes,
        noise.len()
    );
    let (meta, batches) = read_back(&dir.path().join(REL));
    assert_eq!(meta.num_row_groups(), 1);
    let images: Vec<&[u8]> = batches
        .iter()
        .flat_map(|b| {
            let bytes = b.column(3).as_struct().column(0).as_binary::<i32>();
            (0..b.num_rows()).map(move |r| bytes.value(r))
        })
        .collect();
    assert_eq!(images.len(), 100);
    assert!(images.iter().all(|i| *i == noise.as_slice()));
}

#[test]
fn same_rows_give_identical_bytes_whatever_the_chunking() {
    let rows = sample_rows(230);
    let mut digests = Vec::new();
    for chunk in [230, 1, 37, 100] {
        let dir = tempfile::tempdir().unwrap();
        let summary = write_in_chunks(dir.path(), &rows, chunk);
        digests.push((summary.sha256, fs::read(dir.path().join(REL)).unwrap()));
    }
    assert!(digests.windows(2).all(|w| w[0] == w[1]));
}

#[test]
fn empty_shard_is_a_valid_file() {
    let dir = tempfile::tempdir().unwrap();
    let summary = ShardWriter::create(dir.path(), REL)
        .unwrap()
        .finish()
        .unwrap();
    assert_eq!(summary.rows, 0);
    let (meta, batches) = read_back(&dir.path().join(REL));
    assert_eq!(meta.file_metadata().num_rows(), 0);
    assert!(batches.is_empty());
}

#[test]
fn bad_paths_and_unwritable_roots_are_errors() {
    let dir = tempfile::tempdir().unwrap();
    assert!(ShardWriter::create(dir.path(), "../escape.parquet").is_err());
    let blocker = dir.path().join("file");
    fs::write(&blocker, b"x").unwrap();
    let err = ShardWriter::create(&blocker, REL).err().unwrap();
    assert!(err.message.contains("creating"), "{err}");
}

/// Rows whose "image" bytes are a fixed pseudo-random stream rather than PNGs,
/// so the golden digest below depends only on parquet-rs and zstd.
fn golden_rows() -> Vec<Row> {
    let mut state = 0x2545_F491_4F6C_DD1D_u64;
    sample_rows(150)
        .into_iter()
        .map(|mut row| {
            row.image = noise(&mut state, 300);
            row.image_sha256 = sha256_hex(&row.image);
            row
        })
        .collect()
}

/// Guard rail (CRATES.md §6): if this fails after a dependency update, the
/// Parquet bytes changed for identical rows. Bump the dataset PATCH version in
/// the release notes and update the constant.
#[test]
fn golden_parquet_digest() {
    let dir = tempfile::tempdir().unwrap();
    let summary = write_in_chunks(dir.path(), &golden_rows(), 64);
    assert_eq!(
        summary.sha256,
        "800b13869222c15c43b8bb2f4eee67ec911f7421125a51ac583d9f353a34217d"
    );
}

/// Copies `src`'s row groups into a new file, raw except for the groups in `decode`, which
/// are read back as rows and written again.
fn copy_groups(src: &Path, root: &Path, decode: &[usize]) -> Vec<u8> {
    let file = fs::File::open(src).unwrap();
    let meta = read_layout(&file).unwrap();
    let rows = rows_in(src);
    let mut w = ShardWriter::create(root, "copy.parquet").unwrap();
    let mut at = 0;
    for g in 0..meta.num_row_groups() {
        let n = meta.row_group(g).num_rows() as usize;
        if decode.contains(&g) {
            w.write(&rows[at..at + n]).unwrap();
        } else {
            w.append_group(&file, &meta, g).unwrap();
        }
        at += n;
    }
    w.finish().unwrap();
    fs::read(root.join("copy.parquet")).unwrap()
}

fn rows_in(path: &Path) -> Vec<Row> {
    let mut out = Vec::new();
    crate::sink::read::for_each_row(path, |r| {
        out.push(r);
        Ok(())
    })
    .unwrap();
    out
}

#[test]
fn copied_row_groups_give_the_same_bytes_as_written_rows() {
    let dir = tempfile::tempdir().unwrap();
    let rows = sample_rows(250);
    write_in_chunks(dir.path(), &rows, 64);
    let original = fs::read(dir.path().join(REL)).unwrap();
    let src = dir.path().join(REL);
    let raw = copy_groups(&src, dir.path(), &[]);
    assert!(
        raw == original,
        "all raw: {} vs {} bytes",
        raw.len(),
        original.len()
    );
    let mixed = copy_groups(&src, dir.path(), &[1]);
    assert!(mixed == original, "mixed");
    let rows = copy_groups(&src, dir.path(), &[0, 1, 2]);
    assert!(rows == original, "all rows");
}

#[test]
fn a_row_group_is_copied_only_between_row_groups() {
    let dir = tempfile::tempdir().unwrap();
    write_in_chunks(dir.path(), &sample_rows(120), 120);
    let file = fs::File::open(dir.path().join(REL)).unwrap();
    let meta = read_layout(&file).unwrap();
    let mut w = ShardWriter::create(dir.path(), "copy.parquet").unwrap();
    w.write(&sample_rows(1)).unwrap();
    let err = w.append_group(&file, &meta, 0).unwrap_err();
    assert!(err.message.contains("between row groups"), "{err}");
}
