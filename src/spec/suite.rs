//! Suites: one dataset made of several task specs (`tasks/<suite>/suite.yaml`).
//!
//! A suite names its task files (relative to the suite file) and the dataset-level fields;
//! each task keeps its own seed, so a task builds the same rows alone or inside a suite.
//! Invariants: task ids are unique; every task is written under the suite's split.

use std::path::{Component, Path, PathBuf};

use schemars::JsonSchema;
use serde::Deserialize;

use super::load::{Source, read_source};
use super::locate::locate_path;
use super::types::TaskSpec;
use crate::diag::{DiagResult, Diagnostic};
use crate::limits::Limits;

/// The file a suite folder must contain.
pub const SUITE_FILE: &str = "suite.yaml";

/// A suite file, as written.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "blindspot suite spec")]
pub struct RawSuite {
    /// Dataset-level fields.
    pub suite: RawSuiteInfo,
    /// Task spec files, relative to the suite file, in dataset order.
    pub tasks: Vec<String>,
}

/// Dataset-level fields of a suite.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawSuiteInfo {
    /// Dataset name: lowercase ASCII letters, digits and `-`.
    pub name: String,
    /// Dataset version, semver.
    pub version: String,
    /// Title for the dataset card.
    pub pretty_name: String,
    /// Description for the card.
    #[serde(default)]
    pub description: Option<String>,
    /// Hugging Face licence id.
    pub license: String,
    /// BibTeX citation.
    #[serde(default)]
    pub citation: Option<String>,
    /// Split name for every task. Default: `test`.
    #[serde(default)]
    pub split: Option<String>,
    /// Card tags.
    #[serde(default)]
    pub tags: Vec<String>,
    /// Card task categories. Default: `[visual-question-answering]`.
    #[serde(default)]
    pub task_categories: Option<Vec<String>>,
}

/// A validated suite with its tasks.
#[derive(Debug)]
pub struct Suite {
    /// The suite file.
    pub source: Source,
    /// Dataset-level fields.
    pub info: RawSuiteInfo,
    /// Split written for every task.
    pub split: String,
    /// The tasks, in order.
    pub tasks: Vec<TaskSpec>,
}

/// The suite file for a path: the path itself, or `suite.yaml` inside a folder.
pub fn suite_path(path: &Path) -> Option<PathBuf> {
    if path.is_dir() {
        return Some(path.join(SUITE_FILE));
    }
    (path.file_name()? == SUITE_FILE).then(|| path.to_path_buf())
}

/// Loads a suite and every task it names under the default [`Limits`].
pub fn load_suite(path: &Path) -> DiagResult<Suite> {
    load_suite_with(path, &Limits::default())
}

/// Loads a suite and every task it names under `limits`, reporting all errors.
pub fn load_suite_with(path: &Path, limits: &Limits) -> DiagResult<Suite> {
    let source = read_source(path)?;
    let raw: RawSuite = super::load::parse_yaml(&source, limits)?;
    let mut diags = Vec::new();
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut tasks = Vec::new();
    for (i, rel) in raw.tasks.iter().enumerate() {
        let at = format!("tasks[{i}]");
        match task_path(dir, rel) {
            Ok(p) => match super::load_with(&p, limits) {
                Ok(t) => tasks.push(t),
                Err(d) => diags.extend(d),
            },
            Err(msg) => diags.push(error(&source, "bad-task-path", msg, &at)),
        }
    }
    let split = raw.suite.split.clone().unwrap_or_else(|| "test".into());
    check_tasks(&source, &tasks, &raw, &mut diags);
    if !diags.is_empty() {
        return Err(diags);
    }
    for t in &mut tasks {
        t.split.clone_from(&split);
    }
    Ok(Suite {
        source,
        info: raw.suite,
        split,
        tasks,
    })
}

fn task_path(dir: &Path, rel: &str) -> Result<PathBuf, String> {
    let p = Path::new(rel);
    let escapes = p
        .components()
        .any(|c| !matches!(c, Component::Normal(_) | Component::CurDir));
    let outside = || format!("task path `{rel}` must be relative and stay inside the suite folder");
    if rel.is_empty() || escapes {
        return Err(outside());
    }
    let path = dir.join(p);
    // A symbolic link inside the folder may still point out of it.
    if let (Ok(real), Ok(root)) = (path.canonicalize(), dir.canonicalize())
        && !real.starts_with(&root)
    {
        return Err(format!("{} (it links to a file outside)", outside()));
    }
    Ok(path)
}

fn check_tasks(source: &Source, tasks: &[TaskSpec], raw: &RawSuite, diags: &mut Vec<Diagnostic>) {
    if raw.tasks.is_empty() {
        diags.push(error(
            source,
            "no-tasks",
            "a suite needs at least one task".into(),
            "tasks",
        ));
    }
    for (i, t) in tasks.iter().enumerate() {
        if tasks[..i].iter().any(|o| o.task_id == t.task_id) {
            let msg = format!("task id `{}` appears twice", t.task_id);
            diags.push(error(source, "duplicate-name", msg, &format!("tasks[{i}]")));
        }
    }
}

fn error(source: &Source, id: &'static str, msg: String, path: &str) -> Diagnostic {
    let loc = locate_path(&source.file, &source.text, path, None);
    Diagnostic::error(id, msg)
        .at(path)
        .in_file(source.file.clone())
        .with_location(loc)
}

/// The JSON Schema of suite files.
pub fn json_schema() -> String {
    let generator = schemars::generate::SchemaSettings::draft07().into_generator();
    let schema = generator.into_root_schema_for::<RawSuite>();
    let mut text = serde_json::to_string_pretty(&schema).expect("a schema serialises");
    text.push('\n');
    text
}
