//! `FixedPoint`: resource quantities as integers in units of 1/10000.
//!
//! Ray stores every resource amount as an `int64_t` scaled by
//! [`RESOURCE_UNIT_SCALING`] so that adding and subtracting fractional amounts
//! (0.1 GPU ten times) is exact. The conversions from floating point are
//! deliberately lossy in the same way as Ray's: a `double` is multiplied by the
//! scale and then *truncated* towards zero, so `0.00005` becomes 0 and `-0.7`
//! becomes `-7000`.
//!
//! # Where Rust differs from C++ (only where C++ has undefined behaviour)
//!
//! * Converting a NaN, an infinity or a value whose scaled magnitude does not
//!   fit in `i64` is undefined in C++ (x86-64 happens to produce `i64::MIN`).
//!   Here it saturates, as Rust's `as` does: NaN → 0, too large → `i64::MAX`,
//!   too small → `i64::MIN`.
//! * Integer overflow of the raw value in `+`, `-` and negation is undefined in
//!   C++; here it wraps (two's complement), which is what x86-64 C++ does.
//! * `FixedPoint(int)` multiplies in 32 bits in C++ and overflows for
//!   `|i| > 214748`; [`FixedPoint::from_int`] multiplies in 64 bits and so is
//!   exact over the whole `i32` range.

use std::fmt;
use std::iter::Sum;
use std::ops::{Add, AddAssign, Neg, Sub, SubAssign};

use crate::constants::RESOURCE_UNIT_SCALING;

/// A resource quantity with four decimal digits, stored as `value * 10000`.
///
/// The layout is exactly one `i64` so that slices of quantities can be shared
/// with C++ without conversion.
#[repr(transparent)]
#[derive(Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FixedPoint(i64);

/// `(int64_t)(d * 10000)` with saturation instead of undefined behaviour.
#[inline]
fn scale_double(d: f64) -> i64 {
    // `as` truncates towards zero and saturates (NaN → 0): see the module docs.
    (d * RESOURCE_UNIT_SCALING as f64) as i64
}

impl FixedPoint {
    /// Zero.
    pub const ZERO: FixedPoint = FixedPoint(0);
    /// One whole unit (raw value 10000).
    pub const ONE: FixedPoint = FixedPoint(RESOURCE_UNIT_SCALING);

    /// Wraps a raw scaled value (`value * 10000`) without conversion, e.g. one
    /// received from C++.
    #[inline]
    pub const fn from_raw(raw: i64) -> Self {
        FixedPoint(raw)
    }

    /// The raw scaled value (`value * 10000`).
    #[inline]
    pub const fn raw(self) -> i64 {
        self.0
    }

    /// Ray's `FixedPoint(double)`: scale, then truncate towards zero.
    #[inline]
    pub fn from_double(d: f64) -> Self {
        FixedPoint(scale_double(d))
    }

    /// Ray's `FixedPoint(int)`: an exact whole number of units.
    #[inline]
    pub const fn from_int(i: i32) -> Self {
        FixedPoint(i as i64 * RESOURCE_UNIT_SCALING)
    }

    /// Ray's `FixedPoint(int64_t)`, which goes through `double`: values beyond
    /// 2^53 lose precision exactly as they do in Ray.
    #[inline]
    pub fn from_i64(i: i64) -> Self {
        Self::from_double(i as f64)
    }

    /// Ray's `Double()`: the quantity in regular units.
    #[inline]
    pub fn to_double(self) -> f64 {
        // Ray rounds the (already integral) raw value before dividing; the
        // conversion to f64 is the only rounding that can happen.
        (self.0 as f64).round() / RESOURCE_UNIT_SCALING as f64
    }

    /// Ray's static `FixedPoint::Sum`: the wrapping sum of all values.
    pub fn sum_of(values: &[FixedPoint]) -> FixedPoint {
        values.iter().copied().sum()
    }

    /// Ray's `operator+(double)`: adds the truncated scaled `d`.
    #[inline]
    pub fn add_double(self, d: f64) -> Self {
        FixedPoint(self.0.wrapping_add(scale_double(d)))
    }

    /// Ray's `operator-(double)`: subtracts the truncated scaled `d`.
    #[inline]
    pub fn sub_double(self, d: f64) -> Self {
        FixedPoint(self.0.wrapping_sub(scale_double(d)))
    }

    /// Ray's `operator+=(int64_t)`, which converts through `double`.
    #[inline]
    pub fn add_assign_i64(&mut self, i: i64) {
        *self += i as f64;
    }
}

impl From<f64> for FixedPoint {
    #[inline]
    fn from(d: f64) -> Self {
        Self::from_double(d)
    }
}

impl From<i32> for FixedPoint {
    #[inline]
    fn from(i: i32) -> Self {
        Self::from_int(i)
    }
}

impl From<i64> for FixedPoint {
    #[inline]
    fn from(i: i64) -> Self {
        Self::from_i64(i)
    }
}

