//! Rasterising: SVG text → usvg tree → resvg pixmap → PNG bytes.
//!
//! Invariants: one [`Renderer`] per process, shared read-only by all threads; it knows only
//! the bundled fonts (every generic family maps to the default bundled family) and resolves
//! no external resources, so `<image>` references and system fonts can never leak in. PNG
//! encoding is deterministic for a given `png` crate version: fixed compression, adaptive
//! filter, no ancillary chunks.

pub mod fonts;
pub mod metrics;

use resvg::tiny_skia::Pixmap;
use resvg::usvg;

use crate::spec::types::{ColorMode, Compression};

/// Errors while rasterising or encoding.
#[derive(Debug)]
pub struct RenderError(pub String);

impl std::fmt::Display for RenderError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Largest canvas rendered, in pixels (width × height).
pub const MAX_PIXELS: u64 = 64_000_000;

/// The rasteriser with its font database.
pub struct Renderer {
    options: usvg::Options<'static>,
}

impl Default for Renderer {
    fn default() -> Self {
        Self::new()
    }
}

impl Renderer {
    /// A renderer that knows only the bundled fonts.
    pub fn new() -> Self {
        Self {
            options: fonts::options(),
        }
    }

    /// Parses and renders an SVG document onto a pixmap of its own size.
    pub fn rasterize(&self, svg: &str) -> Result<Pixmap, RenderError> {
        let tree = usvg::Tree::from_str(svg, &self.options)
            .map_err(|e| RenderError(format!("the SVG does not parse ({e})")))?;
        let size = tree.size().to_int_size();
        let (w, h) = (size.width(), size.height());
        if u64::from(w) * u64::from(h) > MAX_PIXELS {
            return Err(RenderError(format!(
                "canvas {w}×{h} exceeds {MAX_PIXELS} pixels"
            )));
        }
        let mut pixmap = Pixmap::new(w, h)
            .ok_or_else(|| RenderError(format!("cannot allocate a {w}×{h} canvas")))?;
        resvg::render(
            &tree,
            resvg::tiny_skia::Transform::identity(),
            &mut pixmap.as_mut(),
        );
        Ok(pixmap)
    }
}

/// Encodes an opaque pixmap as PNG, as gray or RGB.
pub fn encode_png(
    pixmap: &Pixmap,
    gray: bool,
    compression: Compression,
) -> Result<Vec<u8>, RenderError> {
    let data = pixmap.data();
    let (pixels, color) = if gray {
        (
            data.chunks_exact(4).map(luma).collect::<Vec<u8>>(),
            png::ColorType::Grayscale,
        )
    } else {
        let rgb = data
            .chunks_exact(4)
            .flat_map(|p| [p[0], p[1], p[2]])
            .collect();
        (rgb, png::ColorType::Rgb)
    };
    let mut out = Vec::with_capacity(pixels.len() / 8 + 1024);
    let mut enc = png::Encoder::new(&mut out, pixmap.width(), pixmap.height());
    enc.set_color(color);
    enc.set_depth(png::BitDepth::Eight);
    enc.set_compression(match compression {
        Compression::Fast => png::Compression::Fast,
        Compression::Balanced => png::Compression::Balanced,
        Compression::High => png::Compression::High,
    });
    enc.set_filter(png::Filter::Adaptive);
    let err = |e: png::EncodingError| RenderError(format!("PNG encoding failed ({e})"));
    let mut writer = enc.write_header().map_err(err)?;
    writer.write_image_data(&pixels).map_err(err)?;
    writer.finish().map_err(err)?;
    Ok(out)
}

/// ITU-R BT.601 luma, exact for gray pixels (r = g = b).
fn luma(p: &[u8]) -> u8 {
    if p[0] == p[1] && p[1] == p[2] {
        return p[0];
    }
    ((299 * u32::from(p[0]) + 587 * u32::from(p[1]) + 114 * u32::from(p[2]) + 500) / 1000) as u8
}

/// Decides the pixel format for a scene under a colour policy.
pub fn use_gray(mode: ColorMode, scene_is_gray: bool) -> bool {
    match mode {
        ColorMode::Auto => scene_is_gray,
        ColorMode::Rgb => false,
        ColorMode::Gray => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_text_with_bundled_font_only() {
        let r = Renderer::new();
        let svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"60\" height=\"30\">\
                   <text x=\"2\" y=\"20\" font-family=\"NoSuchFont\" font-size=\"16\">Hi</text></svg>";
        let pix = r.rasterize(svg).unwrap();
        let inked = pix.data().chunks_exact(4).filter(|p| p[3] > 0).count();
        assert!(
            inked > 20,
            "text fell back to the bundled family and drew ink"
        );
    }

    #[test]
    fn png_is_deterministic_and_gray_when_asked() {
        let r = Renderer::new();
        let svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"20\" height=\"20\">\
                   <rect width=\"20\" height=\"20\" fill=\"#fff\"/><circle cx=\"10\" cy=\"10\" r=\"5\"/></svg>";
        let pix = r.rasterize(svg).unwrap();
        let a = encode_png(&pix, true, Compression::Fast).unwrap();
        let b = encode_png(&pix, true, Compression::Fast).unwrap();
        assert_eq!(a, b);
        assert_eq!(a[25], 0, "IHDR colour type 0 = grayscale");
        let rgb = encode_png(&pix, false, Compression::Fast).unwrap();
        assert_eq!(rgb[25], 2, "IHDR colour type 2 = RGB");
    }

    #[test]
    fn external_images_are_not_loaded() {
        let r = Renderer::new();
        let svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" width=\"10\" height=\"10\">\
                   <image href=\"/etc/passwd\" width=\"10\" height=\"10\"/></svg>";
        let pix = r.rasterize(svg).unwrap();
        assert!(pix.data().iter().all(|b| *b == 0));
    }
}
