//! `blindspot new`: a commented starter task spec that builds as it is.
//!
//! Invariants: the starter is `assets/templates/starter.yaml` with the task's slug, label and
//! path filled in; the name must already be a valid task id (so the file validates without
//! edits); an existing file is never overwritten.

use std::path::{Path, PathBuf};

use crate::diag::Diagnostic;
use crate::pipeline::Failure;

const STARTER: &str = include_str!("../assets/templates/starter.yaml");

/// Writes the starter spec for task `name` to `dir/<name>.yaml` and returns its path.
pub fn write_starter(name: &str, dir: &Path) -> Result<PathBuf, Failure> {
    check_name(name)?;
    let path = dir.join(format!("{name}.yaml"));
    if path.exists() {
        let d = Diagnostic::error("file-exists", format!("{} already exists", path.display()))
            .hint("pick another name, or another folder with --dir");
        return Err(Failure::Spec(vec![d]));
    }
    let text = starter(name, &path);
    let io = |e: std::io::Error| Failure::Io(format!("cannot write {} ({e})", path.display()));
    std::fs::create_dir_all(dir).map_err(io)?;
    std::fs::write(&path, text).map_err(io)?;
    Ok(path)
}

/// The starter text for task `name` written at `path`.
fn starter(name: &str, path: &Path) -> String {
    STARTER
        .replace("{{ID}}", name)
        .replace("{{LABEL}}", &label(name))
        .replace("{{PATH}}", &path.to_string_lossy())
}

/// `dot-in-circle` → `Dot In Circle`.
fn label(name: &str) -> String {
    name.split('-')
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn check_name(name: &str) -> Result<(), Failure> {
    let ok = !name.is_empty()
        && name.len() <= 64
        && name.starts_with(|c: char| c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if ok {
        return Ok(());
    }
    let d = Diagnostic::error(
        "bad-task-name",
        format!("`{name}` is not a task id: use lowercase ASCII letters, digits and `-`, starting with a letter (at most 64)"),
    )
    .hint("for example: blindspot new dot-in-circle");
    Err(Failure::Spec(vec![d]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_come_from_the_slug() {
        assert_eq!(label("dot-in-circle"), "Dot In Circle");
        assert_eq!(label("grid2"), "Grid2");
    }

    #[test]
    fn bad_names_and_existing_files_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        for bad in ["", "Dots", "../x", "a b", "-x", "x/y", "ñ"] {
            assert!(write_starter(bad, dir.path()).is_err(), "{bad:?} accepted");
        }
        let path = write_starter("dots", dir.path()).unwrap();
        assert!(path.ends_with("dots.yaml"));
        assert!(
            write_starter("dots", dir.path()).is_err(),
            "overwrote a file"
        );
    }
}
