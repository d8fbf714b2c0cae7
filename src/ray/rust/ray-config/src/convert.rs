//! Ray's `ConvertValue<T>`: the text of a `RAY_<name>` variable as an entry's type.
//!
//! Numbers are read the way libstdc++'s `std::istringstream >> value` reads them in the
//! "C" locale, and Ray then requires the stream to have reached the end of the text.
//! That gives some results worth knowing, all reproduced here:
//! * leading whitespace is skipped, trailing whitespace is rejected;
//! * an out-of-range integer saturates at the type's bounds (the stream reports a
//!   failure, but Ray only checks for the end of input);
//! * an unsigned type accepts a minus sign and wraps (`-1` is the maximum);
//! * a number that is cut short at the end (`-`, `1e`, `1e+`) reads as 0;
//! * a floating-point value beyond the type's range reads as its largest finite value;
//! * text of only whitespace reads as 0 (Ray leaves the variable uninitialized there).

use crate::error::ConfigError;

/// Whitespace as `isspace` in the "C" locale (also absl's and boost's trimming).
fn is_c_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\x0b' | '\x0c' | '\r')
}

/// A type an entry can have, parsed from environment text.
pub trait EnvValue: Sized {
    /// The value, or None where Ray's `RAY_CHECK` fails.
    fn from_env_text(text: &str) -> Option<Self>;
}

/// Ray's `ConvertValue<T>(type_string, value)`: the error names `type_string`.
pub fn convert_value<T: EnvValue>(
    type_string: &'static str,
    value: &str,
) -> Result<T, ConfigError> {
    T::from_env_text(value).ok_or_else(|| ConfigError::UnparsableValue {
        variable: String::new(),
        value: value.to_string(),
        type_name: type_string,
    })
}

/// An integer extraction: the value (already saturated or wrapped as libstdc++ does) and
/// whether the end of the text was reached.
fn extract_integer(text: &str, min: i128, max: i128) -> (i128, bool) {
    let bytes = text.trim_start_matches(is_c_space).as_bytes();
    if bytes.is_empty() {
        return (0, true);
    }
    let negative = bytes[0] == b'-';
    let mut i = usize::from(negative || bytes[0] == b'+');
    let digits_start = i;
    let mut magnitude: u128 = 0;
    let mut overflow = false;
    while let Some(digit) = bytes.get(i).filter(|b| b.is_ascii_digit()) {
        magnitude = magnitude * 10 + u128::from(digit - b'0');
        if magnitude > u128::from(u64::MAX) * 2 {
            // Far beyond any limit; keep consuming digits without growing.
            overflow = true;
            magnitude = u128::from(u64::MAX) * 2;
        }
        i += 1;
    }
    let at_end = i == bytes.len();
    if i == digits_start {
        return (0, at_end);
    }
    let signed = min < 0;
    let limit = if signed && negative {
        min.unsigned_abs()
    } else {
        max.unsigned_abs()
    };
    let value = if overflow || magnitude > limit {
        if signed && negative {
            min
        } else {
            max
        }
    } else {
        let m = magnitude as i128;
        match (negative, signed) {
            (false, _) => m,
            (true, true) => -m,
            // Unsigned types negate modulo 2^bits.
            (true, false) => (-m).rem_euclid(max + 1),
        }
    };
    (value, at_end)
}

/// The characters libstdc++ collects for a floating-point extraction, and whether the
/// end of the text was reached.
fn collect_float(text: &str) -> (String, bool) {
    let chars: Vec<char> = text.trim_start_matches(is_c_space).chars().collect();
    if chars.is_empty() {
        return (String::new(), true);
    }
    let mut collected = String::new();
    let mut i = 0;
    if matches!(chars[0], '+' | '-') {
        collected.push(chars[0]);
        i += 1;
    }
    let (mut mantissa, mut decimal_point, mut exponent) = (false, false, false);
    while let Some(&c) = chars.get(i) {
        if c.is_ascii_digit() {
            collected.push(c);
            mantissa = true;
        } else if c == '.' && !decimal_point && !exponent {
            collected.push('.');
            decimal_point = true;
        } else if matches!(c, 'e' | 'E') && !exponent && mantissa {
            collected.push('e');
            exponent = true;
            i += 1;
            match chars.get(i) {
                Some(&sign @ ('+' | '-')) => collected.push(sign),
                Some(_) => continue,
                None => break,
            }
        } else {
            break;
        }
        i += 1;
    }
    (collected, i >= chars.len())
}

