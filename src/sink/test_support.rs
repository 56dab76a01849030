//! Test-only helpers: small deterministic RGB PNGs and sample rows spread over
//! three tasks, with several prompts per image for one of them.

use super::{Row, sha256_hex};

/// Encodes a `width`×`height` opaque RGB PNG whose pixels depend on `salt`.
pub fn png_rgb(width: u32, height: u32, salt: u32) -> Vec<u8> {
    let mut out = Vec::new();
    let mut enc = png::Encoder::new(&mut out, width, height);
    enc.set_color(png::ColorType::Rgb);
    enc.set_depth(png::BitDepth::Eight);
    let mut writer = enc.write_header().expect("png header");
    let mut data = Vec::with_capacity((width * height * 3) as usize);
    for y in 0..height {
        for x in 0..width {
            let v = x.wrapping_mul(31) ^ y.wrapping_mul(17) ^ salt.wrapping_mul(2_654_435_761);
            data.extend_from_slice(&[v as u8, (v >> 8) as u8, (x + y + salt) as u8]);
        }
    }
    writer.write_image_data(&data).expect("png data");
    writer.finish().expect("png finish");
    out
}

/// Row `i` of a synthetic dataset: tasks rotate over three ids; the
/// "counting-grid" task asks two prompts per image (rows share the image).
pub fn sample_row(i: usize) -> Row {
    let (task, task_id) = match i % 3 {
        0 => ("Touching Circles", "touching-circles"),
        1 => ("Line Plot Intersections", "line-plot-intersections"),
        _ => ("Counting | Grid \"quoted\"", "counting-grid"),
    };
    let shared = task_id == "counting-grid";
    let (sample, prompt_no) = if shared {
        (i / 6, i / 3 % 2 + 1)
    } else {
        (i, 1)
    };
    let (w, h) = (16 + (sample % 5) as u32, 12 + (sample % 7) as u32);
    let image = png_rgb(w, h, (sample * 3 + i % 3) as u32);
    Row {
        id: format!("{task_id}/{sample:06}/p{prompt_no}"),
        task: task.to_owned(),
        task_id: task_id.to_owned(),
        image_sha256: sha256_hex(&image),
        image,
        image_path: format!("{task_id}-{sample:06}.png"),
        prompt: format!("Are the two circles touching?\tRow {i}.\nAnswer with Yes or No."),
        groundtruth: if i.is_multiple_of(4) { "Yes" } else { "No" }.to_owned(),
        metadata: format!("{{\"index\":{i},\"radius\":{}}}", 3 + i % 4),
        width: w as i32,
        height: h as i32,
        seed: (0x9E37_79B9_7F4A_7C15_u64.wrapping_mul(i as u64 + 1)) as i64,
        prompt_id: format!("p{prompt_no}"),
        answer_format: "yes_no".to_owned(),
        answer_choices: r#"["Yes","No"]"#.to_owned(),
    }
}

/// Rows `0..n` of the synthetic dataset.
pub fn sample_rows(n: usize) -> Vec<Row> {
    (0..n).map(sample_row).collect()
}
