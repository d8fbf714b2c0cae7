// The codes of ray::Status, listed once. Both implementations of
// ray/common/status.h build their StatusCode enum, factories and predicates
// from this list, the reference status.cc its CodeAsString/StringToCode
// tables, and the Rust table in ray-common is tested against it.
//
// Include it with RAY_STATUS_CODE(Name, value, "CodeAsString text", shape)
// defined. The shape says which members Status has for the code: PLAIN, a
// factory Name(msg) and a predicate IsName(); WITH_RPC_CODE, the factory
// takes the gRPC code too; OK, neither (Status::OK() and ok() instead).
// Values are part of the wire/ABI contract and are not contiguous: 6-8, 26
// and 27 belonged to codes that were removed.

RAY_STATUS_CODE(OK, 0, "OK", OK)
RAY_STATUS_CODE(OutOfMemory, 1, "Out of memory", PLAIN)
RAY_STATUS_CODE(KeyError, 2, "Key error", PLAIN)
RAY_STATUS_CODE(TypeError, 3, "Type error", PLAIN)
RAY_STATUS_CODE(Invalid, 4, "Invalid", PLAIN)
RAY_STATUS_CODE(IOError, 5, "IOError", PLAIN)
RAY_STATUS_CODE(UnknownError, 9, "Unknown error", PLAIN)
RAY_STATUS_CODE(NotImplemented, 10, "NotImplemented", PLAIN)
RAY_STATUS_CODE(RedisError, 11, "RedisError", PLAIN)
RAY_STATUS_CODE(TimedOut, 12, "TimedOut", PLAIN)
RAY_STATUS_CODE(Interrupted, 13, "Interrupted", PLAIN)
RAY_STATUS_CODE(IntentionalSystemExit, 14, "IntentionalSystemExit", PLAIN)
RAY_STATUS_CODE(UnexpectedSystemExit, 15, "UnexpectedSystemExit", PLAIN)
RAY_STATUS_CODE(CreationTaskError, 16, "CreationTaskError", PLAIN)
RAY_STATUS_CODE(NotFound, 17, "NotFound", PLAIN)
RAY_STATUS_CODE(Disconnected, 18, "Disconnected", PLAIN)
RAY_STATUS_CODE(SchedulingCancelled, 19, "SchedulingCancelled", PLAIN)
RAY_STATUS_CODE(AlreadyExists, 20, "AlreadyExists", PLAIN)
RAY_STATUS_CODE(ObjectExists, 21, "ObjectExists", PLAIN)
RAY_STATUS_CODE(ObjectNotFound, 22, "ObjectNotFound", PLAIN)
RAY_STATUS_CODE(ObjectAlreadySealed, 23, "ObjectAlreadySealed", PLAIN)
RAY_STATUS_CODE(ObjectStoreFull, 24, "ObjectStoreFull", PLAIN)
RAY_STATUS_CODE(TransientObjectStoreFull, 25, "TransientObjectStoreFull", PLAIN)
RAY_STATUS_CODE(OutOfDisk, 28, "OutOfDisk", PLAIN)
RAY_STATUS_CODE(ObjectUnknownOwner, 29, "ObjectUnknownOwner", PLAIN)
RAY_STATUS_CODE(RpcError, 30, "RpcError", WITH_RPC_CODE)
RAY_STATUS_CODE(OutOfResource, 31, "OutOfResource", PLAIN)
RAY_STATUS_CODE(ObjectRefEndOfStream, 32, "ObjectRefEndOfStream", PLAIN)
RAY_STATUS_CODE(Unauthenticated, 33, "Unauthenticated", PLAIN)
RAY_STATUS_CODE(InvalidArgument, 34, "InvalidArgument", PLAIN)
RAY_STATUS_CODE(ChannelError, 35, "ChannelError", PLAIN)
RAY_STATUS_CODE(ChannelTimeoutError, 36, "ChannelTimeoutError", PLAIN)
RAY_STATUS_CODE(PermissionDenied, 37, "PermissionDenied", PLAIN)
RAY_STATUS_CODE(GcsPassive, 38, "GcsPassive", PLAIN)