/// Whether `strtod` consumes all of the collected text: a mantissa with at least one
/// digit and, after an `e`, at least one exponent digit.
fn is_complete_float(collected: &str) -> bool {
    let unsigned = collected.strip_prefix(['+', '-']).unwrap_or(collected);
    let (mantissa, exponent) = match unsigned.split_once('e') {
        Some((m, e)) => (m, Some(e.strip_prefix(['+', '-']).unwrap_or(e))),
        None => (unsigned, None),
    };
    mantissa.chars().any(|c| c.is_ascii_digit())
        && exponent.is_none_or(|e| !e.is_empty() && e.chars().all(|c| c.is_ascii_digit()))
}

macro_rules! integer_env_value {
    ($($ty:ty),*) => {$(
        impl EnvValue for $ty {
            fn from_env_text(text: &str) -> Option<Self> {
                let (value, at_end) = extract_integer(text, <$ty>::MIN as i128, <$ty>::MAX as i128);
                (!text.is_empty() && at_end).then(|| <$ty>::try_from(value).ok()).flatten()
            }
        }
    )*};
}

integer_env_value!(i32, u32, i64, u64, usize);

macro_rules! float_env_value {
    ($($ty:ty),*) => {$(
        impl EnvValue for $ty {
            fn from_env_text(text: &str) -> Option<Self> {
                let (collected, at_end) = collect_float(text);
                if text.is_empty() || !at_end {
                    return None;
                }
                if !is_complete_float(&collected) {
                    return Some(0.0);
                }
                // Rust rounds decimal text exactly as strtod/strtof do; overflow to
                // infinity becomes the largest finite value, as in libstdc++.
                let value: $ty = collected.parse().ok()?;
                Some(if value.is_infinite() { <$ty>::MAX.copysign(value) } else { value })
            }
        }
    )*};
}

float_env_value!(f32, f64);

impl EnvValue for bool {
    /// "true" or "1" in any ASCII letter case; anything else is false, never an error.
    fn from_env_text(text: &str) -> Option<Self> {
        let lowered = text.to_ascii_lowercase();
        Some(lowered == "true" || lowered == "1")
    }
}

impl EnvValue for String {
    fn from_env_text(text: &str) -> Option<Self> {
        Some(text.to_string())
    }
}

