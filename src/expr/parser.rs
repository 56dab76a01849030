//! Recursive-descent parser from tokens to the syntax tree.
//!
//! Grammar (lowest precedence first):
//!
//! ```text
//! expr    := or ['if' or 'else' expr]
//! or      := and ('or' and)*
//! and     := not ('and' not)*
//! not     := 'not' not | cmp
//! cmp     := sum (('=='|'!='|'<'|'<='|'>'|'>='|'in'|'not' 'in') sum)*
//! sum     := term (('+'|'-') term)*
//! term    := unary (('*'|'/'|'//'|'%') unary)*
//! unary   := ('-'|'+') unary | power
//! power   := postfix ['**' unary]
//! postfix := atom ('[' subscript ']' | '.' NAME)*
//! atom    := NUMBER | STRING | true | false | NAME | NAME '(' args ')' | '(' expr ')'
//!          | '[' [expr (',' expr)* [',']] ']' | '[' expr 'for' names 'in' or ['if' or] ']'
//! ```
//!
//! Recursion depth is limited to [`MAX_DEPTH`] nesting levels; exceeding it is an error.
//! Function names are resolved and arities checked while parsing.

use super::ast::{BinOp, CmpOp, Comp, Kind, Logic, Node, Post, PostOp};
use super::error::{ExprError, Span, did_you_mean, suggest};
use super::functions::{self, FuncDef};
use super::lexer::{Tok, Token, tokenize};
use super::value::Value;

/// Maximum nesting of brackets, unary operators and right-recursive constructs.
pub const MAX_DEPTH: usize = 64;

/// Maximum source length in bytes.
pub const MAX_SOURCE_LEN: usize = 10_000;

/// Parses a whole expression.
pub(crate) fn parse(src: &str) -> Result<Node, ExprError> {
    if src.len() > MAX_SOURCE_LEN {
        return Err(ExprError::at(
            format!(
                "expression is too long ({} bytes; the limit is {MAX_SOURCE_LEN})",
                src.len()
            ),
            Span::new(0, src.len()),
        ));
    }
    let toks = tokenize(src)?;
    if toks.len() == 1 {
        return Err(ExprError::at("empty expression", Span::new(0, src.len())));
    }
    let mut p = Parser {
        toks,
        pos: 0,
        depth: 0,
    };
    let node = p.expr()?;
    if p.peek() != &Tok::Eof {
        return Err(p.unexpected("an operator or the end of the expression"));
    }
    Ok(node)
}

/// A parsing function for the next-higher precedence level.
type SubParser = fn(&mut Parser) -> Result<Node, ExprError>;

struct Parser {
    toks: Vec<Token>,
    pos: usize,
    depth: usize,
}

fn node(kind: Kind, span: Span) -> Node {
    Node { kind, span }
}

impl Parser {
    fn peek(&self) -> &Tok {
        self.toks.get(self.pos).map_or(&Tok::Eof, |t| &t.tok)
    }

    fn peek_at(&self, n: usize) -> &Tok {
        self.toks.get(self.pos + n).map_or(&Tok::Eof, |t| &t.tok)
    }

    fn span(&self) -> Span {
        self.toks
            .get(self.pos)
            .or(self.toks.last())
            .map_or(Span::new(0, 0), |t| t.span)
    }

    fn advance(&mut self) -> Token {
        let t = self.toks.get(self.pos).cloned().unwrap_or(Token {
            tok: Tok::Eof,
            span: self.span(),
        });
        if self.pos < self.toks.len() {
            self.pos += 1;
        }
        t
    }

    fn eat(&mut self, tok: &Tok) -> bool {
        let hit = self.peek() == tok;
        if hit {
            self.pos += 1;
        }
        hit
    }

    fn expect(&mut self, tok: &Tok, what: &str) -> Result<Span, ExprError> {
        if self.peek() == tok {
            Ok(self.advance().span)
        } else {
            Err(self.unexpected(what))
        }
    }

    fn unexpected(&self, expected: &str) -> ExprError {
        let found = self.peek();
        let err = ExprError::at(
            format!("expected {expected}, found {}", found.describe()),
            self.span(),
        );
        match found {
            Tok::Assign => err.with_hint("use `==` to compare"),
            Tok::Ident(name) if name == "is" => err.with_hint("use `==` or `!=`"),
            Tok::Ident(name) if name == "elif" => {
                err.with_hint("chain conditionals: `a if c else (b if d else e)`")
            }
            _ => err,
        }
    }

