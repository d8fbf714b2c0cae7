//! The C++ default-value expressions of the list, parsed into a small syntax tree. Only
//! the forms Ray's list uses are accepted; anything else is an error naming the token.

/// Integer literal suffixes (`U`, `L`, `UL`; `LL` is treated as `L`, both 64-bit here).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct IntSuffix {
    pub unsigned: bool,
    pub long: bool,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum BinOp {
    Mul,
    Div,
    Add,
    Sub,
    Shl,
    Eq,
    Ne,
    And,
}

/// The scalar types a cast can name.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum CastType {
    Int,
    UInt,
    Long,
    ULong,
    Float,
    Double,
    Bool,
}

impl CastType {
    /// The type a C++ spelling names on Linux x86-64 (LP64).
    pub fn from_spelling(spelling: &str) -> Option<Self> {
        Some(match spelling {
            "int" | "int32_t" => Self::Int,
            "unsigned" | "unsigned int" | "uint32_t" => Self::UInt,
            "long" | "int64_t" | "long long" => Self::Long,
            "unsigned long" | "uint64_t" | "size_t" => Self::ULong,
            "float" => Self::Float,
            "double" => Self::Double,
            "bool" => Self::Bool,
            _ => return None,
        })
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    Int {
        value: u128,
        hex: bool,
        suffix: IntSuffix,
    },
    Float(f64),
    Str(String),
    Bool(bool),
    NullPtr,
    /// `{}`: a value-initialized object of the entry's type.
    EmptyBraces,
    Neg(Box<Expr>),
    Binary(BinOp, Box<Expr>, Box<Expr>),
    Cast(CastType, Box<Expr>),
    Ternary(Box<Expr>, Box<Expr>, Box<Expr>),
    Max(Box<Expr>, Box<Expr>),
    HardwareConcurrency,
    Getenv(String),
    /// `std::string(expr)`.
    StdString(Box<Expr>),
    /// `name()`: the current value of another entry.
    EntryRef(String),
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Number(String),
    Str(String),
    Ident(String),
    Punct(&'static str),
}

const PUNCTUATION: &[&str] = &[
    "<<", "==", "!=", "&&", "(", ")", "{", "}", ",", "*", "/", "+", "-", "?", ":",
];

fn tokenize(text: &str) -> Result<Vec<Token>, String> {
    let chars: Vec<char> = text.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c.is_ascii_digit()
            || (c == '.' && chars.get(i + 1).is_some_and(char::is_ascii_digit))
        {
            let start = i;
            while i < chars.len() && (chars[i].is_ascii_alphanumeric() || chars[i] == '.') {
                i += 1;
            }
            tokens.push(Token::Number(chars[start..i].iter().collect()));
        } else if c.is_ascii_alphabetic() || c == '_' {
            let start = i;
            while i < chars.len()
                && (chars[i].is_ascii_alphanumeric()
                    || chars[i] == '_'
                    || (chars[i] == ':' && chars.get(i + 1) == Some(&':'))
                    || (chars[i] == ':' && i > 0 && chars[i - 1] == ':'))
            {
                i += 1;
            }
            tokens.push(Token::Ident(chars[start..i].iter().collect()));
        } else if c == '"' {
            let mut value = String::new();
            i += 1;
            loop {
                match chars.get(i) {
                    None => return Err("unterminated string literal".into()),
                    Some('"') => break,
                    Some('\\') => match chars.get(i + 1) {
                        Some('"') => value.push('"'),
                        Some('\\') => value.push('\\'),
                        Some('n') => value.push('\n'),
                        Some('t') => value.push('\t'),
                        other => return Err(format!("unsupported escape \\{other:?}")),
                    },
                    Some(&other) => value.push(other),
                }
                if chars[i] == '\\' {
                    i += 1;
                }
                i += 1;
            }
            i += 1;
            tokens.push(Token::Str(value));
        } else {
            let rest: String = chars[i..chars.len().min(i + 2)].iter().collect();
            let punct = PUNCTUATION
                .iter()
                .find(|p| rest.starts_with(**p))
                .ok_or_else(|| format!("unsupported character `{c}`"))?;
            tokens.push(Token::Punct(punct));
            i += punct.len();
        }
    }
    Ok(tokens)
}

/// Parses one default-value expression.
pub fn parse(text: &str) -> Result<Expr, String> {
    let tokens = tokenize(text)?;
    let mut parser = Parser { tokens, pos: 0 };
    let expr = parser.ternary()?;
    match parser.tokens.get(parser.pos) {
        None => Ok(expr),
        Some(token) => Err(format!("unexpected {token:?} after the expression")),
    }
}

struct Parser {
    tokens: Vec<Token>,
    pos: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.pos)
    }

    fn peek_punct(&self, punct: &str) -> bool {
        matches!(self.peek(), Some(Token::Punct(p)) if *p == punct)
    }

    fn eat(&mut self, punct: &str) -> bool {
        let found = self.peek_punct(punct);
        if found {
            self.pos += 1;
        }
        found
    }

    fn expect(&mut self, punct: &str) -> Result<(), String> {
        if self.eat(punct) {
            Ok(())
        } else {
            Err(format!("expected `{punct}`, found {:?}", self.peek()))
        }
    }

    fn ternary(&mut self) -> Result<Expr, String> {
        let condition = self.logical_and()?;
        if !self.eat("?") {
            return Ok(condition);
        }
        let then = self.ternary()?;
        self.expect(":")?;
        let otherwise = self.ternary()?;
        Ok(Expr::Ternary(
            Box::new(condition),
            Box::new(then),
            Box::new(otherwise),
        ))
    }

    fn binary_level(
        &mut self,
        ops: &[(&str, BinOp)],
        next: fn(&mut Self) -> Result<Expr, String>,
    ) -> Result<Expr, String> {
        let mut left = next(self)?;
        'outer: loop {
            for (punct, op) in ops {
                if self.eat(punct) {
                    let right = next(self)?;
                    left = Expr::Binary(*op, Box::new(left), Box::new(right));
                    continue 'outer;
                }
            }
            return Ok(left);
        }
    }

    fn logical_and(&mut self) -> Result<Expr, String> {
        self.binary_level(&[("&&", BinOp::And)], Self::equality)
    }

    fn equality(&mut self) -> Result<Expr, String> {
        self.binary_level(&[("==", BinOp::Eq), ("!=", BinOp::Ne)], Self::shift)
    }

    fn shift(&mut self) -> Result<Expr, String> {
        self.binary_level(&[("<<", BinOp::Shl)], Self::additive)
    }

    fn additive(&mut self) -> Result<Expr, String> {
        self.binary_level(
            &[("+", BinOp::Add), ("-", BinOp::Sub)],
            Self::multiplicative,
        )
    }

    fn multiplicative(&mut self) -> Result<Expr, String> {
        self.binary_level(&[("*", BinOp::Mul), ("/", BinOp::Div)], Self::unary)
    }

    fn unary(&mut self) -> Result<Expr, String> {
        if self.eat("-") {
            return Ok(Expr::Neg(Box::new(self.unary()?)));
        }
        if self.peek_punct("(") {
            if let Some(Token::Ident(name)) = self.tokens.get(self.pos + 1) {
                if let Some(cast) = CastType::from_spelling(name) {
                    if matches!(self.tokens.get(self.pos + 2), Some(Token::Punct(")"))) {
                        self.pos += 3;
                        return Ok(Expr::Cast(cast, Box::new(self.unary()?)));
                    }
                }
            }
        }
        self.primary()
    }

    fn call_arguments(&mut self) -> Result<Vec<Expr>, String> {
        self.expect("(")?;
        let mut args = Vec::new();
        if self.eat(")") {
            return Ok(args);
        }
        loop {
            args.push(self.ternary()?);
            if self.eat(")") {
                return Ok(args);
            }
            self.expect(",")?;
        }
    }

    fn primary(&mut self) -> Result<Expr, String> {
        let token = self.peek().cloned().ok_or("unexpected end of expression")?;
        self.pos += 1;
        match token {
            Token::Number(text) => number(&text),
            Token::Str(value) => Ok(Expr::Str(value)),
            Token::Punct("(") => {
                let inner = self.ternary()?;
                self.expect(")")?;
                Ok(inner)
            }
            Token::Punct("{") => {
                self.expect("}")?;
                Ok(Expr::EmptyBraces)
            }
            Token::Ident(name) => self.named(&name),
            Token::Punct(p) => Err(format!("unexpected `{p}`")),
        }
    }

    fn named(&mut self, name: &str) -> Result<Expr, String> {
        match name {
            "true" => return Ok(Expr::Bool(true)),
            "false" => return Ok(Expr::Bool(false)),
            "nullptr" => return Ok(Expr::NullPtr),
            _ => {}
        }
        let mut args = self.call_arguments()?;
        let arity = args.len();
        let mut take = || args.remove(0);
        match (name, arity) {
            ("std::max", 2) => {
                let a = take();
                let b = take();
                Ok(Expr::Max(Box::new(a), Box::new(b)))
            }
            ("std::thread::hardware_concurrency", 0) => Ok(Expr::HardwareConcurrency),
            ("std::getenv" | "getenv", 1) => match take() {
                Expr::Str(variable) => Ok(Expr::Getenv(variable)),
                other => Err(format!("std::getenv needs a string literal, got {other:?}")),
            },
            ("std::string", 1) => Ok(Expr::StdString(Box::new(take()))),
            (entry, 0) if !entry.contains("::") => Ok(Expr::EntryRef(entry.to_string())),
            _ => Err(format!(
                "unsupported call `{name}` with {arity} argument(s)"
            )),
        }
    }
}

