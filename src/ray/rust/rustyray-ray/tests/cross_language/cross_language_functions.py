"""Python functions a RustyRay program calls through Ray's cross-language calls
(tests/cluster.rs, examples/cluster_cross_language.rs). Ray's Python workers import this
module from its directory, which is on the job's code search path."""


def describe(values):
    return {"count": len(values), "total": sum(values), "largest": max(values)}


def shout(text):
    return text.upper() + "!"
