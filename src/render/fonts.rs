//! The bundled fonts: the only fonts the renderer ever loads.
//!
//! Invariant: font bytes are compiled into the binary from `assets/fonts/`, so rendering
//! never depends on the machine's fonts. Each entry names its licence file. [`database`] and
//! [`options`] are the single place where the font database and the usvg options are built,
//! so rasterising ([`super::Renderer`]) and measuring ([`super::metrics`]) see the same fonts.

use std::sync::{Arc, OnceLock};

use resvg::usvg;
use resvg::usvg::fontdb;

/// A font compiled into blindspot.
#[derive(Debug)]
pub struct BundledFont {
    /// Family name as used in specs (`font:`) and SVG: exactly the font's own family name.
    pub family: &'static str,
    /// CSS weight of this face.
    pub weight: u16,
    /// File name under `assets/fonts/`.
    pub file: &'static str,
    /// Licence file under `assets/fonts/`.
    pub license_file: &'static str,
    /// SPDX-like licence name.
    pub license: &'static str,
    /// The font file.
    pub bytes: &'static [u8],
}

/// Every bundled face, in a fixed order.
pub const FONTS: &[BundledFont] = &[
    BundledFont {
        family: "DejaVu Sans",
        weight: 400,
        file: "DejaVuSans.ttf",
        license_file: "LICENSE-DejaVu.txt",
        license: "Bitstream-Vera",
        bytes: include_bytes!("../../assets/fonts/DejaVuSans.ttf"),
    },
    BundledFont {
        family: "DejaVu Sans",
        weight: 700,
        file: "DejaVuSans-Bold.ttf",
        license_file: "LICENSE-DejaVu.txt",
        license: "Bitstream-Vera",
        bytes: include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf"),
    },
    // Liberation Sans 2.1.5 (Debian fonts-liberation2 2.1.5-1): metric-compatible with
    // Arial/Helvetica, hence the substitute for those (see `resolve_family`).
    BundledFont {
        family: "Liberation Sans",
        weight: 400,
        file: "LiberationSans-Regular.ttf",
        license_file: "LICENSE-Liberation.txt",
        license: "OFL-1.1",
        bytes: include_bytes!("../../assets/fonts/LiberationSans-Regular.ttf"),
    },
    BundledFont {
        family: "Liberation Sans",
        weight: 700,
        file: "LiberationSans-Bold.ttf",
        license_file: "LICENSE-Liberation.txt",
        license: "OFL-1.1",
        bytes: include_bytes!("../../assets/fonts/LiberationSans-Bold.ttf"),
    },
    // Open Sans 1.10 static Regular (Debian fonts-open-sans 1.11-2), not the variable font.
    BundledFont {
        family: "Open Sans",
        weight: 400,
        file: "OpenSans-Regular.ttf",
        license_file: "LICENSE-OpenSans.txt",
        license: "Apache-2.0",
        bytes: include_bytes!("../../assets/fonts/OpenSans-Regular.ttf"),
    },
];

/// The family used when a spec names none.
pub const DEFAULT_FAMILY: &str = "DejaVu Sans";

/// Documented substitutions for fonts that cannot be bundled: (requested name, bundled family).
///
/// Helvetica is commercial and Arial is proprietary; Liberation Sans has the same advance
/// widths (metric-compatible), so text measured or laid out for them keeps its size, while the
/// glyph shapes differ slightly.
pub const SUBSTITUTES: &[(&str, &str)] = &[
    ("Helvetica", "Liberation Sans"),
    ("Arial", "Liberation Sans"),
];

/// Distinct family names, in registry order.
pub fn families() -> Vec<&'static str> {
    let mut out: Vec<&'static str> = Vec::new();
    for f in FONTS {
        if !out.contains(&f.family) {
            out.push(f.family);
        }
    }
    out
}

/// Whether a family is bundled under exactly this name (case-sensitive, as SVG matches it).
/// Substitutes such as "Helvetica" are not bundled; see [`resolve_family`].
pub fn is_bundled(family: &str) -> bool {
    FONTS.iter().any(|f| f.family == family)
}

