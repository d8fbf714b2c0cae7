//! From the parsed lists to the text of `src/entries.rs`.

use crate::cpp::{self, CType, Context};
use crate::expr;
use crate::preprocess::{self, GenError};

/// Which list an entry comes from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Kind {
    Config,
    InternalFlag,
}

/// One entry with everything the generated code needs.
#[derive(Debug)]
pub struct Entry {
    pub name: String,
    pub field: String,
    pub cpp_type: String,
    pub ctype: CType,
    pub rust_type: &'static str,
    pub variant: &'static str,
    pub default_text: String,
    pub default_code: String,
    pub kind: Kind,
}

/// The Rust type and `ConfigValue` variant of each C++ type the lists may use.
fn rust_type(cpp_type: &str) -> Option<(CType, &'static str, &'static str)> {
    Some(match cpp_type {
        "bool" => (CType::Bool, "bool", "Bool"),
        "int" | "int32_t" => (CType::Int, "i32", "I32"),
        "uint32_t" => (CType::UInt, "u32", "U32"),
        "int64_t" => (CType::Long, "i64", "I64"),
        "uint64_t" => (CType::ULong, "u64", "U64"),
        "size_t" => (CType::ULong, "usize", "Usize"),
        "float" => (CType::Float, "f32", "F32"),
        "double" => (CType::Double, "f64", "F64"),
        "std::string" => (CType::String, "String", "String"),
        "std::vector<std::string>" => (CType::StringVector, "Vec<String>", "StringList"),
        _ => return None,
    })
}

const RUST_KEYWORDS: &[&str] = &[
    "as", "async", "await", "box", "break", "const", "continue", "crate", "dyn", "else", "enum",
    "extern", "false", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod",
    "move", "mut", "pub", "ref", "return", "self", "static", "struct", "super", "trait", "true",
    "try", "type", "unsafe", "use", "where", "while", "yield",
];

/// Ray's entry name as a Rust field: lower case (Ray has a few upper-case names such as
/// `USE_TLS`), never a keyword.
fn field_name(name: &str) -> Result<String, String> {
    let field = name.to_ascii_lowercase();
    if RUST_KEYWORDS.contains(&field.as_str()) {
        return Err(format!("entry `{name}` is a Rust keyword"));
    }
    Ok(field)
}

struct Scope<'a> {
    earlier: &'a [Entry],
}

impl Context for Scope<'_> {
    fn earlier_entry(&self, name: &str) -> Option<CType> {
        self.earlier
            .iter()
            .find(|e| e.name == name)
            .map(|e| e.ctype)
    }
    fn entry_code(&self, name: &str) -> String {
        let field = self
            .earlier
            .iter()
            .find(|e| e.name == name)
            .map_or(name, |e| &e.field);
        format!("self.{field}")
    }
    fn getenv_code(&self, variable: &str) -> String {
        format!("env.var({variable:?})")
    }
    fn hardware_concurrency_code(&self) -> String {
        "hardware_concurrency()".to_string()
    }
}

/// Parses one list (`macro_name` is RAY_CONFIG or RAY_INTERNAL_FLAG) and appends its
/// entries to `entries`.
pub fn add_list(
    entries: &mut Vec<Entry>,
    src: &str,
    macro_name: &str,
    kind: Kind,
) -> Result<(), GenError> {
    let text = preprocess::select_linux(&preprocess::strip_comments(src)?)?;
    for invocation in preprocess::invocations(&text, macro_name)? {
        let line = invocation.line;
        let fail = |message: String| GenError::new(line, message);
        let [cpp_type, name, default_text] =
            <[String; 3]>::try_from(invocation.args).map_err(|args| {
                fail(format!(
                    "{macro_name} takes 3 arguments, got {}",
                    args.len()
                ))
            })?;
        let (ctype, rust, variant) =
            rust_type(&cpp_type).ok_or_else(|| fail(format!("unsupported type `{cpp_type}`")))?;
        if !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return Err(fail(format!("bad entry name `{name}`")));
        }
        if entries.iter().any(|e| e.name == name) {
            return Err(fail(format!("entry `{name}` is declared twice")));
        }
        let field = field_name(&name).map_err(&fail)?;
        if entries.iter().any(|e| e.field == field) {
            return Err(fail(format!(
                "field `{field}` of `{name}` collides with another entry"
            )));
        }
        let parsed =
            expr::parse(&default_text).map_err(|e| fail(format!("`{default_text}`: {e}")))?;
        let scope = Scope { earlier: entries };
        let typed = cpp::eval(&parsed, &scope)
            .and_then(|value| cpp::convert(value, ctype))
            .map_err(|e| fail(format!("`{default_text}`: {e}")))?;
        let code = typed
            .to_code()
            .map_err(|e| fail(format!("`{default_text}`: {e}")))?;
        let mut default_code = cpp::strip_outer_parens(&code).to_string();
        if rust == "usize" {
            default_code = match default_code.strip_suffix("_u64") {
                Some(digits) => format!("{digits}_usize"),
                None => format!("({default_code}) as usize"),
            };
        }
        entries.push(Entry {
            name,
            field,
            cpp_type,
            ctype,
            rust_type: rust,
            variant,
            default_text,
            default_code,
            kind,
        });
    }
    Ok(())
}

