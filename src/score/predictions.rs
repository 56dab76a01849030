//! Reading model replies: JSON Lines, one object per row with the row `id` and the reply text
//! under `reply` (or `response`, `prediction`, `output`, the names harnesses commonly use).

use std::collections::BTreeMap;
use std::path::Path;

/// Keys accepted for the reply text, in order of preference.
pub const REPLY_KEYS: [&str; 4] = ["reply", "response", "prediction", "output"];

/// Reads a predictions file into `id → reply`. Errors name the line; an id given twice is an
/// error (which reply counts would be a guess).
pub fn read_predictions(path: &Path) -> Result<BTreeMap<String, String>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut out = BTreeMap::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let at = |msg: String| format!("{}:{}: {msg}", path.display(), i + 1);
        let (id, reply) = parse_line(line).map_err(at)?;
        if out.insert(id.clone(), reply).is_some() {
            return Err(at(format!("the id {id:?} has a second reply")));
        }
    }
    Ok(out)
}

fn parse_line(line: &str) -> Result<(String, String), String> {
    let v: serde_json::Value =
        serde_json::from_str(line).map_err(|e| format!("not a JSON object: {e}"))?;
    let obj = v.as_object().ok_or("not a JSON object")?;
    let id = match obj.get("id") {
        Some(serde_json::Value::String(s)) => s.clone(),
        _ => return Err("no string `id`".into()),
    };
    let reply = REPLY_KEYS
        .iter()
        .find_map(|k| obj.get(*k))
        .ok_or_else(|| format!("no reply: expected one of {}", REPLY_KEYS.join(", ")))?;
    let reply = match reply {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Null => return Err("the reply is null".into()),
        other => other.to_string(),
    };
    Ok((id, reply))
}
