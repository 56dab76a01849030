//! Syntax tree of a parsed expression and the static queries over it.
//!
//! Left-associative operator chains, boolean chains, comparisons and postfix chains are
//! n-ary nodes, so the tree's depth is bounded by the parser's nesting limit no matter how
//! long the source is: evaluating and dropping a tree can never overflow the stack.

use std::collections::BTreeSet;

use super::error::Span;
use super::functions::FuncDef;
use super::value::Value;

/// A node and the source it came from.
#[derive(Clone, Debug)]
pub(crate) struct Node {
    pub kind: Kind,
    pub span: Span,
}

/// Left-associative arithmetic operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum BinOp {
    Add,
    Sub,
    Mul,
    Div,
    FloorDiv,
    Mod,
}

/// Comparison operators, chainable.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum CmpOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    In,
    NotIn,
}

/// `and` or `or`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Logic {
    And,
    Or,
}

/// One postfix operation; `span` covers the whole expression up to and including it.
#[derive(Clone, Debug)]
pub(crate) struct PostOp {
    pub op: Post,
    pub span: Span,
}

/// Postfix operations.
#[derive(Clone, Debug)]
pub(crate) enum Post {
    Index(Node),
    Slice(Option<Node>, Option<Node>, Option<Node>),
    Attr(String),
}

/// A list comprehension `[elem for targets in iter if cond]`.
#[derive(Clone, Debug)]
pub(crate) struct Comp {
    pub elem: Node,
    pub targets: Vec<String>,
    pub iter: Node,
    pub cond: Option<Node>,
}

/// Node kinds.
#[derive(Clone, Debug)]
pub(crate) enum Kind {
    Lit(Value),
    Var(String),
    List(Vec<Node>),
    Comp(Box<Comp>),
    Neg(Box<Node>),
    Pos(Box<Node>),
    Not(Box<Node>),
    /// `first op1 x1 op2 x2 …`; each step's span covers `first` through `x_i`.
    Arith(Box<Node>, Vec<(BinOp, Node, Span)>),
    Pow(Box<Node>, Box<Node>),
    Logic(Logic, Vec<Node>),
    /// `first op1 x1 op2 x2 …` with Python's chained semantics.
    Compare(Box<Node>, Vec<(CmpOp, Node)>),
    /// `then if cond else other`.
    Cond(Box<[Node; 3]>),
    Call(&'static FuncDef, Vec<Node>),
    Postfix(Box<Node>, Vec<PostOp>),
}

impl Node {
    /// Direct children in source order (comprehension parts included).
    fn children(&self) -> Vec<&Node> {
        match &self.kind {
            Kind::Lit(_) | Kind::Var(_) => vec![],
            Kind::List(items) | Kind::Logic(_, items) | Kind::Call(_, items) => {
                items.iter().collect()
            }
            Kind::Comp(c) => [Some(&c.iter), Some(&c.elem), c.cond.as_ref()]
                .into_iter()
                .flatten()
                .collect(),
            Kind::Neg(x) | Kind::Pos(x) | Kind::Not(x) => vec![x],
            Kind::Arith(first, rest) => std::iter::once(&**first)
                .chain(rest.iter().map(|r| &r.1))
                .collect(),
            Kind::Pow(a, b) => vec![a, b],
            Kind::Compare(first, rest) => std::iter::once(&**first)
                .chain(rest.iter().map(|r| &r.1))
                .collect(),
            Kind::Cond(parts) => parts.iter().collect(),
            Kind::Postfix(base, ops) => {
                let mut out = vec![&**base];
                for op in ops {
                    match &op.op {
                        Post::Index(i) => out.push(i),
                        Post::Slice(a, b, c) => out.extend([a, b, c].into_iter().flatten()),
                        Post::Attr(_) => {}
                    }
                }
                out
            }
        }
    }

    /// Adds the free variables of this node to `out`, skipping names in `bound` and
    /// built-in constants.
    pub(crate) fn free_vars<'n>(&'n self, bound: &mut Vec<&'n str>, out: &mut BTreeSet<String>) {
        match &self.kind {
            Kind::Var(name) => {
                let constant = super::constants().iter().any(|c| c.0 == name);
                if !constant && !bound.contains(&name.as_str()) {
                    out.insert(name.clone());
                }
            }
            Kind::Comp(c) => {
                c.iter.free_vars(bound, out);
                let depth = bound.len();
                bound.extend(c.targets.iter().map(String::as_str));
                c.elem.free_vars(bound, out);
                if let Some(cond) = &c.cond {
                    cond.free_vars(bound, out);
                }
                bound.truncate(depth);
            }
            _ => {
                for child in self.children() {
                    child.free_vars(bound, out);
                }
            }
        }
    }

    /// Whether this node or a descendant calls a random function.
    pub(crate) fn uses_random(&self) -> bool {
        matches!(&self.kind, Kind::Call(def, _) if def.random())
            || self.children().iter().any(|c| c.uses_random())
    }
}
