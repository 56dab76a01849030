//! Validation of identity fields (name, version, task id, split), names and prompts.

use indexmap::IndexSet;

use super::check::{Checker, is_builtin};
use crate::answer::DEFAULT_FORMAT;
use crate::spec::raw::{RawPrompt, RawTaskInfo};
use crate::spec::types::{Param, PromptSpec};

/// Resolved identity fields.
pub struct Identity {
    /// Task slug.
    pub task_id: String,
    /// Split name.
    pub split: String,
}

/// Largest prompt template accepted, in bytes.
pub const MAX_TEMPLATE_BYTES: usize = 64 * 1024;

/// Checks the dataset name, version, task id and split.
pub fn identity(
    ck: &mut Checker<'_>,
    name: &str,
    version: &str,
    task: &RawTaskInfo,
    split: Option<&str>,
    license: &str,
) -> Option<Identity> {
    let before = ck.diags.len();
    slug(ck, name, "name");
    if !is_semver(version) {
        ck.error(
            "bad-version",
            format!("version `{version}` is not semver MAJOR.MINOR.PATCH"),
            "version",
            None,
        )
        .hints
        .push("e.g. `1.0.0`; bump MAJOR when records change (Croissant versioning)".into());
    }
    let task_id = task.id.clone().unwrap_or_else(|| name.to_string());
    if task.id.is_some() {
        slug(ck, &task_id, "task.id");
    }
    if task.label.trim().is_empty() {
        ck.error(
            "empty-field",
            "`task.label` must not be empty",
            "task.label",
            None,
        );
    }
    let split = split.unwrap_or("test").to_string();
    if split.is_empty() || !split.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        ck.error(
            "bad-split",
            format!("split `{split}` must be letters, digits and `_`"),
            "split",
            None,
        );
    }
    if license.trim().is_empty() {
        ck.error(
            "empty-field",
            "`license` must not be empty",
            "license",
            None,
        );
    }
    (ck.diags.len() == before).then_some(Identity { task_id, split })
}

fn slug(ck: &mut Checker<'_>, value: &str, path: &str) {
    let ok = !value.is_empty()
        && value.len() <= 96
        && value
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !value.starts_with('-');
    if !ok {
        ck.error(
            "bad-name",
            format!("`{value}` must be lowercase ASCII letters, digits and `-`"),
            path,
            None,
        )
        .hints
        .push("it names output folders and row ids, so it must be filesystem-safe".into());
    }
}

fn is_semver(v: &str) -> bool {
    let core = v.split(['-', '+']).next().unwrap_or("");
    let parts: Vec<&str> = core.split('.').collect();
    parts.len() == 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
}

/// Checks that a user-defined name is a plain identifier and not a builtin.
pub fn check_name(ck: &mut Checker<'_>, name: &str, path: &str) {
    let ident = name
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    const KEYWORDS: &[&str] = &[
        "and", "or", "not", "in", "if", "else", "for", "true", "false", "True", "False",
    ];
    if !ident || KEYWORDS.contains(&name) {
        ck.error(
            "bad-name",
            format!("`{name}` is not a valid name"),
            path,
            None,
        )
        .hints
        .push("names are ASCII identifiers (letters, digits, `_`), not keywords".into());
    } else if is_builtin(name) {
        ck.error(
            "bad-name",
            format!("`{name}` shadows a built-in constant"),
            path,
            None,
        );
    }
}

/// Compiles the prompt templates and resolves their answers.
pub fn prompts(
    ck: &mut Checker<'_>,
    raw: &[RawPrompt],
    known: &IndexSet<String>,
) -> (Vec<PromptSpec>, Option<tera::Tera>) {
    let mut tera = crate::prompt::new_engine();
    let mut out = Vec::new();
    let mut ids = IndexSet::new();
    if raw.is_empty() {
        ck.error(
            "no-prompts",
            "a task needs at least one prompt",
            "prompts",
            None,
        );
    }
    for (i, p) in raw.iter().enumerate() {
        let path = format!("prompts[{i}]");
        let id = p.id.clone().unwrap_or_else(|| format!("p{}", i + 1));
        slug_id(ck, &id, &format!("{path}.id"));
        if !ids.insert(id.clone()) {
            ck.error(
                "duplicate-name",
                format!("prompt id `{id}` is used twice"),
                &format!("{path}.id"),
                None,
            );
        }
        if p.template.len() > MAX_TEMPLATE_BYTES {
            ck.error(
                "template-too-large",
                "prompt template is larger than 64 KiB",
                &format!("{path}.template"),
                None,
            );
            continue;
        }
        if let Some(tag) = crate::prompt::forbidden_tag(&p.template) {
            let msg = format!("`{{% {tag} %}}` is not allowed in a prompt template");
            ck.error("template-tag", msg, &format!("{path}.template"), None)
                .hints
                .push("a prompt is self-contained: write its text inline, with `{{ name }}` for values".into());
            continue;
        }
        if let Err(e) = tera.add_raw_template(&id, &p.template) {
            let msg = format!(
                "prompt template does not compile ({})",
                crate::prompt::error_chain(&e)
            );
            ck.error("template-syntax", msg, &format!("{path}.template"), None);
        }
        let answer_path = format!("{path}.answer");
        let answer = ck.expr(&p.answer, &answer_path, known, false);
        let choices = match &p.choices {
            None => Ok(None),
            Some(c) => ck
                .expr(c, &format!("{path}.choices"), known, false)
                .map(|(e, off)| Some(Param::Expr(e, off)))
                .ok_or(()),
        };
        if let (Some((expr, off)), Ok(choices)) = (answer, choices) {
            out.push(PromptSpec {
                id,
                template: p.template.clone(),
                names: crate::prompt::named_in(&p.template),
                answer: Param::Expr(expr, off),
                format: p.format.clone().unwrap_or_else(|| DEFAULT_FORMAT.into()),
                choices,
                path,
            });
        }
    }
    (out, Some(tera))
}

fn slug_id(ck: &mut Checker<'_>, id: &str, path: &str) {
    if id.is_empty()
        || !id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        ck.error(
            "bad-name",
            format!("prompt id `{id}` must be letters, digits, `-` and `_`"),
            path,
            None,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn semver_is_checked() {
        assert!(is_semver("1.0.0"));
        assert!(is_semver("0.12.3-rc.1"));
        assert!(!is_semver("1.0"));
        assert!(!is_semver("v1.0.0"));
    }
}
