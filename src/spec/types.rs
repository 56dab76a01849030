//! The resolved task spec: what validation produces and every later stage consumes.
//!
//! Invariants: defaults are applied, every expression is parsed and its free variables are
//! known to be defined at the point where it is evaluated, grid axes are materialised,
//! prompt templates are compiled, and all names are unique. Nothing here is optional that a
//! later stage must default.

use crate::expr::{Expr, Value};

pub use super::load::Source;
pub use super::raw::{ColorMode, Compression};

/// A value: a literal fixed at validation, or something evaluated per sample.
#[derive(Debug, Clone)]
pub enum Param {
    /// A literal.
    Const(Value),
    /// An expression and the offset of its text inside the YAML string (after `=`).
    Expr(Expr, usize),
    /// A plugin call (vars only).
    Plugin(PluginCall),
    /// A dependent sequence (vars only).
    Sequence(Box<SequenceSpec>),
}

/// `{plugin: NAME, with: {…}}`: a registered generator and its arguments.
#[derive(Clone)]
pub struct PluginCall {
    /// The generator.
    pub generator: &'static dyn crate::plugins::Generator,
    /// Arguments in spec order.
    pub args: Vec<(String, Param)>,
}

impl std::fmt::Debug for PluginCall {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PluginCall")
            .field("generator", &self.generator.name())
            .field("args", &self.args)
            .finish()
    }
}

/// `{sequence: {length, first, next}}`: element 0 is `first`; element i is `next`, which
/// sees `prev` (element i−1) and `index` (i). `first` sees `index` = 0.
#[derive(Debug, Clone)]
pub struct SequenceSpec {
    /// Number of elements.
    pub length: Param,
    /// The first element.
    pub first: Param,
    /// Each following element.
    pub next: Param,
}

/// One grid axis: one or more variables (several for `zip`) and their rows of values.
#[derive(Debug, Clone)]
pub struct Axis {
    /// The axis name as written in `grid:`.
    pub name: String,
    /// Variables bound by the axis (the axis name itself for a plain axis).
    pub vars: Vec<String>,
    /// `values[i][j]` is variable `j` at position `i`.
    pub values: Vec<Vec<Value>>,
}

impl Axis {
    /// Number of positions on the axis.
    pub fn len(&self) -> usize {
        self.values.len()
    }

    /// Whether the axis has no positions (never true after validation).
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }
}

/// A named expression with its spec path, e.g. `vars.rad`.
#[derive(Debug, Clone)]
pub struct NamedExpr {
    /// The name it binds.
    pub name: String,
    /// The value.
    pub param: Param,
    /// Spec path for diagnostics.
    pub path: String,
}

/// A constraint on each sample.
#[derive(Debug, Clone)]
pub struct Constraint {
    /// Boolean expression.
    pub expr: Expr,
    /// The author's explanation, if any.
    pub message: Option<String>,
    /// Spec path for diagnostics.
    pub path: String,
}

impl Constraint {
    /// How reports name it: the author's message, else the expression.
    pub fn describe(&self) -> String {
        (self.message.clone()).unwrap_or_else(|| self.expr.source().to_string())
    }
}

/// Which primitive a [`ShapeSpec`] draws.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShapeKind {
    /// Straight segment.
    Line,
    /// Open polyline.
    Polyline,
    /// Closed polygon.
    Polygon,
    /// Regular polygon.
    RegularPolygon,
    /// Rectangle.
    Rect,
    /// Circle.
    Circle,
    /// Ellipse.
    Ellipse,
    /// SVG path.
    Path,
    /// Text.
    Text,
    /// Group of shapes.
    Group,
}

/// A `for` clause: loop variables and the list expression.
#[derive(Debug, Clone)]
pub struct Repeat {
    /// One name, or two to unpack pairs (`i, c in enumerate(colors)`).
    pub names: Vec<String>,
    /// The list to iterate.
    pub over: Expr,
}

