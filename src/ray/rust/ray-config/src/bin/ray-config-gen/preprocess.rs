//! The textual layer of the generator: comments out, platform conditionals resolved as
//! on Linux, then the macro invocations with their raw arguments. Anything else in the
//! list is an error, so a construct the generator does not understand cannot be skipped
//! silently.

use std::fmt;

/// A failure with the 1-based line it refers to.
#[derive(Debug, PartialEq)]
pub struct GenError {
    pub line: usize,
    pub message: String,
}

impl GenError {
    pub fn new(line: usize, message: impl Into<String>) -> Self {
        Self {
            line,
            message: message.into(),
        }
    }
}

impl fmt::Display for GenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

/// Macros a Linux build of Ray sees defined, for `#ifdef`/`#ifndef`.
const LINUX_DEFINES: &[&str] = &["__linux__", "__unix__", "__GNUC__"];

/// Replaces `//` and `/* */` comments by spaces, keeping newlines (so line numbers stay
/// right) and string literals intact.
pub fn strip_comments(src: &str) -> Result<String, GenError> {
    let chars: Vec<char> = src.chars().collect();
    let mut out = String::with_capacity(src.len());
    let mut line = 1;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            let start = line;
            i += 2;
            loop {
                match chars.get(i) {
                    None => return Err(GenError::new(start, "unterminated /* comment")),
                    Some('*') if chars.get(i + 1) == Some(&'/') => {
                        i += 2;
                        out.push(' ');
                        break;
                    }
                    Some('\n') => {
                        line += 1;
                        out.push('\n');
                        i += 1;
                    }
                    Some(_) => i += 1,
                }
            }
        } else if c == '"' {
            out.push(c);
            i += 1;
            loop {
                match chars.get(i) {
                    None | Some('\n') => {
                        return Err(GenError::new(line, "unterminated string literal"))
                    }
                    Some('\\') => {
                        out.push('\\');
                        if let Some(&escaped) = chars.get(i + 1) {
                            out.push(escaped);
                        }
                        i += 2;
                    }
                    Some('"') => {
                        out.push('"');
                        i += 1;
                        break;
                    }
                    Some(&other) => {
                        out.push(other);
                        i += 1;
                    }
                }
            }
        } else {
            if c == '\n' {
                line += 1;
            }
            out.push(c);
            i += 1;
        }
    }
    Ok(out)
}

/// Keeps the lines a Linux build compiles: `#ifdef`, `#ifndef`, `#else` and `#endif`
/// are resolved against [`LINUX_DEFINES`]; dropped lines become empty. Any other
/// directive is an error.
pub fn select_linux(src: &str) -> Result<String, GenError> {
    // One entry per open conditional: (this branch active, an earlier branch was taken).
    let mut stack: Vec<(bool, bool)> = Vec::new();
    let mut out = String::with_capacity(src.len());
    for (index, text) in src.lines().enumerate() {
        let line = index + 1;
        let trimmed = text.trim();
        let active = stack.iter().all(|&(on, _)| on);
        if let Some(directive) = trimmed.strip_prefix('#') {
            let mut words = directive.split_whitespace();
            let keyword = words.next().unwrap_or("");
            let operand = words.next();
            match (keyword, operand, words.next()) {
                ("ifdef", Some(name), None) => {
                    let on = LINUX_DEFINES.contains(&name);
                    stack.push((on, on));
                }
                ("ifndef", Some(name), None) => {
                    let on = !LINUX_DEFINES.contains(&name);
                    stack.push((on, on));
                }
                ("else", None, None) => match stack.last_mut() {
                    Some(top) => *top = (!top.1, true),
                    None => return Err(GenError::new(line, "#else without #ifdef")),
                },
                ("endif", None, None) => {
                    if stack.pop().is_none() {
                        return Err(GenError::new(line, "#endif without #ifdef"));
                    }
                }
                _ => {
                    return Err(GenError::new(
                        line,
                        format!("unsupported preprocessor directive `{trimmed}`"),
                    ))
                }
            }
            out.push('\n');
        } else {
            if active {
                out.push_str(text);
            }
            out.push('\n');
        }
    }
    if !stack.is_empty() {
        return Err(GenError::new(src.lines().count(), "unterminated #ifdef"));
    }
    Ok(out)
}

/// One `MACRO(arg, arg, arg)` of the list, arguments as written (trimmed).
#[derive(Debug, PartialEq)]
pub struct Invocation {
    pub line: usize,
    pub args: Vec<String>,
}

