//! A bounded pre-scan for YAML flow collections (`[`, `{`) nested too deeply.
//!
//! libyaml (under serde_yaml) does work proportional to the current flow depth for every
//! token it scans, and serde_yaml scans a whole document before its recursion limit applies,
//! so a few kilobytes of `[[[[…` on one line take seconds and a few megabytes take hours.
//! [`too_deep_at`] runs libyaml's own scanner (so it agrees exactly with the real parse on
//! what is a flow indicator) and stops at the first collection deeper than the `yaml-depth`
//! limit (whose ceiling is below serde_yaml's 128), which keeps the work per token bounded.

use std::mem::MaybeUninit;

use unsafe_libyaml::{
    YAML_FLOW_MAPPING_END_TOKEN, YAML_FLOW_MAPPING_START_TOKEN, YAML_FLOW_SEQUENCE_END_TOKEN,
    YAML_FLOW_SEQUENCE_START_TOKEN, YAML_NO_TOKEN, YAML_STREAM_END_TOKEN, yaml_parser_delete,
    yaml_parser_initialize, yaml_parser_scan, yaml_parser_set_input_string, yaml_parser_t,
    yaml_token_delete, yaml_token_t,
};

/// The byte offset of the first flow collection nested deeper than `max_depth`, if any.
/// Scanning stops at the first YAML syntax error, which the real parse then reports.
pub fn too_deep_at(text: &str, max_depth: u64) -> Option<usize> {
    let mut parser = Box::new(MaybeUninit::<yaml_parser_t>::uninit());
    let p = parser.as_mut_ptr();
    // SAFETY: `p` points to boxed storage that outlives the parser and never moves;
    // `yaml_parser_initialize` zeroes and sets it up, and on failure leaves nothing to free.
    if unsafe { yaml_parser_initialize(p) }.fail {
        return None;
    }
    // SAFETY: the parser only reads `text`, which outlives it (deleted below).
    unsafe { yaml_parser_set_input_string(p, text.as_ptr(), text.len() as u64) };
    let mut depth = 0u64;
    let found = loop {
        let mut token = MaybeUninit::<yaml_token_t>::uninit();
        // SAFETY: `yaml_parser_scan` zeroes `token` before filling it, so it is initialised
        // whether or not scanning succeeds.
        let ok = unsafe { yaml_parser_scan(p, token.as_mut_ptr()) }.ok;
        let mut token = unsafe { token.assume_init() };
        let (kind, at) = (token.type_, token.start_mark.index as usize);
        // SAFETY: the token was produced by `yaml_parser_scan` and is deleted once.
        unsafe { yaml_token_delete(&mut token) };
        match kind {
            _ if !ok => break None,
            YAML_STREAM_END_TOKEN | YAML_NO_TOKEN => break None,
            YAML_FLOW_SEQUENCE_START_TOKEN | YAML_FLOW_MAPPING_START_TOKEN => {
                depth += 1;
                if depth > max_depth {
                    break Some(at);
                }
            }
            YAML_FLOW_SEQUENCE_END_TOKEN | YAML_FLOW_MAPPING_END_TOKEN => {
                depth = depth.saturating_sub(1);
            }
            _ => {}
        }
    };
    // SAFETY: initialised above and not used afterwards.
    unsafe { yaml_parser_delete(p) };
    found
}

#[cfg(test)]
mod tests {
    /// The default `yaml-depth` limit.
    const MAX_FLOW_DEPTH: usize = 64;

    fn too_deep_at(text: &str) -> Option<usize> {
        super::too_deep_at(text, MAX_FLOW_DEPTH as u64)
    }

    #[test]
    fn finds_the_first_collection_past_the_limit() {
        let deep = format!("a: {}", "[".repeat(MAX_FLOW_DEPTH + 5));
        assert_eq!(too_deep_at(&deep), Some(3 + MAX_FLOW_DEPTH));
        let mixed = format!("a: {}", "{b: [".repeat(MAX_FLOW_DEPTH));
        assert_eq!(too_deep_at(&mixed), Some(3 + 5 * (MAX_FLOW_DEPTH / 2)));
    }

    #[test]
    fn brackets_that_are_not_flow_indicators_do_not_count() {
        let n = MAX_FLOW_DEPTH;
        let nested = format!("a: {}{}", "[{a: ".repeat(n / 2), "}]".repeat(n / 2));
        let text = format!(
            "{nested}\nb: '{0}'\nc: \"{0}\"\n# {0}\nd: |\n  {0}\n",
            "[".repeat(500)
        );
        assert_eq!(too_deep_at(&text), None);
        let parsed: serde_yaml::Value = serde_yaml::from_str(&text).unwrap();
        assert_eq!(
            parsed["d"].as_str().map(str::len),
            Some(501),
            "a valid document"
        );
        assert_eq!(
            too_deep_at("a: [1, 2"),
            None,
            "syntax errors are left to the parse"
        );
    }

    #[test]
    fn megabytes_of_brackets_are_rejected_quickly() {
        let text = format!("a: {}", "[".repeat(4 << 20));
        let start = std::time::Instant::now();
        assert!(too_deep_at(&text).is_some());
        assert!(start.elapsed().as_secs() < 20, "{:?}", start.elapsed());
    }
}
