//! One sample through the pipeline: compose → SVG → raster → verify → PNG → rows.
//!
//! Invariants: the rows depend only on the spec and the plan. With `verify:` declared, a
//! sample inside a margin whose draw is random is redrawn — composed again as the plan's
//! next accepted draw (`skip` + 1), up to `verify.redraws` times — so a redraw is as
//! reproducible as the first draw; a fixed sample is kept and reported.

use super::{Failure, compose_failure};
use crate::compose::{Composer, Rejection, Sample};
use crate::expand::SamplePlan;
use crate::render::{self, Renderer};
use crate::scene::svg::to_svg;
use crate::sink::{self, Row};
use crate::spec::TaskSpec;
use crate::timings::{Stage, Timings};
use crate::verify::pixels::Image;
use crate::verify::report::Checked;
use resvg::tiny_skia::Pixmap;

/// Composes, renders, verifies and encodes one planned sample into its rows, timing each
/// stage; the verdict comes back when the spec declares `verify:` and `verify` is on (off,
/// no sample is judged, which [`check_skippable`] allows only where it changes no sample).
pub fn sample_rows(
    composer: &mut Composer<'_>,
    renderer: &Renderer,
    plan: &SamplePlan,
    timings: &Timings,
    verify: bool,
) -> Result<(Vec<Row>, Option<Checked>), Failure> {
    let spec = composer.spec();
    let kept = render_verified(composer, renderer, plan, timings, verify)?;
    let render_err = |e: render::RenderError| Failure::Io(format!("sample {}: {e}", plan.index));
    let (png, image_sha256) = timings
        .time(Stage::Encode, || {
            let png = encode(spec, &kept)?;
            let sha = sink::sha256_hex(&png);
            Ok((png, sha))
        })
        .map_err(render_err)?;
    render::recycle(kept.pixmap);
    Ok((rows_of(spec, &kept.sample, png, image_sha256), kept.checked))
}

/// A sample as the build keeps it: composed, rasterised and judged.
pub struct Kept {
    /// The sample.
    pub sample: Sample,
    /// Its pixels.
    pub pixmap: Pixmap,
    /// Its verdict, when judged.
    pub checked: Option<Checked>,
}

/// Composes, rasterises and (with `verify`) judges a planned sample, redrawing a random one
/// while it is inside a margin, up to `verify.redraws` times.
pub fn render_verified(
    composer: &mut Composer<'_>,
    renderer: &Renderer,
    plan: &SamplePlan,
    timings: &Timings,
    verify: bool,
) -> Result<Kept, Failure> {
    let spec = composer.spec();
    let render_err = |e: render::RenderError| Failure::Io(format!("sample {}: {e}", plan.index));
    let budget = spec.verify.as_ref().map_or(0, |v| v.redraws);
    let mut redraws = 0u32;
    loop {
        let mut attempt = plan.clone();
        attempt.skip = plan.skip.saturating_add(redraws);
        let mut sample = timings
            .time(Stage::Scene, || composer.compose(&attempt))
            .map_err(|e| compose_failure(spec, plan.index, e))?;
        let svg = timings.time(Stage::Svg, || to_svg(&sample.scene));
        let pixmap = timings
            .time(Stage::Raster, || renderer.rasterize(&svg))
            .map_err(render_err)?;
        let checked = match verify {
            true => timings.time(Stage::Verify, || judge(spec, &sample, &pixmap, redraws))?,
            false => None,
        };
        let inside = (checked.as_ref()).is_some_and(|c| !c.verdict.inside.is_empty());
        if inside && composer.draws_at_random() && redraws < budget {
            render::recycle(pixmap);
            redraws += 1;
            continue;
        }
        // The draw loop counted the redraws as skipped draws; they were margins.
        (sample.rejected).reassign(Rejection::Unique, Rejection::Margin, redraws);
        return Ok(Kept {
            sample,
            pixmap,
            checked,
        });
    }
}