/// The invocations of `macro_name` in comment-free, conditional-free text. Only
/// whitespace and stray `;` may stand between them.
pub fn invocations(src: &str, macro_name: &str) -> Result<Vec<Invocation>, GenError> {
    let chars: Vec<char> = src.chars().collect();
    let mut found = Vec::new();
    let mut line = 1;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '\n' {
            line += 1;
            i += 1;
        } else if c.is_whitespace() || c == ';' {
            i += 1;
        } else if c.is_ascii_alphabetic() || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].is_ascii_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect();
            if word != macro_name {
                return Err(GenError::new(
                    line,
                    format!("expected {macro_name}, found `{word}`"),
                ));
            }
            while i < chars.len() && chars[i] == ' ' {
                i += 1;
            }
            if chars.get(i) != Some(&'(') {
                return Err(GenError::new(line, format!("{macro_name} without `(`")));
            }
            let (args, end, lines) = split_arguments(&chars, i + 1)
                .ok_or_else(|| GenError::new(line, format!("unbalanced {macro_name}(...)")))?;
            found.push(Invocation { line, args });
            line += lines;
            i = end;
        } else {
            return Err(GenError::new(line, format!("unexpected character `{c}`")));
        }
    }
    Ok(found)
}

/// Splits the arguments that start at `start` (just after the opening parenthesis) on
/// top-level commas. Returns them, the index after the closing parenthesis and the
/// number of newlines crossed; None if the parentheses do not balance.
fn split_arguments(chars: &[char], start: usize) -> Option<(Vec<String>, usize, usize)> {
    let mut args = Vec::new();
    let mut current = String::new();
    let mut depth = 0usize;
    let mut newlines = 0;
    let mut in_string = false;
    let mut i = start;
    while i < chars.len() {
        let c = chars[i];
        if c == '\n' {
            newlines += 1;
        }
        if in_string {
            current.push(c);
            if c == '\\' {
                current.push(*chars.get(i + 1)?);
                i += 1;
            } else if c == '"' {
                in_string = false;
            }
        } else {
            match c {
                '"' => {
                    in_string = true;
                    current.push(c);
                }
                '(' | '{' | '[' => {
                    depth += 1;
                    current.push(c);
                }
                ')' if depth == 0 => {
                    args.push(normalize(&current));
                    return Some((args, i + 1, newlines));
                }
                ')' | '}' | ']' => {
                    depth = depth.checked_sub(1)?;
                    current.push(c);
                }
                ',' if depth == 0 => args.push(normalize(&std::mem::take(&mut current))),
                _ => current.push(c),
            }
        }
        i += 1;
    }
    None
}

/// Collapses runs of whitespace outside string literals to one space and trims.
fn normalize(text: &str) -> String {
    let mut out = String::new();
    let mut in_string = false;
    let mut previous_space = false;
    for c in text.trim().chars() {
        if c == '"' {
            in_string = !in_string;
        }
        if !in_string && c.is_whitespace() {
            if !previous_space {
                out.push(' ');
            }
            previous_space = true;
        } else {
            out.push(c);
            previous_space = false;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_go_but_strings_and_lines_stay() {
        let src = "a // x\n/* y\n z */ b \"//not\"\n";
        let out = strip_comments(src).unwrap();
        assert_eq!(out.lines().count(), 3);
        assert!(out.contains("\"//not\""));
        assert!(!out.contains('x') && !out.contains('y'));
    }

    #[test]
    fn linux_branch_is_taken() {
        let src = "#ifdef _WIN32\nA\n#else\nB\n#endif\n#ifndef _WIN32\nC\n#endif\n";
        let out = select_linux(src).unwrap();
        assert!(!out.contains('A'));
        assert!(out.contains('B') && out.contains('C'));
    }

    #[test]
    fn unknown_directives_fail() {
        assert!(select_linux("#if FOO\n#endif\n").is_err());
        assert!(select_linux("#define X 1\n").is_err());
        assert!(select_linux("#ifdef X\n").is_err());
        assert!(select_linux("#endif\n").is_err());
    }

    #[test]
    fn arguments_split_on_top_level_commas_only() {
        let found = invocations(
            "M(int,\n  a,\n  std::max(1, f(2)))\nM(x, y, \"a,b\");\n",
            "M",
        )
        .unwrap();
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].args, vec!["int", "a", "std::max(1, f(2))"]);
        assert_eq!(found[1].line, 4);
        assert_eq!(found[1].args, vec!["x", "y", "\"a,b\""]);
    }

    #[test]
    fn stray_text_fails() {
        assert!(invocations("M(a, b, c) int x;", "M").is_err());
        assert!(invocations("M(a, b, c", "M").is_err());
        assert!(invocations("M(a, b, c) +", "M").is_err());
    }
}
