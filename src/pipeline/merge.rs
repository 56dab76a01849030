//! Slices of a sharded build (`build --shard I/N`) and their merge into the release
//! (`blindspot merge`).
//!
//! A slice folder holds its Parquet files — named `data/…/<split>-<I:05>-of-<N:05>.parquet`,
//! so the N folders' files together form one dataset — and `shard.json`: the build identity
//! ([`Identity`]), `I/N`, and every file with its rows, size and SHA-256.
//!
//! Invariants: a merge accepts exactly the slices `0..N` of one build of the given spec by
//! the same compiler (anything else is refused with the reason), checks every file against
//! its recorded SHA-256, and re-lays the rows in task order, then slice order, through the
//! same assembly as a single-machine build — so the merged release is byte-identical to
//! `blindspot build` of the spec.

use crate::verify::report::Report;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Instant;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::assemble::{self, Piece};
use super::spool::Identity;
use super::{BuildOptions, BuildReport, Failure, Scratch, Slice, Staging};
use crate::diag::Diagnostic;
use crate::publish::Release;
use crate::sink::{self, FileSummary, SinkError, Tally};
use crate::timings::Timings;

/// Format tag of `shard.json`.
const FORMAT: &str = "blindspot-shard-v1";

/// File name of a slice's record.
pub const RECORD: &str = "shard.json";

/// `shard.json`.
#[derive(Debug, Serialize, Deserialize)]
struct SliceRecord {
    format: String,
    build: serde_json::Value,
    shard: SliceId,
    files: Vec<SliceFile>,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
struct SliceId {
    index: usize,
    count: usize,
}

/// One Parquet file of a slice.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct SliceFile {
    task_id: String,
    path: String,
    rows: u64,
    bytes: u64,
    sha256: String,
}

/// Writes `shard.json` for a slice whose files are `files` (in task order).
pub fn write_slice_record(
    rel: &Release<'_>,
    slice: Slice,
    root: &Path,
    files: &[FileSummary],
) -> Result<(), SinkError> {
    let files = files
        .iter()
        .map(|f| SliceFile {
            task_id: task_of(rel, &f.path),
            path: f.path.clone(),
            rows: f.rows,
            bytes: f.bytes,
            sha256: f.sha256.clone(),
        })
        .collect();
    let record = SliceRecord {
        format: FORMAT.into(),
        build: serde_json::to_value(Identity::of(rel)).expect("identity serialises"),
        shard: SliceId {
            index: slice.index,
            count: slice.count,
        },
        files,
    };
    let mut text = serde_json::to_string_pretty(&record).expect("record serialises");
    text.push('\n');
    sink::write_text_file(root, RECORD, &text).map(|_| ())
}

/// The task a data file belongs to.
fn task_of(rel: &Release<'_>, path: &str) -> String {
    rel.tasks
        .iter()
        .find(|t| path.starts_with(&rel.shard_dir(t)))
        .map_or_else(String::new, |t| t.task_id.clone())
}

/// Merges the slice folders of a sharded build of `rel` into the release at `opts.out_dir`.
pub fn merge(
    rel: &Release<'_>,
    dirs: &[PathBuf],
    opts: &BuildOptions,
) -> Result<BuildReport, Failure> {
    let start = Instant::now();
    let slices = read_slices(rel, dirs)?;
    for (dir, record) in &slices {
        verify_files(dir, record)?;
    }
    let staging = Staging::create(&opts.out_dir)?;
    let scratch = Scratch::create(&opts.out_dir, "tally")?;
    let timings = Timings::new(opts.timings);
    let mut tally = Tally::spilling_to(scratch.path())?;
    let mut files = Vec::new();
    let mut reports = Vec::new();
    for t in &rel.tasks {
        let verdicts: Vec<PathBuf> = (slices.iter())
            .map(|(dir, _)| dir.join(super::verdicts::slice_file(&t.task_id)))
            .collect();
        match verdicts.iter().filter(|f| f.is_file()).count() {
            0 => {} // built with --no-verify (or no `verify:`)
            n if n == verdicts.len() => reports.extend(super::verdicts::task_report(t, &verdicts)?),
            _ => {
                let msg = format!(
                    "some shards of `{}` were built with --no-verify and some without; rebuild them alike",
                    t.task_id
                );
                return Err(Failure::Io(msg));
            }
        }
        let pieces: Vec<Piece> = slices
            .iter()
            .flat_map(|(dir, r)| {
                r.files
                    .iter()
                    .filter(|f| f.task_id == t.task_id)
                    .map(move |f| Piece {
                        data: dir.join(&f.path),
                        facts: None,
                    })
            })
            .collect();
        let writer = super::shard_set(rel, t, staging.path(), opts);
        files.extend(assemble::assemble_task(
            &pieces, writer, &mut tally, &timings,
        )?);
    }
    let rows = tally.rows();
    let report = Report::new(reports);
    super::verdicts::check_agreement(rel, &report, opts.accept_disagreements)?;
    super::finish_release(rel, opts, &staging, tally, files, &report)?;
    staging.commit()?;
    let seconds = start.elapsed();
    let images = rel.tasks.iter().map(|t| t.images()).sum();
    Ok(BuildReport {
        images,
        rows,
        seconds: seconds.as_secs_f64(),
        resumed_chunks: 0,
        chunks: 0,
        timings: opts.timings.then(|| timings.report(seconds, images, 1)),
        stage_seconds: timings.seconds(),
        verification: (!report.tasks.is_empty()).then(|| report.summary()),
    })
}

