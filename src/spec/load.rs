//! Reading spec files: the only module that calls `serde_yaml` (after the flow-depth
//! pre-scan of [`super::flow_depth`], the only other user of libyaml).
//!
//! Every YAML error is converted here into a [`Diagnostic`] with file, line, column and the
//! spec path serde reports, so swapping the YAML crate later touches this file only.
//! [`parse_str`] is pure (tests and fuzzers call it); [`read_source`] adds the file I/O.

use std::path::Path;

use sha2::{Digest, Sha256};

use super::flow_depth::too_deep_at;
use super::locate::location_at;
use super::raw::RawTaskSpec;
use super::walk::{self, Walker};
use crate::diag::{DiagResult, Diagnostic};
use crate::limits::{self, Limits};

/// Largest spec file accepted, in bytes.
pub const MAX_SPEC_BYTES: usize = 4 * 1024 * 1024;

/// A spec's text with the name it was loaded under.
#[derive(Debug, Clone)]
pub struct Source {
    /// The path as the user gave it (used in diagnostics and the manifest).
    pub file: String,
    /// The UTF-8 text.
    pub text: String,
    /// Hex SHA-256 of the bytes.
    pub sha256: String,
}

impl Source {
    /// A source from text already in memory.
    pub fn new(file: impl Into<String>, text: impl Into<String>) -> Self {
        let text = text.into();
        let sha256 = hex(&Sha256::digest(text.as_bytes()));
        Self {
            file: file.into(),
            text,
            sha256,
        }
    }
}

/// Lower-case hex of bytes.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Reads a spec file; errors for missing files, oversize files and non-UTF-8 text.
pub fn read_source(path: &Path) -> DiagResult<Source> {
    let file = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| {
        vec![
            Diagnostic::error(
                "spec-unreadable",
                format!("cannot read spec `{file}` ({e})"),
            )
            .hint("check the path; specs usually live under tasks/"),
        ]
    })?;
    if bytes.len() > MAX_SPEC_BYTES {
        return Err(vec![
            Diagnostic::error(
                "spec-too-large",
                format!(
                    "spec is {} bytes, more than the limit of {MAX_SPEC_BYTES}",
                    bytes.len()
                ),
            )
            .in_file(file),
        ]);
    }
    let text = String::from_utf8(bytes).map_err(|e| {
        let offset = e.utf8_error().valid_up_to();
        let src = String::from_utf8_lossy(e.as_bytes()).into_owned();
        vec![
            Diagnostic::error("not-utf8", "spec is not valid UTF-8")
                .with_location(location_at(&file, &src, offset, 1))
                .in_file(file.clone())
                .hint("save the file as UTF-8"),
        ]
    })?;
    Ok(Source::new(file, text))
}

/// Parses spec text into the raw spec, converting YAML and shape errors into diagnostics.
///
/// The text is first read as untyped YAML so that syntax errors are reported as such (a
/// typed read stops at the first type mismatch, which may come before the syntax error).
pub fn parse_str(src: &Source, limits: &Limits) -> DiagResult<RawTaskSpec> {
    parse_yaml(src, limits)
}

/// Parses spec text into any spec type: syntax and size errors first, then type errors.
pub fn parse_yaml<T: serde::de::DeserializeOwned>(src: &Source, limits: &Limits) -> DiagResult<T> {
    if let Some((offset, c)) = unprintable(&src.text) {
        let msg = format!(
            "the character U+{:04X} is not allowed in YAML",
            u32::from(c)
        );
        return Err(vec![
            Diagnostic::error("yaml-syntax", msg)
                .in_file(src.file.clone())
                .with_location(location_at(&src.file, &src.text, offset, 1))
                .hint("remove it, or write it as an escape inside a double-quoted string"),
        ]);
    }
    if let Some(offset) = too_deep_at(&src.text, limits.yaml_depth) {
        return Err(vec![too_deep(src, offset, limits.yaml_depth)]);
    }
    let walk = |d: serde_yaml::Deserializer<'_>| {
        let nodes = std::cell::Cell::new(0);
        serde::de::DeserializeSeed::deserialize(Walker::new(limits, &nodes), d)
    };
    walk(serde_yaml::Deserializer::from_str(&src.text))
        .map_err(|e| vec![convert_error(src, &e)])?;
    serde_yaml::from_str::<T>(&src.text).map_err(|e| vec![convert_error(src, &e)])
}

/// Flow collections nested past the limit (checked before parsing: see [`super::flow_depth`]).
/// The first character YAML does not allow in a stream (its printable set: tab, line breaks,
/// and everything but the C0 and C1 controls, DEL and U+FFFE/U+FFFF), with its byte offset.
/// libyaml reports these at the start of the stream, so the loader locates them itself.
fn unprintable(text: &str) -> Option<(usize, char)> {
    text.char_indices().find(|&(_, c)| {
        let control = (c < ' ' && !matches!(c, '\t' | '\n' | '\r'))
            || ('\u{7f}'..='\u{9f}').contains(&c) && c != '\u{85}';
        control || matches!(c, '\u{fffe}' | '\u{ffff}')
    })
}

