//! Typing and evaluation of default-value expressions with C++'s rules on Linux
//! x86-64: literal types, the usual arithmetic conversions, unsigned wrap-around,
//! conversions on initialization. Constant subexpressions are folded here, exactly;
//! what depends on the running process (hardware_concurrency, getenv, other entries)
//! becomes Rust code with the same semantics. Signed overflow, division by zero and
//! other undefined behaviour are generator errors.

use crate::expr::{BinOp, CastType, Expr, IntSuffix};

/// A C++ type as far as the list needs it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum CType {
    Bool,
    Int,
    UInt,
    Long,
    ULong,
    Float,
    Double,
    /// `std::string`; string literals are folded to it directly.
    String,
    StringVector,
    /// The result of `std::getenv`: a possibly null `const char*`.
    NullableCStr,
    NullPtr,
    /// `{}` before it meets the type it initializes.
    Braces,
}

impl CType {
    pub fn from_cast(cast: CastType) -> Self {
        match cast {
            CastType::Int => Self::Int,
            CastType::UInt => Self::UInt,
            CastType::Long => Self::Long,
            CastType::ULong => Self::ULong,
            CastType::Float => Self::Float,
            CastType::Double => Self::Double,
            CastType::Bool => Self::Bool,
        }
    }

    /// Bit width and signedness of an integer type.
    fn int_layout(self) -> Option<(u32, bool)> {
        match self {
            Self::Int => Some((32, true)),
            Self::UInt => Some((32, false)),
            Self::Long => Some((64, true)),
            Self::ULong => Some((64, false)),
            _ => None,
        }
    }

    fn is_floating(self) -> bool {
        matches!(self, Self::Float | Self::Double)
    }

    fn is_arithmetic(self) -> bool {
        self.int_layout().is_some() || self.is_floating() || self == Self::Bool
    }

    /// The Rust type holding a value of this C++ type.
    pub fn rust(self) -> &'static str {
        match self {
            Self::Bool => "bool",
            Self::Int => "i32",
            Self::UInt => "u32",
            Self::Long => "i64",
            Self::ULong => "u64",
            Self::Float => "f32",
            Self::Double => "f64",
            Self::String => "String",
            Self::StringVector => "Vec<String>",
            Self::NullableCStr => "Option<String>",
            Self::NullPtr | Self::Braces => "()",
        }
    }
}

