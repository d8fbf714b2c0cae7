"""Macros for Rust crates and for C++ targets that link them.

The rules in one sentence each:
  * ray_rust_library / ray_rust_test: a crate of the Cargo workspace, built by Bazel with the
    project's lints and edition; third-party deps come from `@crates` (Cargo.lock).
  * ray_rust_static_library: the ONE archive of Rust code that C++ binaries link. Two Rust
    static libraries in one link collide on the Rust standard library's symbols, so every
    Rust crate that C++ calls is aggregated here.
  * ray_cc_library_with_rust: a cc_library whose implementation calls Rust through cxx.
  * ray_cc_test_with_rust: one C++ test source, run against both implementations of a
    migrated component.
  * ray_impl_alias: the label dependents use for a migrated library, following the build
    setting.
  * ray_drop_in_library: a Rust-backed drop-in header at Ray's include path.
"""

load("@rules_cc//cc:defs.bzl", "cc_binary", "cc_library", "cc_test")
load("@rules_rust//rust:defs.bzl", "rust_library", "rust_proc_macro", "rust_static_library", "rust_test")

_IMPL_FLAG = "//bazel:ray_common_impl"

_RUSTC_FLAGS = [
    "-Dwarnings",
    "-Dunsafe_op_in_unsafe_fn",
]

def _crate_name(name):
    return name.replace("-", "_")

def ray_rust_library(name, srcs = None, crate_root = "src/lib.rs", proc_macro = False, rustc_flags = [], **kwargs):
    """A Rust crate of src/ray/rust, built by Bazel.

    Example:
        ray_rust_library(
            name = "ray_common",
            deps = ["@crates//:sha2", "@crates//:thiserror"],
        )

    Args:
      name: the crate name (dashes become underscores).
      srcs: sources; defaults to everything under src/.
      crate_root: the crate's root module.
      proc_macro: build a procedural-macro crate.
      rustc_flags: extra rustc flags on top of the project's (warnings are errors).
      **kwargs: passed to rust_library / rust_proc_macro (deps, proc_macro_deps, data, ...).
    """
    rule = rust_proc_macro if proc_macro else rust_library
    rule(
        name = name,
        srcs = srcs if srcs != None else native.glob(["src/**/*.rs"]),
        crate_name = kwargs.pop("crate_name", _crate_name(name)),
        crate_root = crate_root,
        edition = kwargs.pop("edition", "2021"),
        rustc_flags = _RUSTC_FLAGS + rustc_flags,
        **kwargs
    )

def ray_rust_test(name, crate = None, srcs = None, rustc_flags = [], **kwargs):
    """Rust tests: a crate's unit tests (`crate`) or an integration test file (`srcs`).

    Example:
        ray_rust_test(name = "ray_common_unit_test", crate = ":ray_common")
        ray_rust_test(
            name = "golden_test",
            srcs = ["tests/golden.rs"],
            data = ["//src/ray/common/tests/golden"],
            deps = [":ray_common"],
        )

    Args:
      name: test name.
      crate: run the unit tests of this ray_rust_library.
      srcs: an integration test's sources (the first one is the crate root).
      rustc_flags: extra rustc flags.
      **kwargs: passed to rust_test.
    """
    if srcs != None and "crate_root" not in kwargs:
        kwargs["crate_root"] = srcs[0]
    rust_test(
        name = name,
        crate = crate,
        srcs = srcs,
        edition = kwargs.pop("edition", "2021"),
        rustc_flags = _RUSTC_FLAGS + rustc_flags,
        **kwargs
    )

def ray_rust_static_library(name, deps, **kwargs):
    """The single static archive of every Rust crate that C++ code in this build calls.

    A generated crate root names each dependency with `extern crate`, so its exported
    symbols (the cxx bridge functions) land in the archive even though nothing in Rust
    uses them.

    Example:
        ray_rust_static_library(
            name = "rust_runtime",
            deps = ["//src/ray/rust/ray-ffi:ray_ffi"],
        )

    Args:
      name: target name; link it (via ray_cc_library_with_rust) into C++ binaries.
      deps: ray_rust_library targets whose exported symbols C++ uses.
      **kwargs: passed to rust_static_library.
    """
    root = name + "_root.rs"
    lines = ["//! Aggregate of the Rust crates that C++ links (generated)."]
    lines += ["extern crate %s;" % _crate_name(Label(d).name) for d in deps]
    native.genrule(
        name = name + "_root",
        outs = [root],
        cmd = "printf '%s\\n' " + " ".join(["'%s'" % l for l in lines]) + " > $@",
    )
    rust_static_library(
        name = name,
        srcs = [root],
        crate_root = root,
        crate_name = _crate_name(name),
        edition = "2021",
        deps = deps,
        **kwargs
    )

