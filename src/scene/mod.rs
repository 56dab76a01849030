//! The scene IR: what one sample draws, fully resolved.
//!
//! Contract with the SVG writer (as usvg documents its tree):
//! - every value is resolved: no expressions, no defaults left to SVG (fill and stroke are
//!   explicit, `None` meaning no paint);
//! - coordinates and lengths are finite pixels, origin top-left, y down;
//! - colours are opaque sRGB; transparency is carried by the opacities (0–1);
//! - text is literal Unicode, drawn in a family that is known to be bundled;
//! - path data contains only SVG path-data characters.
//!
//! ## Limitations
//! No gradients, patterns, clipping, masks, filters or embedded images.

pub mod color;
pub mod svg;

pub use color::Rgb;

/// One sample's picture.
#[derive(Debug, Clone, PartialEq)]
pub struct Scene {
    /// Canvas width in pixels.
    pub width: u32,
    /// Canvas height in pixels.
    pub height: u32,
    /// Opaque background.
    pub background: Rgb,
    /// Items in paint order.
    pub items: Vec<Item>,
}

/// A shape or a group.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    /// A single primitive.
    Shape(Shape),
    /// A transformed group.
    Group(Group),
}

/// A group of items with a transform applied as translate · rotate · scale.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    /// Translation in pixels.
    pub translate: (f64, f64),
    /// Clockwise rotation in degrees.
    pub rotate: f64,
    /// Scale factors.
    pub scale: (f64, f64),
    /// Group opacity, 0–1.
    pub opacity: f64,
    /// Children in paint order.
    pub items: Vec<Item>,
}

/// A primitive with its style.
#[derive(Debug, Clone, PartialEq)]
pub struct Shape {
    /// What to draw.
    pub geom: Geom,
    /// How to paint it.
    pub style: Style,
}

/// Geometry of a primitive, in pixels.
#[derive(Debug, Clone, PartialEq)]
pub enum Geom {
    /// Segment.
    Line { x1: f64, y1: f64, x2: f64, y2: f64 },
    /// Open polyline.
    Polyline(Vec<(f64, f64)>),
    /// Closed polygon.
    Polygon(Vec<(f64, f64)>),
    /// Rectangle with optional corner radius.
    Rect {
        x: f64,
        y: f64,
        width: f64,
        height: f64,
        rx: f64,
    },
    /// Circle.
    Circle { cx: f64, cy: f64, r: f64 },
    /// Ellipse rotated by `rotation` degrees about its centre.
    Ellipse {
        cx: f64,
        cy: f64,
        rx: f64,
        ry: f64,
        rotation: f64,
    },
    /// SVG path data.
    Path(String),
    /// Text.
    Text(Text),
}

/// A run of text.
#[derive(Debug, Clone, PartialEq)]
pub struct Text {
    /// Anchor point x.
    pub x: f64,
    /// Anchor point y (on the baseline chosen by `baseline`).
    pub y: f64,
    /// The literal text.
    pub text: String,
    /// A bundled font family.
    pub family: String,
    /// Font size in pixels.
    pub size: f64,
    /// CSS weight 100–900.
    pub weight: u16,
    /// `start`, `middle` or `end`.
    pub anchor: &'static str,
    /// SVG `dominant-baseline` value.
    pub baseline: &'static str,
}

/// Paint settings.
#[derive(Debug, Clone, PartialEq)]
pub struct Style {
    /// Fill colour, or none.
    pub fill: Option<Rgb>,
    /// Stroke colour, or none.
    pub stroke: Option<Rgb>,
    /// Stroke width in pixels.
    pub stroke_width: f64,
    /// Whole-shape opacity.
    pub opacity: f64,
    /// Fill opacity.
    pub fill_opacity: f64,
    /// Stroke opacity.
    pub stroke_opacity: f64,
    /// `butt`, `round` or `square`.
    pub linecap: &'static str,
    /// `miter`, `round` or `bevel`.
    pub linejoin: &'static str,
    /// Dash lengths; empty for solid.
    pub dash: Vec<f64>,
}

impl Style {
    /// A plain fill with no stroke, fully opaque.
    pub fn solid(fill: Rgb) -> Self {
        Self {
            fill: Some(fill),
            stroke: None,
            stroke_width: 1.0,
            opacity: 1.0,
            fill_opacity: 1.0,
            stroke_opacity: 1.0,
            linecap: "butt",
            linejoin: "miter",
            dash: Vec::new(),
        }
    }
}

impl Scene {
    /// Whether every colour used is a gray (so the image can be stored as 8-bit gray).
    pub fn is_gray(&self) -> bool {
        self.background.is_gray() && self.items.iter().all(item_is_gray)
    }
}

fn item_is_gray(item: &Item) -> bool {
    match item {
        Item::Shape(s) => [s.style.fill, s.style.stroke]
            .iter()
            .flatten()
            .all(|c| c.is_gray()),
        Item::Group(g) => g.items.iter().all(item_is_gray),
    }
}