/// A folded constant.
#[derive(Debug, Clone, PartialEq)]
pub enum Konst {
    Int(i128),
    /// Held as f64; a `float` holds a value exactly representable as f32.
    Float(f64),
    Bool(bool),
    Str(String),
    Null,
    Braces,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Val {
    Const(Konst),
    /// A Rust expression of type `ty.rust()`.
    Code(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Typed {
    pub ty: CType,
    pub val: Val,
}

/// How the generated code reaches other entries and the environment.
pub trait Context {
    /// The C++ type of an entry declared before the current one, or None.
    fn earlier_entry(&self, name: &str) -> Option<CType>;
    /// Rust code reading that entry's current value.
    fn entry_code(&self, name: &str) -> String;
    /// Rust code of type `Option<String>` reading an environment variable.
    fn getenv_code(&self, variable: &str) -> String;
    /// Rust code of type `u32`: the number of online CPUs.
    fn hardware_concurrency_code(&self) -> String;
}

fn wrap(value: i128, bits: u32, signed: bool) -> i128 {
    let modulus = 1i128 << bits;
    let mut v = value.rem_euclid(modulus);
    if signed && v >= modulus / 2 {
        v -= modulus;
    }
    v
}

fn fits(value: i128, ty: CType) -> bool {
    match ty.int_layout() {
        Some((bits, true)) => value >= -(1i128 << (bits - 1)) && value < (1i128 << (bits - 1)),
        Some((bits, false)) => value >= 0 && value < (1i128 << bits),
        None => false,
    }
}

/// The type of an integer literal: the first of C++'s candidate list that holds it.
fn literal_type(value: u128, hex: bool, suffix: IntSuffix) -> Result<CType, String> {
    use CType::*;
    let candidates: &[CType] = match (suffix.unsigned, suffix.long, hex) {
        (false, false, false) => &[Int, Long],
        (false, false, true) => &[Int, UInt, Long, ULong],
        (true, false, _) => &[UInt, ULong],
        (false, true, false) => &[Long],
        (false, true, true) => &[Long, ULong],
        (true, true, _) => &[ULong],
    };
    let value = i128::try_from(value).map_err(|_| "integer literal too large".to_string())?;
    candidates
        .iter()
        .copied()
        .find(|ty| fits(value, *ty))
        .ok_or_else(|| format!("integer literal {value} fits none of {candidates:?}"))
}

/// The common type of the usual arithmetic conversions (no type here is below `int`).
fn common_type(a: CType, b: CType) -> Result<CType, String> {
    let promote = |t: CType| if t == CType::Bool { CType::Int } else { t };
    let (a, b) = (promote(a), promote(b));
    if a == CType::Double || b == CType::Double {
        return Ok(CType::Double);
    }
    if a == CType::Float || b == CType::Float {
        return Ok(CType::Float);
    }
    let (Some((wa, sa)), Some((wb, sb))) = (a.int_layout(), b.int_layout()) else {
        return Err(format!("no arithmetic conversion between {a:?} and {b:?}"));
    };
    Ok(if sa == sb {
        if wa >= wb {
            a
        } else {
            b
        }
    } else {
        let (signed, sw, unsigned, uw) = if sa { (a, wa, b, wb) } else { (b, wb, a, wa) };
        if uw >= sw {
            unsigned
        } else {
            signed
        }
    })
}

fn int_literal_code(value: i128, ty: CType) -> String {
    format!("{value}_{}", ty.rust())
}

fn float_literal_code(value: f64, ty: CType) -> Result<String, String> {
    if !value.is_finite() {
        return Err(format!("non-finite floating-point default {value}"));
    }
    Ok(match ty {
        // Debug of f32 is the shortest text that reads back as the same f32.
        CType::Float => format!("{:?}_f32", value as f32),
        _ => format!("{value:?}_f64"),
    })
}

/// Rust code for a constant of type `ty`.
pub fn const_code(konst: &Konst, ty: CType) -> Result<String, String> {
    match (konst, ty) {
        (Konst::Int(v), _) if ty.int_layout().is_some() => Ok(int_literal_code(*v, ty)),
        (Konst::Float(v), CType::Float | CType::Double) => float_literal_code(*v, ty),
        (Konst::Bool(b), CType::Bool) => Ok(b.to_string()),
        (Konst::Str(s), CType::String) => Ok(format!("String::from({s:?})")),
        (Konst::Braces, CType::StringVector) => Ok("Vec::new()".to_string()),
        (Konst::Braces, CType::String) => Ok("String::new()".to_string()),
        _ => Err(format!("cannot write {konst:?} as {ty:?}")),
    }
}

impl Typed {
    fn konst(ty: CType, konst: Konst) -> Self {
        Self {
            ty,
            val: Val::Const(konst),
        }
    }

    fn code(ty: CType, code: String) -> Self {
        Self {
            ty,
            val: Val::Code(code),
        }
    }

    /// Rust code of this value, of type `self.ty.rust()`.
    pub fn to_code(&self) -> Result<String, String> {
        match &self.val {
            Val::Code(code) => Ok(code.clone()),
            Val::Const(konst) => const_code(konst, self.ty),
        }
    }
}

/// Converts as C++ does on initialization or an explicit cast: integers wrap modulo
/// the target width, floating to integer truncates (out of range is an error),
/// double to float rounds to nearest, anything to bool compares with zero.
pub fn convert(value: Typed, to: CType) -> Result<Typed, String> {
    let from = value.ty;
    if from == to {
        return Ok(value);
    }
    match value.val {
        Val::Const(konst) => convert_const(konst, from, to).map(|k| Typed::konst(to, k)),
        Val::Code(code) => {
            if !(from.is_arithmetic() && to.is_arithmetic()) {
                return Err(format!("no conversion from runtime {from:?} to {to:?}"));
            }
            let lossless = match (from.int_layout(), to.int_layout()) {
                (Some((wf, sf)), Some((wt, st))) => {
                    wt > wf && (st || !sf) || (wt == wf && sf == st)
                }
                _ => false,
            };
            Ok(Typed::code(
                to,
                if from == CType::Bool && to.int_layout().is_some() {
                    format!("{}::from({code})", to.rust())
                } else if to == CType::Bool {
                    format!("(({code}) != 0)")
                } else if lossless {
                    format!("{}::from({code})", to.rust())
                } else {
                    format!("(({code}) as {})", to.rust())
                },
            ))
        }
    }
}

fn convert_const(konst: Konst, from: CType, to: CType) -> Result<Konst, String> {
    match (konst, to) {
        (Konst::Braces, CType::String | CType::StringVector) => Ok(Konst::Braces),
        (Konst::Braces, _) if to.int_layout().is_some() => Ok(Konst::Int(0)),
        (Konst::Braces, CType::Float | CType::Double) => Ok(Konst::Float(0.0)),
        (Konst::Braces, CType::Bool) => Ok(Konst::Bool(false)),
        (Konst::Str(s), CType::String) => Ok(Konst::Str(s)),
        (Konst::Bool(b), CType::Bool) => Ok(Konst::Bool(b)),
        (Konst::Bool(b), _) => convert_const(Konst::Int(i128::from(b)), CType::Int, to),
        (Konst::Int(v), CType::Bool) => Ok(Konst::Bool(v != 0)),
        (Konst::Float(v), CType::Bool) => Ok(Konst::Bool(v != 0.0)),
        (Konst::Int(v), _) => match to.int_layout() {
            Some((bits, signed)) => Ok(Konst::Int(wrap(v, bits, signed))),
            None if to == CType::Float => Ok(Konst::Float(f64::from(v as f32))),
            None if to == CType::Double => Ok(Konst::Float(v as f64)),
            None => Err(format!("cannot convert an integer to {to:?}")),
        },
        (Konst::Float(v), _) => match to {
            CType::Float => Ok(Konst::Float(f64::from(v as f32))),
            CType::Double => Ok(Konst::Float(v)),
            _ => {
                let truncated = v.trunc();
                let as_int = truncated as i128;
                if truncated.is_finite() && fits(as_int, to) && as_int as f64 == truncated {
                    Ok(Konst::Int(as_int))
                } else {
                    Err(format!("{v} does not fit {to:?}: undefined in C++"))
                }
            }
        },
        (konst, _) => Err(format!("cannot convert {konst:?} from {from:?} to {to:?}")),
    }
}

/// `code` without one pair of parentheses enclosing all of it, for the positions where
/// Rust warns about them (a call argument, an `if` condition).
pub fn strip_outer_parens(code: &str) -> &str {
    let Some(inner) = code.strip_prefix('(').and_then(|c| c.strip_suffix(')')) else {
        return code;
    };
    let mut depth = 0i32;
    for c in inner.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            _ => {}
        }
        if depth < 0 {
            return code;
        }
    }
    if depth == 0 {
        inner
    } else {
        code
    }
}

/// Types and evaluates `expr`.
pub fn eval(expr: &Expr, ctx: &dyn Context) -> Result<Typed, String> {
    Ok(match expr {
        Expr::Int { value, hex, suffix } => {
            let ty = literal_type(*value, *hex, *suffix)?;
            Typed::konst(ty, Konst::Int(*value as i128))
        }
        Expr::Float(v) => Typed::konst(CType::Double, Konst::Float(*v)),
        Expr::Str(s) => Typed::konst(CType::String, Konst::Str(s.clone())),
        Expr::Bool(b) => Typed::konst(CType::Bool, Konst::Bool(*b)),
        Expr::NullPtr => Typed::konst(CType::NullPtr, Konst::Null),
        Expr::EmptyBraces => Typed::konst(CType::Braces, Konst::Braces),
        Expr::StdString(inner) => match eval(inner, ctx)? {
            t @ Typed {
                ty: CType::String,
                val: Val::Const(_),
            } => t,
            other => return Err(format!("std::string of {other:?} is not supported")),
        },
        Expr::Neg(inner) => negate(eval(inner, ctx)?)?,
        Expr::Cast(cast, inner) => convert(eval(inner, ctx)?, CType::from_cast(*cast))?,
        Expr::Binary(op, a, b) => binary(*op, eval(a, ctx)?, eval(b, ctx)?)?,
        Expr::Ternary(c, a, b) => ternary(eval(c, ctx)?, eval(a, ctx)?, eval(b, ctx)?)?,
        Expr::Max(a, b) => max(eval(a, ctx)?, eval(b, ctx)?)?,
        Expr::HardwareConcurrency => Typed::code(CType::UInt, ctx.hardware_concurrency_code()),
        Expr::Getenv(variable) => Typed::code(CType::NullableCStr, ctx.getenv_code(variable)),
        Expr::EntryRef(name) => {
            let ty = ctx
                .earlier_entry(name)
                .ok_or_else(|| format!("`{name}()` is not an entry declared earlier"))?;
            if !ty.is_arithmetic() {
                return Err(format!(
                    "`{name}()` of type {ty:?} in an expression is not supported"
                ));
            }
            Typed::code(ty, ctx.entry_code(name))
        }
    })
}

fn negate(value: Typed) -> Result<Typed, String> {
    let ty = if value.ty == CType::Bool {
        CType::Int
    } else {
        value.ty
    };
    let value = convert(value, ty)?;
    match (value.val, ty.int_layout()) {
        (Val::Const(Konst::Int(v)), Some((bits, signed))) => {
            if signed && !fits(-v, ty) {
                return Err(format!("-({v}) overflows {ty:?}"));
            }
            Ok(Typed::konst(ty, Konst::Int(wrap(-v, bits, signed))))
        }
        (Val::Const(Konst::Float(v)), None) => Ok(Typed::konst(ty, Konst::Float(-v))),
        (Val::Code(code), Some(_)) => Ok(Typed::code(ty, format!("({code}).wrapping_neg()"))),
        (Val::Code(code), None) if ty.is_floating() => Ok(Typed::code(ty, format!("(-({code}))"))),
        (val, _) => Err(format!("cannot negate {val:?}")),
    }
}

fn binary(op: BinOp, a: Typed, b: Typed) -> Result<Typed, String> {
    match op {
        BinOp::And => logical_and(a, b),
        BinOp::Eq | BinOp::Ne => compare(op == BinOp::Eq, a, b),
        BinOp::Shl => shift_left(a, b),
        BinOp::Mul | BinOp::Div | BinOp::Add | BinOp::Sub => arithmetic(op, a, b),
    }
}

fn arithmetic(op: BinOp, a: Typed, b: Typed) -> Result<Typed, String> {
    let ty = common_type(a.ty, b.ty)?;
    let (a, b) = (convert(a, ty)?, convert(b, ty)?);
    if let (Val::Const(Konst::Int(0)), BinOp::Div) = (&b.val, op) {
        return Err("division by zero".into());
    }
    match (&a.val, &b.val, ty.int_layout()) {
        (Val::Const(Konst::Int(x)), Val::Const(Konst::Int(y)), Some((bits, signed))) => {
            let exact = match op {
                BinOp::Mul => x * y,
                BinOp::Add => x + y,
                BinOp::Sub => x - y,
                // Truncates toward zero, as C++.
                _ => x / y,
            };
            if signed && !fits(exact, ty) {
                return Err(format!("{x} {op:?} {y} overflows {ty:?}: undefined in C++"));
            }
            Ok(Typed::konst(ty, Konst::Int(wrap(exact, bits, signed))))
        }
        // Double arithmetic is IEEE in both languages; float would need float rounding
        // at each step, which no entry uses.
        (Val::Const(Konst::Float(x)), Val::Const(Konst::Float(y)), None) if ty == CType::Double => {
            let exact = match op {
                BinOp::Mul => x * y,
                BinOp::Add => x + y,
                BinOp::Sub => x - y,
                _ => x / y,
            };
            Ok(Typed::konst(ty, Konst::Float(exact)))
        }
        (_, Val::Code(_), Some(_)) if op == BinOp::Div => {
            Err("division by a runtime value is not supported".into())
        }
        (_, _, Some(_)) => {
            let method = match op {
                BinOp::Mul => "wrapping_mul",
                BinOp::Add => "wrapping_add",
                BinOp::Sub => "wrapping_sub",
                _ => "wrapping_div",
            };
            Ok(Typed::code(
                ty,
                format!("{}.{method}({})", a.to_code()?, b.to_code()?),
            ))
        }
        _ => Err(format!("runtime {ty:?} arithmetic is not supported")),
    }
}

fn shift_left(a: Typed, b: Typed) -> Result<Typed, String> {
    let ty = if a.ty == CType::Bool {
        CType::Int
    } else {
        a.ty
    };
    let Some((bits, signed)) = ty.int_layout() else {
        return Err("<< needs an integer".into());
    };
    let a = convert(a, ty)?;
    let count = match b.val {
        Val::Const(Konst::Int(c)) if (0..i128::from(bits)).contains(&c) => c,
        _ => return Err("<< needs a constant count below the width".into()),
    };
    match a.val {
        Val::Const(Konst::Int(v)) => {
            let exact = v << count;
            if signed && (v < 0 || !fits(exact, ty)) {
                return Err(format!("{v} << {count} overflows {ty:?}: undefined in C++"));
            }
            Ok(Typed::konst(ty, Konst::Int(wrap(exact, bits, signed))))
        }
        Val::Code(code) => Ok(Typed::code(ty, format!("({code}).wrapping_shl({count})"))),
        other => Err(format!("cannot shift {other:?}")),
    }
}

fn compare(equal: bool, a: Typed, b: Typed) -> Result<Typed, String> {
    let op = if equal { "==" } else { "!=" };
    match (a.ty, b.ty) {
        (CType::NullableCStr, CType::NullPtr) | (CType::NullPtr, CType::NullableCStr) => {
            let code = if a.ty == CType::NullPtr {
                b.to_code()?
            } else {
                a.to_code()?
            };
            let test = if equal { "is_none" } else { "is_some" };
            Ok(Typed::code(CType::Bool, format!("{code}.{test}()")))
        }
        (CType::NullableCStr, CType::String) | (CType::String, CType::NullableCStr) => {
            let (pointer, string) = if a.ty == CType::String {
                (b, a)
            } else {
                (a, b)
            };
            let Val::Const(Konst::Str(text)) = string.val else {
                return Err("comparison with a runtime string is not supported".into());
            };
            // Only defined for a non-null pointer in C++; list entries guard it with `&&`.
            Ok(Typed::code(
                CType::Bool,
                format!("({}.as_deref() {op} Some({text:?}))", pointer.to_code()?),
            ))
        }
        (ta, tb) if ta.is_arithmetic() && tb.is_arithmetic() => {
            let ty = common_type(ta, tb)?;
            let (a, b) = (convert(a, ty)?, convert(b, ty)?);
            match (&a.val, &b.val) {
                (Val::Const(x), Val::Const(y)) => {
                    Ok(Typed::konst(CType::Bool, Konst::Bool((x == y) == equal)))
                }
                _ => Ok(Typed::code(
                    CType::Bool,
                    format!("({} {op} {})", a.to_code()?, b.to_code()?),
                )),
            }
        }
        (ta, tb) => Err(format!("cannot compare {ta:?} with {tb:?}")),
    }
}

fn logical_and(a: Typed, b: Typed) -> Result<Typed, String> {
    let (a, b) = (convert(a, CType::Bool)?, convert(b, CType::Bool)?);
    match (&a.val, &b.val) {
        (Val::Const(Konst::Bool(false)), _) => Ok(a),
        (Val::Const(Konst::Bool(true)), _) => Ok(b),
        _ => Ok(Typed::code(
            CType::Bool,
            format!("({} && {})", a.to_code()?, b.to_code()?),
        )),
    }
}

fn ternary(condition: Typed, then: Typed, otherwise: Typed) -> Result<Typed, String> {
    let ty = common_type(then.ty, otherwise.ty)?;
    let (then, otherwise) = (convert(then, ty)?, convert(otherwise, ty)?);
    match convert(condition, CType::Bool)?.val {
        Val::Const(Konst::Bool(true)) => Ok(then),
        Val::Const(Konst::Bool(false)) => Ok(otherwise),
        Val::Code(code) => Ok(Typed::code(
            ty,
            format!(
                "if {} {{ {} }} else {{ {} }}",
                strip_outer_parens(&code),
                then.to_code()?,
                otherwise.to_code()?
            ),
        )),
        other => Err(format!("bad condition {other:?}")),
    }
}

/// `std::max<T>`: both arguments must already have the same type, as template
/// argument deduction requires.
fn max(a: Typed, b: Typed) -> Result<Typed, String> {
    if a.ty != b.ty || a.ty.int_layout().is_none() {
        return Err(format!(
            "std::max of {:?} and {:?} does not deduce one integer type",
            a.ty, b.ty
        ));
    }
    match (&a.val, &b.val) {
        (Val::Const(Konst::Int(x)), Val::Const(Konst::Int(y))) => {
            Ok(Typed::konst(a.ty, Konst::Int(*x.max(y))))
        }
        _ => Ok(Typed::code(
            a.ty,
            format!("std::cmp::max({}, {})", a.to_code()?, b.to_code()?),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::expr::parse;

    struct Ctx;

    impl Context for Ctx {
        fn earlier_entry(&self, name: &str) -> Option<CType> {
            (name == "threads").then_some(CType::UInt)
        }
        fn entry_code(&self, name: &str) -> String {
            format!("cfg.{name}")
        }
        fn getenv_code(&self, variable: &str) -> String {
            format!("env.var({variable:?})")
        }
        fn hardware_concurrency_code(&self) -> String {
            "cpus()".into()
        }
    }

    fn value(text: &str, ty: CType) -> Result<Typed, String> {
        convert(eval(&parse(text)?, &Ctx)?, ty)
    }

    fn konst(text: &str, ty: CType) -> Konst {
        match value(text, ty).unwrap().val {
            Val::Const(k) => k,
            Val::Code(code) => panic!("{text} is not constant: {code}"),
        }
    }

    #[test]
    fn integer_arithmetic_follows_cpp() {
        assert_eq!(konst("15 * 60 * 1000", CType::ULong), Konst::Int(900_000));
        assert_eq!(konst("-1", CType::ULong), Konst::Int(u64::MAX.into()));
        assert_eq!(konst("(int64_t)-1", CType::Long), Konst::Int(-1));
        assert_eq!(
            konst("1024UL * 1024 * 1024 * 5", CType::ULong),
            Konst::Int(5 << 30)
        );
        assert_eq!(
            konst("((uint64_t)2) * 1024 * 1024 * 1024", CType::ULong),
            Konst::Int(2 << 30)
        );
        assert_eq!(konst("1 << 30", CType::Int), Konst::Int(1 << 30));
        assert_eq!(
            konst("0x5241590000000000", CType::Long),
            Konst::Int(0x5241590000000000)
        );
        // unsigned arithmetic wraps, and -1 converted to uint32_t is its maximum.
        assert_eq!(konst("0U - 1", CType::UInt), Konst::Int(u32::MAX.into()));
        assert_eq!(konst("-1", CType::UInt), Konst::Int(u32::MAX.into()));
        // A long (signed, 64-bit) with an unsigned int yields long.
        assert_eq!(konst("2L - 3U", CType::Long), Konst::Int(-1));
        // An int with an unsigned int yields unsigned int: 2 - 3 wraps.
        assert_eq!(konst("2 - 3U", CType::ULong), Konst::Int(u32::MAX.into()));
    }

    #[test]
    fn undefined_behaviour_is_rejected() {
        assert!(value("1024 * 1024 * 1024 * 2", CType::Long).is_err());
        assert!(value("1 << 31", CType::Int).is_err());
        assert!(value("1 / 0", CType::Int).is_err());
        assert!(value("1e30", CType::Long).is_err());
    }

    #[test]
    fn floating_defaults_round_like_cpp() {
        // 0.95 is a double literal; a float entry holds it rounded to float.
        assert_eq!(
            konst("0.95", CType::Float),
            Konst::Float(f64::from(0.95f64 as f32))
        );
        assert_eq!(konst("0.95", CType::Double), Konst::Float(0.95));
        assert_eq!(
            const_code(&konst("0.2", CType::Float), CType::Float).unwrap(),
            "0.2_f32"
        );
        assert_eq!(konst("1.9", CType::Int), Konst::Int(1));
    }

    #[test]
    fn runtime_expressions_become_code() {
        let code = value(
            "std::max(1U, std::thread::hardware_concurrency() / 4U)",
            CType::UInt,
        )
        .unwrap()
        .to_code()
        .unwrap();
        assert_eq!(code, "std::cmp::max(1_u32, cpus().wrapping_div(4_u32))");
        let code = value("threads() * 100", CType::Long)
            .unwrap()
            .to_code()
            .unwrap();
        assert_eq!(code, "i64::from(cfg.threads.wrapping_mul(100_u32))");
        let text =
            "std::getenv(\"A\") != nullptr && std::getenv(\"A\") == std::string(\"1\") ? 120 : 30";
        let code = value(text, CType::UInt).unwrap().to_code().unwrap();
        assert_eq!(
            code,
            "((if env.var(\"A\").is_some() && (env.var(\"A\").as_deref() == Some(\"1\")) { 120_i32 } else { 30_i32 }) as u32)"
        );
    }

    #[test]
    fn only_enclosing_parentheses_are_stripped() {
        assert_eq!(strip_outer_parens("(a + b)"), "a + b");
        assert_eq!(strip_outer_parens("(a) + (b)"), "(a) + (b)");
        assert_eq!(strip_outer_parens("((a) as u32)"), "(a) as u32");
        assert_eq!(strip_outer_parens("a"), "a");
    }

    #[test]
    fn mismatched_or_unknown_forms_fail() {
        assert!(value(
            "std::max(1, std::thread::hardware_concurrency())",
            CType::UInt
        )
        .is_err());
        assert!(value("later() * 2", CType::Long).is_err());
        assert!(value("\"text\"", CType::Long).is_err());
        assert!(value("std::getenv(\"A\")", CType::String).is_err());
    }
}
