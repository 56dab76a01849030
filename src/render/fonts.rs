//! The bundled fonts: the only fonts the renderer ever loads.
//!
//! Invariant: font bytes are compiled into the binary from `assets/fonts/`, so rendering
//! never depends on the machine's fonts. Each entry names its licence file.

/// A font compiled into blindspot.
#[derive(Debug)]
pub struct BundledFont {
    /// Family name as used in specs (`font:`) and SVG.
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
];

/// The family used when a spec names none.
pub const DEFAULT_FAMILY: &str = "DejaVu Sans";

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

/// Whether a family is bundled (case-sensitive, as SVG matches it).
pub fn is_bundled(family: &str) -> bool {
    FONTS.iter().any(|f| f.family == family)
}
