//! Raw scene primitives: the closed set of shapes a spec can draw.
//!
//! Every primitive carries the same style and control fields (`for`, `if`, `fill`, `stroke`,
//! …), added by the `primitive!` macro so that `deny_unknown_fields` still works (serde
//! cannot combine it with `flatten`). The macro also generates `fields()`, which lists every
//! field with its value so the validator can walk all of them without per-shape code.

use schemars::JsonSchema;
use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};

use super::raw::Param;
use super::schema_helpers::ParamSchema;

/// A field name with its raw value, if the user gave one.
pub type FieldRef<'a> = (&'static str, Option<&'a Param>);

macro_rules! primitive {
    (
        $(#[$meta:meta])* $name:ident {
            required { $($(#[$rm:meta])* $req:ident),* $(,)? }
            optional { $($(#[$om:meta])* $opt:ident),* $(,)? }
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Deserialize, JsonSchema)]
        #[serde(deny_unknown_fields)]
        pub struct $name {
            $($(#[$rm])* #[schemars(with = "ParamSchema")] pub $req: Param,)*
            $($(#[$om])* #[serde(default)] #[schemars(with = "Option<ParamSchema>")] pub $opt: Option<Param>,)*
            /// Repeat this shape: `"i in range(n)"` or `"i, c in enumerate(colors)"`.
            #[serde(rename = "for", default)]
            pub repeat: Option<String>,
            /// Draw only when this boolean expression holds.
            #[serde(rename = "if", default)]
            #[schemars(with = "Option<ParamSchema>")]
            pub when: Option<Param>,
            /// Fill colour (CSS name, `#rgb`, `#rrggbb`, `tab:blue`…, or `none`). Default: black
            /// for closed shapes and text when neither `fill` nor `stroke` is given, else none;
            /// lines and polylines are never filled.
            #[serde(default)] #[schemars(with = "Option<ParamSchema>")] pub fill: Option<Param>,
            /// Stroke colour. Default: black for lines and polylines when neither `fill` nor
            /// `stroke` is given, else none.
            #[serde(default)] #[schemars(with = "Option<ParamSchema>")] pub stroke: Option<Param>,
            /// Stroke width in pixels. Default: 1.
            #[serde(default)] #[schemars(with = "Option<ParamSchema>")] pub stroke_width: Option<Param>,
            /// Opacity of the whole shape, 0–1. Default: 1.
            #[serde(default)] #[schemars(with = "Option<ParamSchema>")] pub opacity: Option<Param>,
            /// Fill opacity, 0–1. Default: 1.
            #[serde(default)] #[schemars(with = "Option<ParamSchema>")] pub fill_opacity: Option<Param>,
            /// Stroke opacity, 0–1. Default: 1.
            #[serde(default)] #[schemars(with = "Option<ParamSchema>")] pub stroke_opacity: Option<Param>,
            /// Line cap: `butt`, `round` or `square`. Default: `butt`.
            #[serde(default)] #[schemars(with = "Option<ParamSchema>")] pub linecap: Option<Param>,
            /// Line join: `miter`, `round` or `bevel`. Default: `miter`.
            #[serde(default)] #[schemars(with = "Option<ParamSchema>")] pub linejoin: Option<Param>,
            /// Dash pattern: a list of lengths in pixels. Default: solid.
            #[serde(default)] #[schemars(with = "Option<ParamSchema>")] pub dash: Option<Param>,
        }

        impl $name {
            /// Every field with its value, geometry first, then style.
            pub fn fields(&self) -> Vec<FieldRef<'_>> {
                vec![
                    $((stringify!($req), Some(&self.$req)),)*
                    $((stringify!($opt), self.$opt.as_ref()),)*
                    ("fill", self.fill.as_ref()),
                    ("stroke", self.stroke.as_ref()),
                    ("stroke_width", self.stroke_width.as_ref()),
                    ("opacity", self.opacity.as_ref()),
                    ("fill_opacity", self.fill_opacity.as_ref()),
                    ("stroke_opacity", self.stroke_opacity.as_ref()),
                    ("linecap", self.linecap.as_ref()),
                    ("linejoin", self.linejoin.as_ref()),
                    ("dash", self.dash.as_ref()),
                ]
            }

            /// The `for` and `if` controls.
            pub fn controls(&self) -> (Option<&str>, Option<&Param>) {
                (self.repeat.as_deref(), self.when.as_ref())
            }
        }
    };
}

primitive!(
    /// A straight segment from (x1, y1) to (x2, y2).
    Line {
        required {
            /// Start x in pixels (number).
            x1,
            /// Start y in pixels (number).
            y1,
            /// End x in pixels (number).
            x2,
            /// End y in pixels (number).
            y2,
        }
        optional {}
    }
);
primitive!(
    /// An open polyline through `points`, a list of `[x, y]`.
    Polyline {
        required {
            /// The vertices: a list of `[x, y]` in pixels.
            points,
        }
        optional {}
    }
);
primitive!(
    /// A closed polygon through `points`, a list of `[x, y]`.
    Polygon {
        required {
            /// The vertices: a list of `[x, y]` in pixels; the last joins the first.
            points,
        }
        optional {}
    }
);
primitive!(
    /// A regular polygon with `n` vertices on the circle of radius `r` around (cx, cy).
    /// `rotation` in degrees (clockwise); at 0 one vertex points straight up.
    RegularPolygon {
        required {
            /// Centre x in pixels (number).
            cx,
            /// Centre y in pixels (number).
            cy,
            /// Circumradius in pixels (number ≥ 0).
            r,
            /// Number of vertices (whole number ≥ 3).
            n,
        }
        optional {
            /// Turn in degrees, clockwise (number). Default: 0, a vertex straight up.
            rotation,
        }
    }
);
primitive!(
    /// An axis-aligned rectangle with its top-left corner at (x, y); `rx` rounds the corners.
    Rect {
        required {
            /// Left edge in pixels (number).
            x,
            /// Top edge in pixels (number).
            y,
            /// Width in pixels (number ≥ 0).
            width,
            /// Height in pixels (number ≥ 0).
            height,
        }
        optional {
            /// Corner radius in pixels (number). Default: 0, square corners.
            rx,
        }
    }
);
primitive!(
    /// A circle of radius `r` around (cx, cy).
    Circle {
        required {
            /// Centre x in pixels (number).
            cx,
            /// Centre y in pixels (number).
            cy,
            /// Radius in pixels (number ≥ 0).
            r,
        }
        optional {}
    }
);
primitive!(
    /// An ellipse with radii `rx`, `ry` around (cx, cy), rotated by `rotation` degrees.
    Ellipse {
        required {
            /// Centre x in pixels (number).
            cx,
            /// Centre y in pixels (number).
            cy,
            /// Horizontal radius before rotation, in pixels (number ≥ 0).
            rx,
            /// Vertical radius before rotation, in pixels (number ≥ 0).
            ry,
        }
        optional {
            /// Turn in degrees, clockwise, about the centre (number). Default: 0.
            rotation,
        }
    }
);
primitive!(
    /// An SVG path; `d` may contain only path-data characters.
    Path {
        required {
            /// SVG path data (string): commands `MLHVCSQTAZ` (either case), numbers, `,` and
            /// spaces only.
            d,
        }
        optional {}
    }
);
primitive!(
    /// One line of text at (x, y) in a bundled font; a character the face lacks is an error,
    /// never a silent fallback.
    Text {
        required {
            /// Anchor point x in pixels (number).
            x,
            /// Anchor point y in pixels (number), on the baseline chosen by `baseline`.
            y,
            /// The text, drawn literally (a non-string value is shown as by `str()`).
            text,
        }
        optional {
            /// A bundled font family; `Helvetica` and `Arial` resolve to Liberation Sans.
            /// Default: DejaVu Sans.
            font,
            /// Font size in pixels (number). Default: 16.
            size,
            /// `normal`, `bold`, or a multiple of 100 from 100 to 900. Default: `normal`.
            weight,
            /// Which end of the text sits at x: `start`, `middle` or `end`. Default: `start`.
            anchor,
            /// Which line sits at y: `alphabetic`, `middle`, `central`, `hanging`, `text-top`
            /// or `text-bottom`. Default: `alphabetic`.
            baseline,
        }
    }
);

/// A group of shapes with an optional transform, applied as translate · rotate · scale.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Group {
    /// The shapes in the group, painted in order; the same entries as `scene.shapes`.
    pub shapes: Vec<RawShape>,
    /// Translation `[dx, dy]` in pixels. Default: `[0, 0]`.
    #[serde(default)]
    #[schemars(with = "Option<ParamSchema>")]
    pub translate: Option<Param>,
    /// Rotation in degrees, clockwise, about the group origin. Default: 0.
    #[serde(default)]
    #[schemars(with = "Option<ParamSchema>")]
    pub rotate: Option<Param>,
    /// Scale factor: a number or `[sx, sy]`. Default: 1.
    #[serde(default)]
    #[schemars(with = "Option<ParamSchema>")]
    pub scale: Option<Param>,
    /// Opacity of the whole group, 0–1. Default: 1.
    #[serde(default)]
    #[schemars(with = "Option<ParamSchema>")]
    pub opacity: Option<Param>,
    /// Repeat the group: `"i in range(n)"`.
    #[serde(rename = "for", default)]
    pub repeat: Option<String>,
    /// Draw only when this boolean expression holds.
    #[serde(rename = "if", default)]
    #[schemars(with = "Option<ParamSchema>")]
    pub when: Option<Param>,
}

impl Group {
    /// The transform and opacity fields with their values.
    pub fn fields(&self) -> Vec<FieldRef<'_>> {
        vec![
            ("translate", self.translate.as_ref()),
            ("rotate", self.rotate.as_ref()),
            ("scale", self.scale.as_ref()),
            ("opacity", self.opacity.as_ref()),
        ]
    }

    /// The `for` and `if` controls.
    pub fn controls(&self) -> (Option<&str>, Option<&Param>) {
        (self.repeat.as_deref(), self.when.as_ref())
    }
}

/// One scene entry, written as a single-key map: `- circle: {cx: 10, cy: 10, r: 5}`.
///
/// Deserialised by hand (see below) because YAML libraries differ on how they map enums;
/// the derived schema describes the single-key-map form.
#[derive(Debug, Clone, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[allow(clippy::large_enum_variant)] // a spec holds a handful of shapes; boxing buys nothing
pub enum RawShape {
    /// See [`Line`].
    Line(Line),
    /// See [`Polyline`].
    Polyline(Polyline),
    /// See [`Polygon`].
    Polygon(Polygon),
    /// See [`RegularPolygon`].
    RegularPolygon(RegularPolygon),
    /// See [`Rect`].
    Rect(Rect),
    /// See [`Circle`].
    Circle(Circle),
    /// See [`Ellipse`].
    Ellipse(Ellipse),
    /// See [`Path`].
    Path(Path),
    /// See [`Text`].
    Text(Text),
    /// See [`Group`].
    Group(Group),
}

impl RawShape {
    /// The YAML key of this primitive.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Line(_) => "line",
            Self::Polyline(_) => "polyline",
            Self::Polygon(_) => "polygon",
            Self::RegularPolygon(_) => "regular_polygon",
            Self::Rect(_) => "rect",
            Self::Circle(_) => "circle",
            Self::Ellipse(_) => "ellipse",
            Self::Path(_) => "path",
            Self::Text(_) => "text",
            Self::Group(_) => "group",
        }
    }

    /// Every field with its value, and the `for`/`if` controls.
    pub fn parts(&self) -> (Vec<FieldRef<'_>>, Option<&str>, Option<&Param>) {
        let (fields, (repeat, when)) = match self {
            Self::Line(s) => (s.fields(), s.controls()),
            Self::Polyline(s) => (s.fields(), s.controls()),
            Self::Polygon(s) => (s.fields(), s.controls()),
            Self::RegularPolygon(s) => (s.fields(), s.controls()),
            Self::Rect(s) => (s.fields(), s.controls()),
            Self::Circle(s) => (s.fields(), s.controls()),
            Self::Ellipse(s) => (s.fields(), s.controls()),
            Self::Path(s) => (s.fields(), s.controls()),
            Self::Text(s) => (s.fields(), s.controls()),
            Self::Group(s) => (s.fields(), s.controls()),
        };
        (fields, repeat, when)
    }
}

/// The primitive names, as written in specs.
pub const PRIMITIVES: &[&str] = &[
    "line",
    "polyline",
    "polygon",
    "regular_polygon",
    "rect",
    "circle",
    "ellipse",
    "path",
    "text",
    "group",
];

impl<'de> Deserialize<'de> for RawShape {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_map(ShapeVisitor)
    }
}

struct ShapeVisitor;

impl<'de> Visitor<'de> for ShapeVisitor {
    type Value = RawShape;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a one-key map naming the primitive, e.g. `circle: {cx: 1, cy: 2, r: 3}`")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawShape, A::Error> {
        let key: String = map.next_key()?.ok_or_else(|| {
            de::Error::custom("a shape needs one key naming the primitive, e.g. `circle:`")
        })?;
        let shape = match key.as_str() {
            "line" => RawShape::Line(map.next_value()?),
            "polyline" => RawShape::Polyline(map.next_value()?),
            "polygon" => RawShape::Polygon(map.next_value()?),
            "regular_polygon" => RawShape::RegularPolygon(map.next_value()?),
            "rect" => RawShape::Rect(map.next_value()?),
            "circle" => RawShape::Circle(map.next_value()?),
            "ellipse" => RawShape::Ellipse(map.next_value()?),
            "path" => RawShape::Path(map.next_value()?),
            "text" => RawShape::Text(map.next_value()?),
            "group" => RawShape::Group(map.next_value()?),
            other => return Err(de::Error::unknown_variant(other, PRIMITIVES)),
        };
        if let Some(extra) = map.next_key::<String>()? {
            let msg =
                format!("a shape entry has one key, the primitive; move `{extra}` inside `{key}:`");
            return Err(de::Error::custom(msg));
        }
        Ok(shape)
    }
}
