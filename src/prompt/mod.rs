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
///
/// Only the values the template can name go into its context: `names` is [`named_in`] of its
/// text, found once when the spec is loaded (`None`: every value). Turning
/// every value of a sample into JSON for each prompt cost more than rendering it. A value
/// the template does not name cannot change its text, so the output is the same.
pub fn render(
    tera: &tera::Tera,
    id: &str,
    names: Option<&[String]>,
    scope: &IndexMap<String, Value>,
    max_bytes: u64,
) -> Result<String, RenderError> {
    let named = |k: &str| names.is_none_or(|n| n.binary_search_by(|w| w.as_str().cmp(k)).is_ok());
    let mut ctx = tera::Context::new();
    for (k, v) in scope.iter().filter(|(k, _)| named(k)) {
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

/// Tera's variable that holds the whole context.
const WHOLE_CONTEXT: &str = "__tera_context";

/// Every word of `source`'s code that could name a context variable, sorted and unique;
/// `None` when the template reads the whole context ([`WHOLE_CONTEXT`]).
///
/// A Tera template reaches a context variable only by writing its name as an identifier
/// (ASCII letters, digits and `_`) inside `{{ … }}` or `{% … %}`, or through
/// [`WHOLE_CONTEXT`]; it cannot include other templates ([`forbidden_tag`]). So the words of
/// those regions cover every variable it can read, and the prose around them (whose words
/// often match a spec's names, such as `lines` or `size`) adds nothing. Regions are found
/// generously: inside comments and raw blocks too, and to the end of the text when one is
/// not closed, so the words can only be more than the template reads, never fewer.
pub fn named_in(source: &str) -> Option<Vec<String>> {
    let mut words: Vec<String> = code_regions(source)
        .iter()
        .flat_map(|code| code.split(|c: char| !c.is_ascii_alphanumeric() && c != '_'))
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect();
    words.sort_unstable();
    words.dedup();
    let whole = words.iter().any(|w| w == WHOLE_CONTEXT);
    (!whole).then_some(words)
}

/// The text inside every `{{ … }}` and `{% … %}` of `source`. A region ends at the first
/// `}}` (or `%}`) outside a string literal (`"…"`, `'…'` or `` `…` ``; Tera strings have no
/// escapes); an unclosed region or string runs to the end of the text.
fn code_regions(source: &str) -> Vec<&str> {
    let b = source.as_bytes();
    let (mut regions, mut i) = (Vec::new(), 0);
    while i + 1 < b.len() {
        let close = match (b[i], b[i + 1]) {
            (b'{', b'{') => b'}',
            (b'{', b'%') => b'%',
            _ => {
                i += 1;
                continue;
            }
        };
        let start = i + 2;
        let mut j = start;
        while j < b.len() && !(b[j] == close && b.get(j + 1) == Some(&b'}')) {
            if matches!(b[j], b'"' | b'\'' | b'`') {
                let quote = b[j];
                j += 1;
                while j < b.len() && b[j] != quote {
                    j += 1;
                }
            }
            j += 1;
        }
        // `start` and `j` sit at ASCII bytes (or the end), so both are char boundaries.
        regions.push(&source[start..j.min(b.len())]);
        i = j + 2;
    }
    regions
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

    /// An engine with these `(id, template)` pairs, and a renderer of them by id.
    struct Engine {
        tera: tera::Tera,
        sources: Vec<(&'static str, &'static str)>,
    }

    impl Engine {
        fn new(sources: &[(&'static str, &'static str)]) -> Self {
            let mut tera = new_engine();
            for (id, source) in sources {
                tera.add_raw_template(id, source).unwrap();
            }
            let sources = sources.to_vec();
            Self { tera, sources }
        }

        fn render(
            &self,
            id: &str,
            scope: &IndexMap<String, Value>,
            max: u64,
        ) -> Result<String, RenderError> {
            let source = self.sources.iter().find(|s| s.0 == id).unwrap().1;
            render(&self.tera, id, named_in(source).as_deref(), scope, max)
        }
    }

    #[test]
    fn renders_and_blocks_env() {
        let t = Engine::new(&[
            ("p", "n={{ n }} <&>"),
            ("env", "{{ get_env(name='HOME') }}"),
        ]);
        let mut scope = IndexMap::new();
        scope.insert("n".to_string(), Value::Int(3));
        assert_eq!(t.render("p", &scope, 100).unwrap(), "n=3 <&>");
        assert!(
            t.render("env", &scope, 100)
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
        let t = Engine::new(&[
            ("loop", "{% for i in range(end=n) %}ab{% endfor %}"),
            (
                "steps",
                "{% for i in range(start=2, end=9, step_by=3) %}{{ i }},{% endfor %}",
            ),
        ]);
        let mut scope = IndexMap::new();
        scope.insert("n".to_string(), Value::Int(50));
        assert_eq!(t.render("loop", &scope, 100).unwrap().len(), 100);
        assert_eq!(t.render("steps", &scope, 100).unwrap(), "2,5,8,");
        let long = t.render("loop", &scope, 99).unwrap_err().message;
        assert!(long.contains("longer than the limit of 99"), "{long}");
        scope.insert("n".to_string(), Value::Int(10_000_000_000));
        let huge = t.render("loop", &scope, 1 << 40).unwrap_err().message;
        assert!(huge.contains("at most 10000 numbers"), "{huge}");
    }

    /// The context holds the values a template names, so one it does not name cannot stop
    /// it (here a float JSON cannot show); `__tera_context` names them all.
    #[test]
    fn the_context_holds_the_values_the_template_names() {
        let t = Engine::new(&[
            ("n", "{{ n }}{% if n_max is defined %}!{% endif %}"),
            ("bad", "{{ bad }}"),
            ("all", "{{ __tera_context }}"),
            ("loop", "{% for x in xs %}{{ x }}{% endfor %}"),
        ]);
        let mut scope = IndexMap::new();
        scope.insert("n".to_string(), Value::Int(3));
        scope.insert(
            "xs".to_string(),
            Value::List(vec![Value::Int(1), Value::Int(2)]),
        );
        scope.insert("bad".to_string(), Value::Float(f64::NAN));
        assert_eq!(t.render("n", &scope, 100).unwrap(), "3");
        assert_eq!(t.render("loop", &scope, 100).unwrap(), "12");
        for id in ["bad", "all"] {
            let e = t.render(id, &scope, 1000).unwrap_err().message;
            assert!(e.contains("`bad` cannot be shown"), "{id}: {e}");
        }
        scope.shift_remove("bad");
        scope.insert("n_max".to_string(), Value::Int(9));
        assert_eq!(t.render("n", &scope, 100).unwrap(), "3!");
        let all = t.render("all", &scope, 1000).unwrap();
        assert!(all.contains("\"xs\"") && all.contains("\"n_max\""), "{all}");
    }

    #[test]
    fn named_words_are_sorted_and_unique() {
        let words = named_in("{{ b.c }} {{a}} {% if b %}x-y{% endif %}").unwrap();
        assert_eq!(words, ["a", "b", "c", "endif", "if"]);
        assert_eq!(named_in("{{ __tera_context }}"), None);
    }

    /// Only the code of a template names variables: the words of its prose do not, but a
    /// region is never cut short by a string literal, and an unclosed one runs to the end.
    #[test]
    fn prose_words_are_not_names() {
        let words = |s: &str| named_in(s).unwrap();
        assert_eq!(words("Count the lines of size {{ n }}, e.g. {3}."), ["n"]);
        assert_eq!(words(r#"{{ "}}" ~ a ~ '%}' ~ `}}` ~ b }} c"#), ["a", "b"]);
        assert_eq!(words("{%- if x -%}y{%- endif -%}"), ["endif", "if", "x"]);
        assert_eq!(words("{# {{ z }} #}{{ a"), ["a", "z"]);
        assert_eq!(words("{{ \"open ~ q }}"), ["open", "q"]);
        assert_eq!(words("no code at all, {or} %} }}"), Vec::<String>::new());
        assert_eq!(words("é {{ ü ~ a }} ß"), ["a"]);
    }

    /// A template renders the same whether its context holds only the names of its code or
    /// every value of the sample, for templates that mix prose, strings and tags.
    #[test]
    fn the_named_context_renders_like_the_whole_scope() {
        let templates = [
            ("t1", "Count the lines of {{ name }} (size {{ size }})."),
            (
                "t2",
                r#"{% if n > 1 %}{{ n }} lines{% else %}"one" line{% endif %}"#,
            ),
            (
                "t3",
                r#"{{ "size}}" ~ name }} {% for x in lines %}{{ x }},{% endfor %}"#,
            ),
            (
                "t4",
                "{{ name | upper }} {{ lines | length }} {{ size * 2 }}",
            ),
        ];
        let t = Engine::new(&templates);
        let mut scope = IndexMap::new();
        scope.insert("name".to_string(), Value::Str("blue".into()));
        scope.insert("size".to_string(), Value::Int(384));
        scope.insert("n".to_string(), Value::Int(2));
        scope.insert(
            "lines".to_string(),
            Value::List(vec![Value::Int(1), Value::Int(2)]),
        );
        for (id, source) in templates {
            let named = t.render(id, &scope, 1000).unwrap();
            let whole = render(&t.tera, id, None, &scope, 1000).unwrap();
            assert_eq!(named, whole, "{id}: {source}");
        }
    }
}
