//! Reading a built release back: its `manifest.json` header and its rows, streamed from the
//! Parquet files one record batch at a time (the commands that consume releases — `score`,
//! `diff`, `export` — use this and nothing else).
//!
//! Invariants: rows come in manifest file order, then file order, so every consumer sees the
//! same sequence; image bytes are read only when asked for; columns a release lacks (older
//! layouts) read as empty strings instead of failing.

use std::fs::File;
use std::path::{Path, PathBuf};

use arrow_array::{Array, BinaryArray, Int32Array, RecordBatch, StringArray, StructArray};
use parquet::arrow::ProjectionMask;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use serde::Deserialize;

/// A release folder (`out/<name>/<version>/`).
#[derive(Debug, Clone)]
pub struct Dataset {
    /// The folder.
    pub root: PathBuf,
    /// Dataset name from the manifest.
    pub name: String,
    /// Dataset version from the manifest.
    pub version: String,
    /// Parquet files, relative to `root`, in manifest order.
    pub data_files: Vec<String>,
    /// Hex SHA-256 of each of `data_files`, in the same order.
    pub data_sha256: Vec<String>,
    /// Version of the compiler that built the release (empty if the manifest lacks it).
    pub compiler_version: String,
    /// The manifest's `content_digest` (empty if absent).
    pub content_digest: String,
    /// Manifest `task_specs` entries (task id, group) in dataset order.
    pub tasks: Vec<TaskEntry>,
}

/// One task of a release, as its manifest records it.
#[derive(Debug, Clone, Deserialize)]
pub struct TaskEntry {
    /// Task slug.
    pub task_id: String,
    /// Score column (absent in older manifests).
    #[serde(default)]
    pub group: Option<String>,
    /// Hex SHA-256 of the task's spec file (empty in older manifests).
    #[serde(default)]
    pub sha256: String,
}

/// One row; the image (bytes and file name) only when it was asked for. Fields are the
/// dataset columns of the same names.
#[derive(Debug, Clone, Default)]
#[allow(missing_docs)]
pub struct DatasetRow {
    pub id: String,
    pub task: String,
    pub task_id: String,
    pub prompt: String,
    pub prompt_id: String,
    pub groundtruth: String,
    pub answer_format: String,
    pub answer_choices: String,
    pub metadata: String,
    pub image_sha256: String,
    pub image_path: String,
    pub width: i32,
    pub height: i32,
    /// PNG bytes; empty unless images were requested.
    pub image: Vec<u8>,
}

#[derive(Deserialize)]
struct ManifestHead {
    name: String,
    version: String,
    files: Vec<FileEntry>,
    #[serde(default)]
    task_specs: Vec<TaskEntry>,
    #[serde(default)]
    compiler: Option<CompilerEntry>,
    #[serde(default)]
    content_digest: String,
}

#[derive(Deserialize)]
struct FileEntry {
    path: String,
    #[serde(default)]
    sha256: String,
}

#[derive(Deserialize)]
struct CompilerEntry {
    version: String,
}

/// The string columns read, in [`DatasetRow`] field order.
const TEXT_COLUMNS: [&str; 10] = [
    "id",
    "task",
    "task_id",
    "prompt",
    "prompt_id",
    "groundtruth",
    "answer_format",
    "answer_choices",
    "metadata",
    "image_sha256",
];

impl Dataset {
    /// Opens a release folder by its `manifest.json`.
    pub fn open(root: &Path) -> Result<Self, String> {
        let path = root.join("manifest.json");
        let file = File::open(&path).map_err(|e| {
            format!(
                "{}: {e} (is this a release folder built by blindspot?)",
                path.display()
            )
        })?;
        // Streamed: the per-row list, which grows with the dataset, is skipped, not held.
        let head: ManifestHead = serde_json::from_reader(std::io::BufReader::new(file))
            .map_err(|e| format!("{}: {e}", path.display()))?;
        let (data_files, data_sha256) = head
            .files
            .into_iter()
            .filter(|f| f.path.ends_with(".parquet"))
            .map(|f| (f.path, f.sha256))
            .unzip();
        Ok(Self {
            root: root.to_path_buf(),
            name: head.name,
            version: head.version,
            data_files,
            data_sha256,
            compiler_version: head.compiler.map(|c| c.version).unwrap_or_default(),
            content_digest: head.content_digest,
            tasks: head.task_specs,
        })
    }

