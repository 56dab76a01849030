//! Building a sample's [`Scene`] from the scene template.
//!
//! Invariants: defaults are applied here and nowhere else (closed shapes and text are
//! filled black, lines and polylines stroked black, unless the spec says otherwise); every
//! number that reaches the scene is finite; text fonts are bundled; path data is checked.

use indexmap::IndexMap;

use super::eval::{ComposeError, Evaluator, Layer, type_error};
use crate::expr::Value;
use crate::render::{fonts, metrics};
use crate::scene::{Geom, Group, Item, Rgb, Scene, Shape, Style, Text, color};
use crate::spec::types::{Param, SceneSpec, ShapeKind, ShapeSpec};

/// Most items one scene may hold (after `for` expansion).
pub const MAX_ITEMS: usize = 100_000;

/// Evaluates the scene template for one sample; the canvas may have at most `max_pixels`.
pub fn build(
    spec: &SceneSpec,
    values: &IndexMap<String, Value>,
    ev: &mut Evaluator<'_>,
    max_pixels: u64,
) -> Result<Scene, ComposeError> {
    let mut scope = Layer::over(values);
    let width = dimension(ev, &spec.width, &scope, "scene.width")?;
    let height = dimension(ev, &spec.height, &scope, "scene.height")?;
    if u64::from(width) * u64::from(height) > max_pixels {
        let msg = format!("canvas {width}×{height} has more than {max_pixels} pixels");
        let mut e = ComposeError::new("canvas-too-large", msg, "scene.width");
        e.hint = Some(crate::limits::hint("canvas-pixels"));
        return Err(e);
    }
    let background = paint(ev, &spec.background, &scope, "scene.background")?.ok_or_else(|| {
        ComposeError::new(
            "bad-colour",
            "the background must be an opaque colour",
            "scene.background",
        )
    })?;
    let mut items = Vec::new();
    let mut count = 0usize;
    for s in &spec.shapes {
        expand(s, ev, &mut scope, &mut items, &mut count)?;
    }
    Ok(Scene {
        width,
        height,
        background,
        items,
    })
}

fn dimension(
    ev: &mut Evaluator<'_>,
    p: &Param,
    scope: &Layer<'_>,
    path: &str,
) -> Result<u32, ComposeError> {
    let x = ev.num(p, scope, path)?;
    if x.fract() != 0.0 || !(1.0..=100_000.0).contains(&x) {
        return Err(ComposeError::new(
            "bad-canvas",
            format!("canvas sizes are whole pixels in 1–100000, got {x}"),
            path,
        ));
    }
    Ok(x as u32)
}

/// Expands `for`/`if` and appends the resulting items.
fn expand(
    s: &ShapeSpec,
    ev: &mut Evaluator<'_>,
    scope: &mut Layer<'_>,
    out: &mut Vec<Item>,
    count: &mut usize,
) -> Result<(), ComposeError> {
    let Some(rep) = &s.repeat else {
        return emit(s, ev, scope, out, count);
    };
    let path = format!("{}.for", s.path);
    let list = match ev.expr(&rep.over, 0, scope, &path)? {
        Value::List(xs) => xs,
        other => return Err(type_error("a list to iterate", &other, &path)),
    };
    for item in list {
        let depth = scope.local.len();
        bind(&rep.names, item, scope, &path)?;
        let result = emit(s, ev, scope, out, count);
        scope.local.truncate(depth);
        result?;
    }
    Ok(())
}

fn bind(
    names: &[String],
    item: Value,
    scope: &mut Layer<'_>,
    path: &str,
) -> Result<(), ComposeError> {
    match (names, item) {
        ([one], v) => scope.local.push((one.clone(), v)),
        ([a, b], Value::List(mut pair)) if pair.len() == 2 => {
            let second = pair.pop().expect("len 2");
            let first = pair.pop().expect("len 2");
            scope.local.push((a.clone(), first));
            scope.local.push((b.clone(), second));
        }
        (_, other) => return Err(type_error("a pair [a, b] to unpack", &other, path)),
    }
    Ok(())
}