fn too_deep(src: &Source, offset: usize, max: u64) -> Diagnostic {
    let message = format!("`[` and `{{` nested more than {max} levels deep");
    Diagnostic::error("yaml-too-complex", message)
        .in_file(src.file.clone())
        .with_location(location_at(&src.file, &src.text, offset, 1))
        .hint(limits::hint("yaml-depth"))
}

fn convert_error(src: &Source, e: &serde_yaml::Error) -> Diagnostic {
    let full = e.to_string();
    // serde_yaml appends " at line L column C"; the location is rendered separately.
    let text = match full.find(" at line ") {
        Some(i) => full[..i].to_string(),
        None => full.clone(),
    };
    let (path, message) = split_path(&text);
    let (id, hint) = classify(&message);
    let loc = e
        .location()
        .and_then(|l| location_at(&src.file, &src.text, l.index(), 1));
    let mut d = Diagnostic::error(id, message)
        .in_file(src.file.clone())
        .with_location(loc);
    if let Some(p) = path {
        d = d.at(p);
    }
    d.maybe_hint(hint)
}

/// serde_yaml prefixes messages with the path, e.g. `scene.shapes[0]: unknown field`.
fn split_path(text: &str) -> (Option<String>, String) {
    if let Some((head, rest)) = text.split_once(": ") {
        let looks_like_path = !head.is_empty()
            && !head.contains(' ')
            && head
                .chars()
                .all(|c| c.is_alphanumeric() || "._[]-".contains(c));
        if looks_like_path {
            return (Some(head.to_string()), rest.to_string());
        }
    }
    (None, text.to_string())
}

fn classify(message: &str) -> (&'static str, Option<String>) {
    if message.starts_with("unknown field") {
        let hint = "remove the key or fix its spelling; `blindspot schema` lists every key";
        ("unknown-field", Some(hint.into()))
    } else if message.starts_with("missing field") {
        (
            "missing-field",
            Some("add the field; see the task-authoring guide in README.md".into()),
        )
    } else if message.starts_with("unknown variant") {
        let hint = "`blindspot list` prints the primitives and options the language offers";
        ("unknown-variant", Some(hint.into()))
    } else if message.starts_with("invalid type") || message.starts_with("invalid value") {
        ("wrong-type", None)
    } else if message.contains(walk::TOO_DEEP) {
        ("yaml-too-complex", Some(limits::hint("yaml-depth")))
    } else if message.contains(walk::TOO_MANY) {
        ("yaml-too-complex", Some(limits::hint("yaml-nodes")))
    } else if message.contains("recursion limit") || message.contains("repetition limit") {
        (
            "yaml-too-complex",
            Some("flatten the YAML or remove alias chains".into()),
        )
    } else if message.contains("duplicate") {
        (
            "duplicate-key",
            Some("each key may appear once per mapping".into()),
        )
    } else {
        ("yaml-syntax", None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unprintable_characters_are_located_where_they_are() {
        let src = Source::new("t.yaml", "name: x\nversion: \"1\u{1}\"\n");
        let err = parse_str(&src, &Limits::default()).unwrap_err();
        assert_eq!(err[0].id, "yaml-syntax");
        assert!(err[0].message.contains("U+0001"), "{}", err[0].message);
        let loc = err[0].location.as_ref().unwrap();
        assert_eq!((loc.line, loc.column), (2, 12));
        assert_eq!(unprintable("a\tb\r\n\u{85}\u{feff}é"), None);
        assert_eq!(unprintable("ab\u{7f}"), Some((2, '\u{7f}')));
    }

    #[test]
    fn unknown_field_has_location_and_path() {
        let src = Source::new("t.yaml", "name: x\nversion: 1.0.0\nbogus: 3\n");
        let err = parse_str(&src, &Limits::default()).unwrap_err();
        assert_eq!(err[0].id, "unknown-field");
        let loc = err[0].location.as_ref().unwrap();
        assert_eq!((loc.line, loc.column), (3, 1));
    }

    #[test]
    fn syntax_error_is_reported() {
        let src = Source::new("t.yaml", "name: x\nversion: [1\n");
        let err = parse_str(&src, &Limits::default()).unwrap_err();
        assert_eq!(err[0].id, "yaml-syntax");
        assert!(err[0].location.is_some());
    }

    #[test]
    fn split_path_recognises_prefix() {
        let (p, m) = split_path("scene.shapes[0]: unknown field `rr`");
        assert_eq!(p.as_deref(), Some("scene.shapes[0]"));
        assert_eq!(m, "unknown field `rr`");
    }
}
