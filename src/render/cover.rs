//! Whether a tree's first drawing paints every pixel of the canvas opaquely, so a recycled
//! canvas needs no clearing before it is drawn on.
//!
//! Invariant: [`covers_canvas`] answers `true` only when the result cannot depend on the
//! canvas's old contents: the first node drawn (through plain groups only) is a visible path
//! filled with a solid colour at full opacity, whose outline is an axis-aligned rectangle that,
//! after its transform (scale and translation only), contains the whole canvas. Such a fill
//! covers every pixel completely, and tiny-skia draws a fully covered pixel of an opaque solid
//! paint by overwriting it (source-over with an opaque source is the source). Anything else
//! answers `false` and the canvas is cleared as before. Scenes written by
//! [`crate::scene::svg::to_svg`] always start with such a background rectangle.

use resvg::tiny_skia::{Path, PathSegment, Point, Rect, Transform};
use resvg::usvg::{self, BlendMode, Group, Node, Opacity, Paint};

/// `true` when drawing `tree` onto a `w`×`h` canvas overwrites every pixel opaquely before
/// anything else is drawn (see the module docs).
pub fn covers_canvas(tree: &usvg::Tree, w: u32, h: u32) -> bool {
    let mut group = tree.root();
    loop {
        if !is_plain(group) {
            return false;
        }
        match group.children().first() {
            Some(Node::Group(inner)) => group = inner,
            Some(Node::Path(path)) => return path_covers(path, w, h),
            _ => return false,
        }
    }
}

/// A group that draws its children as they are: no opacity, clip, mask, filter or blending.
fn is_plain(g: &Group) -> bool {
    g.opacity() == Opacity::ONE
        && g.clip_path().is_none()
        && g.mask().is_none()
        && g.filters().is_empty()
        && g.blend_mode() == BlendMode::Normal
        && !g.isolate()
}

fn path_covers(path: &usvg::Path, w: u32, h: u32) -> bool {
    let Some(fill) = path.fill() else {
        return false;
    };
    let solid = matches!(fill.paint(), Paint::Color(_)) && fill.opacity() == Opacity::ONE;
    if !path.is_visible() || !solid {
        return false;
    }
    let Some(rect) = axis_rect(path.data()) else {
        return false;
    };
    let Some(rect) = scale_translate(rect, path.abs_transform()) else {
        return false;
    };
    rect.left() <= 0.0 && rect.top() <= 0.0 && rect.right() >= w as f32 && rect.bottom() >= h as f32
}

/// The rectangle a path outlines when it is one closed axis-aligned rectangle: a move and
/// three or four lines (optionally closed) through its four corners, each step changing one
/// coordinate only.
fn axis_rect(path: &Path) -> Option<Rect> {
    let mut segments = path.segments();
    let Some(PathSegment::MoveTo(start)) = segments.next() else {
        return None;
    };
    let (mut corners, mut closed) = (vec![start], false);
    for segment in segments {
        match segment {
            PathSegment::LineTo(p) if !closed && corners.len() < 5 => corners.push(p),
            PathSegment::Close if !closed => closed = true,
            _ => return None,
        }
    }
    if corners.len() == 5 && corners[4] == corners[0] {
        corners.pop();
    }
    if corners.len() != 4 {
        return None;
    }
    let bounds = Rect::from_points(&corners)?;
    let on_corner = |p: &Point| {
        (p.x == bounds.left() || p.x == bounds.right())
            && (p.y == bounds.top() || p.y == bounds.bottom())
    };
    let distinct = (1..4).all(|i| (0..i).all(|j| corners[i] != corners[j]));
    let one_axis = |(a, b): (&Point, &Point)| (a.x == b.x) != (a.y == b.y);
    let steps = corners.iter().zip(corners.iter().cycle().skip(1));
    let is_rect = distinct && corners.iter().all(on_corner) && steps.take(4).all(one_axis);
    is_rect.then_some(bounds)
}

/// `rect` under `t` when `t` only scales (by positive factors) and translates.
fn scale_translate(rect: Rect, t: Transform) -> Option<Rect> {
    if t.kx != 0.0 || t.ky != 0.0 || t.sx <= 0.0 || t.sy <= 0.0 {
        return None;
    }
    rect.transform(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(body: &str) -> usvg::Tree {
        let svg = format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"30\" height=\"20\">{body}</svg>"
        );
        usvg::Tree::from_str(&svg, &usvg::Options::default()).unwrap()
    }

    fn covers(body: &str) -> bool {
        covers_canvas(&tree(body), 30, 20)
    }

    #[test]
    fn an_opaque_full_canvas_rectangle_covers() {
        assert!(covers("<rect width=\"30\" height=\"20\" fill=\"#fff\"/>"));
        assert!(covers(
            "<rect x=\"-5\" y=\"-5\" width=\"40\" height=\"30\" fill=\"red\"/>"
        ));
        assert!(covers(
            "<g><rect width=\"30\" height=\"20\" fill=\"#fff\"/></g><circle r=\"3\"/>"
        ));
        assert!(covers("<path d=\"M0 20 H30 V0 H0 Z\" fill=\"#123456\"/>"));
        assert!(covers(
            "<rect width=\"15\" height=\"10\" transform=\"scale(2)\" fill=\"#000\"/>"
        ));
    }

    #[test]
    fn anything_less_does_not_cover() {
        let cases = [
            "",
            "<circle r=\"100\" fill=\"#fff\"/>",
            "<rect width=\"29\" height=\"20\" fill=\"#fff\"/>",
            "<rect width=\"30\" height=\"19.5\" fill=\"#fff\"/>",
            "<rect width=\"30\" height=\"20\" fill=\"#fff\" fill-opacity=\"0.5\"/>",
            "<rect width=\"30\" height=\"20\" fill=\"#fff\" opacity=\"0.99\"/>",
            "<rect width=\"30\" height=\"20\" fill=\"none\" stroke=\"#000\"/>",
            "<rect width=\"30\" height=\"20\" rx=\"2\" fill=\"#fff\"/>",
            "<rect width=\"30\" height=\"20\" fill=\"#fff\" visibility=\"hidden\"/>",
            "<rect width=\"30\" height=\"20\" fill=\"#fff\" transform=\"rotate(1)\"/>",
            "<g opacity=\"0.5\"><rect width=\"30\" height=\"20\" fill=\"#fff\"/></g>",
            "<path d=\"M0 0 L30 20 L30 0 L0 20 Z\" fill=\"#fff\"/>",
            "<circle r=\"1\"/><rect width=\"30\" height=\"20\" fill=\"#fff\"/>",
            // Four steps along the axes through three corners enclose nothing.
            "<path d=\"M0 0 H30 V20 V0 Z\" fill=\"#fff\"/>",
        ];
        for body in cases {
            assert!(!covers(body), "{body}");
        }
    }
}
