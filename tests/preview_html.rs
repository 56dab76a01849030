//! `blindspot preview SPEC --html`: the gallery page links only files written beside it, has
//! one section per previewed grid cell, shows every prompt, answer and rejection reason of
//! the previewed samples (composed here with the library), and escapes their text.

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use blindspot::compose::{Rejection, Sample};
use blindspot::spec::TaskSpec;
use common::{blindspot, root};

/// HTML escaping written independently of the crate's.
fn esc(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
}

/// Runs `preview SPEC -n COUNT --html --out DIR` and returns index.html.
fn gallery(spec: &Path, count: u64, dir: &Path) -> String {
    let (spec, dir) = (spec.to_str().unwrap(), dir.to_str().unwrap());
    let n = count.to_string();
    let o = blindspot(&["preview", spec, "-n", &n, "--html", "--out", dir]);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(0), "{stderr}");
    std::fs::read_to_string(Path::new(dir).join("index.html")).expect("index.html is written")
}

/// The samples `preview -n count` shows: indices spread evenly over the expansion.
fn previewed(spec: &TaskSpec, count: u64) -> Vec<Sample> {
    let total = spec.images();
    let count = count.min(total);
    let planner = blindspot::pipeline::planner(spec).expect("plans");
    (0..count)
        .map(|k| blindspot::compose::compose(spec, &planner.plan(k * total / count)).unwrap())
        .collect()
}

/// Every value of `attr="..."` in the page.
fn attribute_values(html: &str, attr: &str) -> Vec<String> {
    let key = format!("{attr}=\"");
    html.match_indices(&key)
        .map(|(at, _)| {
            let rest = &html[at + key.len()..];
            rest[..rest.find('"').expect("closing quote")].to_string()
        })
        .collect()
}

/// The markup of sample `index`'s card.
fn card(html: &str, index: u64) -> &str {
    let start = html
        .find(&format!("id=\"sample-{index}\""))
        .unwrap_or_else(|| panic!("no card for sample {index}"));
    let len = html[start..].find("</article>").expect("card ends");
    &html[start..start + len]
}

/// Each section's heading and markup, in page order.
fn sections(html: &str) -> Vec<(&str, &str)> {
    html.split("<section class=\"cell\"")
        .skip(1)
        .map(|s| {
            let body = &s[..s.find("</section>").expect("section ends")];
            let h = &body[body.find("<h2>").unwrap() + 4..body.find("</h2>").unwrap()];
            (h, body)
        })
        .collect()
}

/// Asserts what every previewed sample must show: its section, prompts, answers, choices,
/// metadata keys and rejected-draw reasons.
fn check_samples(html: &str, spec: &TaskSpec, samples: &[Sample]) {
    let cells: BTreeSet<&[usize]> = samples.iter().map(|s| s.plan.cell.as_slice()).collect();
    let sections = sections(html);
    assert_eq!(
        sections.len(),
        cells.len(),
        "one section per previewed cell"
    );
    for s in samples {
        let card = card(html, s.plan.index);
        let (heading, _) = sections
            .iter()
            .find(|(_, body)| body.contains(card))
            .expect("the card sits in a section");
        for (axis, &pos) in spec.axes.iter().zip(&s.plan.cell) {
            for (var, v) in axis.vars.iter().zip(&axis.values[pos]) {
                let pair = esc(&format!("{var}={}", v.display()));
                assert!(heading.contains(&pair), "{heading} lacks {pair}");
            }
        }
        for p in &s.prompts {
            assert!(card.contains(&esc(&p.text)), "prompt text of {}", p.id);
            assert!(card.contains(&format!("<b>{}</b>", esc(&p.answer))));
            for c in p.choices.iter().flatten() {
                assert!(card.contains(&esc(c)), "choice {c}");
            }
        }
        let meta: serde_json::Map<String, serde_json::Value> =
            serde_json::from_str(&s.metadata).unwrap();
        for key in meta.keys() {
            assert!(card.contains(&format!("<dt>{}</dt>", esc(key))));
        }
        check_rejections(card, spec, s);
    }
}

