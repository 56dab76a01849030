//! Dataset card (`README.md`): YAML front matter for the Hub and `datasets`, then
//! Markdown prose for people.
//!
//! Invariants:
//! * The YAML is emitted by hand. Every user-supplied scalar is written as a
//!   JSON double-quoted string (valid YAML), so no input can break the front
//!   matter; fixed keys and numbers are written bare.
//! * `dataset_info.features` comes from [`super::schema::COLUMNS`], the same
//!   table as the Parquet `huggingface` metadata, so card and files agree.
//! * `splits[].num_examples` is `num_rows`, which must be exact (else
//!   `NonMatchingSplitsSizesError`): pass the count of rows actually written.
//!   `num_bytes` must be present too, or `datasets` ignores the whole entry
//!   (it does not verify the value); it is the sum of [`TaskCount::arrow_bytes`].
//! * Output is deterministic: no dates, lists in the caller's order.

use std::fmt::Write as _;

use serde::Serialize;

use super::FileSummary;
use super::schema::COLUMNS;

/// Rows and distinct images of one task.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TaskCount {
    /// Display label, e.g. `"Touching Circles"`.
    pub label: String,
    /// Task slug, e.g. `"touching-circles"`.
    pub task_id: String,
    /// Distinct images of the task.
    pub images: u64,
    /// Rows (image × prompt) of the task.
    pub rows: u64,
    /// In-memory Arrow size of the task's rows (see [`super::Tally::arrow_bytes`]).
    /// Summed into the card's advisory `num_bytes`/`dataset_size`.
    pub arrow_bytes: u64,
}

/// Everything the card shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CardInfo {
    /// Dataset name (Hub repo name or folder name), used in the usage snippet.
    pub name: String,
    /// Human-readable title.
    pub pretty_name: String,
    /// Dataset version.
    pub version: String,
    /// Markdown description, inserted as-is.
    pub description: String,
    /// Hub license id, e.g. `"mit"`, `"cc-by-4.0"`.
    pub license: String,
    /// BibTeX (or other) citation text, if any.
    pub citation: Option<String>,
    /// Hub tags.
    pub tags: Vec<String>,
    /// Hub task categories, e.g. `"visual-question-answering"`.
    pub task_categories: Vec<String>,
    /// The split every row belongs to, e.g. `"valid"`.
    pub split: String,
    /// Exact number of rows in the split.
    pub num_rows: u64,
    /// blindspot version that compiled the dataset.
    pub compiler_version: String,
    /// Hex SHA-256 of the spec file.
    pub spec_sha256: String,
    /// Master seed.
    pub seed: u64,
    /// Copies of the spec's samples (`build --repeat`); 1 = the spec as written.
    pub repeat: u64,
    /// Per-task counts, in display order.
    pub tasks: Vec<TaskCount>,
    /// Data files (Parquet shards), in display order.
    pub files: Vec<FileSummary>,
    /// Hub configs; empty means one `default` config over `data/<split>-*`.
    pub configs: Vec<CardConfig>,
    /// Every prompt's answer format, in display order.
    pub prompts: Vec<CardPrompt>,
    /// The answer formats used, in first-use order.
    pub formats: Vec<crate::answer::AnswerFormat>,
}

/// How replies to one prompt are scored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CardPrompt {
    /// Task display label.
    pub task: String,
    /// Prompt id.
    pub prompt_id: String,
    /// Answer format name.
    pub format: String,
    /// The format's reply shape (`{$1}`).
    pub reply: String,
}

/// One Hub config: a named subset of the data files with its own split sizes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CardConfig {
    /// Config name, e.g. `all` or a task id.
    pub name: String,
    /// Glob of its files relative to the dataset root, e.g. `data/*/valid-*`.
    pub data_glob: String,
    /// Whether `load_dataset(folder)` picks it without a name.
    pub default: bool,
    /// Rows in the split.
    pub rows: u64,
    /// Arrow bytes of the split (as `datasets` counts them).
    pub num_bytes: u64,
    /// Bytes of its Parquet files.
    pub download_size: u64,
}

/// Renders the complete `README.md`.
pub fn render_card(info: &CardInfo) -> String {
    let mut out = String::new();
    front_matter(&mut out, info);
    prose(&mut out, info);
    out
}