/// The complete text of `src/entries.rs`.
pub fn render(entries: &[Entry]) -> String {
    let mut out = String::new();
    let mut push = |line: &str| {
        out.push_str(line);
        out.push('\n');
    };
    push("// @generated by ray-config-gen from src/ray/common/ray_config_def.h and");
    push("// src/ray/common/ray_internal_flag_def.h; do not edit. After changing a list, run");
    push("//   cargo run -p ray-config --bin ray-config-gen -- --write");
    push("// (the test `generated_file_is_fresh` fails until then).");
    push("");
    push("use crate::cpu::hardware_concurrency;");
    push("use crate::env::{read_env, EnvSource};");
    push("use crate::error::ConfigError;");
    push("use crate::json::{FromJson, JsonTypeError};");
    push("use crate::value::{assign, ConfigValue, ConfigValueRef, EntryInfo, EntryKind};");
    push("");
    push("/// Every setting of Ray's `RayConfig`: one field per entry of `ray_config_def.h`, then");
    push("/// the internal flags of `ray_internal_flag_def.h`, in the lists' order. Field names");
    push("/// are Ray's entry names in lower case; each reads from `RAY_<Ray's name>`.");
    push("#[derive(Debug, Clone, PartialEq, Default)]");
    push("pub struct RayConfig {");
    for e in entries {
        push(&format!(
            "    /// `{} {}`, default `{}`.",
            e.cpp_type, e.name, e.default_text
        ));
        push(&format!("    pub {}: {},", e.field, e.rust_type));
    }
    push("}");
    push("");
    push("/// The entries in declaration order, with their C++ types and defaults as written.");
    push("pub static ENTRIES: &[EntryInfo] = &[");
    for e in entries {
        let kind = match e.kind {
            Kind::Config => "Config",
            Kind::InternalFlag => "InternalFlag",
        };
        push("    EntryInfo {");
        push(&format!("        name: {:?},", e.name));
        push(&format!("        cpp_type: {:?},", e.cpp_type));
        push(&format!("        default: {:?},", e.default_text));
        push(&format!("        kind: EntryKind::{kind},"));
        push("    },");
    }
    push("];");
    push("");
    push("impl RayConfig {");
    for (kind, function, doc) in [
        (
            Kind::Config,
            "read_config_entries",
            "the entries of `ray_config_def.h`",
        ),
        (
            Kind::InternalFlag,
            "read_internal_flags",
            "the internal flags",
        ),
    ] {
        push(&format!(
            "    /// Sets {doc} from `RAY_<name>` or their defaults, in declaration order; the first"
        ));
        push("    /// unparsable variable is the error. Defaults may read earlier fields.");
        push(&format!(
            "    pub(crate) fn {function}(&mut self, env: &dyn EnvSource) -> Result<(), ConfigError> {{"
        ));
        for e in entries.iter().filter(|e| e.kind == kind) {
            push(&format!(
                "        self.{} = read_env(env, {:?}, {:?}, {})?;",
                e.field,
                format!("RAY_{}", e.name),
                e.cpp_type,
                e.default_code
            ));
        }
        push("        Ok(())");
        push("    }");
        push("");
    }
    push("    /// Sets an entry of `ray_config_def.h` from JSON; None for any other name (the");
    push("    /// internal flags included).");
    push("    pub(crate) fn set_from_json(");
    push("        &mut self,");
    push("        name: &str,");
    push("        value: &serde_json::Value,");
    push("    ) -> Option<Result<(), JsonTypeError>> {");
    push("        let result = match name {");
    for e in entries.iter().filter(|e| e.kind == Kind::Config) {
        push(&format!(
            "            {:?} => FromJson::from_json(value).map(|v| self.{} = v),",
            e.name, e.field
        ));
    }
    push("            _ => return None,");
    push("        };");
    push("        Some(result)");
    push("    }");
    push("");
    push("    /// The value of the entry at `index` in [`ENTRIES`] (declaration order), or None");
    push("    /// past the end.");
    push("    pub fn value_at(&self, index: usize) -> Option<ConfigValueRef<'_>> {");
    push("        Some(match index {");
    for (index, e) in entries.iter().enumerate() {
        let read = if e.ctype == CType::String || e.ctype == CType::StringVector {
            format!("&self.{}", e.field)
        } else {
            format!("self.{}", e.field)
        };
        push(&format!(
            "            {index} => ConfigValueRef::{}({read}),",
            e.variant
        ));
    }
    push("            _ => return None,");
    push("        })");
    push("    }");
    push("");
    push("    /// Assigns the entry Ray calls `name` (an internal flag too, as Ray's accessors");
    push("    /// allow); the value must have the entry's type.");
    push("    pub fn set(&mut self, name: &str, value: ConfigValue) -> Result<(), ConfigError> {");
    push("        match name {");
    for e in entries {
        push(&format!(
            "            {:?} => assign(&mut self.{}, name, {:?}, value),",
            e.name, e.field, e.cpp_type
        ));
    }
    push("            _ => Err(ConfigError::UnknownEntry(name.to_string())),");
    push("        }");
    push("    }");
    push("}");
    out
}