    /// Calls `f` on every row in order; stops at the first error.
    pub fn for_each_row(
        &self,
        images: bool,
        mut f: impl FnMut(DatasetRow) -> Result<(), String>,
    ) -> Result<(), String> {
        for rel in &self.data_files {
            let path = self.root.join(rel);
            read_file(&path, images, &mut f).map_err(|e| format!("{}: {e}", path.display()))?;
        }
        Ok(())
    }

    /// Every row, without image bytes.
    pub fn rows(&self) -> Result<Vec<DatasetRow>, String> {
        let mut out = Vec::new();
        self.for_each_row(false, |r| {
            out.push(r);
            Ok(())
        })?;
        Ok(out)
    }
}

fn read_file(
    path: &Path,
    images: bool,
    f: &mut impl FnMut(DatasetRow) -> Result<(), String>,
) -> Result<(), String> {
    let file = File::open(path).map_err(|e| e.to_string())?;
    let builder = ParquetRecordBatchReaderBuilder::try_new(file).map_err(|e| e.to_string())?;
    let schema = builder.schema().clone();
    let mut wanted: Vec<usize> = Vec::new();
    for (i, field) in schema.fields().iter().enumerate() {
        let name = field.name().as_str();
        let size = name == "width" || name == "height";
        if TEXT_COLUMNS.contains(&name) || size || (images && name == "image") {
            wanted.push(i);
        }
    }
    let mask = ProjectionMask::roots(builder.parquet_schema(), wanted);
    let reader = builder
        .with_projection(mask)
        .build()
        .map_err(|e| e.to_string())?;
    for batch in reader {
        let batch = batch.map_err(|e| e.to_string())?;
        for row in batch_rows(&batch, images)? {
            f(row)?;
        }
    }
    Ok(())
}

fn batch_rows(batch: &RecordBatch, images: bool) -> Result<Vec<DatasetRow>, String> {
    let text = |name: &str| {
        batch
            .column_by_name(name)
            .and_then(|c| c.as_any().downcast_ref::<StringArray>().cloned())
    };
    let int = |name: &str| {
        batch
            .column_by_name(name)
            .and_then(|c| c.as_any().downcast_ref::<Int32Array>().cloned())
    };
    let cols: Vec<Option<StringArray>> = TEXT_COLUMNS.iter().map(|n| text(n)).collect();
    let (width, height) = (int("width"), int("height"));
    let image = batch
        .column_by_name("image")
        .and_then(|c| c.as_any().downcast_ref::<StructArray>().cloned());
    let get = |c: &Option<StringArray>, i: usize| {
        c.as_ref()
            .filter(|a| !a.is_null(i))
            .map_or_else(String::new, |a| a.value(i).to_owned())
    };
    let mut out = Vec::with_capacity(batch.num_rows());
    for i in 0..batch.num_rows() {
        let (bytes, path) = image_at(image.as_ref(), i, images)?;
        out.push(DatasetRow {
            id: get(&cols[0], i),
            task: get(&cols[1], i),
            task_id: get(&cols[2], i),
            prompt: get(&cols[3], i),
            prompt_id: get(&cols[4], i),
            groundtruth: get(&cols[5], i),
            answer_format: get(&cols[6], i),
            answer_choices: get(&cols[7], i),
            metadata: get(&cols[8], i),
            image_sha256: get(&cols[9], i),
            image_path: path,
            width: width.as_ref().map_or(0, |a| a.value(i)),
            height: height.as_ref().map_or(0, |a| a.value(i)),
            image: bytes,
        });
    }
    Ok(out)
}

/// The image bytes (when wanted) and file name of row `i`.
fn image_at(
    image: Option<&StructArray>,
    i: usize,
    want: bool,
) -> Result<(Vec<u8>, String), String> {
    let Some(s) = image else {
        return Ok((Vec::new(), String::new()));
    };
    let path = s
        .column_by_name("path")
        .and_then(|c| c.as_any().downcast_ref::<StringArray>())
        .filter(|a| !a.is_null(i))
        .map_or_else(String::new, |a| a.value(i).to_owned());
    if !want {
        return Ok((Vec::new(), path));
    }
    let bytes = s
        .column_by_name("bytes")
        .and_then(|c| c.as_any().downcast_ref::<BinaryArray>())
        .filter(|a| !a.is_null(i))
        .ok_or_else(|| format!("row {i}: no image bytes"))?;
    Ok((bytes.value(i).to_vec(), path))
}
