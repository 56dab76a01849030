//! Helpers shared by the integration tests: building datasets into temp folders and
//! reading them back with the parquet crate and a PNG decoder (not with blindspot's code).

#![allow(dead_code)]

use std::fs::File;
use std::path::{Path, PathBuf};

use arrow_array::{Array, BinaryArray, Int32Array, Int64Array, StringArray, StructArray};
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;

/// Runs the `blindspot` binary from the repository root.
pub fn blindspot(args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_blindspot"))
        .args(args)
        .current_dir(root())
        .output()
        .expect("the binary runs")
}

/// The Python with the harness packages: `BLINDSPOT_HARNESS_PYTHON`, else `.venv-harness`.
pub fn harness_python() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("BLINDSPOT_HARNESS_PYTHON") {
        return Some(PathBuf::from(p));
    }
    let venv = root().join(".venv-harness/bin/python");
    venv.exists().then_some(venv)
}

/// Whether tests that need the harness Python must fail instead of skipping (CI).
pub fn harness_required() -> bool {
    std::env::var_os("BLINDSPOT_REQUIRE_HARNESS").is_some_and(|v| v == "1")
}

/// Repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Whether golden files should be rewritten instead of compared.
pub fn updating() -> bool {
    std::env::var_os("BLINDSPOT_UPDATE").is_some_and(|v| v == "1")
}

/// Fails unless the committed file at `rel` is `fresh` (rewrites it under `BLINDSPOT_UPDATE=1`);
/// `how` says how to regenerate it.
pub fn assert_current(rel: &str, fresh: &str, how: &str) {
    let path = root().join(rel);
    if updating() {
        std::fs::write(&path, fresh).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(committed == fresh, "{rel} is stale: {how}");
}

/// Builds a spec into `out` with the library API.
pub fn build(spec: &Path, out: &Path, threads: usize) -> blindspot::pipeline::BuildReport {
    let task =
        blindspot::spec::load(spec).unwrap_or_else(|d| panic!("{}", blindspot::diag::render(&d)));
    let opts = blindspot::pipeline::BuildOptions {
        out_dir: out.to_path_buf(),
        threads: Some(threads),
        ..Default::default()
    };
    match blindspot::pipeline::build(&task, &opts) {
        Ok(r) => r,
        Err(e) => panic!("build failed: {e:?}"),
    }
}

/// One row read back from Parquet.
#[derive(Debug, Clone)]
pub struct ReadRow {
    pub id: String,
    pub task: String,
    pub image: Vec<u8>,
    pub image_path: String,
    pub prompt: String,
    pub groundtruth: String,
    pub metadata: serde_json::Value,
    pub width: i32,
    pub height: i32,
    pub seed: i64,
    pub image_sha256: String,
}

fn strings(batch: &arrow_array::RecordBatch, name: &str) -> Vec<String> {
    let col = batch
        .column_by_name(name)
        .unwrap_or_else(|| panic!("column {name}"));
    let arr = col.as_any().downcast_ref::<StringArray>().expect("utf8");
    (0..arr.len()).map(|i| arr.value(i).to_string()).collect()
}

/// Reads every row of a Parquet file, and the row-group sizes.
pub fn read_parquet(path: &Path) -> (Vec<ReadRow>, Vec<i64>) {
    let builder = ParquetRecordBatchReaderBuilder::try_new(File::open(path).unwrap()).unwrap();
    let groups = builder
        .metadata()
        .row_groups()
        .iter()
        .map(|g| g.num_rows())
        .collect();
    let mut rows = Vec::new();
    for batch in builder.build().unwrap() {
        let batch = batch.unwrap();
        let [id, task, prompt, gt, meta, sha] = [
            "id",
            "task",
            "prompt",
            "groundtruth",
            "metadata",
            "image_sha256",
        ]
        .map(|c| strings(&batch, c));
        let image = batch
            .column_by_name("image")
            .unwrap()
            .as_any()
            .downcast_ref::<StructArray>()
            .unwrap();
        let bytes = image
            .column_by_name("bytes")
            .unwrap()
            .as_any()
            .downcast_ref::<BinaryArray>()
            .unwrap();
        let paths = image
            .column_by_name("path")
            .unwrap()
            .as_any()
            .downcast_ref::<StringArray>()
            .unwrap();
        let int32 = |c: &str| {
            batch
                .column_by_name(c)
                .unwrap()
                .as_any()
                .downcast_ref::<Int32Array>()
                .unwrap()
                .clone()
        };
        let (w, h) = (int32("width"), int32("height"));
        let seed = batch
            .column_by_name("seed")
            .unwrap()
            .as_any()
            .downcast_ref::<Int64Array>()
            .unwrap()
            .clone();
        for i in 0..batch.num_rows() {
            rows.push(ReadRow {
                id: id[i].clone(),
                task: task[i].clone(),
                image: bytes.value(i).to_vec(),
                image_path: paths.value(i).to_string(),
                prompt: prompt[i].clone(),
                groundtruth: gt[i].clone(),
                metadata: serde_json::from_str(&meta[i]).unwrap(),
                width: w.value(i),
                height: h.value(i),
                seed: seed.value(i),
                image_sha256: sha[i].clone(),
            });
        }
    }
    (rows, groups)
}

/// A decoded image as RGB triples.
pub struct Pixels {
    pub width: u32,
    pub height: u32,
    pub rgb: Vec<[u8; 3]>,
}

impl Pixels {
    pub fn at(&self, x: u32, y: u32) -> [u8; 3] {
        self.rgb[(y * self.width + x) as usize]
    }
}

/// Decodes a PNG (gray, RGB or 8-bit indexed, 8-bit) with the png crate's decoder; an
/// indexed image is looked up in its own `PLTE` here, not by the decoder.
pub fn decode_png(bytes: &[u8]) -> Pixels {
    let decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    let mut reader = decoder.read_info().unwrap();
    let palette = reader.info().palette.as_ref().map(|p| p.to_vec());
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    assert_eq!(info.bit_depth, png::BitDepth::Eight, "8-bit images only");
    let data = &buf[..info.buffer_size()];
    let rgb = match info.color_type {
        png::ColorType::Rgb => data.chunks_exact(3).map(|p| [p[0], p[1], p[2]]).collect(),
        png::ColorType::Grayscale => data.iter().map(|&g| [g, g, g]).collect(),
        png::ColorType::Indexed => {
            let plte = palette.expect("an indexed PNG has a PLTE chunk");
            let colour = |&i: &u8| {
                let k = 3 * usize::from(i);
                [plte[k], plte[k + 1], plte[k + 2]]
            };
            data.iter().map(colour).collect()
        }
        other => panic!("unexpected colour type {other:?}"),
    };
    Pixels {
        width: info.width,
        height: info.height,
        rgb,
    }
}

/// Every file under `dir` with its bytes, sorted by relative path.
pub fn tree_bytes(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let p = entry.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                out.push((rel, std::fs::read(&p).unwrap()));
            }
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// Asserts two folders hold the same files with the same bytes.
pub fn assert_same_tree(a: &Path, b: &Path) {
    let (ta, tb) = (tree_bytes(a), tree_bytes(b));
    let names = |t: &[(String, Vec<u8>)]| t.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
    assert_eq!(names(&ta), names(&tb));
    for (x, y) in ta.iter().zip(&tb) {
        assert!(x.1 == y.1, "{} differs", x.0);
    }
}