fn check_rejections(card: &str, spec: &TaskSpec, s: &Sample) {
    let total = s.rejected.total();
    if total == 0 {
        assert!(card.contains("accepted at the first draw"), "{card}");
        return;
    }
    assert!(card.contains(&format!("{total} draw")), "{card}");
    for &(why, n) in s.rejected.counts() {
        assert!(card.contains(&format!("{n} ×")), "{card}");
        let shown = match why {
            Rejection::Constraint(i) => {
                let c = &spec.constraints[i];
                c.message.clone().unwrap_or_else(|| c.expr.source().into())
            }
            Rejection::Quota => spec
                .sampling
                .balance
                .as_ref()
                .unwrap()
                .on
                .expr
                .source()
                .into(),
            Rejection::Unique => "uniqueness".into(),
            Rejection::Margin => "margin".into(),
        };
        assert!(card.contains(&esc(&shown)), "{card} lacks {shown}");
    }
}

#[test]
fn gallery_links_its_images_and_shows_each_cell_prompt_answer_and_rejection() {
    let spec_path = root().join("tasks/examples/dot_in_polygon.yaml");
    let spec = blindspot::spec::load(&spec_path).expect("the example spec loads");
    let dir = tempfile::tempdir().unwrap();
    let html = gallery(&spec_path, 9, dir.path());
    let samples = previewed(&spec, 9);
    assert!(html.starts_with("<!DOCTYPE html>"));
    let images = attribute_values(&html, "src");
    assert_eq!(images.len(), samples.len(), "one image per sample");
    for link in images.iter().chain(&attribute_values(&html, "href")) {
        if let Some(anchor) = link.strip_prefix('#') {
            assert!(
                html.contains(&format!("id=\"{anchor}\"")),
                "dangling {link}"
            );
            continue;
        }
        assert!(
            !link.contains(':') && !link.contains('/'),
            "not a file beside the page: {link}"
        );
        assert!(
            dir.path().join(link).is_file(),
            "{link} is not in the folder"
        );
    }
    for banned in ["<script", "<link", "http://", "https://", "@import", "url("] {
        assert!(
            !html.contains(banned),
            "the page must be self-contained: {banned}"
        );
    }
    check_samples(&html, &spec, &samples);
    assert!(
        samples.iter().any(|s| s.rejected.total() > 0),
        "the spec's constraints reject some draws, so the test sees a reason"
    );
    let again = tempfile::tempdir().unwrap();
    assert_eq!(gallery(&spec_path, 9, again.path()), html, "deterministic");
}

const ESCAPING_SPEC: &str = r#"
name: gallery-escaping
version: 0.1.0
task: {id: gallery-escaping, label: "Dots <&> \"gallery\""}
license: mit
seed: 5
grid:
  n: [1, 2, 3]
  shade: {zip: {tone: ["<dark>", "a&b"], fill: [black, gray]}}
sampling:
  per_cell: 2
  retries: 1000
  balance: {on: big, values: ["yes", "no"]}
vars:
  r: uniform(3, 9)
  big: "'yes' if r > 6 else 'no'"
constraints:
  - expr: r > 4
    message: "r > 4 & not <tiny>"
  - r < 8.5
scene:
  width: 64
  height: 48
  shapes:
    - circle: {for: "i in range(n)", cx: "= 12 + i * 20", cy: 24, r: "= r", fill: "= fill"}
answers:
  count: n
prompts:
  - template: 'How many <b>&"dots"</b> are there? Answer with a number in curly brackets, e.g., {9}.'
    answer: count
metadata:
  tone: tone
  big: big
"#;

#[test]
fn gallery_escapes_text_and_names_constraint_and_quota_rejections() {
    let dir = tempfile::tempdir().unwrap();
    let spec_path = dir.path().join("escaping.yaml");
    std::fs::write(&spec_path, ESCAPING_SPEC).unwrap();
    let spec = blindspot::spec::load(&spec_path).expect("the test spec loads");
    let out = dir.path().join("gallery");
    let html = gallery(&spec_path, 12, &out);
    let samples = previewed(&spec, 12);
    check_samples(&html, &spec, &samples);
    assert!(html.contains("How many &lt;b&gt;&amp;&quot;dots&quot;&lt;/b&gt; are there?"));
    assert!(
        !html.contains("<b>&\"dots"),
        "raw prompt markup must not reach the page"
    );
    assert!(html.contains(&esc(&spec.label)), "the title is escaped");
    assert!(!html.contains("<dark>") && !html.contains("<tiny>"));
    let reasons: BTreeSet<Rejection> = samples
        .iter()
        .flat_map(|s| s.rejected.counts().iter().map(|&(r, _)| r))
        .collect();
    assert!(
        reasons.contains(&Rejection::Constraint(0)) && reasons.contains(&Rejection::Quota),
        "the draws hit the first constraint and the quota: {reasons:?}"
    );
}
