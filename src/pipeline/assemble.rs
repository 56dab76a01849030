//! Assembling a task's rows from Parquet pieces (spool chunks, or the files of shards) into
//! its final files, and tallying them for the card and manifest.
//!
//! Invariant: the output depends only on the sequence of rows read, never on how they were
//! cut into pieces — rows are re-laid into row groups of 100 and files of bounded size by
//! [`ShardSet`] — so a resumed build, a fresh one and a merge of shards give the same bytes.
//! A piece with a facts file (a build's spool chunk) is tallied from it and its row groups
//! are copied without decoding where they line up (see [`ShardSet::copy_file`]); a piece
//! without one is decoded row by row.

use std::path::{Path, PathBuf};

use super::Failure;
use crate::sink::facts::for_each_fact;
use crate::sink::read;
use crate::sink::shards::ShardSet;
use crate::sink::{FileSummary, Tally};
use crate::timings::{Stage, Timings};

/// One Parquet file of a task's rows, with the facts of its rows when they were kept.
#[derive(Debug, Clone)]
pub struct Piece {
    /// The Parquet file.
    pub data: PathBuf,
    /// Its facts file ([`crate::sink::facts`]), if any.
    pub facts: Option<PathBuf>,
}

/// Reads every piece in order into `writer`, counting each row into `tally`.
pub fn assemble_task(
    pieces: &[Piece],
    mut writer: ShardSet,
    tally: &mut Tally,
    timings: &Timings,
) -> Result<Vec<FileSummary>, Failure> {
    for (i, piece) in pieces.iter().enumerate() {
        let last = i + 1 == pieces.len();
        timings.time(Stage::Write, || match &piece.facts {
            Some(facts) => copy_piece(&piece.data, facts, last, &mut writer, tally),
            None => copy_rows(&piece.data, &mut writer, tally),
        })?;
    }
    Ok(writer.finish()?)
}

fn copy_piece(
    data: &Path,
    facts: &Path,
    last: bool,
    writer: &mut ShardSet,
    tally: &mut Tally,
) -> Result<(), Failure> {
    for_each_fact(facts, |f| tally.add_facts(&f))?;
    writer.copy_file(data, last)?;
    Ok(())
}

fn copy_rows(piece: &Path, writer: &mut ShardSet, tally: &mut Tally) -> Result<(), Failure> {
    read::for_each_row(piece, |row| {
        tally.add(&row)?;
        writer.write(std::slice::from_ref(&row))
    })?;
    Ok(())
}
