//! `croissant.json`: MLCommons Croissant 1.1 metadata (JSON-LD) describing a release's
//! Parquet files, so `mlcroissant` (and tools built on it) can load the data.
//!
//! Shape (HARNESS.md §e): one `cr:FileObject` per Parquet file, with its path relative to
//! `croissant.json` as `contentUrl` and its `sha256`; one `cr:RecordSet` per Hub config —
//! `default` for a single task, one per task (named by task id) for a suite — whose
//! `cr:Field`s read the columns of that record set's file.
//!
//! Invariants:
//! * **Deterministic bytes**: a pure function of [`CroissantInfo`]. Keys are written in a
//!   fixed order (serde_json with `preserve_order`), lists in the caller's order, and no
//!   value comes from the clock or the machine.
//! * **Fields derived from [`COLUMNS`]**: one field per column, in column order, with the
//!   `@id` `<record set>/<column>` (unique across record sets). Text → `sc:Text`,
//!   Int32/Int64 → `sc:Integer`, Image → `sc:ImageObject` read from the struct's `bytes`.
//!   The record set `key` is the `id` column (if the table has one).
//! * **sha256 on every FileObject**: mlcroissant rejects FileObjects without a hash and
//!   checks it when it reads records.
//!
//! Values the specs do not (yet) provide, chosen to be deterministic and documented:
//! * `datePublished` is required by the spec, but a build date would break byte-identical
//!   rebuilds. Until specs carry a date, the caller passes [`UNDATED`] (`1970-01-01`), an
//!   obvious "not set" value rather than a plausible-looking but invented date.
//! * `url` is required; [`hub_url`] gives `https://huggingface.co/datasets/<name>`, the
//!   place the release is meant to be pushed to (the Hub owner is not known at build time).
//! * `creator` is an organisation named `<name> authors`.
//! * `license` maps the Hub licence id to its SPDX page, see [`license_url`].
//! * `citeAs` is written only when the spec has a citation (mlcroissant then warns that it
//!   is recommended); `description` falls back to the name when empty.

use serde_json::{Value, json};

use super::schema::{COLUMNS, ColumnKind};

/// `datePublished` of releases whose spec gives no date (see the module docs).
pub const UNDATED: &str = "1970-01-01";

/// Croissant version the document conforms to.
pub const CONFORMS_TO: &str = "http://mlcommons.org/croissant/1.1";

/// Column used as the record set key.
const KEY_COLUMN: &str = "id";

/// Everything `croissant.json` describes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CroissantInfo {
    /// Dataset name (Hub repo name).
    pub name: String,
    /// Plain-text description.
    pub description: String,
    /// Hub licence id, e.g. `mit` (mapped by [`license_url`]).
    pub license: String,
    /// Release version, MAJOR.MINOR.PATCH.
    pub version: String,
    /// Citation (BibTeX or text), if any.
    pub citation: Option<String>,
    /// Dataset URL, e.g. from [`hub_url`].
    pub url: String,
    /// `datePublished` (ISO 8601 date), e.g. [`UNDATED`].
    pub date_published: String,
    /// Keywords (the card's tags).
    pub keywords: Vec<String>,
    /// Record sets in order, each with the one data file it reads.
    pub record_sets: Vec<RecordSetInfo>,
}

/// One record set and the Parquet file its fields read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordSetInfo {
    /// Record set name: `default`, or the config (task id) of a suite.
    pub name: String,
    /// File path relative to the dataset root, with `/` separators.
    pub path: String,
    /// Lower-case hex SHA-256 of the file.
    pub sha256: String,
}

/// The dataset page a release is meant to be published at: `https://huggingface.co/datasets/<name>`.
pub fn hub_url(name: &str) -> String {
    format!("https://huggingface.co/datasets/{name}")
}

/// The Croissant `license` for a Hub licence id: `https://spdx.org/licenses/<SPDX-ID>.html`
/// for ids with an SPDX equivalent (matched case-insensitively; Creative Commons ids are the
/// upper-cased Hub id, the rest come from a table following choosealicense.com, where the
/// Hub ids come from). A URL is kept as given. Anything else (`other`, `unknown`,
/// model licences such as `openrail`) is written unchanged as text, which Croissant allows.
pub fn license_url(id: &str) -> String {
    let lower = id.trim().to_ascii_lowercase();
    let spdx = if lower.starts_with("cc-by-") || lower == "cc0-1.0" {
        Some(lower.to_ascii_uppercase())
    } else {
        SPDX_IDS
            .iter()
            .find(|(hub, _)| *hub == lower)
            .map(|(_, spdx)| (*spdx).to_owned())
    };
    match spdx {
        Some(s) => format!("https://spdx.org/licenses/{s}.html"),
        None => id.trim().to_owned(),
    }
}

