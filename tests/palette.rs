//! `output.color: palette`: the same pixels, labels and verdicts as the RGB build, stored as
//! 8-bit indexed PNGs in fewer bytes. Read back with the parquet crate and the png crate's
//! decoder (tests/common), not with blindspot's code.

mod common;

use std::path::Path;

/// Builds touching circles as written (colour images under `color: auto`: RGB) and as a copy
/// that asks for `color: palette`.
fn build_both(dir: &Path) -> (std::path::PathBuf, std::path::PathBuf) {
    let spec = common::root().join("tasks/blindtest/touching_circles.yaml");
    let text = std::fs::read_to_string(&spec).unwrap();
    assert!(
        !text.contains("\noutput:"),
        "the spec leaves the colour policy at auto"
    );
    let palette_spec = dir.join("touching_circles.yaml");
    std::fs::write(&palette_spec, format!("{text}output:\n  color: palette\n")).unwrap();
    let (rgb, palette) = (dir.join("rgb"), dir.join("palette"));
    common::build(&spec, &rgb, 2);
    common::build(&palette_spec, &palette, 2);
    (rgb, palette)
}

fn rows(out: &Path) -> Vec<common::ReadRow> {
    let file = out.join("data/valid-00000-of-00001.parquet");
    common::read_parquet(&file).0
}

#[test]
fn palette_build_keeps_the_rgb_builds_pixels_and_labels_in_fewer_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let (rgb, palette) = build_both(dir.path());
    let (a, b) = (rows(&rgb), rows(&palette));
    assert_eq!(a.len(), 1344);
    assert_eq!(a.len(), b.len());
    let (mut rgb_bytes, mut palette_bytes) = (0, 0);
    for (x, y) in a.iter().zip(&b) {
        assert_eq!(
            (&x.id, &x.prompt, &x.groundtruth, &x.metadata),
            (&y.id, &y.prompt, &y.groundtruth, &y.metadata)
        );
        assert_eq!(x.image[25], 2, "{}: RGB (IHDR colour type 2)", x.id);
        assert_eq!(y.image[25], 3, "{}: indexed (IHDR colour type 3)", y.id);
        let (p, q) = (common::decode_png(&x.image), common::decode_png(&y.image));
        assert_eq!((p.width, p.height), (q.width, q.height), "{}", x.id);
        assert!(
            p.rgb == q.rgb,
            "{}: the palette image has the RGB image's pixels",
            x.id
        );
        (rgb_bytes, palette_bytes) = (rgb_bytes + x.image.len(), palette_bytes + y.image.len());
    }
    assert!(
        palette_bytes * 10 < rgb_bytes * 7,
        "palette PNGs take {palette_bytes} bytes against RGB's {rgb_bytes}"
    );
    let verdicts = |out: &Path| std::fs::read_to_string(out.join("verification.json")).unwrap();
    assert_eq!(
        verdicts(&rgb),
        verdicts(&palette),
        "the label checks see the same pixels"
    );
    // `blindspot verify` re-checks the labels on the stored, indexed pixels.
    let spec = dir.path().join("touching_circles.yaml");
    let args = [
        "verify",
        palette.to_str().unwrap(),
        "--spec",
        spec.to_str().unwrap(),
    ];
    let o = common::blindspot(&args);
    let text =
        String::from_utf8_lossy(&o.stdout).into_owned() + &String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{text}");
}