impl Add for FixedPoint {
    type Output = FixedPoint;
    #[inline]
    fn add(self, rhs: FixedPoint) -> FixedPoint {
        FixedPoint(self.0.wrapping_add(rhs.0))
    }
}

impl AddAssign for FixedPoint {
    #[inline]
    fn add_assign(&mut self, rhs: FixedPoint) {
        self.0 = self.0.wrapping_add(rhs.0);
    }
}

impl Sub for FixedPoint {
    type Output = FixedPoint;
    #[inline]
    fn sub(self, rhs: FixedPoint) -> FixedPoint {
        FixedPoint(self.0.wrapping_sub(rhs.0))
    }
}

impl SubAssign for FixedPoint {
    #[inline]
    fn sub_assign(&mut self, rhs: FixedPoint) {
        self.0 = self.0.wrapping_sub(rhs.0);
    }
}

impl Neg for FixedPoint {
    type Output = FixedPoint;
    #[inline]
    fn neg(self) -> FixedPoint {
        FixedPoint(self.0.wrapping_neg())
    }
}

impl Add<f64> for FixedPoint {
    type Output = FixedPoint;
    #[inline]
    fn add(self, rhs: f64) -> FixedPoint {
        self.add_double(rhs)
    }
}

impl Sub<f64> for FixedPoint {
    type Output = FixedPoint;
    #[inline]
    fn sub(self, rhs: f64) -> FixedPoint {
        self.sub_double(rhs)
    }
}

impl AddAssign<f64> for FixedPoint {
    #[inline]
    fn add_assign(&mut self, rhs: f64) {
        self.0 = self.0.wrapping_add(scale_double(rhs));
    }
}

impl SubAssign<f64> for FixedPoint {
    #[inline]
    fn sub_assign(&mut self, rhs: f64) {
        self.0 = self.0.wrapping_sub(scale_double(rhs));
    }
}

/// In C++ `fp == 1.0` converts the double to a `FixedPoint` first, so the
/// comparison is between truncated scaled values, not between doubles.
impl PartialEq<f64> for FixedPoint {
    #[inline]
    fn eq(&self, other: &f64) -> bool {
        self.0 == scale_double(*other)
    }
}

/// Ordering against a double, after the same truncating conversion as `==`.
impl PartialOrd<f64> for FixedPoint {
    #[inline]
    fn partial_cmp(&self, other: &f64) -> Option<std::cmp::Ordering> {
        Some(self.0.cmp(&scale_double(*other)))
    }
}

impl Sum for FixedPoint {
    fn sum<I: Iterator<Item = FixedPoint>>(iter: I) -> FixedPoint {
        iter.fold(FixedPoint::ZERO, |acc, v| acc + v)
    }
}

impl<'a> Sum<&'a FixedPoint> for FixedPoint {
    fn sum<I: Iterator<Item = &'a FixedPoint>>(iter: I) -> FixedPoint {
        iter.copied().sum()
    }
}

/// Ray's `operator<<`: the raw scaled integer, not the quantity.
impl fmt::Display for FixedPoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl fmt::Debug for FixedPoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "FixedPoint({} = {})", self.0, self.to_double())
    }
}

/// Ray's `FixedPointVectorFromDouble`.
pub fn fixed_point_vector_from_double(values: &[f64]) -> Vec<FixedPoint> {
    values.iter().map(|&d| FixedPoint::from_double(d)).collect()
}

/// Ray's `FixedPointVectorToDouble`.
pub fn fixed_point_vector_to_double(values: &[FixedPoint]) -> Vec<f64> {
    values.iter().map(|v| v.to_double()).collect()
}

/// Ray's `FixedPointVectorToString`: raw values, e.g. `[10000, 5000]`.
pub fn fixed_point_vector_to_string(values: &[FixedPoint]) -> String {
    let mut out = String::with_capacity(2 + values.len() * 8);
    write_fixed_point_vector(&mut out, values);
    out
}