    /// Runs `f` one nesting level deeper, failing beyond [`MAX_DEPTH`].
    fn nested<T>(
        &mut self,
        f: impl FnOnce(&mut Self) -> Result<T, ExprError>,
    ) -> Result<T, ExprError> {
        if self.depth >= MAX_DEPTH {
            return Err(ExprError::at(
                format!("expression is nested too deeply (more than {MAX_DEPTH} levels)"),
                self.span(),
            )
            .with_hint("split it into several named parameters"));
        }
        self.depth += 1;
        let out = f(self);
        self.depth -= 1;
        out
    }

    fn expr(&mut self) -> Result<Node, ExprError> {
        self.nested(|p| {
            let then = p.or()?;
            if !p.eat(&Tok::If) {
                return Ok(then);
            }
            let cond = p.or()?;
            p.expect(&Tok::Else, "`else` (conditionals are `a if cond else b`)")?;
            let other = p.expr()?;
            let span = then.span.to(other.span);
            Ok(node(Kind::Cond(Box::new([then, cond, other])), span))
        })
    }

    fn logic(&mut self, op: Logic) -> Result<Node, ExprError> {
        let (tok, next): (Tok, SubParser) = match op {
            Logic::Or => (Tok::Or, |p| p.logic(Logic::And)),
            Logic::And => (Tok::And, Self::not),
        };
        let first = next(self)?;
        if self.peek() != &tok {
            return Ok(first);
        }
        let mut items = vec![first];
        while self.eat(&tok) {
            items.push(next(self)?);
        }
        let span = items[0].span.to(items[items.len() - 1].span);
        Ok(node(Kind::Logic(op, items), span))
    }

    fn or(&mut self) -> Result<Node, ExprError> {
        self.logic(Logic::Or)
    }

    fn not(&mut self) -> Result<Node, ExprError> {
        if self.peek() != &Tok::Not {
            return self.comparison();
        }
        let start = self.advance().span;
        let inner = self.nested(Self::not)?;
        let span = start.to(inner.span);
        Ok(node(Kind::Not(Box::new(inner)), span))
    }

    fn cmp_op(&self) -> Option<(CmpOp, usize)> {
        Some(match self.peek() {
            Tok::Eq => (CmpOp::Eq, 1),
            Tok::Ne => (CmpOp::Ne, 1),
            Tok::Lt => (CmpOp::Lt, 1),
            Tok::Le => (CmpOp::Le, 1),
            Tok::Gt => (CmpOp::Gt, 1),
            Tok::Ge => (CmpOp::Ge, 1),
            Tok::In => (CmpOp::In, 1),
            Tok::Not if self.peek_at(1) == &Tok::In => (CmpOp::NotIn, 2),
            _ => return None,
        })
    }

    fn comparison(&mut self) -> Result<Node, ExprError> {
        let first = self.sum()?;
        let mut rest = Vec::new();
        while let Some((op, n)) = self.cmp_op() {
            self.pos += n;
            rest.push((op, self.sum()?));
        }
        match rest.last() {
            None => Ok(first),
            Some(last) => {
                let span = first.span.to(last.1.span);
                Ok(node(Kind::Compare(Box::new(first), rest), span))
            }
        }
    }

    fn arith(&mut self, ops: &[(Tok, BinOp)], next: SubParser) -> Result<Node, ExprError> {
        let first = next(self)?;
        let mut rest = Vec::new();
        while let Some((_, op)) = ops.iter().find(|(t, _)| t == self.peek()) {
            self.pos += 1;
            let rhs = next(self)?;
            let span = first.span.to(rhs.span);
            rest.push((*op, rhs, span));
        }
        match rest.last() {
            None => Ok(first),
            Some(last) => {
                let span = last.2;
                Ok(node(Kind::Arith(Box::new(first), rest), span))
            }
        }
    }

    fn sum(&mut self) -> Result<Node, ExprError> {
        self.arith(
            &[(Tok::Plus, BinOp::Add), (Tok::Minus, BinOp::Sub)],
            Self::term,
        )
    }

    fn term(&mut self) -> Result<Node, ExprError> {
        let ops = [
            (Tok::Star, BinOp::Mul),
            (Tok::Slash, BinOp::Div),
            (Tok::SlashSlash, BinOp::FloorDiv),
            (Tok::Percent, BinOp::Mod),
        ];
        self.arith(&ops, Self::unary)
    }