def ray_cc_library_with_rust(name, bridges = [], rust_runtime = "//src/ray/ffi:rust_runtime", deps = [], **kwargs):
    """A C++ library implemented (partly) in Rust.

    It depends on the generated cxx bridge code and on the one aggregate Rust archive, so any
    binary that links it gets the Rust code exactly once.

    Example:
        ray_cc_library_with_rust(
            name = "id_rust",
            srcs = ["id.cc"],
            hdrs = ["ray/common/id.h"],
            bridges = ["//src/ray/rust/ray-ffi:bridge"],
        )

    Args:
      name: target name.
      bridges: ray_cxx_bridge targets whose generated API the sources call.
      rust_runtime: the ray_rust_static_library holding the Rust side.
      deps: other C++ deps.
      **kwargs: passed to cc_library.
    """
    cc_library(
        name = name,
        deps = deps + bridges + [rust_runtime],
        **kwargs
    )

def ray_impl_alias(name, cc = None, rust = None, **kwargs):
    """What dependents of a migrated library use: the C++ reference or the Rust-backed drop-in.

    Follows //bazel:ray_common_impl (`--config=rust-ffi` selects Rust), so no dependent
    changes when a component is switched.

    Example:
        ray_impl_alias(name = "resource_set")
        # :resource_set -> :resource_set_cc, or //src/ray/ffi:resource_set under rust-ffi

    Args:
      name: the library's name, as Ray's BUILD files call it.
      cc: the C++ reference; defaults to `:<name>_cc`.
      rust: the drop-in; defaults to `//src/ray/ffi:<name>`.
      **kwargs: passed to alias.
    """
    native.alias(
        name = name,
        actual = select({
            "//bazel:ray_common_impl_rust": rust or "//src/ray/ffi:" + name,
            "//conditions:default": cc or ":%s_cc" % name,
        }),
        **kwargs
    )

def ray_drop_in_library(name, hdrs, bridge, srcs = [], deps = [], **kwargs):
    """A drop-in for one migrated library: Ray's header at Ray's include path, backed by Rust.

    Headers live under src/ray/ffi/ray/..., so they are included exactly as Ray's are; the
    library links the bridge and the one Rust archive, and says which implementation it is.

    Example:
        ray_drop_in_library(
            name = "resource_set",
            srcs = ["scheduling/resource_set.cc"],
            hdrs = ["ray/common/scheduling/resource_set.h"],
            bridge = "//src/ray/rust/ray-ffi:scheduling_bridge",
            deps = [":scheduling_ids"],
        )

    Args:
      name: the library's name (the same as the reference's, without `_cc`).
      hdrs: the drop-in headers, under ray/.
      bridge: the ray_cxx_bridge target the sources call.
      srcs: the C++ side of the forwarding.
      deps: other C++ deps.
      **kwargs: passed to cc_library.
    """
    ray_cc_library_with_rust(
        name = name,
        srcs = srcs,
        hdrs = hdrs,
        bridges = [bridge],
        strip_include_prefix = "/src/ray/ffi",
        deps = deps + ["//src/ray/ffi:implementation_rust"],
        **kwargs
    )

def _pin_impl_transition_impl(_settings, attr):
    return {_IMPL_FLAG: attr.impl}

_pin_impl_transition = transition(
    implementation = _pin_impl_transition_impl,
    inputs = [],
    outputs = [_IMPL_FLAG],
)

