//! Deterministic generators for `tests/property.rs`: spec mutations and expressions built
//! from the language's tokens and built-in functions.

use blindspot::expr::{Value, functions};
use blindspot::rng::SampleRng;
use indexmap::IndexMap;

fn pick<'s>(rng: &mut SampleRng, xs: &[&'s str]) -> &'s str {
    xs[rng.below(xs.len() as u64) as usize]
}

/// Bytes that mean something to YAML or to the expression language.
const BYTES: &[u8] = b":-[]{}\"'&*!#|>?%@`,= \n\t\\0129.eaZ_";

/// YAML fragments inserted at line starts: structure, anchors, tags, odd scalars and
/// spec keys with hostile values.
const FRAGMENTS: &[&str] = &[
    "- ",
    "  - 1\n",
    "x: &a [1, 2]\ny: *a\n",
    "<<: *nope\n",
    "? [a, b]\n: c\n",
    "!!binary AAAA\n",
    "--- \n",
    "...\n",
    "vars: {r: uniform(1, 0)}\n",
    "grid: {n: []}\n",
    "grid:\n  n: {range: [0, 1000000000]}\n",
    "seed: -1\n",
    "seed: 99999999999999999999999\n",
    "constants: {k: 1 // 0}\n",
    "constants: {k: '[0] * 1000000'}\n",
    "  r: 1e400\n",
    "  cx: \"= [i for i in range(10 ** 9)]\"\n",
    "sampling: {per_cell: 4294967295}\n",
    "sampling: {repeat: 18446744073709551615}\n",
    "  - circle: {cx: 1, cy: 2, r: 3}\n",
    "  - text: {x: 1, y: 2, text: \"\\u0000\", size: 0}\n",
    "answers: {a: \"'x' * 99999999\"}\n",
    "\u{feff}",
    "\r\n",
    "é: ü\n",
    "'\\\n",
];

/// Replaces the value after some `key: ` with a generated expression.
fn replace_value(rng: &mut SampleRng, text: &str) -> String {
    let colons: Vec<usize> = text.match_indices(": ").map(|(i, _)| i).collect();
    if colons.is_empty() {
        return text.to_string();
    }
    let at = colons[rng.below(colons.len() as u64) as usize] + 2;
    let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
    let value = expression(rng).replace(['\n', '"', '\\'], " ");
    format!("{}\"= {value}\"{}", &text[..at], &text[end..])
}

/// One random edit of `text`.
fn mutate_once(rng: &mut SampleRng, text: &str) -> String {
    let mut lines: Vec<String> = text.split('\n').map(str::to_string).collect();
    let n = lines.len() as u64;
    let line = rng.below(n) as usize;
    match rng.below(8) {
        0 => {
            let mut bytes = text.as_bytes().to_vec();
            if !bytes.is_empty() {
                let at = rng.below(bytes.len() as u64) as usize;
                bytes[at] = BYTES[rng.below(BYTES.len() as u64) as usize];
            }
            return String::from_utf8_lossy(&bytes).into_owned();
        }
        1 => {
            lines.remove(line);
        }
        2 => {
            let copy = lines[line].clone();
            lines.insert(rng.below(n) as usize, copy);
        }
        3 => {
            let cut = rng.below(text.len() as u64 + 1) as usize;
            return String::from_utf8_lossy(&text.as_bytes()[..cut]).into_owned();
        }
        4 => lines.insert(line, pick(rng, FRAGMENTS).trim_end_matches('\n').into()),
        5 => {
            lines[line] = format!(
                "{}{}",
                pick(rng, &["  ", " ", "\t", ""]),
                lines[line].trim_start()
            )
        }
        6 => lines.swap(line, rng.below(n) as usize),
        _ => return replace_value(rng, text),
    }
    lines.join("\n")
}

/// A spec text derived from `text` by one to three random edits (mostly one).
pub fn mutate(rng: &mut SampleRng, text: &str) -> String {
    let mut out = text.to_string();
    let edits = if rng.below(3) == 0 {
        2 + rng.below(2)
    } else {
        1
    };
    for _ in 0..edits {
        out = mutate_once(rng, &out);
    }
    out
}