/// The bundled family to use for a requested name: an exact bundled name maps to itself, a
/// documented substitute ("Helvetica", "Arial") maps to "Liberation Sans", anything else to
/// `None`. Matching is case-sensitive. Write the returned name, not the requested one, into
/// SVG: the renderer knows only bundled family names.
pub fn resolve_family(name: &str) -> Option<&'static str> {
    if let Some(f) = FONTS.iter().find(|f| f.family == name) {
        return Some(f.family);
    }
    SUBSTITUTES
        .iter()
        .find(|(alias, _)| *alias == name)
        .map(|(_, family)| *family)
}

/// The bundled face of `family` with exactly this weight, if any.
pub fn face(family: &str, weight: u16) -> Option<&'static BundledFont> {
    FONTS
        .iter()
        .find(|f| f.family == family && f.weight == weight)
}

/// The font database holding exactly the bundled faces, with every generic family mapped to
/// [`DEFAULT_FAMILY`]. Built once per process and shared.
pub fn database() -> Arc<fontdb::Database> {
    static DB: OnceLock<Arc<fontdb::Database>> = OnceLock::new();
    DB.get_or_init(|| {
        let mut db = fontdb::Database::new();
        for f in FONTS {
            db.load_font_source(fontdb::Source::Binary(Arc::new(f.bytes)));
        }
        let family = DEFAULT_FAMILY;
        db.set_serif_family(family);
        db.set_sans_serif_family(family);
        db.set_monospace_family(family);
        db.set_cursive_family(family);
        db.set_fantasy_family(family);
        Arc::new(db)
    })
    .clone()
}

/// usvg options that know only the bundled fonts (unknown families fall back to
/// [`DEFAULT_FAMILY`]) and resolve no external resources. Cheap: the database is shared.
pub fn options() -> usvg::Options<'static> {
    usvg::Options {
        font_family: DEFAULT_FAMILY.to_string(),
        fontdb: database(),
        resources_dir: None,
        image_href_resolver: usvg::ImageHrefResolver {
            resolve_data: Box::new(|_, _, _| None),
            resolve_string: Box::new(|_, _| None),
        },
        ..usvg::Options::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_bundled_face_reports_its_own_family_and_weight() {
        let db = database();
        assert_eq!(db.len(), FONTS.len());
        for (face, f) in db.faces().zip(FONTS) {
            assert!(
                face.families.iter().any(|(name, _)| name == f.family),
                "{} declares families {:?}",
                f.file,
                face.families
            );
            assert_eq!(face.weight.0, f.weight, "{}", f.file);
            assert_eq!(face.style, fontdb::Style::Normal, "{}", f.file);
        }
    }

    #[test]
    fn families_are_distinct_and_ordered() {
        assert_eq!(families(), ["DejaVu Sans", "Liberation Sans", "Open Sans"]);
        assert!(is_bundled("Open Sans"));
        assert!(!is_bundled("Helvetica"));
        assert!(!is_bundled("liberation sans"));
    }

    #[test]
    fn aliases_resolve_to_liberation_sans() {
        assert_eq!(resolve_family("Helvetica"), Some("Liberation Sans"));
        assert_eq!(resolve_family("Arial"), Some("Liberation Sans"));
        assert_eq!(resolve_family("Open Sans"), Some("Open Sans"));
        assert_eq!(resolve_family("DejaVu Sans"), Some("DejaVu Sans"));
        assert_eq!(resolve_family("Comic Sans"), None);
        for (_, target) in SUBSTITUTES {
            assert!(is_bundled(target));
        }
    }

    #[test]
    fn licence_files_exist() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/fonts");
        for f in FONTS {
            assert!(dir.join(f.license_file).is_file(), "{}", f.license_file);
            assert!(dir.join(f.file).is_file(), "{}", f.file);
        }
    }

    #[test]
    fn database_is_shared() {
        assert!(Arc::ptr_eq(&database(), &database()));
    }
}
