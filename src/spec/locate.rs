//! Mapping spec paths (`scene.shapes[2].circle.r`) back to line and column.
//!
//! serde_yaml reports positions only for its own errors. For semantic errors found later
//! (an unknown variable inside an expression, an empty axis), this module scans the source
//! text for the path, following block and flow mappings and sequences. It is best effort:
//! when the scan cannot follow the YAML it returns `None` and the diagnostic shows the spec
//! path alone. It never panics on any input.

use crate::diag::Location;

#[derive(Debug, PartialEq)]
enum Seg<'a> {
    Key(&'a str),
    Index(usize),
}

/// The location of a byte offset, underlining `len` characters.
pub fn location_at(file: &str, text: &str, offset: usize, len: usize) -> Option<Location> {
    let offset = floor_char_boundary(text, offset.min(text.len()));
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
    Some(Location {
        file: file.to_string(),
        line: text[..offset].matches('\n').count() + 1,
        column: text[line_start..offset].chars().count() + 1,
        len: len.max(1),
        line_text: text[line_start..line_end].to_string(),
    })
}

/// The location of the value at `path`, if the scan can find it. `extra` is added to the
/// value's offset (inside the quotes of a quoted string) and `len` characters are underlined.
pub fn locate_path(
    file: &str,
    text: &str,
    path: &str,
    extra: Option<(usize, usize)>,
) -> Option<Location> {
    let segs = parse_path(path)?;
    let mut pos = 0usize;
    let mut min_col = 0usize;
    for (i, seg) in segs.iter().enumerate() {
        match seg {
            Seg::Key(k) => {
                let (key_at, value_at) =
                    find_key(text, pos, k, if i == 0 { Some(0) } else { None }, min_col)?;
                min_col = column_of(text, key_at);
                pos = value_at;
            }
            Seg::Index(n) => {
                pos = find_item(text, pos, *n)?;
                // Keys of a block mapping inside the item start at the item's column.
                min_col = column_of(text, pos).saturating_sub(1);
            }
        }
    }
    let value = value_start(text, pos);
    match extra {
        Some((off, len)) => {
            let quoted = matches!(text.as_bytes().get(value), Some(b'"' | b'\''));
            location_at(file, text, value + usize::from(quoted) + off, len)
        }
        None => location_at(file, text, value, 1),
    }
}

fn parse_path(path: &str) -> Option<Vec<Seg<'_>>> {
    let mut segs = Vec::new();
    for part in path.split('.') {
        let (key, rest) = part.split_once('[').unwrap_or((part, ""));
        if !key.is_empty() {
            segs.push(Seg::Key(key));
        }
        for idx in rest.split('[') {
            let idx = idx.trim_end_matches(']');
            if !idx.is_empty() {
                segs.push(Seg::Index(idx.parse().ok()?));
            }
        }
    }
    Some(segs)
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn column_of(text: &str, pos: usize) -> usize {
    let line_start = text[..pos].rfind('\n').map_or(0, |i| i + 1);
    pos - line_start
}

/// Finds `key:` after `from`; at top level (`col = Some(0)`) it must start a line, elsewhere
/// it must follow indentation deeper than `min_col`, `{`, `,` or `- `. Returns the offsets of
/// the key and of the text after its colon.
fn find_key(
    text: &str,
    from: usize,
    key: &str,
    col: Option<usize>,
    min_col: usize,
) -> Option<(usize, usize)> {
    let mut search = from;
    while let Some(rel) = text.get(search..)?.find(key) {
        let at = search + rel;
        search = at + key.len().max(1);
        let after = text[at + key.len()..].trim_start_matches([' ', '"', '\'']);
        if !after.starts_with(':') {
            continue;
        }
        let before = text[..at].trim_end_matches(['"', '\'']);
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let lead = &before[line_start..];
        let key_col = at - line_start;
        let ok = match col {
            Some(c) => lead.is_empty() && key_col == c,
            None => {
                let block = lead.trim_start_matches([' ', '-']).is_empty() && key_col > min_col;
                let flow = lead.trim_end().ends_with(['{', ',']);
                block || flow || at == from
            }
        };
        if ok {
            return Some((at, at + text[at..].find(':')? + 1));
        }
    }
    None
}

