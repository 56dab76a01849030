//! Releases: what a build publishes (one task, or a suite of tasks) and the documents
//! written beside the Parquet data — the README.md card, croissant.json and manifest.json.
//!
//! Invariant: the documents are pure functions of the specs, the row tally and the data
//! files, so two builds of the same specs produce byte-identical documents (no dates,
//! fixed order).

use std::path::Path;

use crate::answer::{AnswerFormat, Compiled, release};
use crate::render::fonts::FONTS;
use crate::sink::{
    self, CardConfig, CardInfo, CardPrompt, CompilerInfo, CroissantInfo, FileSummary, FontInfo,
    Manifest, ManifestHeader, RecordSetInfo, RendererInfo, SinkError, SpecInfo, Tally, TaskCount,
    TaskSpecInfo, croissant,
};
use crate::spec::TaskSpec;
use crate::spec::suite::Suite;

/// resvg version that renders the images (kept in step with Cargo.toml by a test).
pub const RESVG_VERSION: &str = "0.49.0";

/// What one build publishes.
#[derive(Debug)]
pub struct Release<'a> {
    /// Dataset name (folder and Hub repo name).
    pub name: &'a str,
    /// Dataset version.
    pub version: &'a str,
    /// Card title.
    pub pretty_name: &'a str,
    /// Card description.
    pub description: &'a str,
    /// Licence id.
    pub license: &'a str,
    /// Citation, if any.
    pub citation: Option<&'a str>,
    /// Card tags.
    pub tags: &'a [String],
    /// Card task categories.
    pub task_categories: Vec<String>,
    /// Split of every row.
    pub split: &'a str,
    /// The spec file the build started from (task or suite).
    pub spec: SpecInfo,
    /// That file's path as given (used only to relate task paths to it).
    pub spec_file: String,
    /// Tasks in dataset order.
    pub tasks: Vec<&'a TaskSpec>,
    /// Whether each task gets its own folder and Hub config (suites).
    pub per_task: bool,
}

impl<'a> Release<'a> {
    /// A release of one task spec: one shard, one `default` config.
    pub fn task(spec: &'a TaskSpec) -> Self {
        Self {
            name: &spec.name,
            version: &spec.version,
            pretty_name: &spec.label,
            description: &spec.description,
            license: &spec.license,
            citation: spec.citation.as_deref(),
            tags: &spec.tags,
            task_categories: spec.task_categories.clone(),
            split: &spec.split,
            spec: spec_info(&spec.source),
            spec_file: spec.source.file.clone(),
            tasks: vec![spec],
            per_task: false,
        }
    }

    /// A release of a suite: one folder and one config per task, plus `all`.
    pub fn suite(suite: &'a Suite) -> Self {
        let i = &suite.info;
        Self {
            name: &i.name,
            version: &i.version,
            pretty_name: &i.pretty_name,
            description: i.description.as_deref().unwrap_or("").trim(),
            license: &i.license,
            citation: i.citation.as_deref().map(str::trim),
            tags: &i.tags,
            task_categories: i
                .task_categories
                .clone()
                .unwrap_or_else(|| vec!["visual-question-answering".into()]),
            split: &suite.split,
            spec: spec_info(&suite.source),
            spec_file: suite.source.file.clone(),
            tasks: suite.tasks.iter().collect(),
            per_task: true,
        }
    }

    /// The seed shown in the card and manifest header: the first task's (each task's own
    /// seed is listed in the manifest's `task_specs`).
    pub fn seed(&self) -> u64 {
        self.tasks.first().map_or(0, |t| t.seed)
    }

    /// Copies of each task's expansion (`build --repeat`); 1 = the specs as written.
    pub fn repeat(&self) -> u64 {
        self.tasks.first().map_or(1, |t| t.sampling.repeat.max(1))
    }

    /// The folder of a task's data files, relative to the dataset root, ending in `/`.
    pub fn shard_dir(&self, task: &TaskSpec) -> String {
        match self.per_task {
            true => format!("data/{}/", task.task_id),
            false => "data/".into(),
        }
    }

    /// Whether `path` is one of `task`'s data files.
    pub fn is_task_file(&self, task: &TaskSpec, path: &str) -> bool {
        let prefix = format!("{}{}-", self.shard_dir(task), self.split);
        path.strip_prefix(&prefix)
            .is_some_and(|rest| !rest.contains('/') && rest.ends_with(".parquet"))
    }
}

fn spec_info(src: &crate::spec::Source) -> SpecInfo {
    SpecInfo {
        path: file_name(&src.file),
        sha256: src.sha256.clone(),
    }
}

