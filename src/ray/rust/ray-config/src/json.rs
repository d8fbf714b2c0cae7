//! The JSON side of `initialize`, with nlohmann-json's rules as Ray uses them:
//! `json::parse`, iteration with `items()`, and `value.get<T>()` per entry.

use serde_json::Value;
use std::fmt;

/// nlohmann's `type_error.302`: a value of the wrong JSON type for the entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonTypeError {
    /// What the entry needs: "number", "boolean", "string" or "array".
    pub expected: &'static str,
    /// nlohmann's `type_name()` of what was given.
    pub found: &'static str,
}

impl fmt::Display for JsonTypeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "[json.exception.type_error.302] type must be {}, but is {}",
            self.expected, self.found
        )
    }
}

/// nlohmann's `type_name()`.
pub fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// nlohmann's `items()`: an object's members in key order (nlohmann keeps objects in a
/// `std::map`, so the order is bytewise), an array's elements keyed by index, nothing
/// for null, and for any other value the value itself under the empty key.
pub fn items(value: &Value) -> Vec<(String, &Value)> {
    match value {
        Value::Object(map) => map.iter().map(|(k, v)| (k.clone(), v)).collect(),
        Value::Array(elements) => elements
            .iter()
            .enumerate()
            .map(|(i, v)| (i.to_string(), v))
            .collect(),
        Value::Null => Vec::new(),
        other => vec![(String::new(), other)],
    }
}

/// nlohmann's `get<T>()` for the entry types.
pub trait FromJson: Sized {
    fn from_json(value: &Value) -> Result<Self, JsonTypeError>;
}

fn mismatch(expected: &'static str, value: &Value) -> JsonTypeError {
    JsonTypeError {
        expected,
        found: type_name(value),
    }
}

// Any JSON number converts to any arithmetic type with a C++ cast: integers wrap, floats
// truncate toward zero. A float beyond an integer type's range saturates here (the C++
// reference does the same; a plain cast is undefined there). nlohmann also converts
// booleans, except to its own number types int64_t, uint64_t and double (and so
// size_t, the same type as uint64_t on Linux).
macro_rules! number_from_json {
    ($($ty:ty => $accepts_bool:expr),* $(,)?) => {$(
        impl FromJson for $ty {
            #[allow(clippy::cast_lossless)]
            fn from_json(value: &Value) -> Result<Self, JsonTypeError> {
                match value {
                    Value::Number(n) => Ok(if let Some(u) = n.as_u64() {
                        u as $ty
                    } else if let Some(i) = n.as_i64() {
                        i as $ty
                    } else {
                        n.as_f64().map_or(0 as $ty, |f| f as $ty)
                    }),
                    Value::Bool(b) if $accepts_bool => Ok(u8::from(*b) as $ty),
                    other => Err(mismatch("number", other)),
                }
            }
        }
    )*};
}

number_from_json! {
    i32 => true,
    u32 => true,
    f32 => true,
    i64 => false,
    u64 => false,
    usize => false,
    f64 => false,
}

impl FromJson for bool {
    fn from_json(value: &Value) -> Result<Self, JsonTypeError> {
        value.as_bool().ok_or_else(|| mismatch("boolean", value))
    }
}

impl FromJson for String {
    fn from_json(value: &Value) -> Result<Self, JsonTypeError> {
        value
            .as_str()
            .map(str::to_string)
            .ok_or_else(|| mismatch("string", value))
    }
}

impl FromJson for Vec<String> {
    fn from_json(value: &Value) -> Result<Self, JsonTypeError> {
        let elements = value.as_array().ok_or_else(|| mismatch("array", value))?;
        elements.iter().map(String::from_json).collect()
    }
}