/// The Hub `size_categories` bucket for `n` rows (`n<1K`, `1K<n<10K`, …, `n>1T`).
pub fn size_category(n: u64) -> &'static str {
    const BUCKETS: [(u64, &str); 10] = [
        (1_000, "n<1K"),
        (10_000, "1K<n<10K"),
        (100_000, "10K<n<100K"),
        (1_000_000, "100K<n<1M"),
        (10_000_000, "1M<n<10M"),
        (100_000_000, "10M<n<100M"),
        (1_000_000_000, "100M<n<1B"),
        (10_000_000_000, "1B<n<10B"),
        (100_000_000_000, "10B<n<100B"),
        (1_000_000_000_000, "100B<n<1T"),
    ];
    BUCKETS
        .iter()
        .find(|(limit, _)| n < *limit)
        .map_or("n>1T", |(_, name)| name)
}

/// A YAML scalar for a user string: a JSON double-quoted string.
fn q(s: &str) -> String {
    serde_json::Value::from(s).to_string()
}

/// `key:` followed by one quoted item per line, or `key: []`.
fn yaml_list(out: &mut String, indent: &str, key: &str, items: &[String]) {
    if items.is_empty() {
        let _ = writeln!(out, "{indent}{key}: []");
        return;
    }
    let _ = writeln!(out, "{indent}{key}:");
    for item in items {
        let _ = writeln!(out, "{indent}- {}", q(item));
    }
}

fn front_matter(out: &mut String, info: &CardInfo) {
    out.push_str("---\n");
    let _ = writeln!(out, "license: {}", q(&info.license));
    let _ = writeln!(out, "pretty_name: {}", q(&info.pretty_name));
    yaml_list(out, "", "tags", &info.tags);
    yaml_list(out, "", "task_categories", &info.task_categories);
    yaml_list(
        out,
        "",
        "size_categories",
        &[size_category(info.num_rows).into()],
    );
    let configs = effective_configs(info);
    out.push_str("configs:\n");
    for c in &configs {
        let _ = writeln!(out, "- config_name: {}\n  data_files:", q(&c.name));
        let _ = writeln!(out, "  - split: {}", q(&info.split));
        let _ = writeln!(out, "    path: {}", q(&c.data_glob));
        if c.default && configs.len() > 1 {
            out.push_str("  default: true\n");
        }
    }
    out.push_str("dataset_info:\n");
    for c in &configs {
        dataset_info(out, info, c);
    }
    out.push_str("---\n\n");
}

/// The configs to write: the declared ones, or one `default` over all shards.
fn effective_configs(info: &CardInfo) -> Vec<CardConfig> {
    if !info.configs.is_empty() {
        return info.configs.clone();
    }
    vec![CardConfig {
        name: "default".into(),
        data_glob: format!("data/{}-*", info.split),
        default: true,
        rows: info.num_rows,
        num_bytes: info.tasks.iter().map(|t| t.arrow_bytes).sum(),
        download_size: info.files.iter().map(|f| f.bytes).sum(),
    }]
}

fn dataset_info(out: &mut String, info: &CardInfo, c: &CardConfig) {
    let _ = writeln!(out, "- config_name: {}\n  features:", q(&c.name));
    for (name, kind) in COLUMNS {
        let _ = writeln!(out, "  - name: {name}\n    dtype: {}", kind.card_dtype());
    }
    out.push_str("  splits:\n");
    let _ = writeln!(out, "  - name: {}", q(&info.split));
    let _ = writeln!(out, "    num_bytes: {}", c.num_bytes);
    let _ = writeln!(out, "    num_examples: {}", c.rows);
    let _ = writeln!(out, "  download_size: {}", c.download_size);
    let _ = writeln!(out, "  dataset_size: {}", c.num_bytes);
}

/// Makes text safe for one Markdown table cell or heading line.
fn cell(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace(['\r', '\n'], " ")
}

/// Inline code span for user text, safe in a table cell. Backslashes are
/// literal inside code spans; `|` still needs escaping for GFM tables, and a
/// backtick would end the span early.
fn code(s: &str) -> String {
    let body = s
        .replace('|', "\\|")
        .replace('`', "'")
        .replace(['\r', '\n'], " ");
    format!("`{body}`")
}

/// A code fence longer than any backtick run inside `body`.
fn fence_for(body: &str) -> String {
    let longest = body.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    "`".repeat(longest.max(2) + 1)
}

fn code_block(out: &mut String, lang: &str, body: &str) {
    let fence = fence_for(body);
    let _ = writeln!(out, "{fence}{lang}\n{}\n{fence}\n", body.trim_end());
}

