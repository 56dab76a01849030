//! Rasterising: SVG text → usvg tree → resvg pixmap → PNG bytes.
//!
//! Invariants: one [`Renderer`] per process, shared read-only by all threads; it knows only
//! the bundled fonts (every generic family maps to the default bundled family) and resolves
//! no external resources, so `<image>` references and system fonts can never leak in. PNG
//! encoding is deterministic for a given `png` crate version: fixed compression, adaptive
//! filter, no ancillary chunks.

pub mod fonts;
pub mod metrics;

use std::cell::RefCell;

use resvg::tiny_skia::Pixmap;
use resvg::usvg;

use crate::spares::Spares;
use crate::spec::types::{ColorMode, Compression};

thread_local! {
    /// Canvases handed back with [`recycle`], for the next canvas of the same size.
    static CANVASES: RefCell<Spares<Pixmap>> = const { RefCell::new(Spares::new(4)) };
    /// The gray or RGB plane [`encode_png`] converts into, kept between calls.
    static PLANE: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

/// Errors while rasterising or encoding.
#[derive(Debug)]
pub struct RenderError(pub String);

impl std::fmt::Display for RenderError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Largest canvas the renderer accepts, in pixels (width × height), whatever the limits say:
/// the ceiling of the `canvas-pixels` limit (1.6 GB of RGBA), which specs meet first.
pub const MAX_PIXELS: u64 = 400_000_000;

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
        let mut pixmap =
            canvas(w, h).ok_or_else(|| RenderError(format!("cannot allocate a {w}×{h} canvas")))?;
        resvg::render(
            &tree,
            resvg::tiny_skia::Transform::identity(),
            &mut pixmap.as_mut(),
        );
        Ok(pixmap)
    }
}

/// A transparent canvas: a recycled one of this size, cleared, or a new one.
fn canvas(w: u32, h: u32) -> Option<Pixmap> {
    let fits = |p: &Pixmap| (p.width(), p.height()) == (w, h);
    let spare = CANVASES.with(|c| c.borrow_mut().take(fits));
    match spare {
        Some(mut p) => {
            p.data_mut().fill(0);
            Some(p)
        }
        None => Pixmap::new(w, h),
    }
}

/// Hands a pixmap from [`Renderer::rasterize`] back once it is no longer needed, so this
/// thread's next canvas of its size reuses its memory (see [`crate::spares`]).
pub fn recycle(pixmap: Pixmap) {
    // During thread teardown the store may be gone; the pixmap is then simply freed.
    let _ = CANVASES.try_with(|c| c.borrow_mut().give(pixmap));
}

/// Encodes an opaque pixmap as PNG, as gray or RGB.
pub fn encode_png(
    pixmap: &Pixmap,
    gray: bool,
    compression: Compression,
) -> Result<Vec<u8>, RenderError> {
    let mut plane = PLANE.take();
    let png = encode_plane(pixmap, gray, compression, &mut plane);
    PLANE.set(plane);
    png
}

/// [`encode_png`] converting into `plane`.
fn encode_plane(
    pixmap: &Pixmap,
    gray: bool,
    compression: Compression,
    plane: &mut Vec<u8>,
) -> Result<Vec<u8>, RenderError> {
    let data = pixmap.data();
    let color = if gray {
        to_gray(data, plane);
        png::ColorType::Grayscale
    } else {
        to_rgb(data, plane);
        png::ColorType::Rgb
    };
    let pixels = plane.as_slice();
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
    writer.write_image_data(pixels).map_err(err)?;
    writer.finish().map_err(err)?;
    Ok(out)
}

/// Decodes a PNG (any 8- or 16-bit colour type) into opaque RGBA: width, height, pixels.
pub fn decode_png(png_bytes: &[u8]) -> Result<(u32, u32, Vec<u8>), String> {
    let mut decoder = png::Decoder::new(std::io::Cursor::new(png_bytes));
    decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
    let mut reader = decoder
        .read_info()
        .map_err(|e| format!("PNG does not decode ({e})"))?;
    let mut buf = vec![0; reader.output_buffer_size().ok_or("PNG too large")?];
    let info = reader
        .next_frame(&mut buf)
        .map_err(|e| format!("PNG does not decode ({e})"))?;
    let pixels = &buf[..info.buffer_size()];
    let rgba: Vec<u8> = match info.color_type {
        png::ColorType::Grayscale => pixels.iter().flat_map(|&g| [g, g, g, 255]).collect(),
        png::ColorType::GrayscaleAlpha => pixels
            .chunks_exact(2)
            .flat_map(|p| [p[0], p[0], p[0], 255])
            .collect(),
        png::ColorType::Rgb => pixels
            .chunks_exact(3)
            .flat_map(|p| [p[0], p[1], p[2], 255])
            .collect(),
        png::ColorType::Rgba => pixels.to_vec(),
        png::ColorType::Indexed => return Err("indexed PNG after expansion".into()),
    };
    Ok((info.width, info.height, rgba))
}