    fn unary(&mut self) -> Result<Node, ExprError> {
        let neg = match self.peek() {
            Tok::Minus => true,
            Tok::Plus => false,
            _ => return self.power(),
        };
        let start = self.advance().span;
        let inner = self.nested(Self::unary)?;
        let span = start.to(inner.span);
        let inner = Box::new(inner);
        Ok(node(
            if neg {
                Kind::Neg(inner)
            } else {
                Kind::Pos(inner)
            },
            span,
        ))
    }

    fn power(&mut self) -> Result<Node, ExprError> {
        let base = self.postfix()?;
        if !self.eat(&Tok::StarStar) {
            return Ok(base);
        }
        let exp = self.nested(Self::unary)?;
        let span = base.span.to(exp.span);
        Ok(node(Kind::Pow(Box::new(base), Box::new(exp)), span))
    }

    fn postfix(&mut self) -> Result<Node, ExprError> {
        let base = self.atom()?;
        let mut ops = Vec::new();
        loop {
            let op = match self.peek() {
                Tok::LBracket => {
                    self.advance();
                    self.subscript()?
                }
                Tok::Dot => {
                    self.advance();
                    self.attribute()?
                }
                Tok::LParen => return Err(self.not_callable(&base, &ops)),
                _ => break,
            };
            let end = self
                .toks
                .get(self.pos.saturating_sub(1))
                .map_or(base.span, |t| t.span);
            ops.push(PostOp {
                op,
                span: base.span.to(end),
            });
        }
        if ops.is_empty() {
            return Ok(base);
        }
        let span = ops[ops.len() - 1].span;
        Ok(node(Kind::Postfix(Box::new(base), ops), span))
    }

    fn not_callable(&self, base: &Node, ops: &[PostOp]) -> ExprError {
        let span = ops.last().map_or(base.span, |o| o.span);
        let err = ExprError::at("only named functions can be called", span);
        match ops.last().map(|o| &o.op) {
            Some(Post::Attr(name)) if functions::lookup(name).is_some() => err.with_hint(format!(
                "methods are not supported; call `{name}(...)` with the value as first argument"
            )),
            _ => err,
        }
    }

    fn attribute(&mut self) -> Result<Post, ExprError> {
        match self.peek().clone() {
            Tok::Ident(name) => {
                self.advance();
                Ok(Post::Attr(name))
            }
            _ => Err(self.unexpected("an attribute name after `.`")),
        }
    }

    /// Parses after `[`: an index or a slice, through the closing `]`.
    fn subscript(&mut self) -> Result<Post, ExprError> {
        let bound = |p: &mut Self| -> Result<Option<Node>, ExprError> {
            match p.peek() {
                Tok::Colon | Tok::RBracket => Ok(None),
                _ => p.expr().map(Some),
            }
        };
        let lo = bound(self)?;
        let post = if self.eat(&Tok::Colon) {
            let hi = bound(self)?;
            let step = if self.eat(&Tok::Colon) {
                bound(self)?
            } else {
                None
            };
            Post::Slice(lo, hi, step)
        } else {
            match lo {
                Some(index) => Post::Index(index),
                None => return Err(self.unexpected("an index")),
            }
        };
        self.expect(&Tok::RBracket, "`]`")?;
        Ok(post)
    }

    fn atom(&mut self) -> Result<Node, ExprError> {
        let span = self.span();
        let lit = |v: Value| Ok(node(Kind::Lit(v), span));
        match self.peek().clone() {
            Tok::Int(i) => {
                self.advance();
                lit(Value::Int(i))
            }
            Tok::Float(f) => {
                self.advance();
                lit(Value::Float(f))
            }
            Tok::Str(s) => {
                self.advance();
                lit(Value::Str(s))
            }
            Tok::True | Tok::False => lit(Value::Bool(self.advance().tok == Tok::True)),
            Tok::Ident(name) if self.peek_at(1) == &Tok::LParen => self.call(name),
            Tok::Ident(name) => {
                self.advance();
                Ok(node(Kind::Var(name), span))
            }
            Tok::LParen => {
                self.advance();
                let inner = self.expr()?;
                let end = self.expect(&Tok::RParen, "`)`")?;
                Ok(node(inner.kind, span.to(end)))
            }
            Tok::LBracket => self.list(),
            _ => Err(self.unexpected("a value")),
        }
    }