/// Hub licence ids (other than Creative Commons) and their SPDX ids.
const SPDX_IDS: &[(&str, &str)] = &[
    ("mit", "MIT"),
    ("apache-2.0", "Apache-2.0"),
    ("afl-3.0", "AFL-3.0"),
    ("agpl-3.0", "AGPL-3.0"),
    ("artistic-2.0", "Artistic-2.0"),
    ("bsd-2-clause", "BSD-2-Clause"),
    ("bsd-3-clause", "BSD-3-Clause"),
    ("bsd-3-clause-clear", "BSD-3-Clause-Clear"),
    ("bsl-1.0", "BSL-1.0"),
    ("cdla-permissive-1.0", "CDLA-Permissive-1.0"),
    ("cdla-permissive-2.0", "CDLA-Permissive-2.0"),
    ("cdla-sharing-1.0", "CDLA-Sharing-1.0"),
    ("ecl-2.0", "ECL-2.0"),
    ("epl-1.0", "EPL-1.0"),
    ("epl-2.0", "EPL-2.0"),
    ("eupl-1.1", "EUPL-1.1"),
    ("eupl-1.2", "EUPL-1.2"),
    ("gpl-2.0", "GPL-2.0"),
    ("gpl-3.0", "GPL-3.0"),
    ("isc", "ISC"),
    ("lgpl-2.1", "LGPL-2.1"),
    ("lgpl-3.0", "LGPL-3.0"),
    ("lppl-1.3c", "LPPL-1.3c"),
    ("mpl-2.0", "MPL-2.0"),
    ("ms-pl", "MS-PL"),
    ("ncsa", "NCSA"),
    ("odbl", "ODbL-1.0"),
    ("odc-by", "ODC-By-1.0"),
    ("ofl-1.1", "OFL-1.1"),
    ("osl-3.0", "OSL-3.0"),
    ("pddl", "PDDL-1.0"),
    ("postgresql", "PostgreSQL"),
    ("unlicense", "Unlicense"),
    ("wtfpl", "WTFPL"),
    ("zlib", "Zlib"),
];

/// Renders the complete `croissant.json` (pretty-printed, trailing newline).
pub fn render_croissant(info: &CroissantInfo) -> String {
    let description = match info.description.trim() {
        "" => info.name.as_str(),
        d => d,
    };
    let mut doc = json!({
        "@context": context(),
        "@type": "sc:Dataset",
        "conformsTo": CONFORMS_TO,
        "name": info.name,
        "description": description,
        "license": license_url(&info.license),
        "url": info.url,
        "creator": {"@type": "sc:Organization", "name": format!("{} authors", info.name)},
        "datePublished": info.date_published,
        "version": info.version,
    });
    if !info.keywords.is_empty() {
        doc["keywords"] = json!(info.keywords);
    }
    if let Some(c) = info
        .citation
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty())
    {
        doc["citeAs"] = json!(c);
    }
    doc["distribution"] = info.record_sets.iter().map(file_object).collect();
    doc["recordSet"] = info.record_sets.iter().map(record_set).collect();
    let mut out = serde_json::to_string_pretty(&doc).expect("a JSON value always serialises");
    out.push('\n');
    out
}

/// The `@context`: mlcroissant's `make_context()` for 1.0 plus `containedIn`, as tested in
/// HARNESS.md §e.
fn context() -> Value {
    json!({
        "@language": "en", "@vocab": "https://schema.org/", "sc": "https://schema.org/",
        "cr": "http://mlcommons.org/croissant/", "rai": "http://mlcommons.org/croissant/RAI/",
        "dct": "http://purl.org/dc/terms/", "conformsTo": "dct:conformsTo", "citeAs": "cr:citeAs",
        "column": "cr:column", "containedIn": "cr:containedIn",
        "data": {"@id": "cr:data", "@type": "@json"},
        "dataType": {"@id": "cr:dataType", "@type": "@vocab"},
        "examples": {"@id": "cr:examples", "@type": "@json"},
        "extract": "cr:extract", "field": "cr:field", "fileObject": "cr:fileObject",
        "fileProperty": "cr:fileProperty", "fileSet": "cr:fileSet", "format": "cr:format",
        "includes": "cr:includes", "isLiveDataset": "cr:isLiveDataset", "jsonPath": "cr:jsonPath",
        "key": "cr:key", "md5": "cr:md5", "parentField": "cr:parentField", "path": "cr:path",
        "recordSet": "cr:recordSet", "references": "cr:references", "regex": "cr:regex",
        "repeated": "cr:repeated", "replace": "cr:replace", "separator": "cr:separator",
        "source": "cr:source", "subField": "cr:subField", "transform": "cr:transform",
        "equivalentProperty": "cr:equivalentProperty", "samplingRate": "cr:samplingRate",
    })
}

/// A FileObject's `@id` is its path: unique, and it cannot clash with a field's
/// `<record set>/<column>` because it ends in `.parquet`.
fn file_object(rs: &RecordSetInfo) -> Value {
    json!({
        "@type": "cr:FileObject",
        "@id": rs.path,
        "name": rs.path,
        "contentUrl": rs.path,
        "encodingFormat": "application/x-parquet",
        "sha256": rs.sha256,
    })
}

fn record_set(rs: &RecordSetInfo) -> Value {
    let mut out = json!({"@type": "cr:RecordSet", "@id": rs.name, "name": rs.name});
    if COLUMNS.iter().any(|(c, _)| *c == KEY_COLUMN) {
        out["key"] = json!({"@id": format!("{}/{KEY_COLUMN}", rs.name)});
    }
    out["field"] = COLUMNS
        .iter()
        .map(|(column, kind)| field(rs, column, *kind))
        .collect();
    out
}

fn field(rs: &RecordSetInfo, column: &str, kind: ColumnKind) -> Value {
    let mut source = json!({"fileObject": {"@id": rs.path}, "extract": {"column": column}});
    if kind == ColumnKind::Image {
        source["transform"] = json!({"jsonPath": "bytes"});
    }
    json!({
        "@type": "cr:Field",
        "@id": format!("{}/{column}", rs.name),
        "name": column,
        "dataType": data_type(kind),
        "source": source,
    })
}

/// The Croissant `dataType` of a column kind.
pub fn data_type(kind: ColumnKind) -> &'static str {
    match kind {
        ColumnKind::Text => "sc:Text",
        ColumnKind::Int32 | ColumnKind::Int64 => "sc:Integer",
        ColumnKind::Image => "sc:ImageObject",
    }
}

#[cfg(test)]
#[path = "croissant_tests.rs"]
mod tests;
