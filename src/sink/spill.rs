//! Disk-backed per-row logs for the [`super::Tally`], so that a build's memory does not grow
//! with its row count.
//!
//! * [`RecordLog`] keeps the manifest's per-row records in insertion order and replays them
//!   as [`RowRecords`], which serialise as a JSON array read straight from the log.
//! * [`SortedLines`] is an external sort of `(key, line)` pairs: pairs are buffered up to a
//!   memory budget, each full buffer is sorted and written as a run, and the runs are merged
//!   k-way when read. It feeds the content digest, which hashes lines in id order.
//!
//! Invariants:
//! * Without a scratch folder everything stays in memory; with one, memory is bounded by
//!   the budget plus one buffered reader per run. Both give the same records, lines and order.
//! * Files are written only inside the scratch folder given; the caller owns that folder and
//!   removes it (the logs never delete files themselves, so cloned records stay readable).
//! * On-disk records are length-prefixed byte strings (`u32` little-endian length, bytes),
//!   so any text, including tabs and newlines, round-trips exactly.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use serde::ser::{Error as _, SerializeSeq};
use serde::{Serialize, Serializer};

use super::SinkError;
use super::manifest::ManifestRow;

/// Default memory budget of a [`SortedLines`] buffer before it spills a run.
pub const SORT_BUDGET_BYTES: usize = 8 * 1024 * 1024;

/// Per-pair bookkeeping counted against the budget besides the string bytes.
const PAIR_OVERHEAD: usize = 64;

/// Manifest rows in insertion order, in memory or in a log file.
#[derive(Debug)]
pub struct RecordLog {
    mem: Vec<ManifestRow>,
    file: Option<(PathBuf, BufWriter<File>)>,
    len: u64,
}

impl RecordLog {
    /// A log in memory (`dir` = `None`) or in `dir/rows.bin`.
    pub fn new(dir: Option<&Path>) -> Result<Self, SinkError> {
        let file = match dir {
            None => None,
            Some(d) => {
                let path = d.join("rows.bin");
                Some((path.clone(), BufWriter::new(create(&path)?)))
            }
        };
        Ok(Self {
            mem: Vec::new(),
            file,
            len: 0,
        })
    }

    /// Appends one record.
    pub fn push(&mut self, row: ManifestRow) -> Result<(), SinkError> {
        self.len += 1;
        match &mut self.file {
            None => self.mem.push(row),
            Some((path, w)) => {
                let fields = [&row.id, &row.image_sha256, &row.groundtruth];
                write_fields(w, &fields.map(String::as_str)).map_err(|e| io_error(path, e))?;
            }
        }
        Ok(())
    }

    /// Flushes the log and returns its records for replay.
    pub fn finish(self) -> Result<RowRecords, SinkError> {
        match self.file {
            None => Ok(RowRecords::Memory(self.mem)),
            Some((path, mut w)) => {
                w.flush().map_err(|e| io_error(&path, e))?;
                Ok(RowRecords::File {
                    path,
                    len: self.len,
                })
            }
        }
    }
}

/// The manifest's per-row records, serialised as a JSON array (read from the log file
/// while serialising when they were spilled).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RowRecords {
    /// Records held in memory.
    Memory(Vec<ManifestRow>),
    /// Records in a [`RecordLog`] file.
    File {
        /// The log file.
        path: PathBuf,
        /// Number of records.
        len: u64,
    },
}

impl Default for RowRecords {
    fn default() -> Self {
        Self::Memory(Vec::new())
    }
}

impl RowRecords {
    /// Number of records.
    pub fn len(&self) -> u64 {
        match self {
            Self::Memory(v) => v.len() as u64,
            Self::File { len, .. } => *len,
        }
    }

    /// Whether there are no records.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Calls `f` on every record in order.
    pub fn for_each(
        &self,
        mut f: impl FnMut(&ManifestRow) -> Result<(), SinkError>,
    ) -> Result<(), SinkError> {
        match self {
            Self::Memory(v) => v.iter().try_for_each(f),
            Self::File { path, len } => {
                let mut r = BufReader::new(open(path)?);
                for _ in 0..*len {
                    let [id, image_sha256, groundtruth] =
                        read_fields::<3>(&mut r).map_err(|e| io_error(path, e))?;
                    f(&ManifestRow {
                        id,
                        image_sha256,
                        groundtruth,
                    })?;
                }
                Ok(())
            }
        }
    }

    /// Every record, in memory.
    pub fn to_vec(&self) -> Result<Vec<ManifestRow>, SinkError> {
        let mut out = Vec::new();
        self.for_each(|r| {
            out.push(r.clone());
            Ok(())
        })?;
        Ok(out)
    }
}