/// Reads every `shard.json`, checks they are the slices `0..N` of this build, and returns
/// them in slice order.
fn read_slices(
    rel: &Release<'_>,
    dirs: &[PathBuf],
) -> Result<Vec<(PathBuf, SliceRecord)>, Failure> {
    let expected = serde_json::to_value(Identity::of(rel)).expect("identity serialises");
    let mut slices = Vec::new();
    for dir in dirs {
        let record = read_record(dir)?;
        if record.build != expected {
            let why = identity_difference(&expected, &record.build);
            return Err(mismatch(dir, format!("was built from {why}")));
        }
        slices.push((dir.clone(), record));
    }
    if slices.is_empty() {
        return Err(Failure::Io("merge needs the folders of every shard".into()));
    }
    let count = slices[0].1.shard.count;
    slices.sort_by_key(|(_, r)| r.shard.index);
    for (want, (dir, r)) in slices.iter().enumerate() {
        if r.shard.count != count {
            let what = format!("is part of {} shards, not {count}", r.shard.count);
            return Err(mismatch(dir, what));
        }
        match r.shard.index.cmp(&want) {
            std::cmp::Ordering::Less => {
                let what = format!("shard {}/{count} is given twice", r.shard.index);
                return Err(mismatch(dir, what));
            }
            std::cmp::Ordering::Greater => return Err(missing(want, count, &slices)),
            std::cmp::Ordering::Equal => {}
        }
    }
    if slices.len() != count {
        return Err(missing(slices.len(), count, &slices));
    }
    Ok(slices)
}

fn read_record(dir: &Path) -> Result<SliceRecord, Failure> {
    let path = dir.join(RECORD);
    let text = std::fs::read_to_string(&path).map_err(|e| {
        Failure::Io(format!(
            "{}: {e} (is this the folder of `blindspot build --shard`?)",
            path.display()
        ))
    })?;
    let record: SliceRecord =
        serde_json::from_str(&text).map_err(|e| Failure::Io(format!("{}: {e}", path.display())))?;
    if record.format != FORMAT {
        let msg = format!(
            "{}: format {:?}, expected {FORMAT:?}",
            path.display(),
            record.format
        );
        return Err(Failure::Io(msg));
    }
    Ok(record)
}

/// Names the first top-level field where a slice's build differs from the spec's.
fn identity_difference(expected: &serde_json::Value, got: &serde_json::Value) -> String {
    let field = ["compiler", "spec_sha256", "repeat", "tasks", "chunk"]
        .into_iter()
        .find(|k| expected.get(k) != got.get(k))
        .unwrap_or("format");
    match field {
        "compiler" => format!("another compiler version ({})", got["compiler"]),
        "spec_sha256" | "tasks" => "another version of the spec".into(),
        "repeat" => format!("another --repeat ({})", got["repeat"]),
        other => format!("another build ({other} differs)"),
    }
}

fn mismatch(dir: &Path, what: String) -> Failure {
    let d = Diagnostic::error("shard-mismatch", format!("{}: {what}", dir.display()))
        .in_file(dir.join(RECORD).display().to_string())
        .hint("merge the shard folders of one `blindspot build SPEC --shard I/N` run per I")
        .hint("and pass the same SPEC to `blindspot merge` as to the shard builds");
    Failure::Spec(vec![d])
}

fn missing(index: usize, count: usize, given: &[(PathBuf, SliceRecord)]) -> Failure {
    let given: Vec<String> = given
        .iter()
        .map(|(d, r)| format!("{} ({}/{count})", d.display(), r.shard.index))
        .collect();
    let d = Diagnostic::error(
        "shard-missing",
        format!(
            "shard {index}/{count} is missing; given: {}",
            given.join(", ")
        ),
    )
    .hint(format!(
        "build it with `blindspot build SPEC --shard {index}/{count}` and merge all {count} folders"
    ));
    Failure::Spec(vec![d])
}

/// Checks each of a slice's files against its recorded size and SHA-256.
fn verify_files(dir: &Path, record: &SliceRecord) -> Result<(), Failure> {
    for f in &record.files {
        let path = sink::resolve(dir, &f.path).map_err(|e| Failure::Io(e.to_string()))?;
        let (sha, bytes) =
            hash_file(&path).map_err(|e| Failure::Io(format!("{}: {e}", path.display())))?;
        if sha != f.sha256 || bytes != f.bytes {
            let msg = format!(
                "{}: the file does not match shard.json (damaged or incomplete copy?)",
                path.display()
            );
            return Err(Failure::Io(msg));
        }
    }
    Ok(())
}

fn hash_file(path: &Path) -> std::io::Result<(String, u64)> {
    let mut file = std::fs::File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    let mut bytes = 0u64;
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
        bytes += n as u64;
    }
    Ok((sink::hex(&hasher.finalize()), bytes))
}
