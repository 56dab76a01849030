//! Plots of accuracy against each numeric metadata parameter, one PNG per task with a panel
//! per parameter, drawn as a [`Scene`] and rendered by the same SVG → resvg path as the
//! datasets (bundled fonts, deterministic bytes).

use super::Scores;
use super::report::{Tally, param_levels};
use crate::render::{self, Renderer, fonts};
use crate::scene::svg::to_svg;
use crate::scene::{Geom, Item, Rgb, Scene, Shape, Style, Text};
use crate::spec::raw::Compression;

const PANEL_W: f64 = 380.0;
const PANEL_H: f64 = 250.0;
const COLS: usize = 2;
const TITLE_H: f64 = 34.0;
/// Plot area inside a panel: left, top, right, bottom margins.
const MARGIN: (f64, f64, f64, f64) = (46.0, 30.0, 14.0, 40.0);
const INK: Rgb = Rgb(30, 30, 30);
const GRID: Rgb = Rgb(220, 220, 220);
const LINE: Rgb = Rgb(31, 119, 180);
const CHANCE: Rgb = Rgb(150, 150, 150);

/// `(task id, PNG)` for every task with at least one plottable parameter.
pub fn task_plots(s: &Scores) -> Result<Vec<(String, Vec<u8>)>, String> {
    let levels = param_levels(s);
    let renderer = Renderer::new();
    let mut out = Vec::new();
    for (task_id, label, _) in &s.tasks {
        let panels: Vec<(&str, &[(f64, Tally)])> = levels
            .iter()
            .filter(|l| &l.0 == task_id)
            .map(|l| (l.1.as_str(), l.2.as_slice()))
            .collect();
        if panels.is_empty() {
            continue;
        }
        let scene = figure(label, &panels);
        let pixmap = renderer
            .rasterize(&to_svg(&scene))
            .map_err(|e| e.to_string())?;
        let png = render::encode_png(&pixmap, render::PixelFormat::Rgb, Compression::Fast)
            .map_err(|e| e.to_string())?;
        out.push((task_id.clone(), png));
    }
    Ok(out)
}

fn figure(title: &str, panels: &[(&str, &[(f64, Tally)])]) -> Scene {
    let rows = panels.len().div_ceil(COLS);
    let width = panels.len().min(COLS) as f64 * PANEL_W;
    let heading = format!("{title}: accuracy by parameter");
    let mut items = vec![text(12.0, 22.0, &heading, 15.0, "start", 700)];
    items.extend(legend(width));
    for (k, (name, levels)) in panels.iter().enumerate() {
        let x0 = (k % COLS) as f64 * PANEL_W;
        let y0 = TITLE_H + (k / COLS) as f64 * PANEL_H;
        items.extend(panel(x0, y0, name, levels));
    }
    Scene {
        width: width as u32,
        height: (TITLE_H + rows as f64 * PANEL_H) as u32,
        background: Rgb(255, 255, 255),
        items,
    }
}

/// Line samples for accuracy and the uniform guess, top right.
fn legend(width: f64) -> Vec<Item> {
    let x = width - 250.0;
    vec![
        line(&[(x, 18.0), (x + 24.0, 18.0)], LINE, 2.0, &[]),
        text(x + 30.0, 22.0, "accuracy", 11.0, "start", 400),
        line(
            &[(x + 100.0, 18.0), (x + 124.0, 18.0)],
            CHANCE,
            1.5,
            &[5.0, 4.0],
        ),
        text(x + 130.0, 22.0, "uniform guess", 11.0, "start", 400),
    ]
}

/// One panel: y from 0 to 100 %, one evenly spaced x position per parameter value.
fn panel(x0: f64, y0: f64, name: &str, levels: &[(f64, Tally)]) -> Vec<Item> {
    let (l, t, r, b) = MARGIN;
    let (left, top) = (x0 + l, y0 + t);
    let (w, h) = (PANEL_W - l - r, PANEL_H - t - b);
    let y_of = |pct: f64| top + h * (1.0 - pct / 100.0);
    let x_of = |i: usize| left + w * (i as f64 + 0.5) / levels.len() as f64;
    let mut items = vec![text(left, y0 + 18.0, name, 13.0, "start", 700)];
    for pct in [0.0, 25.0, 50.0, 75.0, 100.0] {
        items.push(line(
            &[(left, y_of(pct)), (left + w, y_of(pct))],
            GRID,
            1.0,
            &[],
        ));
        items.push(text(
            left - 6.0,
            y_of(pct) + 4.0,
            &format!("{pct:.0}%"),
            10.0,
            "end",
            400,
        ));
    }
    let step = levels.len().div_ceil(8);
    for (i, (x, _)) in levels.iter().enumerate().filter(|(i, _)| i % step == 0) {
        items.push(text(
            x_of(i),
            top + h + 16.0,
            &short_number(*x),
            10.0,
            "middle",
            400,
        ));
    }
    let chance: Vec<(f64, f64)> = levels
        .iter()
        .enumerate()
        .map(|(i, (_, t))| (x_of(i), y_of(t.chance())))
        .collect();
    items.push(line(&chance, CHANCE, 1.5, &[5.0, 4.0]));
    let acc: Vec<(f64, f64)> = levels
        .iter()
        .enumerate()
        .map(|(i, (_, t))| (x_of(i), y_of(t.accuracy())))
        .collect();
    items.push(line(&acc, LINE, 2.0, &[]));
    for &(cx, cy) in &acc {
        items.push(shape(Geom::Circle { cx, cy, r: 3.5 }, Style::solid(LINE)));
    }
    items.push(line(
        &[(left, top), (left, top + h), (left + w, top + h)],
        INK,
        1.0,
        &[],
    ));
    items
}

/// A value as a short tick label: integers plainly, others to 4 significant digits.
fn short_number(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e9 {
        return format!("{x:.0}");
    }
    let s = format!("{x:.4}");
    s.trim_end_matches('0').trim_end_matches('.').to_owned()
}

fn shape(geom: Geom, style: Style) -> Item {
    Item::Shape(Shape { geom, style })
}

fn line(points: &[(f64, f64)], color: Rgb, width: f64, dash: &[f64]) -> Item {
    let mut style = Style::solid(color);
    style.fill = None;
    style.stroke = Some(color);
    style.stroke_width = width;
    style.dash = dash.to_vec();
    let geom = match points {
        [a] => Geom::Circle {
            cx: a.0,
            cy: a.1,
            r: 0.0,
        },
        _ => Geom::Polyline(points.to_vec()),
    };
    shape(geom, style)
}

fn text(x: f64, y: f64, s: &str, size: f64, anchor: &'static str, weight: u16) -> Item {
    let t = Text {
        x,
        y,
        text: s.chars().take(60).collect(),
        family: fonts::DEFAULT_FAMILY.into(),
        size,
        weight,
        anchor,
        baseline: "alphabetic",
    };
    shape(Geom::Text(t), Style::solid(INK))
}
