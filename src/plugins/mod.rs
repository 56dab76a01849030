//! Plugins: general data generators for what expressions cannot sensibly express.
//!
//! A plugin is called from a spec's `vars` as `{plugin: NAME, with: {param: value, …}}`;
//! values are literals or `= expressions`. It receives the evaluated parameters and the
//! sample's random source and returns plain data (lists, maps, numbers, strings) that the
//! scene, answers and metadata use through expressions. A plugin knows nothing of SVG,
//! prompts or Parquet, so one plugin serves many tasks.
//!
//! Registration is a static slice ([`GENERATORS`]) in a fixed order: docs, `blindspot list`
//! and validation enumerate it. Parameters are declared as data ([`ParamDef`]) and checked
//! by the core before the plugin runs; unknown or missing parameters are spec errors.

mod lattice_edges;
pub mod lattice_plugin;
pub mod lattice_routes;

use indexmap::IndexMap;

use crate::expr::Value;
use crate::rng::SampleRng;

/// The type a plugin parameter accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamKind {
    /// A whole number.
    Int,
    /// Any number.
    Number,
    /// A list (of anything the plugin documents).
    List,
}

impl ParamKind {
    /// Whether a value has this kind.
    pub fn accepts(self, v: &Value) -> bool {
        match self {
            ParamKind::Int => matches!(v, Value::Int(_)),
            ParamKind::Number => v.as_f64().is_some(),
            ParamKind::List => matches!(v, Value::List(_)),
        }
    }

    /// Name used in messages and docs.
    pub fn name(self) -> &'static str {
        match self {
            ParamKind::Int => "int",
            ParamKind::Number => "number",
            ParamKind::List => "list",
        }
    }
}

/// One declared parameter.
#[derive(Debug, Clone, Copy)]
pub struct ParamDef {
    /// Name as written under `with:`.
    pub name: &'static str,
    /// Accepted type.
    pub kind: ParamKind,
    /// Whether the spec must give it.
    pub required: bool,
    /// What it means, including its default.
    pub doc: &'static str,
}

/// A general data generator callable from specs.
pub trait Generator: Sync {
    /// Name used in specs (`plugin: NAME`).
    fn name(&self) -> &'static str;
    /// One-paragraph description.
    fn doc(&self) -> &'static str;
    /// Declared parameters.
    fn params(&self) -> &'static [ParamDef];
    /// Description of the returned value.
    fn returns(&self) -> &'static str;
    /// Path of a complete example spec using the plugin (tested to build).
    fn example(&self) -> &'static str;
    /// Produces the data for one sample from validated parameters.
    fn generate(
        &self,
        params: &IndexMap<String, Value>,
        rng: &mut SampleRng,
    ) -> Result<Value, String>;
}

/// Every plugin, in documentation order.
pub const GENERATORS: &[&dyn Generator] = &[&lattice_plugin::LatticeRoutesPlugin];

/// The plugin called `name`.
pub fn find(name: &str) -> Option<&'static dyn Generator> {
    GENERATORS.iter().copied().find(|g| g.name() == name)
}

/// Checks evaluated parameters against the declarations: types, required, unknown.
pub fn check_params(g: &dyn Generator, params: &IndexMap<String, Value>) -> Result<(), String> {
    for (name, v) in params {
        let Some(def) = g.params().iter().find(|d| d.name == name) else {
            return Err(format!(
                "`{}` has no parameter `{name}` (it takes {})",
                g.name(),
                names(g)
            ));
        };
        if !def.kind.accepts(v) {
            return Err(format!(
                "parameter `{name}` must be {}, got {}",
                def.kind.name(),
                v.type_name()
            ));
        }
    }
    match g
        .params()
        .iter()
        .find(|d| d.required && !params.contains_key(d.name))
    {
        Some(d) => Err(format!(
            "`{}` needs parameter `{}`: {}",
            g.name(),
            d.name,
            d.doc
        )),
        None => Ok(()),
    }
}

/// The parameter names of a plugin, comma-separated.
pub fn names(g: &dyn Generator) -> String {
    g.params()
        .iter()
        .map(|d| d.name)
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests;
