//! The release documents written beside the Parquet data: README.md card and manifest.json.
//!
//! Invariant: both are pure functions of the spec, the row tally and the data files, so two
//! builds of the same spec produce byte-identical documents (no dates, fixed order).

use std::path::Path;

use crate::render::fonts::FONTS;
use crate::sink::{
    self, CardInfo, CompilerInfo, FileSummary, FontInfo, Manifest, ManifestHeader, RendererInfo,
    SinkError, SpecInfo, Tally,
};
use crate::spec::TaskSpec;

/// resvg version that renders the images (kept in step with Cargo.toml by a test).
pub const RESVG_VERSION: &str = "0.49.0";

/// Writes README.md and manifest.json into `root`.
pub fn write_docs(
    spec: &TaskSpec,
    root: &Path,
    tally: Tally,
    data: FileSummary,
) -> Result<(), SinkError> {
    let card = CardInfo {
        name: spec.name.clone(),
        pretty_name: spec.label.clone(),
        version: spec.version.clone(),
        description: spec.description.clone(),
        license: spec.license.clone(),
        citation: spec.citation.clone(),
        tags: spec.tags.clone(),
        task_categories: spec.task_categories.clone(),
        split: spec.split.clone(),
        num_rows: tally.rows(),
        compiler_version: crate::VERSION.to_string(),
        spec_sha256: spec.source.sha256.clone(),
        seed: spec.seed,
        tasks: tally.task_counts(),
        files: vec![data.clone()],
    };
    let readme = sink::write_text_file(root, "README.md", &sink::render_card(&card))?;
    let manifest = Manifest::new(header(spec), tally.finish()?, vec![data, readme]);
    sink::write_text_file(root, "manifest.json", &sink::render_manifest(&manifest))?;
    Ok(())
}

fn header(spec: &TaskSpec) -> ManifestHeader {
    ManifestHeader {
        name: spec.name.clone(),
        version: spec.version.clone(),
        compiler: CompilerInfo {
            name: "blindspot".into(),
            version: crate::VERSION.into(),
        },
        seed: spec.seed,
        seeding_scheme: crate::rng::SEED_SCHEME.into(),
        spec: SpecInfo {
            path: spec.source.file.clone(),
            sha256: spec.source.sha256.clone(),
        },
        renderer: RendererInfo {
            resvg: RESVG_VERSION.into(),
            fonts: font_infos(),
        },
    }
}

/// The bundled fonts as recorded in manifests.
pub fn font_infos() -> Vec<FontInfo> {
    FONTS
        .iter()
        .map(|f| FontInfo {
            family: f.family.into(),
            file: f.file.into(),
            sha256: sink::sha256_hex(f.bytes),
            license: f.license.into(),
        })
        .collect()
}