impl Serialize for RowRecords {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let len = usize::try_from(self.len()).map_err(S::Error::custom)?;
        let mut seq = serializer.serialize_seq(Some(len))?;
        let mut failure = None;
        let read = self.for_each(|row| {
            seq.serialize_element(row).map_err(|e| {
                let msg = e.to_string();
                failure = Some(e);
                SinkError::new(msg)
            })
        });
        if let Some(e) = failure {
            return Err(e);
        }
        read.map_err(S::Error::custom)?;
        seq.end()
    }
}

/// An external sort of `(key, line)` pairs, read back as the lines in key order.
#[derive(Debug)]
pub struct SortedLines {
    dir: Option<PathBuf>,
    budget: usize,
    buf: Vec<(String, String)>,
    buf_bytes: usize,
    runs: Vec<PathBuf>,
}

impl SortedLines {
    /// A sorter that spills runs into `dir` whenever `budget` bytes are buffered (never
    /// without a `dir`).
    pub fn new(dir: Option<&Path>, budget: usize) -> Self {
        Self {
            dir: dir.map(Path::to_path_buf),
            budget: budget.max(1),
            buf: Vec::new(),
            buf_bytes: 0,
            runs: Vec::new(),
        }
    }

    /// Adds one pair.
    pub fn push(&mut self, key: String, line: String) -> Result<(), SinkError> {
        self.buf_bytes += key.len() + line.len() + PAIR_OVERHEAD;
        self.buf.push((key, line));
        if self.dir.is_some() && self.buf_bytes >= self.budget {
            self.spill()?;
        }
        Ok(())
    }

    /// Number of runs written so far.
    pub fn runs(&self) -> usize {
        self.runs.len()
    }

    fn spill(&mut self) -> Result<(), SinkError> {
        let Some(dir) = &self.dir else {
            return Ok(());
        };
        let path = dir.join(format!("sort-{:05}.bin", self.runs.len()));
        self.buf.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let mut w = BufWriter::new(create(&path)?);
        let written: std::io::Result<()> = self
            .buf
            .iter()
            .try_for_each(|(k, l)| write_fields(&mut w, &[k, l]))
            .and_then(|()| w.flush());
        written.map_err(|e| io_error(&path, e))?;
        self.runs.push(path);
        self.buf.clear();
        self.buf_bytes = 0;
        Ok(())
    }

    /// Calls `f(key, line)` for every pair in key order (pairs with equal keys are adjacent,
    /// in unspecified order).
    pub fn for_each_sorted(
        mut self,
        mut f: impl FnMut(&str, &str) -> Result<(), SinkError>,
    ) -> Result<(), SinkError> {
        if self.runs.is_empty() {
            self.buf.sort_unstable_by(|a, b| a.0.cmp(&b.0));
            return self.buf.iter().try_for_each(|(k, l)| f(k, l));
        }
        if !self.buf.is_empty() {
            self.spill()?;
        }
        merge_runs(&self.runs, f)
    }
}

/// K-way merge of sorted run files.
fn merge_runs(
    runs: &[PathBuf],
    mut f: impl FnMut(&str, &str) -> Result<(), SinkError>,
) -> Result<(), SinkError> {
    let mut readers = Vec::with_capacity(runs.len());
    let mut heap = BinaryHeap::new();
    for (i, path) in runs.iter().enumerate() {
        let mut r = BufReader::new(open(path)?);
        if let Some([k, l]) = next_pair(&mut r, path)? {
            heap.push(Reverse((k, i, l)));
        }
        readers.push(r);
    }
    while let Some(Reverse((key, i, line))) = heap.pop() {
        f(&key, &line)?;
        if let Some([k, l]) = next_pair(&mut readers[i], &runs[i])? {
            heap.push(Reverse((k, i, l)));
        }
    }
    Ok(())
}

/// The next pair of a run, or `None` at its end.
fn next_pair(r: &mut impl Read, path: &Path) -> Result<Option<[String; 2]>, SinkError> {
    read_record(r).map_err(|e| io_error(path, e))
}

