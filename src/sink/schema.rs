//! The single column table of a blindspot dataset and everything derived from it:
//! the Arrow schema, the `huggingface` feature JSON stored in Parquet, and the
//! card's `dataset_info.features` dtypes.
//!
//! Invariants (see HARNESS.md §a1/§a2):
//! * Column order is exactly [`COLUMNS`].
//! * Every field is nullable, including the `bytes`/`path` children of `image`;
//!   non-nullable children make `datasets` silently drop the `Image` feature.
//! * Types are `Utf8`/`Binary`/`Int32`/`Int64`, never the `Large*`/`*View` variants.

use std::collections::HashMap;
use std::sync::Arc;

use arrow_schema::{DataType, Field, Fields, Schema, SchemaRef};
use serde_json::{Map, Value, json};

/// Storage kind of one dataset column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnKind {
    /// UTF-8 string (`Value("string")`).
    Text,
    /// 32-bit signed integer (`Value("int32")`).
    Int32,
    /// 64-bit signed integer (`Value("int64")`).
    Int64,
    /// `struct<bytes: binary, path: string>` (`Image()`).
    Image,
}

impl ColumnKind {
    /// The `dtype` as written in the card's `dataset_info.features`.
    pub fn card_dtype(self) -> &'static str {
        match self {
            Self::Text => "string",
            Self::Int32 => "int32",
            Self::Int64 => "int64",
            Self::Image => "image",
        }
    }

    /// The `datasets` feature JSON for this kind.
    pub fn feature_json(self) -> Value {
        match self {
            Self::Image => json!({"_type": "Image"}),
            other => json!({"dtype": other.card_dtype(), "_type": "Value"}),
        }
    }

    fn arrow_type(self) -> DataType {
        match self {
            Self::Text => DataType::Utf8,
            Self::Int32 => DataType::Int32,
            Self::Int64 => DataType::Int64,
            Self::Image => DataType::Struct(image_fields()),
        }
    }
}

/// Dataset columns in file order.
pub const COLUMNS: [(&str, ColumnKind); 14] = [
    ("id", ColumnKind::Text),
    ("task", ColumnKind::Text),
    ("task_id", ColumnKind::Text),
    ("image", ColumnKind::Image),
    ("prompt", ColumnKind::Text),
    ("groundtruth", ColumnKind::Text),
    ("metadata", ColumnKind::Text),
    ("width", ColumnKind::Int32),
    ("height", ColumnKind::Int32),
    ("seed", ColumnKind::Int64),
    ("image_sha256", ColumnKind::Text),
    ("prompt_id", ColumnKind::Text),
    ("answer_format", ColumnKind::Text),
    ("answer_choices", ColumnKind::Text),
];

/// Schema metadata key that `datasets` reads its features from.
pub const HF_METADATA_KEY: &str = "huggingface";

/// Children of the `image` struct: `bytes: Binary`, `path: Utf8`, both nullable,
/// in this order (the exact type of `datasets.Image.pa_type`).
pub fn image_fields() -> Fields {
    Fields::from(vec![
        Field::new("bytes", DataType::Binary, true),
        Field::new("path", DataType::Utf8, true),
    ])
}

/// `{"info": {"features": {...}}}` with one entry per column, in column order.
pub fn features_json() -> Value {
    let features: Map<String, Value> = COLUMNS
        .iter()
        .map(|(name, kind)| ((*name).to_owned(), kind.feature_json()))
        .collect();
    json!({"info": {"features": features}})
}

/// The Arrow schema of every shard, carrying the compact `huggingface` JSON in
/// its metadata. (Arrow's metadata type is a `HashMap`; it holds exactly one
/// key, so its iteration order cannot affect the output bytes.)
pub fn arrow_schema() -> SchemaRef {
    let fields: Vec<Field> = COLUMNS
        .iter()
        .map(|(name, kind)| Field::new(*name, kind.arrow_type(), true))
        .collect();
    let metadata = HashMap::from([(HF_METADATA_KEY.to_owned(), features_json().to_string())]);
    Arc::new(Schema::new_with_metadata(fields, metadata))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn features_follow_column_order() {
        let v = features_json();
        let names: Vec<&str> = v["info"]["features"]
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        let want: Vec<&str> = COLUMNS.iter().map(|(n, _)| *n).collect();
        assert_eq!(names, want);
        assert_eq!(v["info"]["features"]["image"], json!({"_type": "Image"}));
        assert_eq!(
            v["info"]["features"]["seed"],
            json!({"dtype": "int64", "_type": "Value"})
        );
    }

    #[test]
    fn every_field_is_nullable_with_plain_types() {
        let schema = arrow_schema();
        assert_eq!(schema.fields().len(), COLUMNS.len());
        for f in schema.fields() {
            assert!(f.is_nullable(), "{} not nullable", f.name());
        }
        let image = schema.field_with_name("image").unwrap();
        let DataType::Struct(children) = image.data_type() else {
            panic!("image is not a struct");
        };
        assert_eq!(children[0].name(), "bytes");
        assert_eq!(children[0].data_type(), &DataType::Binary);
        assert_eq!(children[1].name(), "path");
        assert_eq!(children[1].data_type(), &DataType::Utf8);
        assert!(children.iter().all(|c| c.is_nullable()));
    }

    #[test]
    fn schema_metadata_holds_features() {
        let schema = arrow_schema();
        let raw = &schema.metadata()[HF_METADATA_KEY];
        let parsed: Value = serde_json::from_str(raw).unwrap();
        assert_eq!(parsed, features_json());
    }
}
