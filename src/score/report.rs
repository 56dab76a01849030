//! Aggregating row scores (per task, prompt, score column, numeric parameter value) and
//! writing them as text and CSV.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::{RowOutcome, RowScore, Scores};
use crate::answer::Outcome;

/// Largest number of distinct values a metadata parameter may take to be reported.
pub const MAX_LEVELS: usize = 24;

/// Outcome counts of a set of rows.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Tally {
    pub rows: u64,
    pub correct: u64,
    pub wrong: u64,
    pub unparseable: u64,
    pub missing: u64,
    /// Sum of the rows' chance of a uniform guess being right.
    pub chance_sum: f64,
}

impl Tally {
    fn add(&mut self, r: &RowScore) {
        self.rows += 1;
        self.chance_sum += r.chance;
        match r.outcome {
            RowOutcome::Scored(Outcome::Correct) => self.correct += 1,
            RowOutcome::Scored(Outcome::Wrong) => self.wrong += 1,
            RowOutcome::Scored(Outcome::Unparseable) => self.unparseable += 1,
            RowOutcome::Missing => self.missing += 1,
        }
    }

    /// Accuracy in percent.
    pub fn accuracy(&self) -> f64 {
        pct(self.correct as f64, self.rows)
    }

    /// A uniform guesser's expected accuracy in percent.
    pub fn chance(&self) -> f64 {
        pct(self.chance_sum, self.rows)
    }
}

fn pct(x: f64, n: u64) -> f64 {
    if n == 0 { 0.0 } else { 100.0 * x / n as f64 }
}

/// Every aggregate the reports show.
#[derive(Debug, Clone)]
pub struct Summary {
    /// (task id, label, tally) in dataset order.
    pub tasks: Vec<(String, String, Tally)>,
    /// (task id, prompt id, tally), prompts in id order within each task.
    pub prompts: Vec<(String, String, Tally)>,
    /// (score column, tally) in first-task order.
    pub groups: Vec<(String, Tally)>,
    /// All rows pooled.
    pub all: Tally,
}

impl Summary {
    /// The headline: the unweighted mean of the score columns' accuracies (and chance).
    pub fn column_mean(&self) -> (f64, f64) {
        let n = self.groups.len().max(1) as f64;
        let acc = self.groups.iter().map(|g| g.1.accuracy()).sum::<f64>() / n;
        let chance = self.groups.iter().map(|g| g.1.chance()).sum::<f64>() / n;
        (acc, chance)
    }
}

/// Aggregates the scores.
pub fn summarize(s: &Scores) -> Summary {
    let mut tasks: Vec<(String, String, Tally)> = s
        .tasks
        .iter()
        .map(|t| (t.0.clone(), t.1.clone(), Tally::default()))
        .collect();
    let mut groups: Vec<(String, Tally)> = Vec::new();
    for t in &s.tasks {
        if !groups.iter().any(|g| g.0 == t.2) {
            groups.push((t.2.clone(), Tally::default()));
        }
    }
    let mut prompts: BTreeMap<(usize, String), Tally> = BTreeMap::new();
    let mut all = Tally::default();
    for r in &s.rows {
        let ti = s
            .tasks
            .iter()
            .position(|t| t.0 == r.row.task_id)
            .expect("task listed");
        tasks[ti].2.add(r);
        let gi = groups
            .iter()
            .position(|g| g.0 == s.tasks[ti].2)
            .expect("group listed");
        groups[gi].1.add(r);
        prompts
            .entry((ti, r.row.prompt_id.clone()))
            .or_default()
            .add(r);
        all.add(r);
    }
    let prompts = prompts
        .into_iter()
        .map(|((ti, p), t)| (s.tasks[ti].0.clone(), p, t))
        .collect();
    Summary {
        tasks,
        prompts,
        groups,
        all,
    }
}

/// The text report printed by `blindspot score`.
pub fn text(s: &Scores) -> String {
    let sum = summarize(s);
    let mut out = format!("scores for {}\n\n", s.dataset);
    let head = "rows  correct    wrong  unparsed  missing  accuracy    chance";
    let _ = writeln!(out, "{:<40}{head}", "task / prompt");
    for (id, label, t) in &sum.tasks {
        line(&mut out, label, t);
        for (_, p, pt) in sum.prompts.iter().filter(|p| &p.0 == id) {
            line(&mut out, &format!("  {p}"), pt);
        }
    }
    let _ = writeln!(out, "\n{:<40}{head}", "score column");
    for (g, t) in &sum.groups {
        line(&mut out, g, t);
    }
    let (acc, chance) = sum.column_mean();
    let _ = writeln!(
        out,
        "\nmean over {} columns: {acc:.2}%  (uniform guess: {chance:.2}%)",
        sum.groups.len()
    );
    let _ = writeln!(
        out,
        "all rows: {:.2}%  ({} rows)",
        sum.all.accuracy(),
        sum.all.rows
    );
    if !s.unknown_ids.is_empty() {
        let _ = writeln!(
            out,
            "warning: {} replies have ids not in the dataset (first: {})",
            s.unknown_ids.len(),
            s.unknown_ids[0]
        );
    }
    out
}

