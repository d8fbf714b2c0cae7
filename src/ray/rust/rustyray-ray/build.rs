//! With the `cluster` feature, compiles the C++ layer against Ray's C++ API and links
//! `libray_api.so`; without it there is nothing to build.

fn main() {
    #[cfg(feature = "cluster")]
    cluster::build();
}

#[cfg(feature = "cluster")]
mod cluster {
    use std::path::PathBuf;

    pub fn build() {
        println!("cargo:rerun-if-env-changed=RAY_CPP_PREFIX");
        println!("cargo:rerun-if-changed=cpp/ray_bridge.cc");
        println!("cargo:rerun-if-changed=cpp/ray_bridge.h");
        let Some(prefix) = std::env::var_os("RAY_CPP_PREFIX").map(PathBuf::from) else {
            panic!(
                "the `cluster` feature needs Ray's C++ API: set RAY_CPP_PREFIX to the output of \
                 `tools/ray-cluster cpp-prefix` (run from the repository root)"
            );
        };
        let include = prefix.join("include");
        let lib = prefix.join("lib");
        if !include.join("ray/api.h").is_file() || !lib.join("libray_api.so").is_file() {
            panic!(
                "RAY_CPP_PREFIX={} has no include/ray/api.h or lib/libray_api.so; use the \
                 output of `tools/ray-cluster cpp-prefix`",
                prefix.display()
            );
        }
        cc::Build::new()
            .cpp(true)
            .std("c++17")
            // libray_api.so uses libstdc++'s pre-C++11 string ABI.
            .define("_GLIBCXX_USE_CXX11_ABI", "0")
            .include(&include)
            .include("cpp")
            .flag("-Wall")
            .flag("-Wextra")
            .pic(true)
            .file("cpp/ray_bridge.cc")
            .compile("rustyray_ray_bridge");
        println!("cargo:rustc-link-search=native={}", lib.display());
        println!("cargo:rustc-link-lib=dylib=ray_api");
        println!("cargo:rustc-link-arg=-Wl,-rpath,{}", lib.display());
    }
}