/// Finds the start of item `n` of the sequence whose value starts after `from`.
fn find_item(text: &str, from: usize, n: usize) -> Option<usize> {
    let start = skip_blank(text, from);
    match text.as_bytes().get(start)? {
        b'[' => find_flow_item(text, start + 1, n),
        b'-' => find_block_item(text, start, n),
        _ => None,
    }
}

fn skip_blank(text: &str, mut i: usize) -> usize {
    let b = text.as_bytes();
    while i < b.len() {
        match b[i] {
            b' ' | b'\t' | b'\n' | b'\r' => i += 1,
            b'#' => i = text[i..].find('\n').map_or(b.len(), |j| i + j),
            _ => break,
        }
    }
    i
}

fn find_flow_item(text: &str, mut i: usize, n: usize) -> Option<usize> {
    let b = text.as_bytes();
    let (mut depth, mut count) = (0i32, 0usize);
    if n == 0 {
        return Some(skip_blank(text, i));
    }
    while i < b.len() {
        match b[i] {
            b'[' | b'{' => depth += 1,
            b']' | b'}' if depth == 0 => return None,
            b']' | b'}' => depth -= 1,
            b'"' | b'\'' => i = skip_quoted(text, i),
            b',' if depth == 0 => {
                count += 1;
                if count == n {
                    return Some(skip_blank(text, i + 1));
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

fn skip_quoted(text: &str, start: usize) -> usize {
    let b = text.as_bytes();
    let q = b[start];
    let mut i = start + 1;
    while i < b.len() && b[i] != q {
        i += if b[i] == b'\\' && q == b'"' { 2 } else { 1 };
    }
    i.min(b.len().saturating_sub(1))
}

fn find_block_item(text: &str, dash: usize, n: usize) -> Option<usize> {
    let col = column_of(text, dash);
    let mut count = 0usize;
    let mut line_start = dash - col;
    while line_start < text.len() {
        let line_end = text[line_start..]
            .find('\n')
            .map_or(text.len(), |i| line_start + i);
        let line = &text[line_start..line_end];
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        if !trimmed.is_empty() && !trimmed.starts_with('#') {
            if indent < col || (indent == col && !trimmed.starts_with('-')) {
                return None;
            }
            if indent == col {
                if count == n {
                    return Some(skip_blank(text, line_start + indent + 1));
                }
                count += 1;
            }
        }
        line_start = line_end + 1;
    }
    None
}

fn value_start(text: &str, pos: usize) -> usize {
    let b = text.as_bytes();
    let mut i = pos;
    while i < b.len() && (b[i] == b' ' || b[i] == b'\t') {
        i += 1;
    }
    if i < b.len() && b[i] != b'\n' && b[i] != b'#' {
        i
    } else {
        pos.saturating_sub(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SRC: &str = "name: x\nvars:\n  rad: \"0.5 / r\"\n  gap: d * 2\nscene:\n  shapes:\n    - circle: {cx: 1, cy: \"= a\", r: 3}\n    - line:\n        x1: 0\n        y1: \"= b\"\n";

    fn at(path: &str) -> (usize, usize) {
        let l = locate_path("f", SRC, path, None).unwrap();
        (l.line, l.column)
    }

    #[test]
    fn finds_block_and_flow_values() {
        assert_eq!(at("vars.rad"), (3, 8));
        assert_eq!(at("vars.gap"), (4, 8));
        assert_eq!(at("scene.shapes[0].circle.cy"), (7, 27));
        assert_eq!(at("scene.shapes[1].line.y1"), (10, 13));
    }

    #[test]
    fn offsets_inside_quoted_strings() {
        let l = locate_path("f", SRC, "vars.rad", Some((6, 1))).unwrap();
        assert_eq!((l.line, l.column), (3, 15));
    }

    #[test]
    fn flow_sequences_and_missing_paths() {
        let src = "grid:\n  d: [1, 2, \"x\"]\n";
        let l = locate_path("f", src, "grid.d[2]", None).unwrap();
        assert_eq!((l.line, l.column), (2, 13));
        assert!(locate_path("f", src, "grid.e", None).is_none());
        assert!(locate_path("f", "", "a.b[3]", None).is_none());
    }
}
