// The 28-byte ID types that share UniqueID's layout and behaviour. This file
// is an X-macro list: the includer defines DEFINE_UNIQUE_ID(type) before
// including it, so it deliberately has no include guard.

DEFINE_UNIQUE_ID(FunctionID)
DEFINE_UNIQUE_ID(ActorClassID)
DEFINE_UNIQUE_ID(WorkerID)
DEFINE_UNIQUE_ID(ConfigID)
DEFINE_UNIQUE_ID(NodeID)
DEFINE_UNIQUE_ID(ClusterID)
