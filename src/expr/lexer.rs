//! Tokenizer: source text to tokens with byte spans.
//!
//! Iterative and allocation-bounded by the source length. Characters from other languages'
//! syntax (`?`, `&&`, `||`, `!`, `=`) are rejected with a hint at the Python spelling.

use super::error::{ExprError, Span};

/// A token kind.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Tok {
    Int(i64),
    Float(f64),
    Str(String),
    Ident(String),
    True,
    False,
    And,
    Or,
    Not,
    In,
    If,
    Else,
    For,
    Plus,
    Minus,
    Star,
    StarStar,
    Slash,
    SlashSlash,
    Percent,
    LParen,
    RParen,
    LBracket,
    RBracket,
    Comma,
    Dot,
    Colon,
    Assign,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    Eof,
}

impl Tok {
    /// How the token is named in error messages.
    pub(crate) fn describe(&self) -> String {
        match self {
            Tok::Int(i) => format!("number `{i}`"),
            Tok::Float(f) => format!("number `{f}`"),
            Tok::Str(_) => "string".into(),
            Tok::Ident(name) => format!("name `{name}`"),
            Tok::Eof => "end of expression".into(),
            other => format!("`{}`", other.symbol()),
        }
    }

    fn symbol(&self) -> &'static str {
        match self {
            Tok::True => "true",
            Tok::False => "false",
            Tok::And => "and",
            Tok::Or => "or",
            Tok::Not => "not",
            Tok::In => "in",
            Tok::If => "if",
            Tok::Else => "else",
            Tok::For => "for",
            Tok::Plus => "+",
            Tok::Minus => "-",
            Tok::Star => "*",
            Tok::StarStar => "**",
            Tok::Slash => "/",
            Tok::SlashSlash => "//",
            Tok::Percent => "%",
            Tok::LParen => "(",
            Tok::RParen => ")",
            Tok::LBracket => "[",
            Tok::RBracket => "]",
            Tok::Comma => ",",
            Tok::Dot => ".",
            Tok::Colon => ":",
            Tok::Assign => "=",
            Tok::Eq => "==",
            Tok::Ne => "!=",
            Tok::Lt => "<",
            Tok::Le => "<=",
            Tok::Gt => ">",
            Tok::Ge => ">=",
            _ => "?",
        }
    }
}

/// A token and where it is.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Token {
    pub tok: Tok,
    pub span: Span,
}

/// Splits `src` into tokens, ending with `Tok::Eof`.
pub(crate) fn tokenize(src: &str) -> Result<Vec<Token>, ExprError> {
    let mut lx = Lexer {
        src,
        pos: 0,
        out: Vec::new(),
    };
    while let Some(c) = lx.peek() {
        let start = lx.pos;
        if c.is_whitespace() {
            lx.bump();
        } else if c.is_ascii_digit()
            || (c == '.' && lx.peek_at(1).is_some_and(|d| d.is_ascii_digit()))
        {
            lx.number()?;
        } else if c == '\'' || c == '"' {
            lx.string(c)?;
        } else if c.is_alphabetic() || c == '_' {
            lx.ident();
        } else {
            lx.punct(c, start)?;
        }
    }
    let end = src.len();
    lx.out.push(Token {
        tok: Tok::Eof,
        span: Span::new(end, end),
    });
    Ok(lx.out)
}

struct Lexer<'s> {
    src: &'s str,
    pos: usize,
    out: Vec<Token>,
}

