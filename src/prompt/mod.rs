//! Prompts: Tera templates rendered per sample.
//!
//! Invariants: one Tera instance per task, built at validation time, so template syntax
//! errors surface before any sample is made. Templates cannot read the environment
//! (`get_env` is replaced by a function that fails) and have no file access. The context
//! holds constants, grid variables, vars and answers as JSON values, in a fixed order.

use indexmap::IndexMap;

use crate::expr::Value;

/// Template tags that reach other templates: a prompt could include or call itself without end
/// (Tera recurses until the stack overflows), and no prompt needs another template.
const FORBIDDEN_TAGS: &[&str] = &["include", "import", "extends", "macro", "block"];

/// The first tag of [`FORBIDDEN_TAGS`] the template uses, if any (also inside `raw` blocks,
/// which errs on the safe side).
pub fn forbidden_tag(template: &str) -> Option<&'static str> {
    template.split("{%").skip(1).find_map(|rest| {
        let word = rest.trim_start_matches(['-', ' ', '\t', '\n', '\r']);
        let word = word
            .split(|c: char| !c.is_ascii_alphanumeric() && c != '_')
            .next()?;
        FORBIDDEN_TAGS.iter().find(|t| **t == word).copied()
    })
}

/// Why a prompt did not render.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderError {
    /// What went wrong.
    pub message: String,
    /// The resource limit it ran into, if that was the cause.
    pub limit: Option<&'static str>,
}

impl RenderError {
    fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            limit: None,
        }
    }
}

impl std::fmt::Display for RenderError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

/// Most numbers one call of the template function `range` may produce.
pub const MAX_RANGE: usize = 10_000;

/// A Tera engine with the environment-reading function disabled and `range` capped.
pub fn new_engine() -> tera::Tera {
    let mut tera = tera::Tera::default();
    tera.autoescape_on(vec![]);
    tera.register_function("range", capped_range);
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

/// Renders prompt `id` with the sample's values; the text may have at most `max_bytes`.
pub fn render(
    tera: &tera::Tera,
    id: &str,
    scope: &IndexMap<String, Value>,
    max_bytes: u64,
) -> Result<String, RenderError> {
    let mut ctx = tera::Context::new();
    for (k, v) in scope {
        let json = v
            .to_json()
            .map_err(|e| RenderError::new(format!("`{k}` cannot be shown in a prompt ({e})")))?;
        ctx.insert(k.as_str(), &json);
    }
    let mut out = Capped {
        text: Vec::new(),
        max: max_bytes,
    };
    if let Err(e) = tera.render_to(id, &ctx, &mut out) {
        return Err(match out.full() {
            true => RenderError {
                message: format!(
                    "the rendered prompt is longer than the limit of {max_bytes} bytes"
                ),
                limit: Some("prompt-bytes"),
            },
            false => RenderError::new(error_chain(&e)),
        });
    }
    String::from_utf8(out.text).map_err(|_| RenderError::new("the rendered prompt is not UTF-8"))
}

/// Tera's `range` with the same arguments, refusing more than [`MAX_RANGE`] numbers.
fn capped_range(
    args: &std::collections::HashMap<String, tera::Value>,
) -> tera::Result<tera::Value> {
    let arg = |name: &str, default: Option<u64>| match args.get(name) {
        Some(v) => v
            .as_u64()
            .ok_or_else(|| tera::Error::msg(format!("`range`: `{name}` must be a whole number"))),
        None => default.ok_or_else(|| tera::Error::msg(format!("`range` needs `{name}`"))),
    };
    let (start, end, step) = (
        arg("start", Some(0))?,
        arg("end", None)?,
        arg("step_by", Some(1))?,
    );
    if step == 0 || start > end {
        return Err(tera::Error::msg(
            "`range` needs start <= end and step_by >= 1",
        ));
    }
    if (end - start).div_ceil(step) > MAX_RANGE as u64 {
        return Err(tera::Error::msg(format!(
            "`range` may produce at most {MAX_RANGE} numbers"
        )));
    }
    Ok((start..end)
        .step_by(step as usize)
        .collect::<Vec<_>>()
        .into())
}

/// A sink that stops a render once it has written more than `max` bytes.
struct Capped {
    text: Vec<u8>,
    max: u64,
}

impl Capped {
    fn full(&self) -> bool {
        self.text.len() as u64 > self.max
    }
}

impl std::io::Write for Capped {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.text.extend_from_slice(buf);
        match self.full() {
            true => Err(std::io::Error::other("prompt too long")),
            false => Ok(buf.len()),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
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
        assert_eq!(render(&t, "p", &scope, 100).unwrap(), "n=3 <&>");
        assert!(
            render(&t, "env", &scope, 100)
                .unwrap_err()
                .message
                .contains("disabled")
        );
    }

    #[test]
    fn tags_that_reach_other_templates_are_found() {
        assert_eq!(forbidden_tag("{% include \"p1\" %}"), Some("include"));
        assert_eq!(
            forbidden_tag("a {%- macro m() %}{% endmacro %}"),
            Some("macro")
        );
        assert_eq!(forbidden_tag("{%extends \"x\"%}"), Some("extends"));
        assert_eq!(
            forbidden_tag("{% if n > 1 %}s{% endif %} {{ n }} {% for i in x %}{% endfor %}"),
            None
        );
        assert_eq!(forbidden_tag("{% included %}"), None);
    }

    #[test]
    fn output_and_ranges_are_bounded() {
        let mut t = new_engine();
        t.add_raw_template("loop", "{% for i in range(end=n) %}ab{% endfor %}")
            .unwrap();
        t.add_raw_template(
            "steps",
            "{% for i in range(start=2, end=9, step_by=3) %}{{ i }},{% endfor %}",
        )
        .unwrap();
        let mut scope = IndexMap::new();
        scope.insert("n".to_string(), Value::Int(50));
        assert_eq!(render(&t, "loop", &scope, 100).unwrap().len(), 100);
        assert_eq!(render(&t, "steps", &scope, 100).unwrap(), "2,5,8,");
        let long = render(&t, "loop", &scope, 99).unwrap_err().message;
        assert!(long.contains("longer than the limit of 99"), "{long}");
        scope.insert("n".to_string(), Value::Int(10_000_000_000));
        let huge = render(&t, "loop", &scope, 1 << 40).unwrap_err().message;
        assert!(huge.contains("at most 10000 numbers"), "{huge}");
    }
}