/// Drops the alpha channel. Scenes paint an opaque background, so the premultiplied RGB that
/// tiny-skia stores is the colour itself.
///
/// Four pixels at a time as two little-endian `u64`s (`r0 g0 b0 a0 r1 g1 b1 a1`,
/// `r2 g2 b2 a2 r3 g3 b3 a3` → `r0 g0 b0 r1 g1 b1 r2 g2` and `b2 r3 g3 b3`): plain loads,
/// shifts, masks and two stores per four pixels on every target, with no bounds checks in
/// the loop (input and output walk in step as exact chunks).
fn to_rgb(rgba: &[u8], rgb: &mut Vec<u8>) {
    // Every byte is written below, so the kept contents need no clearing: only a longer
    // plane than last time's is extended (with zeros).
    rgb.resize(rgba.len() / 4 * 3, 0);
    pack_rgb(rgba, rgb.as_mut_slice());
}

/// The loop of [`to_rgb`], on a plain slice: through the `Vec`, every byte store may alias
/// the vector's own pointer and length, which were then reloaded on each pixel group.
fn pack_rgb(rgba: &[u8], rgb: &mut [u8]) {
    let quads = rgba.chunks_exact(16);
    let (odd, done) = (quads.remainder(), rgba.len() / 16 * 12);
    for (src, dst) in quads.zip(rgb.chunks_exact_mut(12)) {
        let (a, b) = src.split_at(8);
        let a = u64::from_le_bytes(a.try_into().expect("8 bytes"));
        let b = u64::from_le_bytes(b.try_into().expect("8 bytes"));
        let low = (a & 0xff_ffff) | ((a >> 8) & 0xffff_ff00_0000) | (b << 48);
        let high = ((b >> 16) & 0xff) as u32 | ((b >> 24) as u32 & 0xffff_ff00);
        dst[..8].copy_from_slice(&low.to_le_bytes());
        dst[8..].copy_from_slice(&high.to_le_bytes());
    }
    for (src, dst) in odd.chunks_exact(4).zip(rgb[done..].chunks_exact_mut(3)) {
        dst.copy_from_slice(&src[..3]);
    }
}

/// The luma of every RGBA pixel.
fn to_gray(rgba: &[u8], gray: &mut Vec<u8>) {
    gray.clear();
    gray.extend(rgba.chunks_exact(4).map(luma));
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
    fn rgb_and_gray_conversions_match_the_per_pixel_definition() {
        // One plane for all sizes, growing and shrinking, as a thread's kept plane is: what a
        // larger image left in it must never show through.
        let mut plane = vec![9; 5];
        for pixels in [0usize, 1, 2, 3, 7, 64, 5, 65, 6, 130, 1, 64] {
            let rgba: Vec<u8> = (0..pixels * 4).map(|i| (i * 37 % 251) as u8).collect();
            let rgb: Vec<u8> = rgba
                .chunks_exact(4)
                .flat_map(|p| [p[0], p[1], p[2]])
                .collect();
            to_rgb(&rgba, &mut plane);
            assert_eq!(plane, rgb, "{pixels} pixels");
            let gray: Vec<u8> = rgba.chunks_exact(4).map(luma).collect();
            to_gray(&rgba, &mut plane);
            assert_eq!(plane, gray, "{pixels} pixels");
        }
    }

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
    fn a_recycled_canvas_renders_like_a_new_one() {
        let r = Renderer::new();
        let svg = |body: &str| {
            format!(
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"30\" height=\"20\">{body}</svg>"
            )
        };
        let sparse = svg("<circle cx=\"10\" cy=\"10\" r=\"4\" fill=\"#f00\"/>");
        let fresh = r.rasterize(&sparse).unwrap();
        let painted = r.rasterize(&svg("<rect width=\"30\" height=\"20\" fill=\"#0f0\"/>"));
        let painted = painted.unwrap();
        let painted_ptr = painted.data().as_ptr();
        recycle(painted);
        let reused = r.rasterize(&sparse).unwrap();
        assert_eq!(
            reused.data().as_ptr(),
            painted_ptr,
            "the spare canvas was reused"
        );
        assert_eq!(reused.data(), fresh.data(), "and cleared first");
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
