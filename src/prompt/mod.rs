//! Prompts: Tera templates rendered per sample.
//!
//! Invariants: one Tera instance per task, built at validation time, so template syntax
//! errors surface before any sample is made. Templates cannot read the environment
//! (`get_env` is replaced by a function that fails) and have no file access. The context
//! holds constants, grid variables, vars and answers as JSON values, in a fixed order.

use indexmap::IndexMap;

use crate::expr::Value;

/// Largest rendered prompt, in bytes.
pub const MAX_PROMPT_BYTES: usize = 64 * 1024;

/// A Tera engine with the environment-reading function disabled.
pub fn new_engine() -> tera::Tera {
    let mut tera = tera::Tera::default();
    tera.autoescape_on(vec![]);
    tera.register_function(
        "get_env",
        |_: &std::collections::HashMap<String, tera::Value>| {
            Err(tera::Error::msg(
                "get_env is disabled: prompts cannot read the environment",
            ))
        },
    );
    tera
}

/// The message of a Tera error with all its causes, on one line.
pub fn error_chain(e: &tera::Error) -> String {
    let mut parts = vec![e.to_string()];
    let mut cur: Option<&dyn std::error::Error> = std::error::Error::source(e);
    while let Some(c) = cur {
        parts.push(c.to_string());
        cur = c.source();
    }
    parts.join(": ").replace('\n', " ")
}

/// Renders prompt `id` with the sample's values.
pub fn render(
    tera: &tera::Tera,
    id: &str,
    scope: &IndexMap<String, Value>,
) -> Result<String, String> {
    let mut ctx = tera::Context::new();
    for (k, v) in scope {
        let json = v
            .to_json()
            .map_err(|e| format!("`{k}` cannot be shown in a prompt ({e})"))?;
        ctx.insert(k.as_str(), &json);
    }
    let text = tera.render(id, &ctx).map_err(|e| error_chain(&e))?;
    if text.len() > MAX_PROMPT_BYTES {
        return Err(format!(
            "the rendered prompt is {} bytes, more than {MAX_PROMPT_BYTES}",
            text.len()
        ));
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_and_blocks_env() {
        let mut t = new_engine();
        t.add_raw_template("p", "n={{ n }} <&>").unwrap();
        t.add_raw_template("env", "{{ get_env(name='HOME') }}")
            .unwrap();
        let mut scope = IndexMap::new();
        scope.insert("n".to_string(), Value::Int(3));
        assert_eq!(render(&t, "p", &scope).unwrap(), "n=3 <&>");
        assert!(render(&t, "env", &scope).unwrap_err().contains("disabled"));
    }
}
