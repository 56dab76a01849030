//! A walk over a YAML document that enforces the nesting and alias-expansion limits.
//!
//! It runs before any typed read, over the document as serde sees it (aliases replayed),
//! so a billion-laughs document or a 100-level nest stops with a located error after at
//! most `yaml-nodes` nodes of work, whatever the typed read would have done.

use std::cell::Cell;
use std::fmt;

use serde::de::{self, DeserializeSeed, EnumAccess, MapAccess, SeqAccess, VariantAccess, Visitor};

use crate::limits::Limits;

/// Marker text of a nesting error (the loader classifies errors by it).
pub const TOO_DEEP: &str = "levels deep";
/// Marker text of an expansion error.
pub const TOO_MANY: &str = "nodes after expanding aliases";

/// Walks one node and everything under it.
pub struct Walker<'a> {
    depth: u64,
    nodes: &'a Cell<u64>,
    limits: &'a Limits,
}

impl<'a> Walker<'a> {
    /// A walker for a whole document; `nodes` counts every node visited.
    pub fn new(limits: &'a Limits, nodes: &'a Cell<u64>) -> Self {
        Self {
            depth: 0,
            nodes,
            limits,
        }
    }

    fn child<E: de::Error>(&self) -> Result<Walker<'a>, E> {
        let depth = self.depth + 1;
        if depth > self.limits.yaml_depth {
            let max = self.limits.yaml_depth;
            return Err(E::custom(format!(
                "the YAML is nested more than {max} {TOO_DEEP}"
            )));
        }
        Ok(Walker { depth, ..*self })
    }

    fn count<E: de::Error>(&self) -> Result<(), E> {
        let n = self.nodes.get() + 1;
        self.nodes.set(n);
        if n > self.limits.yaml_nodes {
            let max = self.limits.yaml_nodes;
            return Err(E::custom(format!(
                "the YAML has more than {max} {TOO_MANY}"
            )));
        }
        Ok(())
    }
}

impl<'de> DeserializeSeed<'de> for Walker<'_> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

macro_rules! leaf {
    ($($name:ident: $t:ty),*) => {$(
        fn $name<E: de::Error>(self, _: $t) -> Result<(), E> {
            self.count()
        }
    )*};
}

impl<'de> Visitor<'de> for Walker<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any YAML value")
    }

    leaf!(visit_bool: bool, visit_i64: i64, visit_u64: u64, visit_i128: i128, visit_u128: u128,
          visit_f64: f64, visit_str: &str, visit_bytes: &[u8]);

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        self.count()
    }

    fn visit_none<E: de::Error>(self) -> Result<(), E> {
        self.count()
    }

    fn visit_some<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        self.count()?;
        while seq.next_element_seed(self.child()?)?.is_some() {}
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        self.count()?;
        while map.next_key_seed(self.child()?)?.is_some() {
            map.next_value_seed(self.child()?)?;
        }
        Ok(())
    }

    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<(), A::Error> {
        // A tagged value (`!tag value`): walk the value under the tag.
        self.count()?;
        let (_, variant) = data.variant::<de::IgnoredAny>()?;
        variant.newtype_variant_seed(self.child()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn walk(text: &str, limits: &Limits) -> Result<u64, String> {
        let nodes = Cell::new(0);
        let d = serde_yaml::Deserializer::from_str(text);
        DeserializeSeed::deserialize(Walker::new(limits, &nodes), d).map_err(|e| e.to_string())?;
        Ok(nodes.get())
    }

    #[test]
    fn counts_expanded_nodes_and_depth() {
        let l = Limits::default();
        // map, key a, list, 1, 2, key b, the alias replaying the list (3 nodes).
        assert_eq!(walk("a: &x [1, 2]\nb: *x\n", &l), Ok(9));
        let deep = format!("{}1{}", "[".repeat(65), "]".repeat(65));
        assert!(walk(&deep, &l).unwrap_err().contains(TOO_DEEP));
        let shallow = format!("{}1{}", "[".repeat(64), "]".repeat(64));
        assert!(walk(&shallow, &l).is_ok());
        let few = Limits {
            yaml_nodes: 8,
            ..Limits::default()
        };
        assert!(
            walk("a: &x [1, 2]\nb: *x\n", &few)
                .unwrap_err()
                .contains(TOO_MANY)
        );
        // map, key t, the tag, the tagged map, key x, 1.
        assert_eq!(walk("t: !tag {x: 1}\n", &l), Ok(6));
    }
}
