//! Rasterising: SVG text → usvg tree → resvg pixmap → PNG bytes.
//!
//! Invariants: one [`Renderer`] per process, shared read-only by all threads; it knows only
//! the bundled fonts (every generic family maps to the default bundled family) and resolves
//! no external resources, so `<image>` references and system fonts can never leak in. PNG
//! encoding ([`encode_png`], in gray, palette or RGB) is deterministic for a given `png`
//! crate version: fixed compression, adaptive filter, no ancillary chunks.

mod cover;
mod encode;
pub mod fonts;
pub mod metrics;
mod palette;
mod runs;

pub use encode::{PixelFormat, decode_png, encode_png, encode_png_filtered, pixel_format};
pub use runs::run_end;

use std::cell::RefCell;

use resvg::tiny_skia::Pixmap;
use resvg::usvg;

use crate::spares::Spares;

thread_local! {
    /// Canvases handed back with [`recycle`], for the next canvas of the same size.
    static CANVASES: RefCell<Spares<Pixmap>> = const { RefCell::new(Spares::new(4)) };
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
        let covered = cover::covers_canvas(&tree, w, h);
        let mut pixmap = canvas(w, h, !covered)
            .ok_or_else(|| RenderError(format!("cannot allocate a {w}×{h} canvas")))?;
        resvg::render(
            &tree,
            resvg::tiny_skia::Transform::identity(),
            &mut pixmap.as_mut(),
        );
        Ok(pixmap)
    }
}

/// A canvas of this size: a recycled one or a new (transparent) one. A recycled canvas keeps
/// its old pixels unless `clear`; pass `clear = false` only when the drawing overwrites every
/// pixel regardless ([`cover::covers_canvas`]).
fn canvas(w: u32, h: u32, clear: bool) -> Option<Pixmap> {
    let fits = |p: &Pixmap| (p.width(), p.height()) == (w, h);
    let spare = CANVASES.with(|c| c.borrow_mut().take(fits));
    match spare {
        Some(mut p) => {
            if clear {
                p.data_mut().fill(0);
            }
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

    /// Renders `svg` on a fresh canvas, then on the spare left by rendering `before` (same
    /// size), and checks that the spare was reused and the two renders are equal.
    fn renders_on_a_spare_like_on_a_new_canvas(before: &str, svg: &str) {
        let r = Renderer::new();
        let fresh = r.rasterize(svg).unwrap();
        let painted = r.rasterize(before).unwrap();
        let painted_ptr = painted.data().as_ptr();
        recycle(painted);
        let reused = r.rasterize(svg).unwrap();
        assert_eq!(
            reused.data().as_ptr(),
            painted_ptr,
            "the spare canvas was reused"
        );
        assert_eq!(reused.data(), fresh.data());
    }

    #[test]
    fn a_recycled_canvas_renders_like_a_new_one() {
        let svg = |body: &str| {
            format!(
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"30\" height=\"20\">{body}</svg>"
            )
        };
        // No background: the spare must be cleared first.
        renders_on_a_spare_like_on_a_new_canvas(
            &svg("<rect width=\"30\" height=\"20\" fill=\"#0f0\"/>"),
            &svg("<circle cx=\"10\" cy=\"10\" r=\"4\" fill=\"#f00\"/>"),
        );
    }

    #[test]
    fn a_covered_recycled_canvas_is_overwritten_exactly() {
        // The first drawing covers the canvas, so the old pixels are not cleared; the edges
        // of the circle blend with the background, never with the old contents.
        let covered = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"31\" height=\"17\">\
                       <rect width=\"31\" height=\"17\" fill=\"#fafafa\"/>\
                       <circle cx=\"10.3\" cy=\"8.6\" r=\"6.2\" fill=\"#0075ff\" fill-opacity=\"0.6\"/></svg>";
        let noise = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"31\" height=\"17\">\
                     <rect width=\"31\" height=\"17\" fill=\"#e0f\" fill-opacity=\"0.5\"/>\
                     <circle cx=\"12\" cy=\"9\" r=\"7\" fill=\"#0f0\"/></svg>";
        renders_on_a_spare_like_on_a_new_canvas(noise, covered);
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
