"""blindspot's answer contract in Python (standard library only).

Reads a model's reply with one answer format from a release's `scoring/formats.json` and
scores it, exactly as blindspot does (`src/answer/mod.rs`):

1. Remove `*` and `` ` `` from the reply, then trim whitespace.
2. For each pattern in order, collect every match; each match's groups are normalised
   (trimmed; `integers`: sign and leading zeros made canonical; `fold_case`: lower-cased) and
   joined with `,`. No match: try the next pattern. All matches equal: that is the answer.
   Matches that differ: the reply is ambiguous.
3. No pattern matches: no answer. Ambiguous and no-answer replies are unparseable (score 0).
4. The ground truth is normalised the same way (split on `,` when the patterns capture
   several groups); the reply is correct iff both are equal.

`fmt` is one entry of the `formats` object of `formats.json`.
"""

import json
import re

# Rust's `str::trim` removes exactly the Unicode White_Space characters.
_WHITESPACE = (
    "\t\n\x0b\x0c\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007"
    "\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
FORMATS_SCHEMA = "blindspot-answer-formats-v1"
_COMPILED = {}


def load_formats(doc):
    """The `formats` of a `formats.json` document (text or parsed), by name."""
    if isinstance(doc, str):
        doc = json.loads(doc)
    if doc.get("format") != FORMATS_SCHEMA:
        raise ValueError(f"unknown answer-format layout {doc.get('format')!r}")
    return doc["formats"]


def _regexes(fmt):
    key = tuple(fmt["patterns"])
    if key not in _COMPILED:
        _COMPILED[key] = [re.compile(p) for p in key]
    return _COMPILED[key]


def _canonical_integer(s):
    neg, digits = (True, s[1:]) if s.startswith("-") else (False, s.removeprefix("+"))
    if not digits or not all("0" <= c <= "9" for c in digits):
        return s
    digits = digits.lstrip("0")
    if not digits:
        return "0"
    return "-" + digits if neg else digits


def _normalise(fmt, parts):
    out = []
    for part in parts:
        part = part.strip(_WHITESPACE)
        if fmt["integers"]:
            part = _canonical_integer(part)
        if fmt["fold_case"]:
            part = part.lower()
        out.append(part)
    return ",".join(out)


def parse(fmt, reply):
    """`(answer, None)`, or `(None, "no_answer")` / `(None, "ambiguous")`."""
    text = reply.replace("*", "").replace("`", "").strip(_WHITESPACE)
    for regex in _regexes(fmt):
        found = []
        for match in regex.finditer(text):
            answer = _normalise(fmt, [g or "" for g in match.groups()])
            if answer not in found:
                found.append(answer)
        if len(found) == 1:
            return found[0], None
        if found:
            return None, "ambiguous"
    return None, "no_answer"


def canonical(fmt, truth):
    """The ground truth, normalised like a parsed answer."""
    groups = _regexes(fmt)[0].groups
    return _normalise(fmt, [truth] if groups == 1 else truth.split(","))


def score(fmt, reply, truth):
    """`"correct"`, `"wrong"` or `"unparseable"`."""
    answer, _ = parse(fmt, reply)
    if answer is None:
        return "unparseable"
    return "correct" if answer == canonical(fmt, truth) else "wrong"


def reply_for(fmt, answer):
    """A reply stating `answer` the way the format shows (`{3}`, `rows={3} columns={4}`)."""
    parts = [answer] if _regexes(fmt)[0].groups == 1 else answer.split(",")
    out = fmt["reply"]
    for i in reversed(range(len(parts))):
        out = out.replace(f"${i + 1}", parts[i].strip(_WHITESPACE))
    return out
