//! Task specs: loading YAML, validating it, and the JSON Schema of the language.
//!
//! `load` (file I/O) → `parse` (pure: YAML → raw spec → validated [`TaskSpec`]).
//! Tests and fuzzers call [`parse`]; the CLI calls [`load`].

mod flow_depth;
pub mod load;
pub mod locate;
pub mod raw;
pub mod raw_verify;
mod schema_helpers;
pub mod shapes;
pub mod suite;
pub mod types;
pub mod validate;
mod walk;

use std::path::Path;

use crate::diag::DiagResult;
use crate::limits::Limits;
pub use load::Source;
pub use types::TaskSpec;

/// Reads, parses and validates a spec file under the default [`Limits`].
pub fn load(path: &Path) -> DiagResult<TaskSpec> {
    load_with(path, &Limits::default())
}

/// Reads, parses and validates a spec file under `limits`.
pub fn load_with(path: &Path, limits: &Limits) -> DiagResult<TaskSpec> {
    parse_with(load::read_source(path)?, limits)
}

/// Parses and validates spec text under the default [`Limits`].
pub fn parse(src: Source) -> DiagResult<TaskSpec> {
    parse_with(src, &Limits::default())
}

/// Parses and validates spec text under `limits`.
pub fn parse_with(src: Source, limits: &Limits) -> DiagResult<TaskSpec> {
    let raw = load::parse_str(&src, limits)?;
    validate::validate(raw, src, limits)
}

/// The JSON Schema (draft-07, for editors) of a task spec, pretty-printed with a newline.
pub fn json_schema() -> String {
    let generator = schemars::generate::SchemaSettings::draft07().into_generator();
    let schema = generator.into_root_schema_for::<raw::RawTaskSpec>();
    let mut text = serde_json::to_string_pretty(&schema).expect("a schema serialises");
    text.push('\n');
    text
}
