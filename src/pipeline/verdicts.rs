//! Carrying verdicts from a build's chunks to the release: the task reports, a slice's
//! verdict files (which `merge` reads back), and the refusal to publish a disagreement.
//!
//! Invariant: verdicts are read in chunk order, and a slice's files hold its chunks'
//! verdicts in order, so the report of a merge equals the single build's.

use std::path::{Path, PathBuf};

use super::Failure;
use crate::diag::Diagnostic;
use crate::publish::Release;
use crate::spec::TaskSpec;
use crate::spec::locate::locate_path;
use crate::verify::judge::Outcome;
use crate::verify::report::{Report, TaskReport};

/// Samples named in the diagnostic of a refused build.
const NAMED: usize = 10;

/// Where a slice keeps a task's verdicts: `verification/<task_id>.jsonl`.
pub fn slice_file(task_id: &str) -> String {
    format!("verification/{task_id}.jsonl")
}

/// The report of a task with `verify:` from its verdict files, in order.
pub fn task_report(spec: &TaskSpec, files: &[PathBuf]) -> Result<Option<TaskReport>, Failure> {
    let Some(mut report) = TaskReport::new(spec) else {
        return Ok(None);
    };
    for f in files {
        report
            .add_lines(f)
            .map_err(|e| Failure::Io(format!("{}: {e}", f.display())))?;
    }
    Ok(Some(report))
}

/// Concatenates a task's verdict files into the slice folder.
pub fn copy_for_slice(spec: &TaskSpec, files: &[PathBuf], root: &Path) -> Result<(), Failure> {
    if spec.verify.is_none() {
        return Ok(());
    }
    let target = root.join(slice_file(&spec.task_id));
    let io = |e: std::io::Error| Failure::Io(format!("{}: {e}", target.display()));
    std::fs::create_dir_all(target.parent().expect("has a folder")).map_err(io)?;
    let mut out = std::fs::File::create(&target).map_err(io)?;
    for f in files {
        std::io::copy(&mut std::fs::File::open(f).map_err(io)?, &mut out).map_err(io)?;
    }
    out.sync_all().map_err(io)
}

/// Refuses a release whose labels their pixels contradict — disagreements outside every
/// margin — unless accepted. A disagreement inside a margin is kept: the spec declares the
/// image ambiguous there, and the report lists it.
pub fn check_agreement(rel: &Release<'_>, report: &Report, accept: bool) -> Result<(), Failure> {
    let disagreed = report.contradicted();
    if disagreed == 0 || accept {
        return Ok(());
    }
    let mut diags = Vec::new();
    for t in &report.tasks {
        let spec = rel.tasks.iter().copied().find(|s| s.task_id == t.task_id);
        for e in t.contradicted().take(NAMED) {
            diags.extend(e.checks.iter().map(|o| disagreement(spec, &e.id, o)));
        }
    }
    let msg =
        format!("{disagreed} sample(s) have labels their pixels contradict; nothing was published");
    let d = Diagnostic::error("label-disagrees", msg)
        .in_file(rel.spec_file.clone())
        .hint("fix the spec (geometry, answers or the `verify:` checks), or add a margin that redraws such samples")
        .hint("or pass --accept-disagreements to publish them, listed in verification.json");
    diags.push(d);
    Err(Failure::Spec(diags))
}

/// One prompt's contradicted label, pointing at its check in the spec.
fn disagreement(spec: Option<&TaskSpec>, id: &str, o: &Outcome) -> Diagnostic {
    let msg = format!(
        "{id}: prompt {} is labelled {:?} but the pixels say {:?}",
        o.prompt, o.label, o.measured
    );
    let d = Diagnostic::error("label-disagrees", msg);
    let Some(s) = spec else { return d };
    let path = format!("verify.checks.{}", o.check);
    let loc = locate_path(&s.source.file, &s.source.text, &path, None);
    d.at(path).in_file(s.source.file.clone()).with_location(loc)
}