    fn call(&mut self, name: String) -> Result<Node, ExprError> {
        let name_span = self.advance().span;
        let def = resolve(&name, name_span)?;
        self.advance(); // `(`
        let mut args = Vec::new();
        while self.peek() != &Tok::RParen {
            args.push(self.expr()?);
            if self.peek() == &Tok::Assign {
                return Err(
                    ExprError::at("keyword arguments are not supported", self.span())
                        .with_hint(format!("pass arguments by position: {}", def.doc.signature)),
                );
            }
            if !self.eat(&Tok::Comma) {
                break;
            }
        }
        let end = self.expect(&Tok::RParen, "`,` or `)`")?;
        let span = name_span.to(end);
        check_arity(def, args.len(), span)?;
        Ok(node(Kind::Call(def, args), span))
    }

    /// Parses after `[`: a list literal or a comprehension.
    fn list(&mut self) -> Result<Node, ExprError> {
        let start = self.advance().span;
        let mut items = Vec::new();
        while self.peek() != &Tok::RBracket {
            items.push(self.expr()?);
            if items.len() == 1 && self.peek() == &Tok::For {
                return self.comprehension(start, items.remove(0));
            }
            if !self.eat(&Tok::Comma) {
                break;
            }
        }
        let end = self.expect(&Tok::RBracket, "`,` or `]`")?;
        Ok(node(Kind::List(items), start.to(end)))
    }

    /// Parses `name` or `a, b` or `(a, b)` after `for`.
    fn loop_targets(&mut self) -> Result<Vec<String>, ExprError> {
        let parens = self.eat(&Tok::LParen);
        let mut targets = Vec::new();
        loop {
            match self.peek().clone() {
                Tok::Ident(name) => {
                    self.advance();
                    targets.push(name);
                }
                _ => return Err(self.unexpected("a loop variable name")),
            }
            if !self.eat(&Tok::Comma) {
                break;
            }
        }
        if parens {
            self.expect(&Tok::RParen, "`)`")?;
        }
        Ok(targets)
    }

    fn comprehension(&mut self, start: Span, elem: Node) -> Result<Node, ExprError> {
        self.advance(); // `for`
        let targets = self.loop_targets()?;
        self.expect(&Tok::In, "`in`")?;
        let iter = self.nested(Self::or)?;
        let cond = if self.eat(&Tok::If) {
            Some(self.nested(Self::or)?)
        } else {
            None
        };
        match self.peek() {
            Tok::For => {
                return Err(ExprError::at(
                    "only one `for` clause is allowed in a comprehension",
                    self.span(),
                )
                .with_hint("nest comprehensions and use `flatten(...)`"));
            }
            Tok::If => {
                return Err(ExprError::at(
                    "only one `if` clause is allowed in a comprehension",
                    self.span(),
                )
                .with_hint("combine the conditions with `and`"));
            }
            _ => {}
        }
        let end = self.expect(&Tok::RBracket, "`]`")?;
        let comp = Comp {
            elem,
            targets,
            iter,
            cond,
        };
        Ok(node(Kind::Comp(Box::new(comp)), start.to(end)))
    }
}

/// Looks up a function, suggesting near names if unknown.
fn resolve(name: &str, span: Span) -> Result<&'static FuncDef, ExprError> {
    if let Some(def) = functions::lookup(name) {
        return Ok(def);
    }
    let names = functions::table().iter().map(|f| f.doc.name);
    let err = ExprError::at(format!("unknown function `{name}`"), span);
    Err(match did_you_mean(&suggest(name, names, 3)) {
        Some(hint) => err.with_hint(hint),
        None => err.with_hint("`blindspot list` shows every available function"),
    })
}

fn check_arity(def: &FuncDef, got: usize, span: Span) -> Result<(), ExprError> {
    if got >= def.min_args && got <= def.max_args {
        return Ok(());
    }
    let expected = match (def.min_args, def.max_args) {
        (a, b) if a == b => format!("{a}"),
        (a, usize::MAX) => format!("at least {a}"),
        (a, b) => format!("{a} to {b}"),
    };
    let plural = if expected == "1" { "" } else { "s" };
    Err(ExprError::at(
        format!(
            "`{}` takes {expected} argument{plural}, got {got}",
            def.doc.signature
        ),
        span,
    ))
}