def _pinned_impl(ctx):
    actual = ctx.attr.actual[0]
    info = actual[DefaultInfo]
    exe = info.files_to_run.executable
    link = ctx.actions.declare_file(ctx.label.name)
    ctx.actions.symlink(output = link, target_file = exe, is_executable = True)
    runfiles = ctx.runfiles(files = [exe] + ctx.files.data).merge(info.default_runfiles)
    for d in ctx.attr.data:
        runfiles = runfiles.merge(d[DefaultInfo].default_runfiles)
    providers = [DefaultInfo(executable = link, runfiles = runfiles)]
    if RunEnvironmentInfo in actual:
        providers.append(actual[RunEnvironmentInfo])
    return providers

_PINNED_ATTRS = {
    "actual": attr.label(cfg = _pin_impl_transition, executable = True, mandatory = True),
    # Files that `args` name with $(rootpath ...), as for the actual target.
    "data": attr.label_list(allow_files = True),
    "impl": attr.string(values = ["cc", "rust"], mandatory = True),
    "_allowlist_function_transition": attr.label(
        default = "@bazel_tools//tools/allowlists/function_transition_allowlist",
    ),
}

# `actual`, built with the implementation pinned to `impl`.
_pinned_test = rule(implementation = _pinned_impl, attrs = _PINNED_ATTRS, test = True)
_pinned_binary = rule(implementation = _pinned_impl, attrs = _PINNED_ATTRS, executable = True)

def ray_cc_binary_with_rust(name, **kwargs):
    """A C++ tool built once per implementation of the migrated components.

    Creates `name` (follows the build setting) and `name_cc` / `name_rust` (pinned), so one
    `bazel build` yields the tool for both implementations, e.g. to compare their outputs.

    Example:
        ray_cc_binary_with_rust(
            name = "golden_check",
            srcs = ["golden_check.cc"],
            deps = ["//src/ray/common:id", "//src/ray/common:status"],
        )

    Args:
      name: binary name.
      **kwargs: passed to cc_binary.
    """
    cc_binary(name = name, **kwargs)
    for impl in ["cc", "rust"]:
        _pinned_binary(
            name = "%s_%s" % (name, impl),
            actual = ":" + name,
            impl = impl,
            testonly = kwargs.get("testonly", False),
            visibility = kwargs.get("visibility"),
        )

def ray_cc_test_with_rust(name, srcs, deps = [], tags = [], gtest_main = True, impls = ["cc", "rust"], **kwargs):
    """One googletest source, validating every implementation of a migrated component.

    Creates three tests:
      * `name`: links whichever implementation the build selects (--config=rust-ffi or
        --//bazel:ray_common_impl), so existing commands keep working unchanged;
      * `name_cc` and `name_rust`: the same binary pinned to each implementation through a
        configuration transition, so `bazel test //...` always checks both.
    The macro defines RAY_COMMON_EXPECTED_IMPL ("cc" or "rust") for the source's test that
    asserts which implementation is linked.

    Example:
        ray_cc_test_with_rust(
            name = "id_test",
            srcs = ["id_test.cc"],
            deps = ["//src/ray/common:id"],
        )

    Args:
      name: test name.
      srcs: test sources (no #ifdef on the implementation).
      deps: deps, typically the implementation-switching aliases of //src/ray/common.
      tags: test tags, applied to all three tests.
      gtest_main: link googletest's main (False for a test with its own main()).
      impls: the implementations to pin a variant to; a component whose Rust side is not
        linked yet lists only "cc".
      **kwargs: passed to cc_test.
    """
    cc_test(
        name = name,
        srcs = srcs,
        deps = deps + (["//bazel/system:gtest_main"] if gtest_main else []),
        linkstatic = True,
        local_defines = select({
            "//bazel:ray_common_impl_rust": ['RAY_COMMON_EXPECTED_IMPL=\\"rust\\"'],
            "//conditions:default": ['RAY_COMMON_EXPECTED_IMPL=\\"cc\\"'],
        }),
        tags = tags,
        **kwargs
    )
    test_attrs = {k: kwargs[k] for k in ["args", "data", "size", "timeout", "flaky"] if k in kwargs}
    for impl in impls:
        _pinned_test(
            name = "%s_%s" % (name, impl),
            actual = ":" + name,
            impl = impl,
            tags = tags,
            **test_attrs
        )
