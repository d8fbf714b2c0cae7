// The only translation unit that includes Ray's C++ API. It turns the C interface of
// ray_bridge.h into calls on Ray's runtime, catches every exception at the boundary, and
// registers the dispatchers through which Ray's C++ workers run Rust functions, create Rust
// actors and call their methods.
//
// Compiled with -D_GLIBCXX_USE_CXX11_ABI=0 like libray_api.so; nothing ABI-dependent
// leaves this file.
#include "ray_bridge.h"

#include <ray/api.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <memory>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace {

using ray::internal::GetRayRuntime;

// Arguments per task, actor creation or actor call (as many as a #[rustyray::remote]
// function takes): one dispatcher per count below.
constexpr size_t kMaxArgs = 12;

rr_bytes CopyOut(const char *data, size_t len) {
  rr_bytes bytes{nullptr, 0};
  if (len == 0) return bytes;
  bytes.data = static_cast<uint8_t *>(std::malloc(len));
  if (bytes.data == nullptr) return bytes;
  std::memcpy(bytes.data, data, len);
  bytes.len = len;
  return bytes;
}

int32_t Fail(rr_bytes *out, int32_t status, const std::string &message) {
  if (out != nullptr) *out = CopyOut(message.data(), message.size());
  return status;
}

// Runs `body`, translating every exception into a status and its message. Ray's exceptions
// hand over their whole message (msg_), which for another language's error is binary and
// would end at its first zero byte through what().
template <typename Body>
int32_t Guarded(rr_bytes *out, Body &&body) {
  try {
    if (!ray::IsInitialized()) {
      return Fail(out, RR_NOT_INITIALIZED, "ray is not initialized");
    }
    return body();
  } catch (const ray::internal::RayTimeoutException &e) {
    return Fail(out, RR_TIMEOUT, e.msg_);
  } catch (const ray::internal::RayTaskException &e) {
    return Fail(out, RR_TASK_ERROR, e.msg_);
  } catch (const ray::internal::RayWorkerException &e) {
    return Fail(out, RR_WORKER_DIED, e.msg_);
  } catch (const ray::internal::RayActorException &e) {
    return Fail(out, RR_ACTOR_DIED, e.msg_);
  } catch (const ray::internal::RayFunctionNotFound &e) {
    return Fail(out, RR_FUNCTION_NOT_FOUND, e.msg_);
  } catch (const ray::internal::RayException &e) {
    return Fail(out, RR_RAY_ERROR, e.msg_);
  } catch (const std::invalid_argument &e) {
    return Fail(out, RR_INVALID_ARGUMENT, e.what());
  } catch (const std::exception &e) {
    return Fail(out, RR_RAY_ERROR, e.what());
  } catch (...) {
    return Fail(out, RR_RAY_ERROR, "unknown C++ exception");
  }
}

std::string IdString(const uint8_t *id) {
  return std::string(reinterpret_cast<const char *>(id), RR_OBJECT_ID_LEN);
}

int32_t CopyId(const std::string &id, uint8_t *id_out, rr_bytes *out) {
  if (id.size() != RR_OBJECT_ID_LEN) {
    return Fail(out, RR_RAY_ERROR,
                "unexpected object id length " + std::to_string(id.size()));
  }
  std::memcpy(id_out, id.data(), RR_OBJECT_ID_LEN);
  return RR_OK;
}

msgpack::sbuffer PackBytes(const uint8_t *data, size_t len) {
  return ray::internal::Serializer::Serialize(reinterpret_cast<const char *>(data), len);
}

