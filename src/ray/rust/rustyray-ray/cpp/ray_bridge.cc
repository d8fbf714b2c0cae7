// The only translation unit that includes Ray's C++ API. It turns the C interface of
// ray_bridge.h into calls on Ray's runtime, catches every exception at the boundary, and
// registers the dispatchers through which Ray's C++ workers run Rust functions.
//
// Compiled with -D_GLIBCXX_USE_CXX11_ABI=0 like libray_api.so; nothing ABI-dependent
// leaves this file.
#include "ray_bridge.h"

#include <ray/api.h>

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

// Runs `body`, translating every exception into a status and its message.
template <typename Body>
int32_t Guarded(rr_bytes *out, Body &&body) {
  try {
    if (!ray::IsInitialized()) {
      return Fail(out, RR_NOT_INITIALIZED, "ray is not initialized");
    }
    return body();
  } catch (const ray::internal::RayTimeoutException &e) {
    return Fail(out, RR_TIMEOUT, e.what());
  } catch (const ray::internal::RayTaskException &e) {
    return Fail(out, RR_TASK_ERROR, e.what());
  } catch (const ray::internal::RayWorkerException &e) {
    return Fail(out, RR_WORKER_DIED, e.what());
  } catch (const ray::internal::RayActorException &e) {
    return Fail(out, RR_ACTOR_DIED, e.what());
  } catch (const ray::internal::RayFunctionNotFound &e) {
    return Fail(out, RR_FUNCTION_NOT_FOUND, e.what());
  } catch (const ray::internal::RayException &e) {
    return Fail(out, RR_RAY_ERROR, e.what());
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

// Worker side: hands the arguments to Rust and turns its error into an exception, which
// Ray records as the task's error (with this message) for the caller's Get.
std::string Dispatch(const std::string &name, std::initializer_list<const std::string *> args) {
  std::vector<rr_arg> raw;
  raw.reserve(args.size());
  for (const std::string *arg : args) {
    raw.push_back(rr_arg{reinterpret_cast<const uint8_t *>(arg->data()), arg->size(), 0});
  }
  rr_bytes result{nullptr, 0};
  int32_t status =
      rustyray_ray_dispatch(name.data(), name.size(), raw.data(), raw.size(), &result);
  std::string bytes(reinterpret_cast<const char *>(result.data), result.len);
  rustyray_ray_free(&result);
  if (status != 0) throw std::runtime_error(bytes);
  return bytes;
}

}  // namespace

// One dispatcher per argument count: Ray resolves object-reference arguments per
// parameter, so each argument must be a parameter of its own.
std::string RustyRayCall0(std::string name) { return Dispatch(name, {}); }
std::string RustyRayCall1(std::string name, std::string a0) {
  return Dispatch(name, {&a0});
}
std::string RustyRayCall2(std::string name, std::string a0, std::string a1) {
  return Dispatch(name, {&a0, &a1});
}
std::string RustyRayCall3(std::string name, std::string a0, std::string a1,
                          std::string a2) {
  return Dispatch(name, {&a0, &a1, &a2});
}
std::string RustyRayCall4(std::string name, std::string a0, std::string a1,
                          std::string a2, std::string a3) {
  return Dispatch(name, {&a0, &a1, &a2, &a3});
}
std::string RustyRayCall5(std::string name, std::string a0, std::string a1,
                          std::string a2, std::string a3, std::string a4) {
  return Dispatch(name, {&a0, &a1, &a2, &a3, &a4});
}
std::string RustyRayCall6(std::string name, std::string a0, std::string a1,
                          std::string a2, std::string a3, std::string a4,
                          std::string a5) {
  return Dispatch(name, {&a0, &a1, &a2, &a3, &a4, &a5});
}
RAY_REMOTE(RustyRayCall0, RustyRayCall1, RustyRayCall2, RustyRayCall3, RustyRayCall4,
           RustyRayCall5, RustyRayCall6);

namespace {
constexpr size_t kMaxArgs = 6;
const char *const kDispatchers[kMaxArgs + 1] = {
    "RustyRayCall0", "RustyRayCall1", "RustyRayCall2", "RustyRayCall3",
    "RustyRayCall4", "RustyRayCall5", "RustyRayCall6"};
}  // namespace

extern "C" {

void rr_bytes_free(rr_bytes *bytes) {
  if (bytes == nullptr) return;
  std::free(bytes->data);
  bytes->data = nullptr;
  bytes->len = 0;
}

int32_t rr_init(const char *address, size_t address_len, const char *code_search_path,
                size_t code_search_path_len, rr_bytes *out) {
  try {
    if (ray::IsInitialized()) return Fail(out, RR_RAY_ERROR, "ray is already initialized");
    ray::RayConfig config;
    config.address = std::string(address, address_len);
    config.code_search_path =
        SplitPaths(std::string(code_search_path, code_search_path_len));
    ray::Init(config);
    return RR_OK;
  } catch (const std::exception &e) {
    return Fail(out, RR_RAY_ERROR, e.what());
  } catch (...) {
    return Fail(out, RR_RAY_ERROR, "unknown C++ exception in ray::Init");
  }
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

int32_t rr_get(const uint8_t id[RR_OBJECT_ID_LEN], int32_t timeout_ms, rr_bytes *out) {
  return Guarded(out, [&] {
    auto packed = GetRayRuntime()->Get(IdString(id), timeout_ms);
    ray::CheckResult(packed);
    auto value =
        ray::internal::Serializer::Deserialize<std::string>(packed->data(), packed->size());
    *out = CopyOut(value.data(), value.size());
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
    if (nargs > kMaxArgs) {
      return Fail(out, RR_INVALID_ARGUMENT,
                  "at most " + std::to_string(kMaxArgs) + " arguments per task");
    }
    std::vector<ray::internal::TaskArg> task_args;
    task_args.reserve(nargs + 1);
    ray::internal::TaskArg name_arg;
    name_arg.buf = PackBytes(reinterpret_cast<const uint8_t *>(function), function_len);
    task_args.push_back(std::move(name_arg));
    for (size_t i = 0; i < nargs; ++i) {
      ray::internal::TaskArg arg;
      if (args[i].is_ref != 0) {
        if (args[i].len != RR_OBJECT_ID_LEN) {
          return Fail(out, RR_INVALID_ARGUMENT, "object id must be 28 bytes");
        }
        arg.id = IdString(args[i].data);
      } else {
        arg.buf = PackBytes(args[i].data, args[i].len);
      }
      task_args.push_back(std::move(arg));
    }
    ray::internal::CallOptions options;
    for (size_t i = 0; i < nresources; ++i) {
      options.resources[std::string(resources[i].name, resources[i].name_len)] =
          resources[i].amount;
    }
    ray::internal::CheckTaskOptions(options.resources);
    ray::internal::RemoteFunctionHolder holder(kDispatchers[nargs]);
    return CopyId(GetRayRuntime()->Call(holder, task_args, options), id_out, out);
  });
}

}  // extern "C"
