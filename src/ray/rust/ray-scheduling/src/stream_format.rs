//! How a C++ `std::ostream` prints a `double` by default.
//!
//! Ray's `DebugString`s stream quantities with `buffer << value.Double()`,
//! which is `printf("%g")` with six significant digits: `0.5`, `123457`,
//! `1.23457e+06`, `2.5e-05`. Rust's `{}` prints shortest round-trip digits
//! instead, so this module reimplements `%g`.

use std::fmt::Write;

/// Significant digits of a default-configured `std::ostream`.
const PRECISION: i32 = 6;

/// Appends `value` to `out` exactly as `std::ostream << double` would.
pub(crate) fn write_double(out: &mut String, value: f64) {
    if value.is_nan() {
        out.push_str(if value.is_sign_negative() {
            "-nan"
        } else {
            "nan"
        });
        return;
    }
    if value.is_infinite() {
        out.push_str(if value < 0.0 { "-inf" } else { "inf" });
        return;
    }
    if value == 0.0 {
        out.push_str(if value.is_sign_negative() { "-0" } else { "0" });
        return;
    }
    // Round to PRECISION significant digits first: the exponent of the
    // rounded value decides between fixed and scientific notation.
    let mut sci = StackText::new();
    if write!(sci, "{:.*e}", (PRECISION - 1) as usize, value).is_err() {
        // Not reached: the text is at most 13 bytes ("-1.23457e-308").
        out.push_str(&format_double_slow(value));
        return;
    }
    let (mantissa, exponent) = match sci.as_str().split_once('e') {
        Some((m, e)) => (m, e.parse::<i32>().unwrap_or(0)),
        None => (sci.as_str(), 0),
    };
    if (-4..PRECISION).contains(&exponent) {
        let decimals = (PRECISION - 1 - exponent) as usize;
        let mut fixed = StackText::new();
        if write!(fixed, "{:.*}", decimals, value).is_err() {
            // Not reached: below 1e6 with at most 9 decimals is under 20 bytes.
            out.push_str(&format_double_slow(value));
            return;
        }
        out.push_str(strip_trailing_zeros(fixed.as_str()));
    } else {
        out.push_str(strip_trailing_zeros(mantissa));
        out.push('e');
        out.push(if exponent < 0 { '-' } else { '+' });
        // At least two exponent digits, as C's printf writes them.
        let _ = write!(out, "{:02}", exponent.unsigned_abs());
    }
}

/// Appends the quantity of raw fixed-point value `raw` (units of 1/10000) as
/// `std::ostream << FixedPoint::Double()` prints it.
///
/// Quantities of at most six significant digits below a million (nearly all
/// of them) print as their exact decimal: the double nearest to it rounds back
/// to it at six digits, in fixed notation. Only the rest need `write_double`'s
/// exact float formatting, which is far slower.
pub(crate) fn write_fixed_point(out: &mut String, raw: i64) {
    const SCALE_DIGITS: u32 = 4;
    let magnitude = raw.unsigned_abs();
    if magnitude == 0 || magnitude >= 10_000_000_000 {
        write_double(out, (raw as f64).round() / 10_000.0);
        return;
    }
    let (mut digits, mut decimals) = (magnitude, SCALE_DIGITS);
    while decimals > 0 && digits % 10 == 0 {
        digits /= 10;
        decimals -= 1;
    }
    if digits >= 1_000_000 {
        write_double(out, (raw as f64).round() / 10_000.0);
        return;
    }
    let unit = 10u64.pow(decimals);
    if raw < 0 {
        out.push('-');
    }
    let _ = write!(out, "{}", digits / unit);
    if decimals > 0 {
        let _ = write!(out, ".{:0width$}", digits % unit, width = decimals as usize);
    }
}

/// A short text formatted on the stack: `write_double` runs once per quantity
/// of a debug string, and two heap buffers per number would dominate it.
struct StackText {
    bytes: [u8; 32],
    len: usize,
}

impl StackText {
    fn new() -> Self {
        StackText {
            bytes: [0; 32],
            len: 0,
        }
    }

    fn as_str(&self) -> &str {
        // Only whole `&str`s are ever appended, so the bytes are UTF-8.
        std::str::from_utf8(&self.bytes[..self.len]).unwrap_or("")
    }
}

