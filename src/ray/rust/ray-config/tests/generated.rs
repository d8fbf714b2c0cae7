//! `src/entries.rs` must be exactly what `ray-config-gen` makes of the C++ lists now, so
//! the C++ and Rust RayConfig cannot drift apart; and the generator must refuse what it
//! does not understand. Under Bazel, the paths come from the environment (runfiles).

use std::path::PathBuf;
use std::process::{Command, Output};

fn from_env_or(variable: &str, fallback: impl FnOnce() -> PathBuf) -> PathBuf {
    std::env::var_os(variable).map_or_else(fallback, PathBuf::from)
}

fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn generator() -> PathBuf {
    from_env_or("RAY_CONFIG_GEN", || {
        match option_env!("CARGO_BIN_EXE_ray-config-gen") {
            Some(path) => PathBuf::from(path),
            None => panic!("cargo names the generator binary; under Bazel set RAY_CONFIG_GEN"),
        }
    })
}

fn run_generator(common: &std::path::Path) -> Output {
    Command::new(generator())
        .arg("--common")
        .arg(common)
        .output()
        .expect("the generator runs")
}

#[test]
fn generated_file_is_fresh() {
    let common = from_env_or("RAY_CONFIG_COMMON_DIR", || {
        manifest_dir().join("../../common")
    });
    let checked_in = from_env_or("RAY_CONFIG_ENTRIES", || {
        manifest_dir().join("src/entries.rs")
    });
    let output = run_generator(&common);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let fresh = String::from_utf8(output.stdout).expect("UTF-8 output");
    let current = std::fs::read_to_string(&checked_in).expect("src/entries.rs is readable");
    assert!(
        fresh == current,
        "src/entries.rs is stale: run `cargo run -p ray-config --bin ray-config-gen -- --write`"
    );
    assert!(fresh.starts_with("// @generated"));
}

/// Writes a pair of lists into a fresh directory and runs the generator on them.
fn generate_from(name: &str, config_def: &str) -> Output {
    let dir = std::env::temp_dir().join(format!("ray-config-gen-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temporary directory");
    std::fs::write(dir.join("ray_config_def.h"), config_def).expect("write list");
    std::fs::write(
        dir.join("ray_internal_flag_def.h"),
        "RAY_INTERNAL_FLAG(std::string, F, \"\")\n",
    )
    .expect("write list");
    let output = run_generator(&dir);
    std::fs::remove_dir_all(&dir).expect("clean up");
    output
}

#[test]
fn a_small_list_generates_typed_fields() {
    let output = generate_from(
        "small",
        "// c\nRAY_CONFIG(uint64_t, a, -1)\nRAY_CONFIG(int64_t, b, a() * 2)\n",
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.contains("pub a: u64,"));
    assert!(text.contains("read_env(env, \"RAY_a\", \"uint64_t\", 18446744073709551615_u64)"));
    assert!(text.contains("0 => ConfigValueRef::U64(self.a),"));
    assert!(text.contains("1 => ConfigValueRef::I64(self.b),"));
    // uint64_t * int is uint64_t: wraps, then converts to int64_t.
    assert!(
        text.contains("(self.a.wrapping_mul(2_u64)) as i64"),
        "{text}"
    );
    assert!(text.contains("pub f: String,"));
}

#[test]
fn unknown_constructs_fail_loudly_with_their_line() {
    for (name, list, needle) in [
        ("macro", "RAY_CONFIG(int, a, 1)\n#if X\n#endif\n", "line 2"),
        ("type", "RAY_CONFIG(short, a, 1)\n", "unsupported type"),
        ("call", "RAY_CONFIG(int, a, std::min(1, 2))\n", "std::min"),
        (
            "later",
            "RAY_CONFIG(int, a, b())\nRAY_CONFIG(int, b, 1)\n",
            "declared earlier",
        ),
        (
            "overflow",
            "RAY_CONFIG(int, a, 1024 * 1024 * 1024 * 4)\n",
            "overflows",
        ),
        (
            "twice",
            "RAY_CONFIG(int, a, 1)\nRAY_CONFIG(int, a, 2)\n",
            "twice",
        ),
        ("text", "int a = 1;\n", "expected RAY_CONFIG"),
    ] {
        let output = generate_from(name, list);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!output.status.success(), "{name} was accepted");
        assert!(stderr.contains(needle), "{name}: {stderr}");
    }
}