impl Lexer<'_> {
    fn peek(&self) -> Option<char> {
        self.src[self.pos..].chars().next()
    }

    fn peek_at(&self, n: usize) -> Option<char> {
        self.src[self.pos..].chars().nth(n)
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += c.len_utf8();
        Some(c)
    }

    fn push(&mut self, tok: Tok, start: usize) {
        self.out.push(Token {
            tok,
            span: Span::new(start, self.pos),
        });
    }

    fn eat_digits(&mut self) {
        while self.peek().is_some_and(|c| c.is_ascii_digit() || c == '_') {
            self.bump();
        }
    }

    fn number(&mut self) -> Result<(), ExprError> {
        let start = self.pos;
        self.eat_digits();
        let mut is_float = false;
        if self.peek() == Some('.')
            && !self
                .peek_at(1)
                .is_some_and(|c| c.is_alphabetic() || c == '_')
        {
            is_float = true;
            self.bump();
            self.eat_digits();
        }
        if matches!(self.peek(), Some('e' | 'E')) {
            let sign = usize::from(matches!(self.peek_at(1), Some('+' | '-')));
            if self.peek_at(1 + sign).is_some_and(|c| c.is_ascii_digit()) {
                is_float = true;
                self.bump();
                if sign == 1 {
                    self.bump();
                }
                self.eat_digits();
            }
        }
        let span = Span::new(start, self.pos);
        let text: String = self.src[start..self.pos]
            .chars()
            .filter(|c| *c != '_')
            .collect();
        let tok = if is_float {
            match text.parse::<f64>() {
                Ok(f) if f.is_finite() => Tok::Float(f),
                _ => return Err(ExprError::at("number is too large", span)),
            }
        } else {
            let i = text.parse::<i64>().map_err(|_| {
                ExprError::at("integer is too large", span)
                    .with_hint(format!("integers must lie within ±{}", i64::MAX))
            })?;
            Tok::Int(i)
        };
        self.push(tok, start);
        Ok(())
    }

    fn string(&mut self, quote: char) -> Result<(), ExprError> {
        let start = self.pos;
        self.bump();
        let mut text = String::new();
        loop {
            let Some(c) = self.bump() else {
                return Err(
                    ExprError::at("unterminated string", Span::new(start, self.pos))
                        .with_hint(format!("close the string with {quote}")),
                );
            };
            match c {
                c if c == quote => break,
                '\\' => {
                    let esc_start = self.pos - 1;
                    let e = self.bump();
                    text.push(match e {
                        Some('\\') => '\\',
                        Some('\'') => '\'',
                        Some('"') => '"',
                        Some('n') => '\n',
                        Some('t') => '\t',
                        Some('r') => '\r',
                        _ => {
                            return Err(ExprError::at(
                                "unknown escape sequence",
                                Span::new(esc_start, self.pos),
                            )
                            .with_hint(r#"supported escapes: \\ \' \" \n \t \r"#));
                        }
                    });
                }
                c => text.push(c),
            }
        }
        self.push(Tok::Str(text), start);
        Ok(())
    }

    fn ident(&mut self) {
        let start = self.pos;
        while self.peek().is_some_and(|c| c.is_alphanumeric() || c == '_') {
            self.bump();
        }
        let tok = match &self.src[start..self.pos] {
            "true" | "True" => Tok::True,
            "false" | "False" => Tok::False,
            "and" => Tok::And,
            "or" => Tok::Or,
            "not" => Tok::Not,
            "in" => Tok::In,
            "if" => Tok::If,
            "else" => Tok::Else,
            "for" => Tok::For,
            name => Tok::Ident(name.to_string()),
        };
        self.push(tok, start);
    }

    fn punct(&mut self, c: char, start: usize) -> Result<(), ExprError> {
        self.bump();
        let next = self.peek();
        let (tok, two) = match (c, next) {
            ('*', Some('*')) => (Tok::StarStar, true),
            ('/', Some('/')) => (Tok::SlashSlash, true),
            ('=', Some('=')) => (Tok::Eq, true),
            ('!', Some('=')) => (Tok::Ne, true),
            ('<', Some('=')) => (Tok::Le, true),
            ('>', Some('=')) => (Tok::Ge, true),
            ('+', _) => (Tok::Plus, false),
            ('-', _) => (Tok::Minus, false),
            ('*', _) => (Tok::Star, false),
            ('/', _) => (Tok::Slash, false),
            ('%', _) => (Tok::Percent, false),
            ('(', _) => (Tok::LParen, false),
            (')', _) => (Tok::RParen, false),
            ('[', _) => (Tok::LBracket, false),
            (']', _) => (Tok::RBracket, false),
            (',', _) => (Tok::Comma, false),
            ('.', _) => (Tok::Dot, false),
            (':', _) => (Tok::Colon, false),
            ('=', _) => (Tok::Assign, false),
            ('<', _) => (Tok::Lt, false),
            ('>', _) => (Tok::Gt, false),
            _ => return Err(unexpected_char(c, next, Span::new(start, self.pos))),
        };
        if two {
            self.bump();
        }
        self.push(tok, start);
        Ok(())
    }
}

fn unexpected_char(c: char, next: Option<char>, span: Span) -> ExprError {
    let err = ExprError::at(format!("unexpected character `{c}`"), span);
    match (c, next) {
        ('?', _) => err.with_hint("conditionals are written Python-style: `a if cond else b`"),
        ('&', _) => err.with_hint("use `and`"),
        ('|', _) => err.with_hint("use `or`"),
        ('!', _) => err.with_hint("use `not`"),
        ('{', _) | ('}', _) => err.with_hint("map literals are not supported"),
        ('^', _) => err.with_hint("use `**` for powers"),
        _ => err,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(src: &str) -> Vec<Tok> {
        tokenize(src).unwrap().into_iter().map(|t| t.tok).collect()
    }

    #[test]
    fn numbers() {
        assert_eq!(
            toks("1 2.5 .5 1e-3 1_000 3."),
            vec![
                Tok::Int(1),
                Tok::Float(2.5),
                Tok::Float(0.5),
                Tok::Float(0.001),
                Tok::Int(1000),
                Tok::Float(3.0),
                Tok::Eof
            ]
        );
        // `2e` is an int followed by the name `e`; `xs.len` stays an attribute.
        assert_eq!(
            toks("2e"),
            vec![Tok::Int(2), Tok::Ident("e".into()), Tok::Eof]
        );
        assert_eq!(toks("1.x")[1], Tok::Dot);
        assert!(tokenize("99999999999999999999").is_err());
        assert!(tokenize("1e999").is_err());
    }

    #[test]
    fn strings_and_escapes() {
        assert_eq!(
            toks(r#"'a\'b' "c\"d\n\t\\""#),
            vec![
                Tok::Str("a'b".into()),
                Tok::Str("c\"d\n\t\\".into()),
                Tok::Eof
            ]
        );
        let e = tokenize("'abc").unwrap_err();
        assert_eq!(e.message, "unterminated string");
        assert_eq!(e.span, Some(Span::new(0, 4)));
        assert!(tokenize(r"'\q'").is_err());
        assert_eq!(toks("'é'"), vec![Tok::Str("é".into()), Tok::Eof]);
    }

    #[test]
    fn operators_and_keywords() {
        assert_eq!(
            toks("a**b//c != d <= e not in True"),
            vec![
                Tok::Ident("a".into()),
                Tok::StarStar,
                Tok::Ident("b".into()),
                Tok::SlashSlash,
                Tok::Ident("c".into()),
                Tok::Ne,
                Tok::Ident("d".into()),
                Tok::Le,
                Tok::Ident("e".into()),
                Tok::Not,
                Tok::In,
                Tok::True,
                Tok::Eof
            ]
        );
    }

    #[test]
    fn spans_are_byte_offsets() {
        let t = tokenize("é + 12").unwrap();
        assert_eq!(t[0].span, Span::new(0, 2));
        assert_eq!(t[1].span, Span::new(3, 4));
        assert_eq!(t[2].span, Span::new(5, 7));
    }

    #[test]
    fn foreign_syntax_gets_hints() {
        let e = tokenize("d <= 0 ? 1 : 2").unwrap_err();
        assert!(e.hint.unwrap().contains("if cond else"));
        assert_eq!(e.span, Some(Span::new(7, 8)));
        assert_eq!(
            tokenize("a && b").unwrap_err().hint.as_deref(),
            Some("use `and`")
        );
        assert_eq!(
            tokenize("!a").unwrap_err().hint.as_deref(),
            Some("use `not`")
        );
    }
}
