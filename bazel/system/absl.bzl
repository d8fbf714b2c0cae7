"""Compiler options for C++ targets that include Abseil headers.

GCC cannot evaluate Abseil's hash-table policy (a function address compared with
nullptr in a constexpr function) once null-pointer sanitizing is on, which turns off
GCC's assumption that such addresses are non-null. Under --config=asan those targets
therefore leave out the three null-pointer checks; every other ASan/UBSan check stays.

Example:
    cc_library(
        name = "resource_set_cc",
        copts = ABSL_COPTS,
        deps = ["//bazel/system:absl"],
    )
"""

ABSL_COPTS = select({
    "//bazel:asan": ["-fno-sanitize=null,nonnull-attribute,returns-nonnull-attribute"],
    "//conditions:default": [],
})
