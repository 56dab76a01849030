//! A task's rows as one or more Parquet shards of bounded size, named the way `datasets` and
//! the Hub expect: `<dir><split>-<i:05>-of-<n:05>.parquet`. The slice of a sharded build
//! (`build --shard I/N`) names its file `<dir><split>-<I:05>-of-<N:05>.parquet` instead
//! (`…-of-<N:05>-<k:03>.parquet` if the slice needs several), so the N slices' files sit
//! side by side as one dataset.
//!
//! Invariants: a new shard starts only after a whole row group once the current file has
//! reached the size limit, so the cut points depend only on the rows (never on threads or
//! timing); files are written under temporary names and renamed once their count is known,
//! which leaves their bytes (and SHA-256) unchanged.

use std::fs::File;
use std::path::{Path, PathBuf};

use super::parquet::read_layout;
use super::{FileSummary, ROWS_PER_ROW_GROUP, Row, ShardWriter, SinkError, read};

/// Default shard size limit: under the Hub's ~500 MB per Parquet file.
pub const MAX_SHARD_BYTES: u64 = 450 * 1024 * 1024;

/// Writes rows into size-bounded shards.
pub struct ShardSet {
    root: PathBuf,
    dir: String,
    split: String,
    max_bytes: u64,
    slice: Option<(usize, usize)>,
    current: Option<ShardWriter>,
    done: Vec<FileSummary>,
}

impl ShardSet {
    /// Shards `root/<dir><split>-*.parquet`; `dir` is `data/` or `data/<task>/`.
    pub fn new(root: &Path, dir: &str, split: &str) -> Self {
        Self {
            root: root.to_path_buf(),
            dir: dir.to_owned(),
            split: split.to_owned(),
            max_bytes: MAX_SHARD_BYTES,
            slice: None,
            current: None,
            done: Vec::new(),
        }
    }

    /// Sets the size limit (tests use small ones).
    pub fn with_max_bytes(mut self, max_bytes: u64) -> Self {
        self.max_bytes = max_bytes.max(1);
        self
    }

    /// Names the files as slice `index` of `count` of a sharded build.
    pub fn for_slice(mut self, index: usize, count: usize) -> Self {
        self.slice = Some((index, count));
        self
    }

    /// The final name of file `i` of `n`.
    fn final_name(&self, i: usize, n: usize) -> String {
        let (dir, split) = (&self.dir, &self.split);
        match self.slice {
            None => format!("{dir}{split}-{i:05}-of-{n:05}.parquet"),
            Some((s, c)) if n == 1 => format!("{dir}{split}-{s:05}-of-{c:05}.parquet"),
            Some((s, c)) => format!("{dir}{split}-{s:05}-of-{c:05}-{i:03}.parquet"),
        }
    }

    /// Appends rows, starting a new shard when the current one is full.
    pub fn write(&mut self, rows: &[Row]) -> Result<(), SinkError> {
        for row in rows {
            self.writer()?.write(std::slice::from_ref(row))?;
        }
        Ok(())
    }

    /// Appends every row of the Parquet file at `path` (written by [`ShardWriter`] with the
    /// release's settings), with the same result as writing its rows. Whole row groups that
    /// start at a row-group boundary here are copied without decoding; `last` says that no
    /// rows follow the file, so its final row group may be copied even when it is short.
    pub fn copy_file(&mut self, path: &Path, last: bool) -> Result<(), SinkError> {
        let ctx = |e: SinkError| e.context(path.display());
        let file = File::open(path).map_err(|e| ctx(e.into()))?;
        let layout = read_layout(&file).map_err(ctx)?;
        let groups = layout.num_row_groups();
        // Copying keeps the writer at a group boundary, so once a group cannot be copied the
        // rest of the file is decoded in one read (the same bytes as copying would give).
        let aligned = self
            .current
            .as_ref()
            .is_none_or(ShardWriter::at_group_start);
        let mut g = 0;
        while aligned && g < groups {
            let rows = layout.row_group(g).num_rows();
            if rows != ROWS_PER_ROW_GROUP as i64 && !(last && g + 1 == groups) {
                break;
            }
            self.writer()?
                .append_group(&file, &layout, g)
                .map_err(ctx)?;
            g += 1;
        }
        if g < groups {
            read::for_each_row_of_groups(path, (g..groups).collect(), |row| {
                self.write(std::slice::from_ref(&row))
            })?;
        }
        Ok(())
    }

    /// The writer for the next row: a new shard once the current one is full at a row-group
    /// boundary.
    fn writer(&mut self) -> Result<&mut ShardWriter, SinkError> {
        if self
            .current
            .as_ref()
            .is_some_and(|w| w.at_group_start() && w.bytes_written() >= self.max_bytes)
        {
            self.close_current()?;
        }
        if self.current.is_none() {
            let temp = format!("{}.part-{:05}.parquet", self.dir, self.done.len());
            self.current = Some(ShardWriter::create(&self.root, &temp)?);
        }
        Ok(self.current.as_mut().expect("opened above"))
    }

    fn close_current(&mut self) -> Result<(), SinkError> {
        if let Some(w) = self.current.take() {
            self.done.push(w.finish()?);
        }
        Ok(())
    }