/// Parses like `json::parse`: a UTF-8 byte order mark is skipped. On failure, the
/// text stands in for nlohmann's `what()`: nlohmann's prefix and position, serde_json's
/// description (the wording of the two parsers differs).
pub fn parse(text: &str) -> Result<Value, String> {
    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    serde_json::from_str(body).map_err(|e| {
        let description = e.to_string();
        let description = match description.rfind(" at line ") {
            Some(cut) => &description[..cut],
            None => &description,
        };
        format!(
            "[json.exception.parse_error.101] parse error at line {}, column {}: {description}",
            e.line(),
            e.column()
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn numbers_convert_like_static_cast() {
        assert_eq!(i64::from_json(&json!(-5)), Ok(-5));
        assert_eq!(u64::from_json(&json!(-1)), Ok(u64::MAX));
        assert_eq!(u32::from_json(&json!(4294967297u64)), Ok(1));
        assert_eq!(i32::from_json(&json!(3.9)), Ok(3));
        assert_eq!(i32::from_json(&json!(-3.9)), Ok(-3));
        assert_eq!(i64::from_json(&json!(1e300)), Ok(i64::MAX));
        assert_eq!(u64::from_json(&json!(-2.5)), Ok(0));
        assert_eq!(f32::from_json(&json!(0.1)), Ok(0.1f32));
        assert_eq!(f64::from_json(&json!(7)), Ok(7.0));
    }

    #[test]
    fn booleans_are_numbers_only_for_non_json_number_types() {
        assert_eq!(i32::from_json(&json!(true)), Ok(1));
        assert_eq!(u32::from_json(&json!(false)), Ok(0));
        assert_eq!(f32::from_json(&json!(true)), Ok(1.0));
        for err in [
            i64::from_json(&json!(true)).unwrap_err(),
            u64::from_json(&json!(true)).unwrap_err(),
            usize::from_json(&json!(true)).unwrap_err(),
            f64::from_json(&json!(true)).map(|_| 0).unwrap_err(),
        ] {
            assert_eq!(
                err.to_string(),
                "[json.exception.type_error.302] type must be number, but is boolean"
            );
        }
    }

    #[test]
    fn other_types_need_their_json_type() {
        assert_eq!(
            bool::from_json(&json!(1)).unwrap_err().to_string(),
            "[json.exception.type_error.302] type must be boolean, but is number"
        );
        assert_eq!(String::from_json(&json!(null)).unwrap_err().found, "null");
        assert_eq!(
            Vec::<String>::from_json(&json!("a,b"))
                .unwrap_err()
                .expected,
            "array"
        );
        assert_eq!(
            Vec::<String>::from_json(&json!(["a", 1]))
                .unwrap_err()
                .to_string(),
            "[json.exception.type_error.302] type must be string, but is number"
        );
        assert_eq!(
            Vec::<String>::from_json(&json!(["a", "b"])),
            Ok(vec!["a".to_string(), "b".to_string()])
        );
        assert_eq!(i64::from_json(&json!({})).unwrap_err().found, "object");
        assert_eq!(i64::from_json(&json!([])).unwrap_err().found, "array");
    }

    #[test]
    fn items_follow_nlohmann() {
        let object = parse(r#"{"b": 1, "a": 2, "B": 3}"#).unwrap();
        let keys: Vec<String> = items(&object).into_iter().map(|(k, _)| k).collect();
        assert_eq!(keys, ["B", "a", "b"]);
        let array = parse("[5, 6]").unwrap();
        assert_eq!(
            items(&array)
                .into_iter()
                .map(|(k, _)| k)
                .collect::<Vec<_>>(),
            ["0", "1"]
        );
        assert!(items(&Value::Null).is_empty());
        assert_eq!(items(&json!(5))[0].0, "");
        // Duplicate keys: the last one wins, as in nlohmann.
        let duplicate = parse(r#"{"a": 1, "a": 2}"#).unwrap();
        assert_eq!(items(&duplicate), vec![("a".to_string(), &json!(2))]);
    }

    #[test]
    fn parse_skips_a_bom_and_reports_errors() {
        assert_eq!(parse("\u{feff}{}").unwrap(), json!({}));
        let err = parse("{\"a\": }").unwrap_err();
        assert!(
            err.starts_with("[json.exception.parse_error.101] parse error at line 1, column"),
            "{err}"
        );
        assert!(parse("{} x").is_err());
        assert!(parse("1e400").is_err());
    }
}