// The bytes PackBytes wrapped, copied out once. Ray marks a failed task's object with a
// leading nil; only then is the object unpacked whole (by Ray's own check, which throws
// the task's error). Other values (from another language) go through Ray's deserializer.
rr_bytes Unpacked(const std::shared_ptr<msgpack::sbuffer> &packed, int32_t language) {
  const auto *data = reinterpret_cast<const uint8_t *>(packed->data());
  size_t size = packed->size();
  if (size > 1 && data[0] == 0xc0) ray::CheckResult(packed);
  // A C++ function's result is its MessagePack value. A Python function's has Ray's
  // cross-language header first (the value's length, padded to XLANG_HEADER_LEN bytes);
  // only the caller knows which it is: a C++ function's 9-byte integer looks the same.
  if (language == RR_LANGUAGE_CPP) return CopyOut(packed->data(), size);
  if (language == RR_LANGUAGE_PYTHON) {
    if (!ray::internal::Serializer::IsXLang(packed->data(), size)) {
      throw ray::internal::RayException("a Python result without Ray's cross-language header");
    }
    return CopyOut(packed->data() + ray::internal::XLANG_HEADER_LEN,
                   size - ray::internal::XLANG_HEADER_LEN);
  }
  // MessagePack bin 8/16/32: a tag, then the length big-endian in 1, 2 or 4 bytes.
  size_t width = 0;
  if (size > 0) width = data[0] == 0xc4 ? 1 : data[0] == 0xc5 ? 2 : data[0] == 0xc6 ? 4 : 0;
  if (width != 0 && size >= 1 + width) {
    size_t len = 0;
    for (size_t i = 0; i < width; ++i) len = (len << 8) | data[1 + i];
    if (len == size - 1 - width) return CopyOut(packed->data() + 1 + width, len);
  }
  auto value = ray::internal::Serializer::Deserialize<std::string>(packed->data(), size);
  return CopyOut(value.data(), value.size());
}

