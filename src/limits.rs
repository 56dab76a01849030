//! Resource limits: how much a spec may ask of the machine.
//!
//! Specs are shared and downloaded, so they are treated as untrusted: each dimension a spec
//! controls that costs memory or time has a default limit, and exceeding it is a located
//! error whose hint names the override (`--limit NAME=VALUE`). An override may raise a limit
//! up to its ceiling and never past it: the ceilings are what the code can actually handle
//! (the YAML parser's own recursion guard, the rasterizer's largest canvas).
//!
//! Limits never change output: a build that stays within them produces the same bytes
//! whatever the limits are, so they are not part of the manifest.

use std::fmt::Write as _;

/// The limits one load or build runs under.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Pixels of one canvas (width × height).
    pub canvas_pixels: u64,
    /// Images in one build, over all tasks and `--repeat` copies.
    pub samples: u64,
    /// The largest `sampling.retries` a spec may ask for.
    pub retries: u64,
    /// Expression evaluation steps per sample (per draw attempt for the draw).
    pub eval_steps: u64,
    /// Bytes of one rendered prompt.
    pub prompt_bytes: u64,
    /// Nesting depth of the YAML document.
    pub yaml_depth: u64,
    /// YAML nodes after expanding aliases.
    pub yaml_nodes: u64,
}

/// One limit: its option name, default, ceiling and meaning.
pub struct LimitDef {
    /// Name used by `--limit NAME=VALUE`.
    pub name: &'static str,
    /// Value when not overridden.
    pub default: u64,
    /// Highest value an override may set.
    pub ceiling: u64,
    /// What it bounds.
    pub doc: &'static str,
    get: fn(&Limits) -> u64,
    set: fn(&mut Limits, u64),
}

/// Every limit, in the order `blindspot limits` and the docs list them.
pub const LIMITS: &[LimitDef] = &[
    LimitDef {
        name: "canvas-pixels",
        default: 64_000_000,
        ceiling: crate::render::MAX_PIXELS,
        doc: "pixels of one canvas (width × height)",
        get: |l| l.canvas_pixels,
        set: |l, v| l.canvas_pixels = v,
    },
    LimitDef {
        name: "samples",
        default: 10_000_000,
        ceiling: 1_000_000_000_000,
        doc: "images in one build, over all tasks and --repeat copies",
        get: |l| l.samples,
        set: |l, v| l.samples = v,
    },
    LimitDef {
        name: "retries",
        default: 1_000_000,
        ceiling: u32::MAX as u64,
        doc: "largest `sampling.retries` a spec may set",
        get: |l| l.retries,
        set: |l, v| l.retries = v,
    },
    LimitDef {
        name: "eval-steps",
        default: crate::expr::DEFAULT_STEPS,
        ceiling: 1_000_000_000_000,
        doc: "expression evaluation steps per sample (per attempt while drawing)",
        get: |l| l.eval_steps,
        set: |l, v| l.eval_steps = v,
    },
    LimitDef {
        name: "prompt-bytes",
        default: 64 * 1024,
        ceiling: 16 * 1024 * 1024,
        doc: "bytes of one rendered prompt",
        get: |l| l.prompt_bytes,
        set: |l, v| l.prompt_bytes = v,
    },
    LimitDef {
        name: "yaml-depth",
        default: 64,
        ceiling: 120,
        doc: "nesting depth of a YAML document (the parser stops at 128)",
        get: |l| l.yaml_depth,
        set: |l, v| l.yaml_depth = v,
    },
    LimitDef {
        name: "yaml-nodes",
        default: 1_000_000,
        ceiling: 100_000_000,
        doc: "YAML nodes after expanding aliases (stops billion-laughs documents)",
        get: |l| l.yaml_nodes,
        set: |l, v| l.yaml_nodes = v,
    },
];

impl Default for Limits {
    fn default() -> Self {
        let mut l = Limits {
            canvas_pixels: 0,
            samples: 0,
            retries: 0,
            eval_steps: 0,
            prompt_bytes: 0,
            yaml_depth: 0,
            yaml_nodes: 0,
        };
        for d in LIMITS {
            (d.set)(&mut l, d.default);
        }
        l
    }
}

impl Limits {
    /// Applies one `NAME=VALUE` override (digits may be grouped with `_`).
    pub fn apply(&mut self, setting: &str) -> Result<(), String> {
        let (name, value) = setting
            .split_once('=')
            .ok_or_else(|| format!("`{setting}` is not NAME=VALUE"))?;
        let def = LIMITS
            .iter()
            .find(|d| d.name == name.trim())
            .ok_or_else(|| format!("unknown limit `{}`; the limits are {}", name, names()))?;
        let value: u64 =
            value.trim().replace('_', "").parse().map_err(|_| {
                format!("the value of `{name}` must be a whole number, got `{value}`")
            })?;
        if value == 0 || value > def.ceiling {
            return Err(format!(
                "`{name}` must be between 1 and {}, got {value}",
                def.ceiling
            ));
        }
        (def.set)(self, value);
        Ok(())
    }

    /// Limits with every override applied in order.
    pub fn with(settings: &[String]) -> Result<Self, String> {
        let mut l = Limits::default();
        for s in settings {
            l.apply(s)?;
        }
        Ok(l)
    }

    /// A table of the limits in force, for `blindspot limits`.
    pub fn table(&self) -> String {
        let mut out = format!(
            "{:<14} {:<15} {:<15} {:<15} meaning\n",
            "limit", "value", "default", "ceiling"
        );
        for d in LIMITS {
            let _ = writeln!(
                out,
                "{:<14} {:<15} {:<15} {:<15} {}",
                d.name,
                (d.get)(self),
                d.default,
                d.ceiling,
                d.doc
            );
        }
        out
    }
}

/// The hint attached to an error caused by limit `name`.
pub fn hint(name: &str) -> String {
    format!("if the spec really needs more, raise the limit with `--limit {name}=N`")
}

fn names() -> String {
    LIMITS
        .iter()
        .map(|d| format!("`{}`", d.name))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overrides_parse_and_stay_under_the_ceiling() {
        let l = Limits::with(&["samples=20_000_000".into(), "yaml-depth=100".into()]).unwrap();
        assert_eq!((l.samples, l.yaml_depth), (20_000_000, 100));
        assert_eq!(l.canvas_pixels, Limits::default().canvas_pixels);
        let too_deep = Limits::with(&["yaml-depth=500".into()]).unwrap_err();
        assert!(too_deep.contains("between 1 and 120"), "{too_deep}");
        assert!(
            Limits::with(&["frames=3".into()])
                .unwrap_err()
                .contains("`samples`")
        );
        assert!(Limits::with(&["samples".into()]).is_err());
        assert!(Limits::with(&["samples=0".into()]).is_err());
        assert!(Limits::with(&["samples=lots".into()]).is_err());
    }

    #[test]
    fn every_limit_reads_back_what_was_set() {
        for d in LIMITS {
            let mut l = Limits::default();
            assert_eq!((d.get)(&l), d.default, "{}", d.name);
            assert!(d.default <= d.ceiling, "{}", d.name);
            l.apply(&format!("{}={}", d.name, d.ceiling)).unwrap();
            assert_eq!((d.get)(&l), d.ceiling, "{}", d.name);
        }
    }
}
