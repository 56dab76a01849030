//! The worked example tasks in `tasks/examples/` build, and every label agrees with what its
//! picture shows, measured from the pixels with the png decoder (never from the spec's own
//! parameters): the colour around the dot, the lengths of the drawn lines, the shapes of the
//! grey blobs, the way each arrow's mass leans.

mod common;

use common::{Pixels, ReadRow};

/// Builds an example spec (60 rows, one per image) and calls `check` on every row with its
/// decoded picture.
fn each_picture(spec: &str, check: impl Fn(&ReadRow, &Pixels)) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("ds");
    common::build(&common::root().join(spec), &out, 2);
    let rows = common::read_parquet(&out.join("data/test-00000-of-00001.parquet")).0;
    assert_eq!(rows.len(), 60, "{spec}");
    for r in &rows {
        check(r, &common::decode_png(&r.image));
    }
}

/// A 4-connected blob of pixels.
#[derive(Debug, Default, Clone)]
struct Blob {
    area: f64,
    sum: [f64; 2],
    min: [u32; 2],
    max: [u32; 2],
}

impl Blob {
    fn centroid(&self) -> [f64; 2] {
        [self.sum[0] / self.area, self.sum[1] / self.area]
    }

    fn bbox_centre(&self) -> [f64; 2] {
        [
            f64::from(self.min[0] + self.max[0]) / 2.0,
            f64::from(self.min[1] + self.max[1]) / 2.0,
        ]
    }

    fn fill_ratio(&self) -> f64 {
        let w = f64::from(self.max[0] - self.min[0] + 1);
        let h = f64::from(self.max[1] - self.min[1] + 1);
        self.area / (w * h)
    }
}

/// The 4-connected blobs of pixels for which `on` holds, largest first, without specks of
/// fewer than 20 pixels (single anti-aliased pixels at a sharp tip).
fn blobs(px: &Pixels, on: impl Fn([u8; 3]) -> bool) -> Vec<Blob> {
    let (w, h) = (px.width, px.height);
    let mut seen = vec![false; (w * h) as usize];
    let mut out = Vec::new();
    for start in 0..w * h {
        if seen[start as usize] || !on(px.rgb[start as usize]) {
            continue;
        }
        let mut blob = Blob {
            min: [u32::MAX; 2],
            ..Blob::default()
        };
        let mut stack = vec![start];
        seen[start as usize] = true;
        while let Some(i) = stack.pop() {
            let (x, y) = (i % w, i / w);
            blob.area += 1.0;
            blob.sum[0] += f64::from(x);
            blob.sum[1] += f64::from(y);
            blob.min = [blob.min[0].min(x), blob.min[1].min(y)];
            blob.max = [blob.max[0].max(x), blob.max[1].max(y)];
            let near = [
                (x > 0).then(|| i - 1),
                (x + 1 < w).then(|| i + 1),
                (y > 0).then(|| i - w),
                (y + 1 < h).then(|| i + w),
            ];
            for j in near.into_iter().flatten() {
                if !seen[j as usize] && on(px.rgb[j as usize]) {
                    seen[j as usize] = true;
                    stack.push(j);
                }
            }
        }
        if blob.area >= 20.0 {
            out.push(blob);
        }
    }
    out.sort_by(|a, b| b.area.total_cmp(&a.area));
    out
}

fn is_black(p: [u8; 3]) -> bool {
    p.iter().all(|&c| c < 80)
}

#[test]
fn dot_in_polygon_labels_match_the_colour_around_the_dot() {
    each_picture("tasks/examples/dot_in_polygon.yaml", |r, px| {
        let dot = &blobs(px, is_black)[0];
        let [cx, cy] = dot.centroid();
        // 16 pixels on a circle of radius 7 around the dot: light blue inside, white outside.
        let (mut fill, mut white) = (0, 0);
        for k in 0..16 {
            let a = f64::from(k) * std::f64::consts::TAU / 16.0;
            let p = px.at(
                (cx + 7.0 * a.cos()).round() as u32,
                (cy + 7.0 * a.sin()).round() as u32,
            );
            fill += usize::from(p[0] < 230 && p[2] > 240);
            white += usize::from(p.iter().all(|&c| c > 245));
        }
        assert!(fill.max(white) >= 14, "{}: unclear surroundings", r.id);
        let want = if fill > white { "Yes" } else { "No" };
        assert_eq!(r.groundtruth, want, "{}", r.id);
    });
}

#[test]
fn longer_line_labels_match_the_drawn_lengths() {
    each_picture("tasks/examples/longer_line.yaml", |r, px| {
        let lines = blobs(px, is_black);
        assert_eq!(lines.len(), 2, "{}", r.id);
        let (top, bottom) = match lines[0].min[1] < lines[1].min[1] {
            true => (&lines[0], &lines[1]),
            false => (&lines[1], &lines[0]),
        };
        let len = |b: &Blob| b.max[0] - b.min[0];
        assert_ne!(len(top), len(bottom), "{}", r.id);
        let want = if len(top) > len(bottom) {
            "top"
        } else {
            "bottom"
        };
        assert_eq!(r.groundtruth, want, "{}", r.id);
    });
}

#[test]
fn count_triangles_labels_match_the_triangular_blobs() {
    each_picture("tasks/examples/count_triangles.yaml", |r, px| {
        let shapes = blobs(px, |p| p.iter().all(|&c| c < 200));
        let expected =
            r.metadata["triangles"].as_u64().unwrap() + r.metadata["distractors"].as_u64().unwrap();
        assert_eq!(
            shapes.len() as u64,
            expected,
            "{}: shapes never touch",
            r.id
        );
        // Filled share of the bounding box: square ≈ 1, circle ≈ 0.79, triangle ≤ 0.5.
        let triangles = shapes.iter().filter(|b| b.fill_ratio() < 0.65).count();
        assert_eq!(r.groundtruth, triangles.to_string(), "{}", r.id);
    });
}

#[test]
fn arrows_same_direction_labels_match_where_each_arrow_leans() {
    each_picture("tasks/examples/arrows_same_direction.yaml", |r, px| {
        let arrows = blobs(px, is_black);
        assert_eq!(arrows.len(), 2, "{}: {arrows:?}", r.id);
        // The head holds more ink than the shaft, so the centroid leans towards the tip.
        let heading = |b: &Blob| {
            let ([cx, cy], [bx, by]) = (b.centroid(), b.bbox_centre());
            let deg = (cy - by).atan2(cx - bx).to_degrees();
            ((deg / 45.0).round() as i64).rem_euclid(8)
        };
        let same = heading(&arrows[0]) == heading(&arrows[1]);
        let want = if same { "Yes" } else { "No" };
        assert_eq!(r.groundtruth, want, "{}", r.id);
    });
}