fn emit(
    s: &ShapeSpec,
    ev: &mut Evaluator<'_>,
    scope: &mut Layer<'_>,
    out: &mut Vec<Item>,
    count: &mut usize,
) -> Result<(), ComposeError> {
    if let Some(w) = &s.when
        && !ev.boolean(w, scope, &format!("{}.if", s.path))?
    {
        return Ok(());
    }
    *count += 1;
    if *count > MAX_ITEMS {
        return Err(ComposeError::new(
            "scene-too-large",
            format!("the scene has more than {MAX_ITEMS} items"),
            &s.path,
        ));
    }
    if s.kind == ShapeKind::Group {
        let mut items = Vec::new();
        for c in &s.children {
            expand(c, ev, scope, &mut items, count)?;
        }
        let mut f = Fields { s, ev, scope };
        let group = Group {
            translate: f.pair("translate", (0.0, 0.0))?,
            rotate: f.num_or("rotate", 0.0)?,
            scale: f.pair_or_scalar("scale", (1.0, 1.0))?,
            opacity: f.unit("opacity")?,
            items,
        };
        out.push(Item::Group(group));
        return Ok(());
    }
    let mut f = Fields { s, ev, scope };
    let geom = geometry(&mut f)?;
    let style = style(&mut f, s.kind)?;
    out.push(Item::Shape(Shape { geom, style }));
    Ok(())
}

/// Typed access to one shape's fields.
struct Fields<'s, 'e, 'r, 'l> {
    s: &'s ShapeSpec,
    ev: &'e mut Evaluator<'r>,
    scope: &'s Layer<'l>,
}

impl Fields<'_, '_, '_, '_> {
    fn path(&self, name: &str) -> String {
        format!("{}.{name}", self.s.path)
    }

    fn value(&mut self, name: &str) -> Result<Option<Value>, ComposeError> {
        match self.s.field(name) {
            Some(p) => self.ev.eval(p, self.scope, &self.path(name)).map(Some),
            None => Ok(None),
        }
    }

    fn num(&mut self, name: &str) -> Result<f64, ComposeError> {
        match self.s.field(name) {
            Some(p) => self.ev.num(p, self.scope, &self.path(name)),
            None => Err(ComposeError::new(
                "missing-field",
                format!("`{name}` is required"),
                &self.s.path,
            )),
        }
    }

    fn num_or(&mut self, name: &str, default: f64) -> Result<f64, ComposeError> {
        if self.s.field(name).is_some() {
            self.num(name)
        } else {
            Ok(default)
        }
    }

    fn unit(&mut self, name: &str) -> Result<f64, ComposeError> {
        let x = self.num_or(name, 1.0)?;
        if !(0.0..=1.0).contains(&x) {
            return Err(ComposeError::new(
                "out-of-range",
                format!("`{name}` must be in 0–1, got {x}"),
                &self.path(name),
            ));
        }
        Ok(x)
    }

    fn non_negative(&mut self, name: &str) -> Result<f64, ComposeError> {
        let x = self.num(name)?;
        if x < 0.0 {
            return Err(ComposeError::new(
                "out-of-range",
                format!("`{name}` must not be negative, got {x}"),
                &self.path(name),
            ));
        }
        Ok(x)
    }

    fn string_or(&mut self, name: &str, default: &str) -> Result<String, ComposeError> {
        match self.value(name)? {
            None => Ok(default.to_string()),
            Some(v) => v
                .as_str()
                .map(str::to_string)
                .ok_or_else(|| type_error("a string", &v, &self.path(name))),
        }
    }

