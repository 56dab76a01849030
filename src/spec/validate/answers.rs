//! Validation of answer formats: the spec's own `answer_formats` compile, and every prompt's
//! `format` names a built-in or a spec-defined format.

use indexmap::IndexMap;

use super::check::Checker;
use crate::answer::{AnswerFormat, Compiled, builtin, builtins};
use crate::spec::raw::RawAnswerFormat;
use crate::spec::types::PromptSpec;

/// The formats the prompts use, by name, in first-use order.
pub fn formats(
    ck: &mut Checker<'_>,
    defined: &IndexMap<String, RawAnswerFormat>,
    prompts: &[PromptSpec],
) -> IndexMap<String, Compiled> {
    let custom = compile_defined(ck, defined);
    let mut used = IndexMap::new();
    for p in prompts {
        if used.contains_key(&p.format) {
            continue;
        }
        let found = match custom.get(&p.format) {
            Some(c) => c.clone(),
            None if defined.contains_key(&p.format) => continue, // already reported
            None => match Compiled::builtin(&p.format) {
                Some(f) => f,
                None => {
                    unknown(ck, &p.format, &format!("{}.format", p.path), defined);
                    continue;
                }
            },
        };
        used.insert(p.format.clone(), found);
    }
    used
}

fn compile_defined(
    ck: &mut Checker<'_>,
    defined: &IndexMap<String, RawAnswerFormat>,
) -> IndexMap<String, Compiled> {
    let mut out = IndexMap::new();
    for (name, raw) in defined {
        let path = format!("answer_formats.{name}");
        if builtin(name).is_some() {
            ck.error(
                "duplicate-name",
                format!("answer format `{name}` is already a built-in format"),
                &path,
                None,
            );
            continue;
        }
        let def = AnswerFormat {
            name: name.clone(),
            description: raw.description.clone(),
            patterns: raw.patterns.clone(),
            fold_case: raw.fold_case,
            integers: raw.integers,
            reply: raw.reply.clone(),
        };
        match Compiled::new(def) {
            Ok(c) => {
                out.insert(name.clone(), c);
            }
            Err(e) => {
                ck.error("bad-answer-format", e, &path, None);
            }
        }
    }
    out
}

fn unknown(
    ck: &mut Checker<'_>,
    name: &str,
    path: &str,
    defined: &IndexMap<String, RawAnswerFormat>,
) {
    let mut names: Vec<String> = builtins().into_iter().map(|f| f.name).collect();
    names.extend(defined.keys().cloned());
    ck.error(
        "unknown-answer-format",
        format!("unknown answer format `{name}`"),
        path,
        None,
    )
    .hints
    .push(format!("known formats: {}", names.join(", ")));
}