    /// Finishes the last shard and renames every shard to its final name. A task without
    /// rows still gets one (empty) shard, so every config has a file.
    pub fn finish(mut self) -> Result<Vec<FileSummary>, SinkError> {
        if self.current.is_none() && self.done.is_empty() {
            let temp = format!("{}.part-00000.parquet", self.dir);
            self.current = Some(ShardWriter::create(&self.root, &temp)?);
        }
        self.close_current()?;
        let n = self.done.len();
        let mut out = Vec::with_capacity(n);
        for (i, mut f) in std::mem::take(&mut self.done).into_iter().enumerate() {
            let name = self.final_name(i, n);
            let (from, to) = (self.root.join(&f.path), self.root.join(&name));
            std::fs::rename(&from, &to).map_err(|e| SinkError::from(e).context(to.display()))?;
            f.path = name;
            out.push(f);
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sink::test_support::sample_rows;

    fn write(root: &Path, max: u64) -> Vec<FileSummary> {
        let mut set = ShardSet::new(root, "data/t/", "valid").with_max_bytes(max);
        for chunk in sample_rows(450).chunks(37) {
            set.write(chunk).unwrap();
        }
        set.finish().unwrap()
    }

    #[test]
    fn full_shards_roll_over_at_row_groups_and_get_final_names() {
        let dir = tempfile::tempdir().unwrap();
        let files = write(dir.path(), 1);
        // A 1-byte limit cuts after every row group of 100 rows.
        let rows: Vec<u64> = files.iter().map(|f| f.rows).collect();
        assert_eq!(rows, [100, 100, 100, 100, 50]);
        let names: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(names[0], "data/t/valid-00000-of-00005.parquet");
        assert_eq!(names[4], "data/t/valid-00004-of-00005.parquet");
        let on_disk = std::fs::read_dir(dir.path().join("data/t"))
            .unwrap()
            .count();
        assert_eq!(on_disk, 5, "no temporary files left");
        for f in &files {
            let bytes = std::fs::read(dir.path().join(&f.path)).unwrap();
            assert_eq!(crate::sink::sha256_hex(&bytes), f.sha256);
        }
        let again = tempfile::tempdir().unwrap();
        assert_eq!(
            write(again.path(), 1),
            files,
            "cut points depend only on the rows"
        );
    }

    #[test]
    fn slices_of_a_sharded_build_are_named_as_parts_of_one_dataset() {
        let dir = tempfile::tempdir().unwrap();
        let mut one = ShardSet::new(dir.path(), "data/t/", "valid").for_slice(2, 3);
        one.write(&sample_rows(10)).unwrap();
        let names: Vec<String> = one.finish().unwrap().into_iter().map(|f| f.path).collect();
        assert_eq!(names, ["data/t/valid-00002-of-00003.parquet"]);
        let mut many = ShardSet::new(dir.path(), "data/u/", "valid")
            .for_slice(1, 3)
            .with_max_bytes(1);
        many.write(&sample_rows(150)).unwrap();
        let names: Vec<String> = many.finish().unwrap().into_iter().map(|f| f.path).collect();
        assert_eq!(
            names,
            [
                "data/u/valid-00001-of-00003-000.parquet",
                "data/u/valid-00001-of-00003-001.parquet"
            ]
        );
    }

    /// Writes `rows` cut into pieces of the given sizes as Parquet files, then copies the
    /// pieces into a shard set.
    fn copy_pieces(root: &Path, rows: &[Row], sizes: &[usize], max: u64) -> Vec<FileSummary> {
        let mut set = ShardSet::new(root, "data/t/", "valid").with_max_bytes(max);
        let mut at = 0;
        for (i, &n) in sizes.iter().enumerate() {
            let name = format!("piece-{i}.parquet");
            let mut w = ShardWriter::create(root, &name).unwrap();
            w.write(&rows[at..at + n]).unwrap();
            w.finish().unwrap();
            set.copy_file(&root.join(&name), i + 1 == sizes.len())
                .unwrap();
            at += n;
        }
        set.finish().unwrap()
    }

    #[test]
    fn copying_pieces_equals_writing_their_rows_whatever_the_cut() {
        let rows = sample_rows(450);
        for max in [1, MAX_SHARD_BYTES] {
            let direct = tempfile::tempdir().unwrap();
            let mut set = ShardSet::new(direct.path(), "data/t/", "valid").with_max_bytes(max);
            set.write(&rows).unwrap();
            let want = set.finish().unwrap();
            // Aligned pieces (copied raw), a short piece in the middle (decoded from there
            // on), and a short last piece.
            for sizes in [&[200, 200, 50][..], &[100, 30, 270, 50], &[450], &[400, 50]] {
                let dir = tempfile::tempdir().unwrap();
                let got = copy_pieces(dir.path(), &rows, sizes, max);
                assert_eq!(got, want, "pieces {sizes:?}, limit {max}");
            }
        }
    }

    #[test]
    fn small_tasks_stay_in_one_shard() {
        let dir = tempfile::tempdir().unwrap();
        let files = write(dir.path(), MAX_SHARD_BYTES);
        assert_eq!(files.len(), 1);
        assert_eq!(files[0].path, "data/t/valid-00000-of-00001.parquet");
        assert_eq!(files[0].rows, 450);
    }
}