/// A C++ numeric literal: decimal or hexadecimal integers with `U`/`L` suffixes, or a
/// decimal floating-point literal without suffix (a double).
fn number(text: &str) -> Result<Expr, String> {
    let is_float =
        !text.starts_with("0x") && !text.starts_with("0X") && text.contains(['.', 'e', 'E']);
    if is_float {
        if !text
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '+' | '-'))
        {
            return Err(format!("unsupported floating-point literal `{text}`"));
        }
        return text
            .parse::<f64>()
            .map(Expr::Float)
            .map_err(|_| format!("bad floating-point literal `{text}`"));
    }
    let (digits, hex) = match text.strip_prefix("0x").or_else(|| text.strip_prefix("0X")) {
        Some(rest) => (rest, true),
        None => (text, false),
    };
    let split = digits.find(|c: char| !c.is_ascii_hexdigit() || (!hex && !c.is_ascii_digit()));
    let (body, suffix_text) = digits.split_at(split.unwrap_or(digits.len()));
    let suffix = match suffix_text.to_ascii_uppercase().as_str() {
        "" => IntSuffix {
            unsigned: false,
            long: false,
        },
        "U" => IntSuffix {
            unsigned: true,
            long: false,
        },
        "L" | "LL" => IntSuffix {
            unsigned: false,
            long: true,
        },
        "UL" | "LU" | "ULL" | "LLU" => IntSuffix {
            unsigned: true,
            long: true,
        },
        other => return Err(format!("unsupported integer suffix `{other}` in `{text}`")),
    };
    if !hex && body.len() > 1 && body.starts_with('0') {
        return Err(format!("octal literal `{text}` is not supported"));
    }
    let value = u128::from_str_radix(body, if hex { 16 } else { 10 })
        .map_err(|_| format!("bad integer literal `{text}`"))?;
    Ok(Expr::Int { value, hex, suffix })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn int(value: u128) -> Expr {
        Expr::Int {
            value,
            hex: false,
            suffix: IntSuffix {
                unsigned: false,
                long: false,
            },
        }
    }

    #[test]
    fn products_are_left_associative() {
        let parsed = parse("15 * 60 * 1000").unwrap();
        let inner = Expr::Binary(BinOp::Mul, Box::new(int(15)), Box::new(int(60)));
        assert_eq!(
            parsed,
            Expr::Binary(BinOp::Mul, Box::new(inner), Box::new(int(1000)))
        );
    }

    #[test]
    fn casts_and_suffixes() {
        assert_eq!(
            parse("(int64_t)-1").unwrap(),
            Expr::Cast(CastType::Long, Box::new(Expr::Neg(Box::new(int(1)))))
        );
        match parse("1024UL").unwrap() {
            Expr::Int {
                value: 1024,
                suffix,
                ..
            } => assert!(suffix.unsigned && suffix.long),
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            parse("0x5241590000000000").unwrap(),
            Expr::Int { hex: true, .. }
        ));
    }

    #[test]
    fn calls_and_ternary() {
        assert!(matches!(
            parse("std::max(1U, std::thread::hardware_concurrency() / 4U)").unwrap(),
            Expr::Max(..)
        ));
        assert!(matches!(
            parse("other_entry() * 100").unwrap(),
            Expr::Binary(BinOp::Mul, ..)
        ));
        let text =
            "std::getenv(\"A\") != nullptr && std::getenv(\"A\") == std::string(\"1\") ? 120 : 30";
        assert!(matches!(parse(text).unwrap(), Expr::Ternary(..)));
        assert_eq!(parse("{}").unwrap(), Expr::EmptyBraces);
    }

    #[test]
    fn unknown_forms_fail() {
        for text in [
            "1 % 2",
            "sizeof(int)",
            "std::min(1, 2)",
            "017",
            "1.0f",
            "x.y()",
            "1 +",
            "a::b()",
            "1ULX",
        ] {
            assert!(parse(text).is_err(), "{text} should not parse");
        }
    }
}