    fn choice(
        &mut self,
        name: &str,
        allowed: &'static [&'static str],
    ) -> Result<&'static str, ComposeError> {
        let given = self.string_or(name, allowed[0])?;
        allowed
            .iter()
            .copied()
            .find(|a| *a == given)
            .ok_or_else(|| {
                let msg = format!(
                    "`{name}` must be one of {}, got `{given}`",
                    allowed.join(", ")
                );
                ComposeError::new("bad-choice", msg, &self.path(name))
            })
    }

    fn pair(&mut self, name: &str, default: (f64, f64)) -> Result<(f64, f64), ComposeError> {
        match self.value(name)? {
            None => Ok(default),
            Some(v) => point(&v)
                .ok_or_else(|| type_error("a pair [x, y] of numbers", &v, &self.path(name))),
        }
    }

    fn pair_or_scalar(
        &mut self,
        name: &str,
        default: (f64, f64),
    ) -> Result<(f64, f64), ComposeError> {
        match self.value(name)? {
            Some(v) if v.as_f64().is_some() => {
                Ok((v.as_f64().unwrap_or(1.0), v.as_f64().unwrap_or(1.0)))
            }
            Some(_) => self.pair(name, default),
            None => Ok(default),
        }
    }

    fn points(&mut self, name: &str) -> Result<Vec<(f64, f64)>, ComposeError> {
        let path = self.path(name);
        let v = self.value(name)?.unwrap_or(Value::List(Vec::new()));
        let Value::List(items) = &v else {
            return Err(type_error("a list of [x, y] points", &v, &path));
        };
        items
            .iter()
            .map(|p| point(p).ok_or_else(|| type_error("a point [x, y]", p, &path)))
            .collect()
    }

    fn paint(&mut self, name: &str) -> Result<Option<Option<Rgb>>, ComposeError> {
        match self.s.field(name) {
            Some(p) => paint(self.ev, p, self.scope, &self.path(name)).map(Some),
            None => Ok(None),
        }
    }
}

fn point(v: &Value) -> Option<(f64, f64)> {
    match v {
        Value::List(xy) if xy.len() == 2 => {
            let (x, y) = (xy[0].as_f64()?, xy[1].as_f64()?);
            (x.is_finite() && y.is_finite()).then_some((x, y))
        }
        Value::Map(m) => Some((m.get("x")?.as_f64()?, m.get("y")?.as_f64()?)),
        _ => None,
    }
}

fn paint(
    ev: &mut Evaluator<'_>,
    p: &Param,
    scope: &Layer<'_>,
    path: &str,
) -> Result<Option<Rgb>, ComposeError> {
    let name = ev.string(p, scope, path)?;
    color::parse(&name).map_err(|e| ComposeError::new("bad-colour", e, path))
}

fn geometry(f: &mut Fields<'_, '_, '_, '_>) -> Result<Geom, ComposeError> {
    Ok(match f.s.kind {
        ShapeKind::Line => Geom::Line {
            x1: f.num("x1")?,
            y1: f.num("y1")?,
            x2: f.num("x2")?,
            y2: f.num("y2")?,
        },
        ShapeKind::Polyline => Geom::Polyline(f.points("points")?),
        ShapeKind::Polygon => Geom::Polygon(f.points("points")?),
        ShapeKind::RegularPolygon => regular_polygon(f)?,
        ShapeKind::Rect => Geom::Rect {
            x: f.num("x")?,
            y: f.num("y")?,
            width: f.non_negative("width")?,
            height: f.non_negative("height")?,
            rx: f.num_or("rx", 0.0)?,
        },
        ShapeKind::Circle => Geom::Circle {
            cx: f.num("cx")?,
            cy: f.num("cy")?,
            r: f.non_negative("r")?,
        },
        ShapeKind::Ellipse => Geom::Ellipse {
            cx: f.num("cx")?,
            cy: f.num("cy")?,
            rx: f.non_negative("rx")?,
            ry: f.non_negative("ry")?,
            rotation: f.num_or("rotation", 0.0)?,
        },
        ShapeKind::Path => path_data(f)?,
        ShapeKind::Text => text(f)?,
        ShapeKind::Group => unreachable!("groups are handled by emit"),
    })
}

fn regular_polygon(f: &mut Fields<'_, '_, '_, '_>) -> Result<Geom, ComposeError> {
    let (cx, cy, r) = (f.num("cx")?, f.num("cy")?, f.non_negative("r")?);
    let n = f.num("n")?;
    if n.fract() != 0.0 || !(3.0..=10_000.0).contains(&n) {
        return Err(ComposeError::new(
            "out-of-range",
            format!("`n` must be a whole number ≥ 3, got {n}"),
            &f.path("n"),
        ));
    }
    let rot = f.num_or("rotation", 0.0)?.to_radians();
    let pts = (0..n as u32)
        .map(|k| {
            let a = rot + std::f64::consts::TAU * f64::from(k) / n;
            (cx + r * a.sin(), cy - r * a.cos())
        })
        .collect();
    Ok(Geom::Polygon(pts))
}