/// One scene entry with its fields resolved.
#[derive(Debug, Clone)]
pub struct ShapeSpec {
    /// The primitive.
    pub kind: ShapeKind,
    /// Fields the author set, by name.
    pub fields: Vec<(&'static str, Param)>,
    /// Children (groups only).
    pub children: Vec<ShapeSpec>,
    /// Optional repetition.
    pub repeat: Option<Repeat>,
    /// Optional condition.
    pub when: Option<Param>,
    /// Spec path of the entry, e.g. `scene.shapes[2].circle`.
    pub path: String,
}

impl ShapeSpec {
    /// The field's value, if set.
    pub fn field(&self, name: &str) -> Option<&Param> {
        self.fields.iter().find(|(n, _)| *n == name).map(|(_, p)| p)
    }
}

/// The scene template.
#[derive(Debug, Clone)]
pub struct SceneSpec {
    /// Canvas width in pixels.
    pub width: Param,
    /// Canvas height in pixels.
    pub height: Param,
    /// Background colour.
    pub background: Param,
    /// Shapes in paint order.
    pub shapes: Vec<ShapeSpec>,
}

/// One prompt.
#[derive(Debug, Clone)]
pub struct PromptSpec {
    /// Id used in row ids, e.g. `p1`.
    pub id: String,
    /// The template text (also registered in the task's Tera instance under `id`).
    pub template: String,
    /// The words of the template's code that can name a value, sorted (`None`: it reads the
    /// whole context); see [`crate::prompt::named_in`].
    pub names: Option<Vec<String>>,
    /// The expected answer.
    pub answer: Param,
    /// Answer format name (a key of [`TaskSpec::formats`]).
    pub format: String,
    /// Every possible answer, when declared.
    pub choices: Option<Param>,
    /// Spec path for diagnostics.
    pub path: String,
}

/// Sampling options with defaults applied.
#[derive(Debug, Clone)]
pub struct Sampling {
    /// Samples per grid cell.
    pub per_cell: u32,
    /// Redraws allowed per sample.
    pub retries: u32,
    /// Indices of the axes that key the random draws.
    pub seed_axes: Vec<usize>,
    /// Equal quotas per value, if any.
    pub balance: Option<Balance>,
    /// Uniqueness expressions (reject a draw when all were seen before).
    pub unique: Vec<Constraint>,
    /// Copies of the whole expansion (`build --repeat`), each with fresh draws; 1 = the spec
    /// as written. Set by the command line, never by the spec.
    pub repeat: u64,
}

/// Equal quotas per value of an expression.
#[derive(Debug, Clone)]
pub struct Balance {
    /// The balanced expression.
    pub on: Constraint,
    /// The values, in block order.
    pub values: Vec<Value>,
}

/// Image encoding options with defaults applied.
#[derive(Debug, Clone, Copy)]
pub struct OutputOptions {
    /// Pixel format policy.
    pub color: ColorMode,
    /// PNG compression effort.
    pub compression: Compression,
}

/// A validated, resolved task spec.
#[derive(Debug)]
pub struct TaskSpec {
    /// The spec file.
    pub source: Source,
    /// Dataset name.
    pub name: String,
    /// Dataset version (semver).
    pub version: String,
    /// Task slug.
    pub task_id: String,
    /// Task display label.
    pub label: String,
    /// Score column the task counts towards (default: the label).
    pub group: String,
    /// Description for the card.
    pub description: String,
    /// Licence id.
    pub license: String,
    /// Citation, if any.
    pub citation: Option<String>,
    /// Global seed.
    pub seed: u64,
    /// Split name.
    pub split: String,
    /// Card tags.
    pub tags: Vec<String>,
    /// Card task categories.
    pub task_categories: Vec<String>,
    /// Constants, evaluated.
    pub constants: indexmap::IndexMap<String, Value>,
    /// Grid axes in order (first outermost).
    pub axes: Vec<Axis>,
    /// Sampling options.
    pub sampling: Sampling,
    /// Per-sample variables, in evaluation order.
    pub vars: Vec<NamedExpr>,
    /// Constraints, checked after the vars.
    pub constraints: Vec<Constraint>,
    /// The scene template.
    pub scene: SceneSpec,
    /// Answers, evaluated after the constraints hold.
    pub answers: Vec<NamedExpr>,
    /// Prompts.
    pub prompts: Vec<PromptSpec>,
    /// The answer formats the prompts use, by name.
    pub formats: indexmap::IndexMap<String, crate::answer::Compiled>,
    /// Compiled prompt templates, keyed by prompt id.
    pub templates: tera::Tera,
    /// The metadata column entries.
    pub metadata: Vec<NamedExpr>,
    /// Image options.
    pub output: OutputOptions,
    /// Checks of the answers against the pixels, when the spec declares them.
    pub verify: Option<crate::verify::VerifySpec>,
    /// The limits it was loaded under; composing and building apply them too.
    pub limits: crate::limits::Limits,
}

impl TaskSpec {
    /// Number of distinct seed keys (combinations of the `seed_by` axes × replicates).
    pub fn seed_keys(&self) -> u64 {
        let axes: u64 = self
            .sampling
            .seed_axes
            .iter()
            .map(|&a| self.axes[a].len() as u64)
            .product();
        axes * u64::from(self.sampling.per_cell)
    }

    /// Number of grid cells (product of the axis lengths).
    pub fn cells(&self) -> u64 {
        self.axes.iter().map(|a| a.len() as u64).product()
    }

    /// Number of images of one copy of the expansion (the spec as written).
    pub fn base_images(&self) -> u64 {
        self.cells() * u64::from(self.sampling.per_cell)
    }

    /// Number of images the build generates: the expansion × `sampling.repeat`.
    pub fn images(&self) -> u64 {
        self.base_images()
            .saturating_mul(self.sampling.repeat.max(1))
    }

    /// Number of rows (images × prompts).
    pub fn rows(&self) -> u64 {
        self.images() * self.prompts.len() as u64
    }
}
