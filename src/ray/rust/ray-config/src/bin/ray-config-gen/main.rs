//! ray-config-gen: writes `src/entries.rs` of the ray-config crate from Ray's X-macro
//! lists `src/ray/common/ray_config_def.h` and `ray_internal_flag_def.h`, so the C++
//! and Rust RayConfig share one declaration of every entry.
//!
//! Usage: `ray-config-gen [--write] [--common DIR] [--out FILE]`. Without `--write` the
//! generated text goes to stdout. DIR defaults to the repository's `src/ray/common` and
//! FILE to this crate's `src/entries.rs`. Any construct of the lists the generator does
//! not know is an error with its line, and the exit status is 1.

mod cpp;
mod emit;
mod expr;
mod preprocess;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

const MANIFEST_DIR: &str = env!("CARGO_MANIFEST_DIR");

struct Options {
    write: bool,
    common: PathBuf,
    out: PathBuf,
}

fn parse_options() -> Result<Options, String> {
    let manifest = Path::new(MANIFEST_DIR);
    let mut options = Options {
        write: false,
        common: manifest.join("../../common"),
        out: manifest.join("src/entries.rs"),
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--write" => options.write = true,
            "--common" => options.common = args.next().ok_or("--common needs a directory")?.into(),
            "--out" => options.out = args.next().ok_or("--out needs a file")?.into(),
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    Ok(options)
}

/// The generated text for the lists in `common`.
fn generate(common: &Path) -> Result<String, String> {
    let mut entries = Vec::new();
    for (file, macro_name, kind) in [
        ("ray_config_def.h", "RAY_CONFIG", emit::Kind::Config),
        (
            "ray_internal_flag_def.h",
            "RAY_INTERNAL_FLAG",
            emit::Kind::InternalFlag,
        ),
    ] {
        let path = common.join(file);
        let src = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        emit::add_list(&mut entries, &src, macro_name, kind)
            .map_err(|e| format!("{}: {e}", path.display()))?;
    }
    Ok(emit::render(&entries))
}

fn run() -> Result<(), String> {
    let options = parse_options()?;
    let text = generate(&options.common)?;
    if options.write {
        std::fs::write(&options.out, text).map_err(|e| format!("{}: {e}", options.out.display()))
    } else {
        print!("{text}");
        Ok(())
    }
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("ray-config-gen: {message}");
            ExitCode::FAILURE
        }
    }
}