impl Write for StackText {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        let end = self.len + s.len();
        let slot = self.bytes.get_mut(self.len..end).ok_or(std::fmt::Error)?;
        slot.copy_from_slice(s.as_bytes());
        self.len = end;
        Ok(())
    }
}

/// The same as [`write_double`] through heap-allocated text, for a number
/// whose text would not fit a [`StackText`].
fn format_double_slow(value: f64) -> String {
    let sci = format!("{:.*e}", (PRECISION - 1) as usize, value);
    let (mantissa, exponent) = match sci.split_once('e') {
        Some((m, e)) => (m, e.parse::<i32>().unwrap_or(0)),
        None => (sci.as_str(), 0),
    };
    let mut out = String::new();
    if (-4..PRECISION).contains(&exponent) {
        let decimals = (PRECISION - 1 - exponent) as usize;
        out.push_str(strip_trailing_zeros(&format!("{:.*}", decimals, value)));
    } else {
        out.push_str(strip_trailing_zeros(mantissa));
        out.push('e');
        out.push(if exponent < 0 { '-' } else { '+' });
        let _ = write!(out, "{:02}", exponent.unsigned_abs());
    }
    out
}

/// `value` as `std::ostream << double` prints it.
pub fn format_double(value: f64) -> String {
    let mut out = String::new();
    write_double(&mut out, value);
    out
}

/// `%g` drops trailing zeros of the fraction, and the point if nothing is left.
fn strip_trailing_zeros(s: &str) -> &str {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.')
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::{format_double, write_fixed_point};

    fn fixed_point_text(raw: i64) -> String {
        let mut out = String::new();
        write_fixed_point(&mut out, raw);
        out
    }

    #[test]
    fn fixed_point_fast_path_prints_what_the_double_prints() {
        let check = |raw: i64| {
            let expected = format_double((raw as f64).round() / 10_000.0);
            assert_eq!(fixed_point_text(raw), expected, "raw {raw}");
        };
        for raw in -300_000..=300_000 {
            check(raw);
        }
        // Every magnitude and digit count, around the six-digit and the
        // million boundaries included.
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        for _ in 0..200_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let raw = (x % 10u64.pow(1 + (x >> 59) as u32 % 15)) as i64;
            check(raw);
            check(-raw);
        }
        for raw in [
            9_999_995_000,
            9_999_999_999,
            10_000_000_000,
            1_234_565,
            99_999_950,
            i64::MAX,
            i64::MIN,
        ] {
            check(raw);
        }
    }

    #[test]
    fn matches_ostream_output() {
        // Pairs measured by streaming the doubles with g++ 12 / libstdc++.
        let cases: &[(f64, &str)] = &[
            (0.0, "0"),
            (1.0, "1"),
            (0.5, "0.5"),
            (0.1, "0.1"),
            (0.0001, "0.0001"),
            (0.00015, "0.00015"),
            (123456.0, "123456"),
            (1234567.0, "1.23457e+06"),
            (999999.5, "1e+06"),
            (1e6, "1e+06"),
            (1e15, "1e+15"),
            (922337203685477.6, "9.22337e+14"),
            (-0.3, "-0.3"),
            (-2.0, "-2"),
            (0.30000000000000004, "0.3"),
            (2.5e-5, "2.5e-05"),
            (1.23456789, "1.23457"),
            (100000.0, "100000"),
            (1e-5, "1e-05"),
            (12345.6789, "12345.7"),
            (0.000123456, "0.000123456"),
            // Exact ties round to even, as glibc's printf does.
            (123456.5, "123456"),
            (123457.5, "123458"),
            (1234565.0, "1.23456e+06"),
            (99999.95, "99999.9"),
            (9999995.0, "1e+07"),
        ];
        for &(value, expected) in cases {
            assert_eq!(format_double(value), expected, "formatting {value:e}");
        }
    }

    #[test]
    fn heap_fallback_agrees() {
        for value in [0.5, 1234567.0, 2.5e-5, 12345.6789, -0.3, 1e300, 9999995.0] {
            assert_eq!(super::format_double_slow(value), format_double(value));
        }
    }

    #[test]
    fn special_values() {
        assert_eq!(format_double(-0.0), "-0");
        assert_eq!(format_double(f64::INFINITY), "inf");
        assert_eq!(format_double(f64::NEG_INFINITY), "-inf");
        assert_eq!(format_double(f64::NAN), "nan");
    }
}