/// A spec's file name: artifacts never record where the spec lay on the building machine.
fn file_name(path: &str) -> String {
    let p = std::path::Path::new(path);
    p.file_name()
        .map_or_else(|| path.to_string(), |n| n.to_string_lossy().into_owned())
}

/// A task spec's path as recorded: relative to the suite folder inside a suite, else its
/// file name.
fn task_path(rel: &Release<'_>, task: &TaskSpec) -> String {
    let dir = std::path::Path::new(&rel.spec_file).parent();
    let relative = dir.and_then(|d| std::path::Path::new(&task.source.file).strip_prefix(d).ok());
    match (rel.per_task, relative) {
        (true, Some(r)) => r.to_string_lossy().replace('\\', "/"),
        _ => file_name(&task.source.file),
    }
}

/// Writes README.md, croissant.json, the scoring files and manifest.json (which lists the
/// others) into `root`.
pub fn write_docs(
    rel: &Release<'_>,
    root: &Path,
    tally: Tally,
    data: Vec<FileSummary>,
    report: &crate::verify::report::Report,
) -> Result<(), SinkError> {
    let tasks = ordered_counts(rel, &tally);
    let formats = used_formats(rel)?;
    let card = CardInfo {
        name: rel.name.into(),
        pretty_name: rel.pretty_name.into(),
        version: rel.version.into(),
        description: rel.description.into(),
        license: rel.license.into(),
        citation: rel.citation.map(str::to_string),
        tags: rel.tags.to_vec(),
        task_categories: rel.task_categories.clone(),
        split: rel.split.into(),
        num_rows: tally.rows(),
        compiler_version: crate::VERSION.to_string(),
        spec_sha256: rel.spec.sha256.clone(),
        seed: rel.seed(),
        repeat: rel.repeat(),
        configs: configs(rel, &tasks, &data),
        tasks,
        files: data.clone(),
        prompts: card_prompts(rel),
        formats: formats.iter().map(|&f| f.clone()).collect(),
    };
    let mut card_text = sink::render_card(&card);
    let mut files = data.clone();
    if !report.tasks.is_empty() {
        card_text.push_str(&report.card_section());
        files.push(sink::write_text_file(
            root,
            crate::verify::report::FILE,
            &report.to_json(),
        )?);
    }
    let readme = sink::write_text_file(root, "README.md", &card_text)?;
    let croissant = sink::render_croissant(&croissant_info(rel, &data)?);
    let croissant = sink::write_text_file(root, "croissant.json", &croissant)?;
    files.extend([readme, croissant]);
    files.extend(write_scoring(&formats, root)?);
    let manifest = Manifest::new(header(rel), tally.finish()?, files);
    sink::write_manifest(root, &manifest)?;
    Ok(())
}

/// Writes `scoring/formats.json` and `scoring/conformance.jsonl`.
fn write_scoring(formats: &[&AnswerFormat], root: &Path) -> Result<Vec<FileSummary>, SinkError> {
    let names: Vec<&str> = formats.iter().map(|d| d.name.as_str()).collect();
    Ok(vec![
        sink::write_text_file(root, release::FORMATS_PATH, &release::formats_json(formats))?,
        sink::write_text_file(
            root,
            release::CONFORMANCE_PATH,
            &release::conformance_jsonl(&names),
        )?,
    ])
}

/// The answer formats the release's prompts use, in first-use order. Two tasks may not give
/// one name two definitions.
fn used_formats<'a>(rel: &Release<'a>) -> Result<Vec<&'a AnswerFormat>, SinkError> {
    let mut out: Vec<&AnswerFormat> = Vec::new();
    for f in rel
        .tasks
        .iter()
        .flat_map(|t| t.formats.values())
        .map(Compiled::def)
    {
        match out.iter().find(|o| o.name == f.name) {
            Some(o) if *o != f => {
                return Err(SinkError::new(format!(
                    "two tasks define the answer format `{}` differently",
                    f.name
                )));
            }
            Some(_) => {}
            None => out.push(f),
        }
    }
    Ok(out)
}

/// Each prompt's answer format, for the card.
fn card_prompts(rel: &Release<'_>) -> Vec<CardPrompt> {
    let mut out = Vec::new();
    for t in &rel.tasks {
        for p in &t.prompts {
            let f = &t.formats[&p.format];
            out.push(CardPrompt {
                task: t.label.clone(),
                prompt_id: p.id.clone(),
                format: p.format.clone(),
                reply: f.def().reply.clone(),
            });
        }
    }
    out
}