fn path_data(f: &mut Fields<'_, '_, '_, '_>) -> Result<Geom, ComposeError> {
    let d = f.string_or("d", "")?;
    if let Some(bad) = d
        .chars()
        .find(|c| !(c.is_ascii_digit() || "MmLlHhVvCcSsQqTtAaZzEe.,+- \t\n".contains(*c)))
    {
        return Err(ComposeError::new(
            "bad-path",
            format!("path data may not contain `{bad}`"),
            &f.path("d"),
        ));
    }
    Ok(Geom::Path(d))
}

fn text(f: &mut Fields<'_, '_, '_, '_>) -> Result<Geom, ComposeError> {
    let asked = f.string_or("font", fonts::DEFAULT_FAMILY)?;
    let Some(family) = fonts::resolve_family(&asked) else {
        let msg = format!(
            "font `{asked}` is not bundled (available: {})",
            fonts::families().join(", ")
        );
        return Err(ComposeError::new("unknown-font", msg, &f.path("font")));
    };
    let content = match f.value("text")? {
        Some(Value::Str(s)) => s,
        Some(v) => v.display(),
        None => String::new(),
    };
    let size = f.num_or("size", 16.0)?;
    let weight = weight(f)?;
    // Measuring checks that the face has every glyph: otherwise the renderer would silently
    // draw the whole text in another bundled font.
    if !content.is_empty() {
        metrics::layout(&content, family, weight, size)
            .map_err(|e| ComposeError::new("text-unrenderable", e, &f.path("text")))?;
    }
    Ok(Geom::Text(Text {
        x: f.num("x")?,
        y: f.num("y")?,
        text: content,
        family: family.to_string(),
        size,
        weight,
        anchor: f.choice("anchor", &["start", "middle", "end"])?,
        baseline: f.choice("baseline", BASELINES)?,
    }))
}

const BASELINES: &[&str] = &[
    "alphabetic",
    "middle",
    "central",
    "hanging",
    "text-top",
    "text-bottom",
];

fn weight(f: &mut Fields<'_, '_, '_, '_>) -> Result<u16, ComposeError> {
    let path = f.path("weight");
    match f.value("weight")? {
        None => Ok(400),
        Some(Value::Str(s)) if s == "normal" => Ok(400),
        Some(Value::Str(s)) if s == "bold" => Ok(700),
        Some(v) => match v.as_i64() {
            Some(w) if (100..=900).contains(&w) && w % 100 == 0 => Ok(w as u16),
            _ => Err(type_error("`normal`, `bold` or 100–900", &v, &path)),
        },
    }
}

fn style(f: &mut Fields<'_, '_, '_, '_>, kind: ShapeKind) -> Result<Style, ComposeError> {
    let open = matches!(kind, ShapeKind::Line | ShapeKind::Polyline);
    let black = Some(Rgb(0, 0, 0));
    let (fill, stroke) = match (f.paint("fill")?, f.paint("stroke")?) {
        (None, None) if open => (None, black),
        (None, None) => (black, None),
        (fill, stroke) => (fill.flatten(), stroke.flatten()),
    };
    let dash = match f.value("dash")? {
        None => Vec::new(),
        Some(Value::List(xs)) => xs
            .iter()
            .map(|x| x.as_f64().filter(|d| *d >= 0.0 && d.is_finite()))
            .collect::<Option<Vec<_>>>()
            .ok_or_else(|| {
                ComposeError::new(
                    "wrong-type",
                    "`dash` must be a list of non-negative numbers",
                    &f.path("dash"),
                )
            })?,
        Some(v) => return Err(type_error("a list of dash lengths", &v, &f.path("dash"))),
    };
    Ok(Style {
        fill: if open { None } else { fill },
        stroke,
        stroke_width: f.num_or("stroke_width", 1.0)?,
        opacity: f.unit("opacity")?,
        fill_opacity: f.unit("fill_opacity")?,
        stroke_opacity: f.unit("stroke_opacity")?,
        linecap: f.choice("linecap", &["butt", "round", "square"])?,
        linejoin: f.choice("linejoin", &["miter", "round", "bevel"])?,
        dash,
    })
}