const LITERALS: &[&str] = &[
    "0",
    "1",
    "-1",
    "2",
    "3",
    "2.5",
    "0.1",
    "-0.0",
    "1e308",
    "1e-308",
    "9223372036854775807",
    "'a'",
    "'héllo'",
    "''",
    "\"x\\n\"",
    "true",
    "false",
    "[]",
    "[1, 2, 3]",
];

const NAMES: &[&str] = &[
    "n", "x", "s", "xs", "pts", "m", "big", "flag", "pi", "tau", "e", "i", "nope",
];

const BINARY: &[&str] = &[
    "+", "-", "*", "/", "//", "%", "**", "==", "!=", "<", "<=", ">", ">=", "in", "not in", "and",
    "or",
];

/// A random expression of nesting depth about `depth`: mostly well formed, drawn from the
/// language's literals, names, operators, comprehensions and every built-in function.
fn gen_expr(rng: &mut SampleRng, depth: u32) -> String {
    let sub = |rng: &mut SampleRng| gen_expr(rng, depth + 1);
    match rng.below(if depth > 3 { 2 } else { 12 }) {
        0 => pick(rng, LITERALS).into(),
        1 => pick(rng, NAMES).into(),
        2 | 3 => format!("{} {} {}", sub(rng), pick(rng, BINARY), sub(rng)),
        4 => format!("{}{}", pick(rng, &["-", "not ", "+"]), sub(rng)),
        5 => format!("({})", sub(rng)),
        6 => format!("[{}, {}]", sub(rng), sub(rng)),
        7 | 8 => {
            let f = functions()[rng.below(functions().len() as u64) as usize].name;
            let args: Vec<String> = (0..rng.below(4)).map(|_| sub(rng)).collect();
            format!("{f}({})", args.join(", "))
        }
        9 => match rng.below(4) {
            0 => format!("{}[{}]", sub(rng), sub(rng)),
            1 => format!("{}[{}:{}]", sub(rng), sub(rng), sub(rng)),
            2 => format!("{}[::{}]", sub(rng), sub(rng)),
            _ => format!("{}.{}", sub(rng), pick(rng, &["w", "h", "x", "glyphs"])),
        },
        10 => format!(
            "[{} for {} in {} if {}]",
            sub(rng),
            pick(rng, &["i", "p, q"]),
            sub(rng),
            sub(rng)
        ),
        _ => format!("{} if {} else {}", sub(rng), sub(rng), sub(rng)),
    }
}

/// A generated expression, one time in four with one byte deleted or inserted; one time in
/// eight raw bytes instead.
pub fn expression(rng: &mut SampleRng) -> String {
    if rng.below(8) == 0 {
        let bytes: Vec<u8> = (0..rng.below(24)).map(|_| rng.below(256) as u8).collect();
        return String::from_utf8_lossy(&bytes).into_owned();
    }
    let src = gen_expr(rng, 0);
    if rng.below(4) != 0 {
        return src;
    }
    let mut bytes = src.into_bytes();
    let at = rng.below(bytes.len() as u64) as usize;
    if rng.below(2) == 0 {
        bytes.remove(at);
    } else {
        bytes.insert(at, BYTES[rng.below(BYTES.len() as u64) as usize]);
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

/// Variables for generated expressions, covering every value type and some edges.
pub fn scope() -> IndexMap<String, Value> {
    let point = |x: f64, y: f64| Value::List(vec![Value::Float(x), Value::Float(y)]);
    let mut m = IndexMap::new();
    m.insert("w".to_string(), Value::Int(3));
    m.insert("h".to_string(), Value::Float(0.5));
    let vars = [
        ("n", Value::Int(7)),
        ("x", Value::Float(2.5)),
        ("big", Value::Int(i64::MAX)),
        ("flag", Value::Bool(true)),
        ("s", Value::Str("Touching".into())),
        ("xs", Value::List((0..5).map(Value::Int).collect())),
        (
            "pts",
            Value::List(vec![point(0.0, 0.0), point(3.0, 4.0), point(-1.0, 2.5)]),
        ),
        ("m", Value::Map(m)),
    ];
    vars.into_iter().map(|(k, v)| (k.to_string(), v)).collect()
}