/// Appends the `[a, b, c]` rendering of raw values to `out`.
pub(crate) fn write_fixed_point_vector(out: &mut String, values: &[FixedPoint]) {
    use std::fmt::Write;
    out.push('[');
    for (i, v) in values.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        // Writing into a String cannot fail.
        let _ = write!(out, "{}", v.0);
    }
    out.push(']');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn double_conversion_truncates_towards_zero() {
        // Values measured from Ray's `(int64_t)(d * 10000)` with g++ 12.
        assert_eq!(FixedPoint::from_double(0.1).raw(), 1000);
        assert_eq!(FixedPoint::from_double(0.29).raw(), 2900);
        assert_eq!(FixedPoint::from_double(2.675).raw(), 26750);
        assert_eq!(FixedPoint::from_double(1.0000000001).raw(), 10000);
        assert_eq!(FixedPoint::from_double(-0.00005).raw(), 0);
        assert_eq!(FixedPoint::from_double(-0.7).raw(), -7000);
        assert_eq!(FixedPoint::from_double(1e-5).raw(), 0);
    }

    #[test]
    fn non_finite_and_out_of_range_saturate() {
        assert_eq!(FixedPoint::from_double(f64::NAN).raw(), 0);
        assert_eq!(FixedPoint::from_double(f64::INFINITY).raw(), i64::MAX);
        assert_eq!(FixedPoint::from_double(f64::NEG_INFINITY).raw(), i64::MIN);
        assert_eq!(FixedPoint::from_double(1e300).raw(), i64::MAX);
        assert_eq!(FixedPoint::from_double(-1e300).raw(), i64::MIN);
    }

    #[test]
    fn int_and_i64_constructors() {
        assert_eq!(FixedPoint::from_int(3).raw(), 30000);
        assert_eq!(FixedPoint::from_int(-2).raw(), -20000);
        assert_eq!(
            FixedPoint::from_int(i32::MAX).raw(),
            i32::MAX as i64 * 10000
        );
        assert_eq!(FixedPoint::from_i64(3).raw(), 30000);
        // Through double: measured from g++ 12.
        assert_eq!(
            FixedPoint::from_i64(922_337_203_685_477).raw(),
            9_223_372_036_854_769_664
        );
        assert_eq!(FixedPoint::default(), FixedPoint::ZERO);
        assert_eq!(FixedPoint::from(1.5), FixedPoint::from_raw(15000));
        assert_eq!(FixedPoint::from(2i32), FixedPoint::from_raw(20000));
        assert_eq!(FixedPoint::from(2i64), FixedPoint::from_raw(20000));
    }

    #[test]
    fn to_double_divides_the_raw_value() {
        assert_eq!(FixedPoint::from_raw(15000).to_double(), 1.5);
        assert_eq!(FixedPoint::from_raw(-1).to_double(), -0.0001);
        assert_eq!(FixedPoint::from_raw(3).to_double(), 0.0003);
        // 2^53 + 1 is not representable: it rounds like the C++ conversion.
        assert_eq!(
            FixedPoint::from_raw(9_007_199_254_740_993).to_double(),
            900_719_925_474.099_2
        );
    }

    #[test]
    fn arithmetic_with_fixed_points() {
        let a = FixedPoint::from_double(1.5);
        let b = FixedPoint::from_double(0.25);
        assert_eq!((a + b).raw(), 17500);
        assert_eq!((a - b).raw(), 12500);
        assert_eq!((-a).raw(), -15000);
        let mut c = a;
        c += b;
        assert_eq!(c.raw(), 17500);
        c -= b;
        c -= b;
        assert_eq!(c.raw(), 12500);
        assert_eq!(
            (FixedPoint::from_raw(i64::MAX) + FixedPoint::from_raw(1)).raw(),
            i64::MIN
        );
    }

    #[test]
    fn arithmetic_with_doubles_truncates_the_double() {
        let a = FixedPoint::from_int(1);
        assert_eq!((a + 0.00019).raw(), 10001);
        assert_eq!((a - 0.00019).raw(), 9999);
        let mut b = a;
        b += 0.5;
        assert_eq!(b.raw(), 15000);
        b -= 0.25;
        assert_eq!(b.raw(), 12500);
        b.add_assign_i64(2);
        assert_eq!(b.raw(), 32500);
    }

    #[test]
    fn comparisons_with_doubles_convert_first() {
        let a = FixedPoint::from_raw(10000);
        assert!(a == 1.0);
        // 1.00001 truncates to 10000, so it compares equal.
        assert!(a == 1.00001);
        assert!(a >= 1.0);
        assert!(a < 1.0001);
        assert!(FixedPoint::from_raw(9999) < 1.0);
        assert!(FixedPoint::from_double(0.3) > 0.0);
    }

    #[test]
    fn sum_wraps_and_accepts_empty() {
        assert_eq!(FixedPoint::sum_of(&[]), FixedPoint::ZERO);
        let v = fixed_point_vector_from_double(&[1.0, 0.3, 0.5]);
        assert_eq!(FixedPoint::sum_of(&v), FixedPoint::from_double(1.8));
    }

    #[test]
    fn vector_helpers() {
        let v = fixed_point_vector_from_double(&[1.0, 0.5, -0.25]);
        assert_eq!(
            v,
            vec![
                FixedPoint::from_raw(10000),
                FixedPoint::from_raw(5000),
                FixedPoint::from_raw(-2500)
            ]
        );
        assert_eq!(fixed_point_vector_to_double(&v), vec![1.0, 0.5, -0.25]);
        assert_eq!(fixed_point_vector_to_string(&v), "[10000, 5000, -2500]");
        assert_eq!(fixed_point_vector_to_string(&[]), "[]");
        assert_eq!(fixed_point_vector_to_string(&v[..1]), "[10000]");
    }

    #[test]
    fn display_prints_the_raw_value() {
        assert_eq!(FixedPoint::from_double(0.5).to_string(), "5000");
    }
}
