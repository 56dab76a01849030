//! Assembling a task's rows from Parquet pieces (spool chunks, or the files of shards) into
//! its final files, and tallying them for the card and manifest.
//!
//! Invariant: the output depends only on the sequence of rows read, never on how they were
//! cut into pieces — rows are re-laid into row groups of 100 and files of bounded size by
//! [`ShardSet`] — so a resumed build, a fresh one and a merge of shards give the same bytes.

use std::path::{Path, PathBuf};

use super::Failure;
use crate::sink::read;
use crate::sink::shards::ShardSet;
use crate::sink::{FileSummary, Tally};
use crate::timings::{Stage, Timings};

/// Reads every piece in order into `writer`, counting each row into `tally`.
pub fn assemble_task(
    pieces: &[PathBuf],
    mut writer: ShardSet,
    tally: &mut Tally,
    timings: &Timings,
) -> Result<Vec<FileSummary>, Failure> {
    for piece in pieces {
        timings.time(Stage::Write, || copy_rows(piece, &mut writer, tally))?;
    }
    Ok(writer.finish()?)
}

fn copy_rows(piece: &Path, writer: &mut ShardSet, tally: &mut Tally) -> Result<(), Failure> {
    read::for_each_row(piece, |row| {
        tally.add(&row);
        writer.write(std::slice::from_ref(&row))
    })?;
    Ok(())
}