/// The next record of `N` fields, or `None` where the input ends cleanly between records
/// (an end inside a record is an error).
pub(crate) fn read_record<const N: usize>(
    r: &mut impl Read,
) -> std::io::Result<Option<[String; N]>> {
    let mut len = [0u8; 4];
    let mut got = 0;
    while got < len.len() {
        match r.read(&mut len[got..]) {
            Ok(0) => break,
            Ok(n) => got += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    match got {
        0 => return Ok(None),
        4 => {}
        _ => return Err(std::io::ErrorKind::UnexpectedEof.into()),
    }
    let mut out: [String; N] = std::array::from_fn(|_| String::new());
    out[0] = read_string(r, u32::from_le_bytes(len))?;
    for slot in &mut out[1..] {
        r.read_exact(&mut len)?;
        *slot = read_string(r, u32::from_le_bytes(len))?;
    }
    Ok(Some(out))
}

pub(crate) fn write_fields(w: &mut impl Write, fields: &[&str]) -> std::io::Result<()> {
    for s in fields {
        let len = u32::try_from(s.len()).map_err(std::io::Error::other)?;
        w.write_all(&len.to_le_bytes())?;
        w.write_all(s.as_bytes())?;
    }
    Ok(())
}

fn read_fields<const N: usize>(r: &mut impl Read) -> std::io::Result<[String; N]> {
    read_record(r)?.ok_or_else(|| std::io::ErrorKind::UnexpectedEof.into())
}

fn read_string(r: &mut impl Read, len: u32) -> std::io::Result<String> {
    let mut bytes = vec![0u8; len as usize];
    r.read_exact(&mut bytes)?;
    String::from_utf8(bytes).map_err(std::io::Error::other)
}

pub(crate) fn create(path: &Path) -> Result<File, SinkError> {
    File::create(path).map_err(|e| io_error(path, e))
}

pub(crate) fn open(path: &Path) -> Result<File, SinkError> {
    File::open(path).map_err(|e| io_error(path, e))
}

pub(crate) fn io_error(path: &Path, e: std::io::Error) -> SinkError {
    SinkError::from(e).context(path.display())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(i: usize) -> ManifestRow {
        ManifestRow {
            id: format!("t/{i:06}/p1"),
            image_sha256: format!("{i:064x}"),
            groundtruth: if i.is_multiple_of(2) {
                "a\tb\n".into()
            } else {
                "é".into()
            },
        }
    }

    #[test]
    fn record_log_replays_the_same_rows_from_memory_and_from_disk() {
        let dir = tempfile::tempdir().unwrap();
        let (mut mem, mut disk) = (
            RecordLog::new(None).unwrap(),
            RecordLog::new(Some(dir.path())).unwrap(),
        );
        for i in 0..250 {
            mem.push(row(i)).unwrap();
            disk.push(row(i)).unwrap();
        }
        let (mem, disk) = (mem.finish().unwrap(), disk.finish().unwrap());
        assert!(matches!(disk, RowRecords::File { len: 250, .. }));
        assert_eq!(mem.to_vec().unwrap(), disk.to_vec().unwrap());
        assert_eq!(
            serde_json::to_string_pretty(&mem).unwrap(),
            serde_json::to_string_pretty(&disk).unwrap()
        );
    }

    fn sorted(dir: Option<&Path>, budget: usize, keys: &[String]) -> (Vec<String>, usize) {
        let mut s = SortedLines::new(dir, budget);
        for k in keys {
            s.push(k.clone(), format!("{k}\tline\n")).unwrap();
        }
        let runs = s.runs();
        let mut out = Vec::new();
        s.for_each_sorted(|k, l| {
            assert_eq!(l, format!("{k}\tline\n"));
            out.push(k.to_owned());
            Ok(())
        })
        .unwrap();
        (out, runs)
    }

    #[test]
    fn a_record_cut_anywhere_is_an_error_and_a_clean_end_is_none() {
        let mut bytes = Vec::new();
        write_fields(&mut bytes, &["id", "line"]).unwrap();
        let whole = read_record::<2>(&mut bytes.as_slice()).unwrap();
        assert_eq!(whole, Some(["id".to_string(), "line".to_string()]));
        assert_eq!(read_record::<2>(&mut &[][..]).unwrap(), None);
        for cut in 1..bytes.len() {
            assert!(
                read_record::<2>(&mut &bytes[..cut]).is_err(),
                "cut at {cut}"
            );
        }
    }

    #[test]
    fn external_sort_equals_in_memory_sort_whatever_the_budget() {
        let keys: Vec<String> = (0..1000u64)
            .map(|i| format!("k{}", i.wrapping_mul(7919) % 1009))
            .collect();
        let mut expected = keys.clone();
        expected.sort();
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(sorted(None, 1, &keys), (expected.clone(), 0));
        let (spilled, runs) = sorted(Some(dir.path()), 2000, &keys);
        assert!(runs > 10, "a small budget spills many runs ({runs})");
        assert_eq!(spilled, expected);
        let (big, runs) = sorted(Some(dir.path()), SORT_BUDGET_BYTES, &keys);
        assert_eq!((big, runs), (expected, 0));
    }
}
