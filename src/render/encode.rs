//! PNG encoding and decoding of rendered pixmaps.
//!
//! Role: store an opaque pixmap in the pixel format its colour policy asks for — 8-bit gray,
//! an 8-bit palette of the image's own colours, or 8-bit RGB — and read any PNG back as
//! opaque RGBA.
//!
//! Invariants: deterministic for a given `png` crate version (fixed compression, adaptive
//! filter, no ancillary chunks); every format but gray is lossless for an opaque image, and
//! gray is exact for gray pixels; the conversion buffers are kept per thread, and what a
//! larger image left in them never shows through.

use std::cell::RefCell;

use resvg::tiny_skia::Pixmap;

use super::RenderError;
use super::palette;
use crate::spec::types::{ColorMode, Compression};

thread_local! {
    /// The gray, RGB or index plane [`encode_png`] converts into, kept between calls.
    static PLANE: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
    /// The palette of the last indexed image, kept between calls.
    static PALETTE: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

/// How an image's pixels are stored in its PNG.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PixelFormat {
    /// 8-bit gray: BT.601 luma, exact for gray pixels.
    Gray,
    /// 8-bit indexed over the image's own colours when it has at most 256 of them (lossless);
    /// 8-bit RGB otherwise.
    Palette,
    /// 8-bit RGB.
    Rgb,
}

/// The pixel format of a scene under a colour policy.
pub fn pixel_format(mode: ColorMode, scene_is_gray: bool) -> PixelFormat {
    match mode {
        ColorMode::Gray => PixelFormat::Gray,
        ColorMode::Rgb => PixelFormat::Rgb,
        ColorMode::Auto | ColorMode::Palette if scene_is_gray => PixelFormat::Gray,
        ColorMode::Auto => PixelFormat::Rgb,
        ColorMode::Palette => PixelFormat::Palette,
    }
}

/// Encodes an opaque pixmap as PNG in `format`, with the adaptive filter.
pub fn encode_png(
    pixmap: &Pixmap,
    format: PixelFormat,
    compression: Compression,
) -> Result<Vec<u8>, RenderError> {
    encode_png_filtered(pixmap, format, compression, png::Filter::Adaptive)
}

/// [`encode_png`] with another row filter: for the benchmark's comparison of filters, which
/// must time the same conversion and encoder.
pub fn encode_png_filtered(
    pixmap: &Pixmap,
    format: PixelFormat,
    compression: Compression,
    filter: png::Filter,
) -> Result<Vec<u8>, RenderError> {
    let (mut plane, mut colours) = (PLANE.take(), PALETTE.take());
    let png = encode_plane(
        pixmap,
        (format, filter),
        compression,
        &mut plane,
        &mut colours,
    );
    PLANE.set(plane);
    PALETTE.set(colours);
    png
}

/// [`encode_png`] converting into `plane` (and `colours`, for an indexed image).
fn encode_plane(
    pixmap: &Pixmap,
    (format, filter): (PixelFormat, png::Filter),
    compression: Compression,
    plane: &mut Vec<u8>,
    colours: &mut Vec<u8>,
) -> Result<Vec<u8>, RenderError> {
    let data = pixmap.data();
    let color = match format {
        PixelFormat::Gray => {
            to_gray(data, plane);
            png::ColorType::Grayscale
        }
        PixelFormat::Palette if palette::index(data, plane, colours) => png::ColorType::Indexed,
        PixelFormat::Palette | PixelFormat::Rgb => {
            to_rgb(data, plane);
            png::ColorType::Rgb
        }
    };
    let pixels = plane.as_slice();
    let mut out = Vec::with_capacity(pixels.len() / 8 + 1024);
    let mut enc = png::Encoder::new(&mut out, pixmap.width(), pixmap.height());
    enc.set_color(color);
    if color == png::ColorType::Indexed {
        enc.set_palette(colours.as_slice());
    }
    enc.set_depth(png::BitDepth::Eight);
    enc.set_compression(match compression {
        Compression::Fast => png::Compression::Fast,
        Compression::Balanced => png::Compression::Balanced,
        Compression::High => png::Compression::High,
    });
    enc.set_filter(filter);
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
    // Every byte is written below, so the kept contents need no clearing.
    gray.resize(rgba.len() / 4, 0);
    for (p, g) in rgba.chunks_exact(4).zip(gray.iter_mut()) {
        *g = luma(p);
    }
}