/// The PNG of a kept sample, in the spec's colour mode and compression.
pub fn encode(spec: &TaskSpec, kept: &Kept) -> Result<Vec<u8>, render::RenderError> {
    png_of(spec, &kept.sample, &kept.pixmap)
}

fn png_of(
    spec: &TaskSpec,
    sample: &Sample,
    pixmap: &Pixmap,
) -> Result<Vec<u8>, render::RenderError> {
    let format = render::pixel_format(spec.output.color, sample.scene.is_gray());
    render::encode_png(pixmap, format, spec.output.compression)
}

/// Refuses to skip verification for a task whose margins redraw random samples: skipping
/// would keep other samples than the verified build.
pub fn check_skippable(spec: &TaskSpec) -> Result<(), Failure> {
    let redraws = spec
        .verify
        .as_ref()
        .is_some_and(|v| v.redraws > 0 && !v.margins.is_empty());
    if !redraws || !crate::compose::DrawSplit::of(spec).random {
        return Ok(());
    }
    let d = crate::diag::Diagnostic::error(
        "verify-required",
        format!("`{}` redraws random samples inside its margins, so --no-verify would change its samples", spec.task_id),
    )
    .in_file(spec.source.file.clone())
    .at("verify.margins")
    .hint("build without --no-verify, or set `verify.redraws: 0` to only report margins");
    Err(Failure::Spec(vec![d]))
}

/// The sample's verdict, when the spec declares `verify:`.
fn judge(
    spec: &TaskSpec,
    sample: &Sample,
    pixmap: &Pixmap,
    redraws: u32,
) -> Result<Option<Checked>, Failure> {
    let Some(v) = &spec.verify else {
        return Ok(None);
    };
    let image = Image {
        width: pixmap.width(),
        height: pixmap.height(),
        rgba: pixmap.data(),
    };
    let labels: Vec<String> = sample.prompts.iter().map(|p| p.answer.clone()).collect();
    let verdict = crate::verify::judge(
        spec,
        v,
        &sample.values,
        &labels,
        sample.scene.background,
        &image,
    )
    .map_err(|e| compose_failure(spec, sample.plan.index, e))?;
    Ok(Some(Checked {
        index: sample.plan.index,
        redraws,
        verdict,
    }))
}

/// The rows of one rendered sample: one per prompt, sharing the image.
fn rows_of(spec: &TaskSpec, sample: &Sample, png: Vec<u8>, image_sha256: String) -> Vec<Row> {
    let index = sample.plan.index;
    let stem = format!("{}/{:06}", spec.task_id, index);
    let image_path = format!("{}-{:06}.png", spec.task_id, index);
    sample
        .prompts
        .iter()
        .map(|p| Row {
            id: format!("{stem}/{}", p.id),
            task: spec.label.clone(),
            task_id: spec.task_id.clone(),
            image: png.clone(),
            image_path: image_path.clone(),
            prompt: p.text.clone(),
            groundtruth: p.answer.clone(),
            metadata: sample.metadata.clone(),
            width: sample.scene.width as i32,
            height: sample.scene.height as i32,
            seed: sample.plan.seed as i64,
            image_sha256: image_sha256.clone(),
            prompt_id: p.id.clone(),
            answer_format: p.format.clone(),
            answer_choices: choices_json(p.choices.as_deref()),
        })
        .collect()
}

/// SVG → pixels → PNG for one composed sample.
pub fn render_png(
    spec: &TaskSpec,
    renderer: &Renderer,
    sample: &Sample,
) -> Result<Vec<u8>, render::RenderError> {
    png_of(spec, sample, &renderer.rasterize(&to_svg(&sample.scene))?)
}

/// The `answer_choices` column: a JSON array of strings.
fn choices_json(choices: Option<&[String]>) -> String {
    serde_json::to_string(choices.unwrap_or_default()).expect("strings serialise")
}
