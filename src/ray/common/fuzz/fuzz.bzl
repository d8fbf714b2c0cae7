"""ray_diff_fuzzer: one differential fuzz target and the tests that run it."""

load("@rules_cc//cc:defs.bzl", "cc_binary")

# Seconds per target: the replay in `bazel test //...` (gcc, corpus + mutations) and the
# libFuzzer run of `tools/test`'s fuzz step (--config=fuzz).
REPLAY_SECONDS = 5
LIBFUZZER_SECONDS = 30

def ray_diff_fuzzer(name, srcs, deps = []):
    """A fuzz target linking both implementations of ray/common, plus two tests.

    Creates:
      * `name`: under --config=fuzz a libFuzzer binary; otherwise the same target with
        replay_main.cc's driver (corpus replay, then mutations), so every build has it;
      * `name_replay_test`: runs it over corpus/<name> for REPLAY_SECONDS, in `bazel test //...`;
      * `name_libfuzzer_test`: the libFuzzer run for LIBFUZZER_SECONDS, tagged `fuzz` and
        `manual`, run through the :libfuzzer_tests suite with --config=fuzz.

    Args:
      name: target name; its seed corpus is corpus/<name>/.
      srcs: the fuzzer's sources (defining LLVMFuzzerTestOneInput).
      deps: further libraries (e.g. another adapter pair) beside :harness.
    """
    cc_binary(
        name = name,
        testonly = True,
        srcs = srcs,
        linkopts = select({
            ":libfuzzer": ["-fsanitize=fuzzer"],
            "//conditions:default": [],
        }),
        linkstatic = True,
        deps = [":harness"] + deps + select({
            ":libfuzzer": [],
            "//conditions:default": [":replay_main"],
        }),
    )
    corpus = native.glob(["corpus/%s/*" % name])
    common = dict(
        srcs = ["run_fuzzer.sh"],
        data = [":" + name] + corpus,
    )
    corpus_dir = "%s/corpus/%s" % (native.package_name(), name)
    native.sh_test(
        name = name + "_replay_test",
        args = ["$(rootpath :%s)" % name, corpus_dir, str(REPLAY_SECONDS)],
        size = "small",
        **common
    )
    native.sh_test(
        name = name + "_libfuzzer_test",
        args = ["$(rootpath :%s)" % name, corpus_dir, str(LIBFUZZER_SECONDS)],
        size = "medium",
        # "external": a fuzzing run explores anew each time, so its result is never cached.
        tags = [
            "external",
            "fuzz",
            "manual",
        ],
        **common
    )