/// ITU-R BT.601 luma, rounded: `(299·r + 587·g + 114·b + 500) / 1000`, exact for gray pixels
/// (r = g = b gives r). The division is done as `(x / 8) / 125`, the second step as a
/// multiply and shift that is exact for every `x` up to 255 500 (a test checks them all): all
/// in 32-bit lanes with no branch, so the loop of [`to_gray`] vectorises.
fn luma(p: &[u8]) -> u8 {
    let x = 299 * u32::from(p[0]) + 587 * u32::from(p[1]) + 114 * u32::from(p[2]) + 500;
    (((x >> 3) * 33_555) >> 22) as u8
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::Renderer;

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
    fn luma_divides_exactly_and_keeps_gray_pixels() {
        for v in 0..=255u8 {
            assert_eq!(luma(&[v, v, v, 255]), v);
        }
        // Every weighted sum the channels can make, through the same two steps.
        for x in 0..=(255 * 1000 + 500u32) {
            assert_eq!(((x >> 3) * 33_555) >> 22, x / 1000, "x = {x}");
        }
        let mut rng = crate::rng::SampleRng::new(3);
        for _ in 0..100_000 {
            let p = rng.next_u64().to_le_bytes();
            let want =
                (299 * u32::from(p[0]) + 587 * u32::from(p[1]) + 114 * u32::from(p[2]) + 500)
                    / 1000;
            assert_eq!(u32::from(luma(&p[..4])), want, "{p:?}");
        }
    }

    #[test]
    fn png_is_deterministic_and_gray_when_asked() {
        let r = Renderer::new();
        let svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"20\" height=\"20\">\
                   <rect width=\"20\" height=\"20\" fill=\"#fff\"/><circle cx=\"10\" cy=\"10\" r=\"5\"/></svg>";
        let pix = r.rasterize(svg).unwrap();
        let a = encode_png(&pix, PixelFormat::Gray, Compression::Fast).unwrap();
        let b = encode_png(&pix, PixelFormat::Gray, Compression::Fast).unwrap();
        assert_eq!(a, b);
        assert_eq!(a[25], 0, "IHDR colour type 0 = grayscale");
        let rgb = encode_png(&pix, PixelFormat::Rgb, Compression::Fast).unwrap();
        assert_eq!(rgb[25], 2, "IHDR colour type 2 = RGB");
    }

    /// An opaque pixmap whose pixel `i` has colour `colour(i)`.
    fn pixmap(w: u32, h: u32, colour: impl Fn(usize) -> [u8; 3]) -> Pixmap {
        let mut p = Pixmap::new(w, h).unwrap();
        for (i, px) in p.data_mut().chunks_exact_mut(4).enumerate() {
            let [r, g, b] = colour(i);
            px.copy_from_slice(&[r, g, b, 255]);
        }
        p
    }

    #[test]
    fn palette_png_is_lossless_and_falls_back_to_rgb_past_256_colours() {
        let r = Renderer::new();
        let svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"31\" height=\"17\">\
                   <rect width=\"31\" height=\"17\" fill=\"#fff\"/>\
                   <circle cx=\"12\" cy=\"8\" r=\"6\" fill=\"#0075ff\"/>\
                   <circle cx=\"20\" cy=\"9\" r=\"5\" fill=\"#ea00ff\"/></svg>";
        let few = r.rasterize(svg).unwrap();
        let bytes = |i: usize| (i as u32).wrapping_mul(2_654_435_761).to_le_bytes();
        let many = pixmap(40, 9, |i| {
            let b = bytes(i);
            [b[0], b[1], b[2]]
        });
        let repeated = pixmap(40, 9, |i| {
            let b = bytes(i % 256);
            [b[0], b[1], b[2]]
        });
        for (name, pix, colour_type) in [
            ("two circles", &few, 3),
            ("360 colours", &many, 2),
            ("256 colours", &repeated, 3),
        ] {
            let png = encode_png(pix, PixelFormat::Palette, Compression::Fast).unwrap();
            assert_eq!(
                png[25], colour_type,
                "{name}: IHDR colour type (3 indexed, 2 RGB)"
            );
            let (w, h, rgba) = decode_png(&png).unwrap();
            assert_eq!((w, h), (pix.width(), pix.height()), "{name}");
            assert_eq!(rgba, pix.data(), "{name}: decodes to the same pixels");
            assert_eq!(
                png,
                encode_png(pix, PixelFormat::Palette, Compression::Fast).unwrap()
            );
        }
        let rgb = encode_png(&many, PixelFormat::Rgb, Compression::Fast).unwrap();
        let fallback = encode_png(&many, PixelFormat::Palette, Compression::Fast).unwrap();
        assert_eq!(
            fallback, rgb,
            "past 256 colours the bytes are the RGB encoding's"
        );
    }

    #[test]
    fn colour_policies_choose_gray_for_gray_scenes_unless_rgb_is_asked() {
        use ColorMode::{Auto, Gray, Palette, Rgb};
        let cases = [
            (Auto, true, PixelFormat::Gray),
            (Auto, false, PixelFormat::Rgb),
            (Palette, true, PixelFormat::Gray),
            (Palette, false, PixelFormat::Palette),
            (Rgb, true, PixelFormat::Rgb),
            (Rgb, false, PixelFormat::Rgb),
            (Gray, true, PixelFormat::Gray),
            (Gray, false, PixelFormat::Gray),
        ];
        for (mode, gray, want) in cases {
            assert_eq!(
                pixel_format(mode, gray),
                want,
                "{mode:?}, gray scene {gray}"
            );
        }
    }
}
