#[cxx::bridge(namespace = "ray::rust")]
mod ffi {
    extern "Rust" {
        /// Which implementation of ray/common this archive provides.
        fn implementation_name() -> &'static str;
    }
}

fn implementation_name() -> &'static str {
    "rust"
}