fn line(out: &mut String, name: &str, t: &Tally) {
    let name: String = name.chars().take(38).collect();
    let _ = writeln!(
        out,
        "{name:<38}{:>6} {:>8} {:>8} {:>9} {:>8} {:>8.2}% {:>8.2}%",
        t.rows,
        t.correct,
        t.wrong,
        t.unparseable,
        t.missing,
        t.accuracy(),
        t.chance()
    );
}

/// One CSV field, quoted when needed (RFC 4180).
pub fn csv(field: &str) -> String {
    if field.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field.to_owned()
    }
}

const TALLY_HEAD: &str = "rows,correct,wrong,unparseable,missing,accuracy,chance";

fn tally_csv(t: &Tally) -> String {
    format!(
        "{},{},{},{},{},{:.4},{:.4}",
        t.rows,
        t.correct,
        t.wrong,
        t.unparseable,
        t.missing,
        t.accuracy(),
        t.chance()
    )
}

/// `summary.csv`: one line per task, prompt, score column, and the two overall figures.
pub fn summary_csv(s: &Scores) -> String {
    let sum = summarize(s);
    let mut out = format!("level,name,prompt_id,{TALLY_HEAD}\n");
    for (id, _, t) in &sum.tasks {
        let _ = writeln!(out, "task,{},,{}", csv(id), tally_csv(t));
    }
    for (id, p, t) in &sum.prompts {
        let _ = writeln!(out, "prompt,{},{},{}", csv(id), csv(p), tally_csv(t));
    }
    for (g, t) in &sum.groups {
        let _ = writeln!(out, "column,{},,{}", csv(g), tally_csv(t));
    }
    let (acc, chance) = sum.column_mean();
    let _ = writeln!(out, "overall,column_mean,,,,,,,{acc:.4},{chance:.4}");
    let _ = writeln!(out, "overall,all_rows,,{}", tally_csv(&sum.all));
    out
}

/// `rows.csv`: every row's reply, parse and outcome.
pub fn rows_csv(s: &Scores) -> String {
    let mut out =
        String::from("id,task_id,prompt_id,groundtruth,answer_format,reply,parsed,outcome\n");
    for r in &s.rows {
        let outcome = match r.outcome {
            RowOutcome::Scored(o) => crate::answer::vectors::outcome_name(o),
            RowOutcome::Missing => "missing",
        };
        let fields = [
            &r.row.id,
            &r.row.task_id,
            &r.row.prompt_id,
            &r.row.groundtruth,
            &r.row.answer_format,
            r.reply.as_deref().unwrap_or(""),
            r.parsed.as_deref().unwrap_or(""),
            outcome,
        ];
        let line: Vec<String> = fields.iter().map(|f| csv(f)).collect();
        let _ = writeln!(out, "{}", line.join(","));
    }
    out
}

/// Accuracy per value of one numeric metadata parameter of one task: `(task id, parameter,
/// [(value, tally)])`, values in numeric order.
pub type ParamLevels = (String, String, Vec<(f64, Tally)>);

/// [`ParamLevels`] of every numeric metadata parameter with 2…[`MAX_LEVELS`] values.
pub fn param_levels(s: &Scores) -> Vec<ParamLevels> {
    let mut out = Vec::new();
    for (task_id, ..) in &s.tasks {
        let mut params: BTreeMap<String, BTreeMap<String, (f64, Tally)>> = BTreeMap::new();
        for r in s.rows.iter().filter(|r| &r.row.task_id == task_id) {
            let Ok(serde_json::Value::Object(meta)) = serde_json::from_str(&r.row.metadata) else {
                continue;
            };
            for (k, v) in meta {
                if let Some(x) = v.as_f64().filter(|_| v.is_number()) {
                    let level = params
                        .entry(k)
                        .or_default()
                        .entry(v.to_string())
                        .or_insert((x, Tally::default()));
                    level.1.add(r);
                }
            }
        }
        for (name, levels) in params {
            if (2..=MAX_LEVELS).contains(&levels.len()) {
                let mut v: Vec<(f64, Tally)> = levels.into_values().collect();
                v.sort_by(|a, b| a.0.total_cmp(&b.0));
                out.push((task_id.clone(), name, v));
            }
        }
    }
    out
}

/// `params.csv`: accuracy per parameter value.
pub fn params_csv(s: &Scores) -> String {
    let mut out = format!("task_id,parameter,value,{TALLY_HEAD}\n");
    for (task, param, levels) in param_levels(s) {
        for (x, t) in levels {
            let _ = writeln!(out, "{},{},{x},{}", csv(&task), csv(&param), tally_csv(&t));
        }
    }
    out
}