std::vector<std::string> SplitPaths(const std::string &paths) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= paths.size()) {
    size_t end = paths.find(':', start);
    if (end == std::string::npos) end = paths.size();
    if (end > start) out.push_back(paths.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

// The task arguments of a call: `first` (the function, actor type or method name) and then
// the caller's arguments, by value or by object id.
std::vector<ray::internal::TaskArg> TaskArgs(const char *first, size_t first_len,
                                             const rr_arg *args, size_t nargs) {
  if (nargs > kMaxArgs) {
    throw std::invalid_argument("at most " + std::to_string(kMaxArgs) +
                                " arguments per call");
  }
  std::vector<ray::internal::TaskArg> task_args;
  task_args.reserve(nargs + 1);
  ray::internal::TaskArg name_arg;
  name_arg.buf = PackBytes(reinterpret_cast<const uint8_t *>(first), first_len);
  task_args.push_back(std::move(name_arg));
  for (size_t i = 0; i < nargs; ++i) {
    ray::internal::TaskArg arg;
    if (args[i].is_ref != 0) {
      if (args[i].len != RR_OBJECT_ID_LEN) {
        throw std::invalid_argument("object id must be 28 bytes");
      }
      arg.id = IdString(args[i].data);
    } else {
      arg.buf = PackBytes(args[i].data, args[i].len);
    }
    task_args.push_back(std::move(arg));
  }
  return task_args;
}

std::unordered_map<std::string, double> Resources(const rr_resource *resources,
                                                  size_t nresources) {
  std::unordered_map<std::string, double> map;
  for (size_t i = 0; i < nresources; ++i) {
    map[std::string(resources[i].name, resources[i].name_len)] = resources[i].amount;
  }
  ray::internal::CheckTaskOptions(map);
  return map;
}

// The registered name of a RAY_REMOTE function or member function, as Ray's own
// ray::Task, ray::Actor and ActorHandle::Task look it up.
template <typename F>
ray::internal::RemoteFunctionHolder HolderOf(F function) {
  return ray::internal::RemoteFunctionHolder(
      ray::internal::FunctionManager::Instance().GetFunctionName(function));
}

std::vector<rr_arg> RawArgs(std::initializer_list<const std::string *> args) {
  std::vector<rr_arg> raw;
  raw.reserve(args.size());
  for (const std::string *arg : args) {
    raw.push_back(rr_arg{reinterpret_cast<const uint8_t *>(arg->data()), arg->size(), 0});
  }
  return raw;
}

// Takes a buffer from the Rust side; a nonzero status becomes an exception with its text,
// which Ray records as the task's error (with this message) for the caller's Get.
std::string TakeResult(int32_t status, rr_bytes *result) {
  std::string bytes(reinterpret_cast<const char *>(result->data), result->len);
  rustyray_ray_free(result);
  if (status != 0) throw std::runtime_error(bytes);
  return bytes;
}

// Worker side: runs the Rust function `name`.
std::string Dispatch(const std::string &name, std::initializer_list<const std::string *> args) {
  std::vector<rr_arg> raw = RawArgs(args);
  rr_bytes result{nullptr, 0};
  int32_t status =
      rustyray_ray_dispatch(name.data(), name.size(), raw.data(), raw.size(), &result);
  return TakeResult(status, &result);
}

}  // namespace

// The dispatchers take their arguments as parameters of their own, one dispatcher per
// argument count (0 to kMaxArgs), because Ray resolves object-reference arguments per
// parameter. These macros spell their parameter lists and the parameters' addresses.
#define RR_PARAMS_0
#define RR_PARAMS_1 RR_PARAMS_0, std::string a0
#define RR_PARAMS_2 RR_PARAMS_1, std::string a1
#define RR_PARAMS_3 RR_PARAMS_2, std::string a2
#define RR_PARAMS_4 RR_PARAMS_3, std::string a3
#define RR_PARAMS_5 RR_PARAMS_4, std::string a4
#define RR_PARAMS_6 RR_PARAMS_5, std::string a5
#define RR_PARAMS_7 RR_PARAMS_6, std::string a6
#define RR_PARAMS_8 RR_PARAMS_7, std::string a7
#define RR_PARAMS_9 RR_PARAMS_8, std::string a8
#define RR_PARAMS_10 RR_PARAMS_9, std::string a9
#define RR_PARAMS_11 RR_PARAMS_10, std::string a10
#define RR_PARAMS_12 RR_PARAMS_11, std::string a11
#define RR_ADDRS_0
#define RR_ADDRS_1 &a0
#define RR_ADDRS_2 RR_ADDRS_1, &a1
#define RR_ADDRS_3 RR_ADDRS_2, &a2
#define RR_ADDRS_4 RR_ADDRS_3, &a3
#define RR_ADDRS_5 RR_ADDRS_4, &a4
#define RR_ADDRS_6 RR_ADDRS_5, &a5
#define RR_ADDRS_7 RR_ADDRS_6, &a6
#define RR_ADDRS_8 RR_ADDRS_7, &a7
#define RR_ADDRS_9 RR_ADDRS_8, &a8
#define RR_ADDRS_10 RR_ADDRS_9, &a9
#define RR_ADDRS_11 RR_ADDRS_10, &a10
#define RR_ADDRS_12 RR_ADDRS_11, &a11
#define RR_FOR_EACH_COUNT(X) \
  X(0) X(1) X(2) X(3) X(4) X(5) X(6) X(7) X(8) X(9) X(10) X(11) X(12)

#define RR_TASK_DISPATCHER(N)                                       \
  std::string RustyRayCall##N(std::string name RR_PARAMS_##N) {     \
    return Dispatch(name, {RR_ADDRS_##N});                          \
  }
RR_FOR_EACH_COUNT(RR_TASK_DISPATCHER)
#undef RR_TASK_DISPATCHER

RAY_REMOTE(RustyRayCall0, RustyRayCall1, RustyRayCall2, RustyRayCall3, RustyRayCall4,
           RustyRayCall5, RustyRayCall6, RustyRayCall7, RustyRayCall8, RustyRayCall9,
           RustyRayCall10, RustyRayCall11, RustyRayCall12);

// An actor whose state is a Rust value behind an opaque pointer. The factories below build
// it in the worker Ray starts for the actor, and Ray keeps it there (as the address the
// factory returned) for the actor's calls, which arrive at the Call members one at a time.
class RustyRayActor {
 public:
  explicit RustyRayActor(void *state) : state_(state) {}

  // One member per argument count, as for tasks; the first parameter is the method's name.
#define RR_ACTOR_CALL(N)                                             \
  std::string Call##N(std::string method RR_PARAMS_##N) {           \
    return Run(method, {RR_ADDRS_##N});                             \
  }
  RR_FOR_EACH_COUNT(RR_ACTOR_CALL)
#undef RR_ACTOR_CALL

 private:
  std::string Run(const std::string &method,
                  std::initializer_list<const std::string *> args) {
    std::vector<rr_arg> raw = RawArgs(args);
    rr_bytes result{nullptr, 0};
    int32_t status = rustyray_ray_actor_call(state_, method.data(), method.size(),
                                             raw.data(), raw.size(), &result);
    return TakeResult(status, &result);
  }

  void *state_;
};

namespace {
// Worker side: builds the Rust state of a new actor of type `actor_type`. A failing
// constructor throws, which fails the actor's creation.
RustyRayActor *NewActor(const std::string &actor_type,
                        std::initializer_list<const std::string *> args) {
  std::vector<rr_arg> raw = RawArgs(args);
  void *state = nullptr;
  rr_bytes error{nullptr, 0};
  int32_t status = rustyray_ray_actor_new(actor_type.data(), actor_type.size(), raw.data(),
                                          raw.size(), &state, &error);
  TakeResult(status, &error);
  return new RustyRayActor(state);
}
}  // namespace

#define RR_ACTOR_FACTORY(N)                                                 \
  RustyRayActor *RustyRayNew##N(std::string actor_type RR_PARAMS_##N) {    \
    return NewActor(actor_type, {RR_ADDRS_##N});                           \
  }
RR_FOR_EACH_COUNT(RR_ACTOR_FACTORY)
#undef RR_ACTOR_FACTORY

RAY_REMOTE(RustyRayNew0, RustyRayNew1, RustyRayNew2, RustyRayNew3, RustyRayNew4,
           RustyRayNew5, RustyRayNew6, RustyRayNew7, RustyRayNew8, RustyRayNew9,
           RustyRayNew10, RustyRayNew11, RustyRayNew12);
RAY_REMOTE(&RustyRayActor::Call0, &RustyRayActor::Call1, &RustyRayActor::Call2,
           &RustyRayActor::Call3, &RustyRayActor::Call4, &RustyRayActor::Call5,
           &RustyRayActor::Call6, &RustyRayActor::Call7, &RustyRayActor::Call8,
           &RustyRayActor::Call9, &RustyRayActor::Call10, &RustyRayActor::Call11,
           &RustyRayActor::Call12);

namespace {
// Driver side: the registered functions by argument count.
const ray::internal::RemoteFunctionHolder &TaskHolder(size_t nargs) {
#define RR_HOLDER(N) HolderOf(RustyRayCall##N),
  static const std::vector<ray::internal::RemoteFunctionHolder> holders = {
      RR_FOR_EACH_COUNT(RR_HOLDER)};
#undef RR_HOLDER
  return holders.at(nargs);
}

const ray::internal::RemoteFunctionHolder &FactoryHolder(size_t nargs) {
#define RR_HOLDER(N) HolderOf(RustyRayNew##N),
  static const std::vector<ray::internal::RemoteFunctionHolder> holders = {
      RR_FOR_EACH_COUNT(RR_HOLDER)};
#undef RR_HOLDER
  return holders.at(nargs);
}

const ray::internal::RemoteFunctionHolder &MethodHolder(size_t nargs) {
#define RR_HOLDER(N) HolderOf(&RustyRayActor::Call##N),
  static const std::vector<ray::internal::RemoteFunctionHolder> holders = {
      RR_FOR_EACH_COUNT(RR_HOLDER)};
#undef RR_HOLDER
  return holders.at(nargs);
}

std::string ActorIdString(const uint8_t *id) {
  return std::string(reinterpret_cast<const char *>(id), RR_ACTOR_ID_LEN);
}

int32_t CopyActorId(const std::string &id, uint8_t *id_out, rr_bytes *out) {
  if (id.size() != RR_ACTOR_ID_LEN) {
    return Fail(out, RR_RAY_ERROR, "unexpected actor id length " + std::to_string(id.size()));
  }
  std::memcpy(id_out, id.data(), RR_ACTOR_ID_LEN);
  return RR_OK;
}
}  // namespace

extern "C" {

void rr_bytes_free(rr_bytes *bytes) {
  if (bytes == nullptr) return;
  std::free(bytes->data);
  bytes->data = nullptr;
  bytes->len = 0;
}

int32_t rr_init(const char *address, size_t address_len, const char *code_search_path,
                size_t code_search_path_len, const char *ray_namespace,
                size_t ray_namespace_len, rr_bytes *out) {
  try {
    if (ray::IsInitialized()) return Fail(out, RR_RAY_ERROR, "ray is already initialized");
    ray::RayConfig config;
    config.address = std::string(address, address_len);
    config.code_search_path =
        SplitPaths(std::string(code_search_path, code_search_path_len));
    config.ray_namespace = std::string(ray_namespace, ray_namespace_len);
    ray::Init(config);
    return RR_OK;
  } catch (const std::exception &e) {
    return Fail(out, RR_RAY_ERROR, e.what());
  } catch (...) {
    return Fail(out, RR_RAY_ERROR, "unknown C++ exception in ray::Init");
  }
}

int32_t rr_namespace(rr_bytes *out) {
  return Guarded(out, [&] {
    std::string ns = ray::GetNamespace();
    *out = CopyOut(ns.data(), ns.size());
    return RR_OK;
  });
}

int32_t rr_shutdown(rr_bytes *out) {
  return Guarded(out, [] {
    ray::Shutdown();
    return RR_OK;
  });
}

int32_t rr_put(const uint8_t *data, size_t len, uint8_t id_out[RR_OBJECT_ID_LEN],
               rr_bytes *out) {
  return Guarded(out, [&] {
    auto buffer = std::make_shared<msgpack::sbuffer>(PackBytes(data, len));
    return CopyId(GetRayRuntime()->Put(buffer), id_out, out);
  });
}

int32_t rr_get(const uint8_t id[RR_OBJECT_ID_LEN], int32_t language, int32_t timeout_ms,
               rr_bytes *out) {
  return Guarded(out, [&] {
    *out = Unpacked(GetRayRuntime()->Get(IdString(id), timeout_ms), language);
    return RR_OK;
  });
}

int32_t rr_get_many(const uint8_t *ids, const uint8_t *languages, size_t n, int32_t timeout_ms,
                    rr_bytes *values_out, int32_t *statuses_out, rr_bytes *out) {
  return Guarded(out, [&]() -> int32_t {
    std::vector<std::string> id_list;
    id_list.reserve(n);
    for (size_t i = 0; i < n; ++i) id_list.push_back(IdString(ids + i * RR_OBJECT_ID_LEN));
    // Ray's own many-object Get dereferences the missing results it leaves when one object
    // is an error (a failed task): wait until all are ready, then get each.
    std::vector<std::string> unique = id_list;
    std::sort(unique.begin(), unique.end());
    unique.erase(std::unique(unique.begin(), unique.end()), unique.end());
    if (!unique.empty()) {
      auto ready =
          GetRayRuntime()->Wait(unique, static_cast<int>(unique.size()), timeout_ms);
      if (std::count(ready.begin(), ready.end(), true) != static_cast<long>(unique.size())) {
        return Fail(out, RR_TIMEOUT, "Get timed out: some objects are not ready");
      }
    }
    // One object's error is that object's, not the call's.
    for (size_t i = 0; i < n; ++i) {
      statuses_out[i] = Guarded(&values_out[i], [&] {
        values_out[i] = Unpacked(GetRayRuntime()->Get(id_list[i], timeout_ms),
                                 languages == nullptr ? 0 : languages[i]);
        return static_cast<int32_t>(RR_OK);
      });
    }
    return RR_OK;
  });
}

int32_t rr_wait(const uint8_t *ids, size_t n, int32_t num_objects, int32_t timeout_ms,
                uint8_t *ready_out, rr_bytes *out) {
  return Guarded(out, [&] {
    std::vector<std::string> id_list;
    id_list.reserve(n);
    for (size_t i = 0; i < n; ++i) id_list.push_back(IdString(ids + i * RR_OBJECT_ID_LEN));
    auto ready = GetRayRuntime()->Wait(id_list, num_objects, timeout_ms);
    for (size_t i = 0; i < n && i < ready.size(); ++i) ready_out[i] = ready[i] ? 1 : 0;
    return RR_OK;
  });
}

void rr_release(const uint8_t id[RR_OBJECT_ID_LEN]) {
  try {
    if (ray::IsInitialized()) GetRayRuntime()->RemoveLocalReference(IdString(id));
  } catch (...) {
    // Releasing after a failed shutdown: nothing left to release.
  }
}

int32_t rr_submit(const char *function, size_t function_len, const rr_arg *args,
                  size_t nargs, const rr_resource *resources, size_t nresources,
                  uint8_t id_out[RR_OBJECT_ID_LEN], rr_bytes *out) {
  return Guarded(out, [&] {
    std::vector<ray::internal::TaskArg> task_args =
        TaskArgs(function, function_len, args, nargs);
    ray::internal::CallOptions options;
    options.resources = Resources(resources, nresources);
    return CopyId(GetRayRuntime()->Call(TaskHolder(nargs), task_args, options), id_out, out);
  });
}

int32_t rr_submit_foreign(int32_t language, const char *module, size_t module_len,
                          const char *function, size_t function_len, const rr_arg *args,
                          size_t nargs, const rr_resource *resources, size_t nresources,
                          uint8_t id_out[RR_OBJECT_ID_LEN], rr_bytes *out) {
  return Guarded(out, [&]() -> int32_t {
    std::string name(function, function_len);
    if (name.empty()) return Fail(out, RR_INVALID_ARGUMENT, "empty function name");
    ray::internal::RemoteFunctionHolder holder;
    std::vector<ray::internal::TaskArg> task_args;
    if (language == RR_LANGUAGE_CPP) {
      holder = ray::internal::RemoteFunctionHolder(name);
    } else if (language == RR_LANGUAGE_PYTHON) {
      holder = ray::internal::RemoteFunctionHolder(std::string(module, module_len), name, "",
                                                   ray::internal::LangType::PYTHON);
      // Python's calling convention takes a placeholder first (where keyword arguments
      // would go), as Ray's C++ API sends it.
      ray::internal::TaskArg dummy;
      const auto &marker = ray::internal::METADATA_STR_DUMMY;
      dummy.buf = msgpack::sbuffer(marker.size());
      dummy.buf->write(marker.data(), marker.size());
      dummy.meta_str = ray::internal::METADATA_STR_RAW;
      task_args.push_back(std::move(dummy));
    } else {
      return Fail(out, RR_INVALID_ARGUMENT, "unknown language " + std::to_string(language));
    }
    for (size_t i = 0; i < nargs; ++i) {
      ray::internal::TaskArg arg;
      if (args[i].is_ref != 0) {
        if (args[i].len != RR_OBJECT_ID_LEN) {
          return Fail(out, RR_INVALID_ARGUMENT, "object id must be 28 bytes");
        }
        arg.id = IdString(args[i].data);
      } else if (language == RR_LANGUAGE_CPP) {
        // The argument is already the MessagePack value the function deserializes.
        arg.buf = msgpack::sbuffer(args[i].len);
        arg.buf->write(reinterpret_cast<const char *>(args[i].data), args[i].len);
      } else {
        // Ray's cross-language form: the value's length as MessagePack, zero-padded to
        // XLANG_HEADER_LEN bytes, then the value.
        auto len = ray::internal::Serializer::Serialize(args[i].len);
        msgpack::sbuffer buffer(ray::internal::XLANG_HEADER_LEN + args[i].len);
        buffer.write(len.data(), len.size());
        for (size_t pad = len.size(); pad < ray::internal::XLANG_HEADER_LEN; ++pad) {
          buffer.write("", 1);
        }
        buffer.write(reinterpret_cast<const char *>(args[i].data), args[i].len);
        arg.buf = std::move(buffer);
        arg.meta_str = ray::internal::METADATA_STR_XLANG;
      }
      task_args.push_back(std::move(arg));
    }
    ray::internal::CallOptions options;
    options.resources = Resources(resources, nresources);
    return CopyId(GetRayRuntime()->Call(holder, task_args, options), id_out, out);
  });
}

int32_t rr_actor_create(const char *actor_type, size_t actor_type_len, const rr_arg *args,
                        size_t nargs, const rr_actor_options *options,
                        uint8_t actor_id_out[RR_ACTOR_ID_LEN], rr_bytes *out) {
  return Guarded(out, [&] {
    std::vector<ray::internal::TaskArg> task_args =
        TaskArgs(actor_type, actor_type_len, args, nargs);
    ray::internal::ActorCreationOptions create_options;
    create_options.name = std::string(options->name, options->name_len);
    create_options.ray_namespace =
        std::string(options->ray_namespace, options->ray_namespace_len);
    create_options.max_restarts = options->max_restarts;
    create_options.max_concurrency = options->max_concurrency;
    create_options.resources = Resources(options->resources, options->nresources);
    return CopyActorId(
        GetRayRuntime()->CreateActor(FactoryHolder(nargs), task_args, create_options),
        actor_id_out, out);
  });
}

int32_t rr_actor_call(const uint8_t actor_id[RR_ACTOR_ID_LEN], const char *method,
                      size_t method_len, const rr_arg *args, size_t nargs,
                      uint8_t id_out[RR_OBJECT_ID_LEN], rr_bytes *out) {
  return Guarded(out, [&] {
    std::vector<ray::internal::TaskArg> task_args =
        TaskArgs(method, method_len, args, nargs);
    ray::internal::CallOptions options;
    std::string id = GetRayRuntime()->CallActor(MethodHolder(nargs),
                                                ActorIdString(actor_id), task_args, options);
    // Ray answers a call it could not submit with the nil ObjectID (all bytes 0xff).
    if (id.find_first_not_of('\xff') == std::string::npos) {
      return Fail(out, RR_ACTOR_DIED, "Ray did not accept the call: the actor is unknown");
    }
    return CopyId(id, id_out, out);
  });
}

int32_t rr_actor_get(const char *name, size_t name_len, const char *ray_namespace,
                     size_t ray_namespace_len, uint8_t actor_id_out[RR_ACTOR_ID_LEN],
                     int32_t *found, rr_bytes *out) {
  *found = 0;
  return Guarded(out, [&]() -> int32_t {
    if (name_len == 0) return Fail(out, RR_INVALID_ARGUMENT, "empty actor name");
    std::string id = GetRayRuntime()->GetActorId(std::string(name, name_len),
                                                 std::string(ray_namespace, ray_namespace_len));
    if (id.empty()) return RR_OK;
    int32_t status = CopyActorId(id, actor_id_out, out);
    if (status == RR_OK) *found = 1;
    return status;
  });
}

int32_t rr_actor_serialize(const uint8_t actor_id[RR_ACTOR_ID_LEN], rr_bytes *out) {
  return Guarded(out, [&] {
    std::string handle = GetRayRuntime()->SerializeActorHandle(ActorIdString(actor_id));
    *out = CopyOut(handle.data(), handle.size());
    return RR_OK;
  });
}

int32_t rr_actor_deserialize(const uint8_t *handle, size_t handle_len,
                             uint8_t actor_id_out[RR_ACTOR_ID_LEN], rr_bytes *out) {
  return Guarded(out, [&] {
    std::string id = GetRayRuntime()->DeserializeAndRegisterActorHandle(
        std::string(reinterpret_cast<const char *>(handle), handle_len));
    return CopyActorId(id, actor_id_out, out);
  });
}

int32_t rr_actor_kill(const uint8_t actor_id[RR_ACTOR_ID_LEN], int32_t no_restart,
                      rr_bytes *out) {
  return Guarded(out, [&] {
    GetRayRuntime()->KillActor(ActorIdString(actor_id), no_restart != 0);
    return RR_OK;
  });
}

}  // extern "C"
