"""ray_cxx_bridge: the C++ half of a `#[cxx::bridge]` module, as a cc_library."""

load("@rules_cc//cc:defs.bzl", "cc_library")

def ray_cxx_bridge(name, src, include_prefix = None, deps = [], **kwargs):
    """Runs cxxbridge over a Rust file holding a `#[cxx::bridge]` module.

    The generated header is `<include_prefix>/<basename of src>.h`; the generated glue is
    compiled into the returned cc_library, together with cxx's own C++ runtime. The
    cxxbridge binary is the build root's (Debian's cxxbridge-cmd), whose version must equal
    the `cxx` crate's (pinned with `=` in Cargo.toml).

    Example:
        ray_cxx_bridge(
            name = "bridge",
            src = "src/bridge.rs",
            include_prefix = "ray/ffi",
        )
        # C++: #include "ray/ffi/bridge.rs.h"

    Args:
      name: the cc_library's name.
      src: the Rust source that contains the bridge module.
      include_prefix: directory under which C++ includes the header; defaults to the
        package path.
      deps: C++ libraries whose headers the bridge's `include!`s name.
      **kwargs: passed to the cc_library.
    """
    base = src.split("/")[-1]
    header = name + "/" + base + ".h"
    source = name + "/" + base + ".cc"
    native.genrule(
        name = name + "_header",
        srcs = [src],
        outs = [header],
        cmd = "/usr/bin/cxxbridge $< --header > $@",
    )
    native.genrule(
        name = name + "_source",
        srcs = [src],
        outs = [source],
        cmd = "/usr/bin/cxxbridge $< > $@",
    )
    cc_library(
        name = name,
        srcs = [source],
        hdrs = [header],
        include_prefix = include_prefix,
        strip_include_prefix = name,
        deps = deps + ["@crates//:cxx_cc"],
        **kwargs
    )