fn prose(out: &mut String, info: &CardInfo) {
    let _ = writeln!(out, "# {}\n", cell(&info.pretty_name));
    if !info.description.trim().is_empty() {
        let _ = writeln!(out, "{}\n", info.description.trim());
    }
    usage(out, info);
    tasks_table(out, info);
    scoring(out, info);
    provenance(out, info);
    files_table(out, info);
    if let Some(citation) = info.citation.as_deref().filter(|c| !c.trim().is_empty()) {
        out.push_str("## Citation\n\n");
        code_block(out, "bibtex", citation);
    }
}

fn usage(out: &mut String, info: &CardInfo) {
    out.push_str("## Usage\n\n");
    let split = q(&info.split);
    let first = info.files.first().map_or_else(
        || format!("data/{}-00000-of-00001.parquet", info.split),
        |f| f.path.clone(),
    );
    let body = format!(
        "from datasets import load_dataset\n\n\
         # from the Hub (replace with the repo id) or from a local copy of this folder\n\
         ds = load_dataset({name}, split={split})\n\n\
         # or straight from the Parquet file, without the card\n\
         ds = load_dataset(\"parquet\", data_files={{{split}: {file}}}, split={split})\n\
         print(ds[0][\"prompt\"], ds[0][\"groundtruth\"])\n\
         ds[0][\"image\"]  # PIL.Image",
        name = q(&info.name),
        file = q(&first),
    );
    let _ = writeln!(
        out,
        "All rows are in the split {}; columns: {}.\n",
        code(&info.split),
        COLUMNS.map(|(n, _)| format!("`{n}`")).join(", ")
    );
    code_block(out, "python", &body);
}

fn tasks_table(out: &mut String, info: &CardInfo) {
    out.push_str("## Tasks\n\n| Task | `task_id` | Images | Rows |\n|---|---|---:|---:|\n");
    for t in &info.tasks {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} |",
            cell(&t.label),
            code(&t.task_id),
            t.images,
            t.rows
        );
    }
    let images: u64 = info.tasks.iter().map(|t| t.images).sum();
    let rows: u64 = info.tasks.iter().map(|t| t.rows).sum();
    let _ = writeln!(out, "| **Total** | | {images} | {rows} |\n");
}

fn scoring(out: &mut String, info: &CardInfo) {
    out.push_str(
        "## Answers and scoring\n\nEach row's `answer_format` says how a reply is read; \
         `answer_choices` lists every possible answer. `scoring/formats.json` defines the \
         formats (patterns and normalisation) and `scoring/conformance.jsonl` lists replies with \
         the parse and score they must get, to test any parser against. \
         `blindspot score DATASET predictions.jsonl` scores replies by these rules. Ambiguous or \
         missing answers count as wrong and are reported apart.\n\n\
         | Task | Prompt | Format | Reply shape (`$1` = the answer) |\n|---|---|---|---|\n",
    );
    for p in &info.prompts {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} |",
            cell(&p.task),
            code(&p.prompt_id),
            code(&p.format),
            code(&p.reply)
        );
    }
    out.push('\n');
    for f in &info.formats {
        let _ = writeln!(out, "- {}: {}", code(&f.name), cell(&f.description));
    }
    out.push('\n');
}

fn provenance(out: &mut String, info: &CardInfo) {
    out.push_str("## Provenance\n\n");
    let _ = writeln!(out, "- Dataset version: {}", code(&info.version));
    let _ = writeln!(
        out,
        "- Compiler: blindspot {}",
        code(&info.compiler_version)
    );
    let _ = writeln!(out, "- Spec SHA-256: {}", code(&info.spec_sha256));
    let _ = writeln!(out, "- Seed: `{}`", info.seed);
    if info.repeat > 1 {
        let _ = writeln!(
            out,
            "- Repeat: `{}` copies of the spec's samples, each with fresh draws (`blindspot build --repeat {}`)",
            info.repeat, info.repeat
        );
    }
    let _ = writeln!(
        out,
        "- Split {}: {} rows\n",
        code(&info.split),
        info.num_rows
    );
    out.push_str(
        "Rebuilding from the same spec with the same compiler version and seed reproduces these files \
         byte for byte. `manifest.json` lists every row's image hash and a content digest.\n\n",
    );
}

fn files_table(out: &mut String, info: &CardInfo) {
    out.push_str("## Files\n\n| File | Rows | Bytes | SHA-256 |\n|---|---:|---:|---|\n");
    for f in &info.files {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} |",
            code(&f.path),
            f.rows,
            f.bytes,
            code(&f.sha256)
        );
    }
    out.push('\n');
}

#[cfg(test)]
#[path = "card_tests.rs"]
mod tests;