impl EnvValue for Vec<String> {
    /// Split on every comma (so empty text is one empty element), each part trimmed.
    fn from_env_text(text: &str) -> Option<Self> {
        Some(
            text.split(',')
                .map(|part| part.trim_matches(is_c_space).to_string())
                .collect(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse<T: EnvValue>(text: &str) -> Option<T> {
        T::from_env_text(text)
    }

    #[test]
    fn integers_read_like_istream() {
        assert_eq!(parse::<i64>("42"), Some(42));
        assert_eq!(parse::<i64>("  +42"), Some(42));
        assert_eq!(parse::<i64>("-0042"), Some(-42));
        assert_eq!(parse::<i64>("42 "), None);
        assert_eq!(parse::<i64>("4x"), None);
        assert_eq!(parse::<i64>("0x10"), None);
        assert_eq!(parse::<i64>("1e3"), None);
        assert_eq!(parse::<i64>(""), None);
        assert_eq!(parse::<i64>("abc"), None);
    }

    #[test]
    fn integer_edge_cases_match_libstdcxx() {
        assert_eq!(parse::<i64>("99999999999999999999"), Some(i64::MAX));
        assert_eq!(parse::<i64>("-99999999999999999999"), Some(i64::MIN));
        assert_eq!(parse::<i32>("3000000000"), Some(i32::MAX));
        assert_eq!(parse::<i32>("-3000000000"), Some(i32::MIN));
        assert_eq!(parse::<u64>("-1"), Some(u64::MAX));
        assert_eq!(parse::<u32>("-1"), Some(u32::MAX));
        assert_eq!(parse::<u32>("-4294967295"), Some(1));
        assert_eq!(parse::<u32>("4294967296"), Some(u32::MAX));
        assert_eq!(parse::<u32>("-4294967296"), Some(u32::MAX));
        assert_eq!(parse::<u64>("18446744073709551615"), Some(u64::MAX));
        assert_eq!(parse::<usize>("123"), Some(123));
        assert_eq!(parse::<i64>("-"), Some(0));
        assert_eq!(parse::<i64>("+"), Some(0));
        assert_eq!(parse::<i64>("   "), Some(0));
        assert_eq!(parse::<i32>(&"9".repeat(100)), Some(i32::MAX));
    }

    #[test]
    fn floats_read_like_istream() {
        assert_eq!(parse::<f64>("1.5"), Some(1.5));
        assert_eq!(parse::<f64>(" -2.5e3"), Some(-2500.0));
        assert_eq!(parse::<f64>(".5"), Some(0.5));
        assert_eq!(parse::<f64>("5."), Some(5.0));
        assert_eq!(parse::<f64>("1E2"), Some(100.0));
        assert_eq!(parse::<f32>("0.95"), Some(0.95f32));
        assert_eq!(parse::<f64>("1e"), Some(0.0));
        assert_eq!(parse::<f64>("1e+"), Some(0.0));
        assert_eq!(parse::<f64>("-"), Some(0.0));
        assert_eq!(parse::<f64>("1e999"), Some(f64::MAX));
        assert_eq!(parse::<f64>("-1e999"), Some(-f64::MAX));
        assert_eq!(parse::<f32>("1e39"), Some(f32::MAX));
        assert_eq!(parse::<f64>("1e-999"), Some(0.0));
        assert_eq!(parse::<f64>("inf"), None);
        assert_eq!(parse::<f64>("nan"), None);
        assert_eq!(parse::<f64>("1.2.3"), None);
        assert_eq!(parse::<f64>("1e5.0"), None);
        assert_eq!(parse::<f64>("0x1p3"), None);
        assert_eq!(parse::<f64>("1.5 "), None);
        assert_eq!(parse::<f64>(""), None);
        assert_eq!(parse::<f64>(".e5"), None);
    }

    #[test]
    fn bools_strings_and_lists() {
        for text in ["true", "TRUE", "True", "1"] {
            assert_eq!(parse::<bool>(text), Some(true), "{text}");
        }
        for text in ["false", "0", "yes", " true", "2", ""] {
            assert_eq!(parse::<bool>(text), Some(false), "{text}");
        }
        assert_eq!(parse::<String>(" as is "), Some(" as is ".to_string()));
        assert_eq!(
            parse::<Vec<String>>("no_spaces, with spaces \t"),
            Some(vec!["no_spaces".to_string(), "with spaces".to_string()])
        );
        assert_eq!(parse::<Vec<String>>(""), Some(vec![String::new()]));
        assert_eq!(
            parse::<Vec<String>>("a,,b,"),
            Some(vec!["a".into(), "".into(), "b".into(), "".into()])
        );
    }

    #[test]
    fn convert_value_reports_rays_message() {
        let err = convert_value::<i64>("int64_t", "12a").unwrap_err();
        assert_eq!(err.to_string(), "Cannot parse \"12a\" to int64_t");
        assert_eq!(
            err.fatal_message(),
            "Check failed: !value.empty() && stream.eof() Cannot parse \"12a\" to int64_t"
        );
    }
}