/// Task counts in the release's task order (the tally orders them by id).
fn ordered_counts(rel: &Release<'_>, tally: &Tally) -> Vec<TaskCount> {
    let counts = tally.task_counts();
    rel.tasks
        .iter()
        .filter_map(|t| counts.iter().find(|c| c.task_id == t.task_id).cloned())
        .collect()
}

fn configs(rel: &Release<'_>, tasks: &[TaskCount], files: &[FileSummary]) -> Vec<CardConfig> {
    if !rel.per_task {
        return Vec::new();
    }
    let glob = |dir: &str| format!("data/{dir}/{}-*", rel.split);
    let mut out = vec![CardConfig {
        name: "all".into(),
        data_glob: glob("*"),
        default: true,
        rows: tasks.iter().map(|t| t.rows).sum(),
        num_bytes: tasks.iter().map(|t| t.arrow_bytes).sum(),
        download_size: files.iter().map(|f| f.bytes).sum(),
    }];
    for t in tasks {
        let spec = rel.tasks.iter().find(|s| s.task_id == t.task_id);
        let download_size = files
            .iter()
            .filter(|f| spec.is_some_and(|s| rel.is_task_file(s, &f.path)))
            .map(|f| f.bytes)
            .sum();
        out.push(CardConfig {
            name: t.task_id.clone(),
            data_glob: glob(&t.task_id),
            default: false,
            rows: t.rows,
            num_bytes: t.arrow_bytes,
            download_size,
        });
    }
    out
}

/// What croissant.json describes: one record set per Hub config (`default`, or one per task
/// of a suite), each over its task's data file.
fn croissant_info(rel: &Release<'_>, data: &[FileSummary]) -> Result<CroissantInfo, SinkError> {
    Ok(CroissantInfo {
        name: rel.name.into(),
        description: rel.description.into(),
        license: rel.license.into(),
        version: rel.version.into(),
        citation: rel.citation.map(str::to_string),
        url: croissant::hub_url(rel.name),
        date_published: croissant::UNDATED.into(),
        keywords: rel.tags.to_vec(),
        record_sets: rel
            .tasks
            .iter()
            .map(|t| record_sets(rel, t, data))
            .collect::<Result<Vec<_>, _>>()?
            .into_iter()
            .flatten()
            .collect(),
    })
}

/// A task's record sets: one per data file (each with its sha256), named by the task's Hub
/// config, with a `-<shard>` suffix when the task has several files.
fn record_sets(
    rel: &Release<'_>,
    task: &TaskSpec,
    data: &[FileSummary],
) -> Result<Vec<RecordSetInfo>, SinkError> {
    let files: Vec<&FileSummary> = data
        .iter()
        .filter(|f| rel.is_task_file(task, &f.path))
        .collect();
    if files.is_empty() {
        let id = &task.task_id;
        return Err(SinkError::new(format!(
            "croissant.json: no data file for {id}"
        )));
    }
    let base: &str = if rel.per_task {
        &task.task_id
    } else {
        "default"
    };
    let several = files.len() > 1;
    Ok(files
        .iter()
        .enumerate()
        .map(|(i, f)| RecordSetInfo {
            name: if several {
                format!("{base}-{i:05}")
            } else {
                base.into()
            },
            sha256: f.sha256.clone(),
            path: f.path.clone(),
        })
        .collect())
}

fn header(rel: &Release<'_>) -> ManifestHeader {
    ManifestHeader {
        name: rel.name.into(),
        version: rel.version.into(),
        compiler: CompilerInfo {
            name: "blindspot".into(),
            version: crate::VERSION.into(),
        },
        seed: rel.seed(),
        seeding_scheme: crate::rng::SEED_SCHEME.into(),
        repeat: rel.repeat(),
        spec: rel.spec.clone(),
        task_specs: rel
            .tasks
            .iter()
            .map(|t| TaskSpecInfo {
                task_id: t.task_id.clone(),
                path: task_path(rel, t),
                sha256: t.source.sha256.clone(),
                seed: t.seed,
                label: t.label.clone(),
                group: t.group.clone(),
            })
            .collect(),
        renderer: RendererInfo {
            resvg: RESVG_VERSION.into(),
            fonts: font_infos(),
        },
    }
}

/// The bundled fonts as recorded in manifests.
pub fn font_infos() -> Vec<FontInfo> {
    FONTS
        .iter()
        .map(|f| FontInfo {
            family: f.family.into(),
            file: f.file.into(),
            sha256: sink::sha256_hex(f.bytes),
            license: f.license.into(),
        })
        .collect()
}
